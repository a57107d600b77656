"""The import pages (the export is the work list's ``desk:worklist_export``). Thin: ask the kind who
may import, call ``importing``, render. A batch of an agency the user may not import into is a 404.

The preview page is streamed: the mapping and the page head go out first, then the problems chunk
by chunk as the rows are checked (``importing.check_chunks``), then the summary and the import
button — so the first problems of a long file show within a second or two."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from .importing import (
    SHOWN_PROBLEMS,
    FileProblem,
    ImportRefused,
    check_chunks,
    mapping_problems,
    read_batch,
    run_import,
    save_mapping,
    upload,
)
from .kinds import KINDS
from .models import ImportBatch, ImportedRow

HISTORY_PAGE = 20
CREATED_SHOWN = 200


def _kind(key: str):
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def _batch(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.select_related("agency", "uploaded_by", "imported_by"), pk=pk)
    kind = _kind(batch.kind)
    if not kind.may_import(request.user, batch.agency):
        raise Http404
    return kind, batch


@login_required
def start(request, kind: str):
    """Upload a file, and the history of the imports of the user's agencies."""
    kind = _kind(kind)
    agencies = list(kind.agencies(request.user).order_by("order_path"))
    error = None
    if request.method == "POST":
        chosen = request.POST.get("agency", "")
        agency = next((a for a in agencies if str(a.pk) == chosen), None)
        if not chosen and len(agencies) == 1:
            agency = agencies[0]
        uploaded = request.FILES.get("file")
        if agency is None:
            error = "请选择导入到哪个机关（您有导入权限的机关）"
        elif uploaded is None:
            error = "请选择要导入的文件"
        else:
            try:
                content = uploaded.read(20 * 1024 * 1024 + 1)
                batch = upload(kind, request.user, agency, uploaded.name, content)
            except FileProblem as exc:
                error = str(exc)
            else:
                messages.success(request, f"已读取“{batch.name}”的表头（第 {batch.header_row} 行）：请核对各列对应的字段，然后检查。")
                return redirect("ledger:batch", batch.pk)
    if not agencies:
        raise PermissionDenied(f"只有本机关的{'登记人员或审核人（负责人）' if kind.key == 'applications' else '审核人（负责人）'}"
                               f"才能导入{kind.label}")
    history = (ImportBatch.objects.filter(kind=kind.key, agency__in=agencies)
               .select_related("agency", "uploaded_by", "imported_by"))
    page = Paginator(history, HISTORY_PAGE).get_page(request.GET.get("page"))
    return render(request, "ledger/start.html", {
        "kind": kind, "agencies": agencies, "error": error, "page": page,
        "fields": kind.fields, "required": set(kind.required_columns),
    }, status=400 if error else 200)


def _columns(kind, batch, sample: list | None):
    fields = kind.fields
    out = []
    for index, header in enumerate(batch.headers):
        out.append({"index": index, "header": header or f"（第 {index + 1} 列，无表头）",
                    "chosen": batch.mapping.get(str(index), ""),
                    "sample": sample[index] if sample and index < len(sample) else None})
    return out, fields


@login_required
def batch(request, pk: int):
    """The mapping of the file's columns, and (once it is complete) the streamed preview."""
    kind, batch = _batch(request, pk)
    if request.method == "POST":
        if batch.state == ImportBatch.State.IMPORTED:
            return redirect("ledger:batch", batch.pk)
        chosen = {}
        for index in range(len(batch.headers)):
            key = request.POST.get(f"col-{index}", "")
            if key:
                chosen[str(index)] = key
        batch.mapping = chosen
        batch.save(update_fields=["mapping"])
        if not mapping_problems(kind, batch.headers, chosen):
            save_mapping(kind, batch.agency, request.user, batch.headers, chosen)
        return redirect(reverse("ledger:batch", args=[batch.pk]) + "#preview")
    if batch.state == ImportBatch.State.IMPORTED:
        return _imported(request, kind, batch)
    problems = mapping_problems(kind, batch.headers, batch.mapping)
    columns, fields = _columns(kind, batch, batch.sample)
    context = {"kind": kind, "batch": batch, "columns": columns, "fields": fields, "mapping_problems": problems,
               "required": set(kind.required_columns)}
    if problems:
        return render(request, "ledger/batch.html", context)
    return _stream_preview(request, kind, batch, context)


STREAM_MARKER = "<!--gongkai:problems-->"


def _stream_preview(request, kind, batch, context, refused: str | None = None):
    """The batch page with its preview: the page up to the problems' table, then the problems
    chunk by chunk as they are found, then the summary and the rest of the page."""
    page = render_to_string("ledger/batch.html", {**context, "preview": True, "refused": refused,
                                                  "marker": STREAM_MARKER}, request)
    before, after = page.split(STREAM_MARKER, 1)
    rows = get_template("ledger/preview_rows.html")
    tail = get_template("ledger/preview_tail.html")

    def pages():
        yield before
        shown, outcome = 0, None
        try:
            for outcome, found in check_chunks(kind, request.user, batch):
                room = SHOWN_PROBLEMS - shown
                if found and room > 0:
                    yield rows.render({"problems": found[:room]}, request)
                    shown += min(len(found), room)
        except FileProblem as exc:
            yield tail.render({**context, "file_problem": str(exc)}, request)
        else:
            yield tail.render({**context, "outcome": outcome, "shown": shown}, request)
        yield after

    response = StreamingHttpResponse(pages(), content_type="text/html; charset=utf-8",
                                     status=400 if refused else 200)
    response["X-Accel-Buffering"] = "no"  # a proxy passes the first problems on at once
    return response


def _imported(request, kind, batch):
    records = (ImportedRow.objects.filter(batch=batch).select_related("application", "item")
               .order_by("row_number"))
    total = records.count()
    return render(request, "ledger/imported.html", {
        "kind": kind, "batch": batch, "records": records[:CREATED_SHOWN], "total": total,
        "more": max(0, total - CREATED_SHOWN),
    })


@login_required
@require_POST
def run(request, pk: int):
    """Import the batch: every row, or nothing with the problems shown."""
    kind, batch = _batch(request, pk)
    try:
        run_import(kind, request.user, batch, confirmed=request.POST.get("confirm", ""))
    except ImportRefused as refusal:
        columns, fields = _columns(kind, batch, batch.sample)
        context = {"kind": kind, "batch": batch, "columns": columns, "fields": fields,
                   "mapping_problems": mapping_problems(kind, batch.headers, batch.mapping),
                   "required": set(kind.required_columns)}
        if context["mapping_problems"] or refusal.outcome.rows == 0:
            messages.error(request, refusal.message)
            return redirect("ledger:batch", batch.pk)
        return _stream_preview(request, kind, batch, context, refused=refusal.message)
    except FileProblem as exc:
        messages.error(request, str(exc))
        return redirect("ledger:batch", batch.pk)
    batch.refresh_from_db()
    messages.success(request, f"已导入“{batch.name}”的全部 {batch.rows} 行")
    return redirect("ledger:batch", batch.pk)


__all__ = ["start", "batch", "run"]
