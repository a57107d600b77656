"""Public pages (no login)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from gongkai.core.casework.workdays import DeadlineError, show

from .deadline import DeadlineQuery, compute, error_code


def deadline(request):
    """The reply deadline of an application: an HTML form, or ``?format=json``."""
    query = DeadlineQuery.from_params(request.GET)
    wants_json = request.GET.get("format") == "json"
    result = error = None
    if wants_json or "received" in request.GET:
        try:
            result = compute(query)
        except DeadlineError as exc:
            error = exc
    if wants_json:
        if error is not None:
            return JsonResponse({"error": error_code(error), "message": str(error)}, status=400,
                                json_dumps_params={"ensure_ascii": False})
        return JsonResponse(result.to_json(), json_dumps_params={"ensure_ascii": False})
    return render(request, "online/deadline.html", {
        "query": query, "result": result, "error": error, "due_text": show(result.due) if result else "",
        "original_text": show(result.original_due) if result and result.original_due else "",
    }, status=400 if error else 200)
