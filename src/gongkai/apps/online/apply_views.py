"""Public pages of online applications: the form, the receipt, the tracking page.

Thin: the form checks the input, ``throttle`` counts per address, ``apply_intake`` registers
(flagging an applicant's applications beyond the day's usual number, never refusing them), ``tracking``
reads the status. The tracking code is shown once, on the receipt. The server keeps only its hash: the code travels
to the receipt in a signed cookie of the submitting browser (``RECEIPT_COOKIE``, HttpOnly, limited
to the receipt's path), good for ``RECEIPT_SECONDS`` (so that a reload or a print shows it again)
— never in the session table, never in a URL; a look-up is a POST, so the code stays out of
addresses and server logs.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from gongkai.apps.cases.models import Application, TransitionError
from gongkai.apps.cases.privacy import retention_years

from . import throttle, tracking
from .apply_intake import intake_agencies, submit_online_application
from .forms_apply import OnlineApplicationForm, TrackForm
from .models import OnlineIntake

RECEIPT_COOKIE = "gongkai_receipt"
RECEIPT_SALT = "gongkai.portal.receipt"
RECEIPT_SECONDS = 3600
# The registry's error keys that name a different field of the public form.
FIELD_OF_ERROR = {"file": "attachments"}


def throttled(request, error: throttle.Throttled):
    minutes = max(1, -(-error.retry_after // 60))
    response = render(request, "online/apply_throttled.html", {"what": error.what, "minutes": minutes}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@never_cache
def apply(request):
    """The application form (条例 Art. 29); a valid one is registered and the receipt follows."""
    form = OnlineApplicationForm(request.POST or None, request.FILES or None)
    address = throttle.client_address(request)
    if request.method == "POST":
        try:
            if form.is_spam:
                throttle.hit("GONGKAI_THROTTLE_APPLY_IP", address, "提交申请")
                return render(request, "online/apply_rejected.html", status=400)
            if form.is_valid():
                throttle.hit("GONGKAI_THROTTLE_APPLY_IP", address, "提交申请")
                receipt = submit_online_application(form.cleaned_data["agency"], form.uploaded_files(),
                                                    **form.registry_fields())
                response = redirect("online:apply_receipt")
                response.set_cookie(RECEIPT_COOKIE, signing.dumps([receipt.application.pk, receipt.code], salt=RECEIPT_SALT),
                                    max_age=RECEIPT_SECONDS, path=reverse("online:apply_receipt"), httponly=True,
                                    secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
                return response
            # A form with mistakes counts against the address too: guessing costs submissions.
            throttle.hit("GONGKAI_THROTTLE_APPLY_IP", address, "提交申请")
        except throttle.Throttled as error:
            return throttled(request, error)
        except ValidationError as error:
            for name, messages in (error.message_dict if hasattr(error, "error_dict") else {None: error.messages}).items():
                form.add_error(FIELD_OF_ERROR.get(name, name if name in form.fields else None), messages)
        except TransitionError as error:
            form.add_error(None, str(error))
    notices = OnlineIntake.objects.filter(agency__in=intake_agencies()).exclude(notice="").select_related("agency")
    return render(request, "online/apply.html", {"form": form, "notices": notices,
                                                 "open": form.fields["agency"].queryset.exists(),
                                                 "retention_years": retention_years()},
                  status=400 if form.is_bound else 200)


@never_cache
def receipt(request):
    """The receipt of the application just submitted in this browser (for an hour after it)."""
    try:
        pk, code = signing.loads(request.COOKIES.get(RECEIPT_COOKIE, ""), salt=RECEIPT_SALT, max_age=RECEIPT_SECONDS)
        application = Application.objects.select_related("agency").get(pk=pk)
    except (signing.BadSignature, ValueError, TypeError, Application.DoesNotExist):
        response = render(request, "online/apply_receipt.html", {"receipt": None}, status=404)
        response.delete_cookie(RECEIPT_COOKIE, path=reverse("online:apply_receipt"))
        return response
    intake = OnlineIntake.objects.filter(agency=application.agency).first()
    return render(request, "online/apply_receipt.html", {
        "receipt": application, "code": tracking.show_code(code), "lines": tracking.receipt_lines(application),
        "contact": intake.contact if intake else "", "applicant": tracking.mask_name(application.applicant_name),
    })


@never_cache
def track(request):
    """The tracking page: a code and a second factor → where the application stands."""
    form = TrackForm(request.POST or None)
    found = status = None
    if request.method == "POST":
        try:
            throttle.hit("GONGKAI_THROTTLE_TRACK_IP", throttle.client_address(request), "查询办理进度")
            code = tracking.normalize_code(request.POST.get("code", ""))
            if code is not None:
                throttle.hit("GONGKAI_THROTTLE_TRACK_CODE", code, "查询同一查询码")
        except throttle.Throttled as error:
            return throttled(request, error)
        if form.is_valid():
            found = tracking.find(form.cleaned_data["code"], form.cleaned_data["factor"])
            if found is None:
                form.add_error(None, "未查到与该查询码和后4位相符的申请。请核对回执上的查询码和申请时填写的号码；"
                                     "多次查询不成功的，请联系受理机关。")
            else:
                status = tracking.status_of(found)
    intake = OnlineIntake.objects.filter(agency=found.agency).first() if found else None
    return render(request, "online/track.html", {
        "form": form, "application": found, "status": status, "contact": intake.contact if intake else "",
        "applicant": tracking.mask_name(found.applicant_name) if found else "",
    }, status=404 if form.is_bound and found is None else 200)
