"""Public pages of online applications: the form, the receipt, the tracking page with its
downloads, and the recovery of a lost tracking code.

Thin: the form checks the input, ``throttle`` counts per address, ``apply_intake`` registers
(flagging an applicant's applications beyond the day's usual number, never refusing them), ``tracking``
reads the status. The tracking code is shown once, on the receipt. The server keeps only its hash: the code travels
to the receipt in a signed cookie of the submitting browser (``RECEIPT_COOKIE``, HttpOnly, limited
to the receipt's path), good for ``RECEIPT_SECONDS`` (so that a reload or a print shows it again)
— never in the session table, never in a URL; a look-up is a POST, so the code stays out of
addresses and server logs.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gongkai.apps.cases.models import Application, TransitionError
from gongkai.apps.cases.privacy import retention_years
from gongkai.apps.letters.services import letter_pdf
from gongkai.core.report.errors import ReportReadError

from . import downloads, recovery, throttle, tracking
from .apply_intake import intake_agencies, submit_online_application
from .forms_apply import OnlineApplicationForm, RecoverForm, TrackForm
from .models import DownloadRecord, OnlineIntake, OnlineSubmission

log = logging.getLogger(__name__)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
    return render(request, "online/apply.html", {"form": form, "notices": notices, "section": "apply",
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
    """The tracking page: a code and a second factor → where the application stands (and, for an
    applicant who gets the reply online, its files). A successful look-up opens a tracking session
    (``downloads.open_session``), so that the page and its downloads work until it ends."""
    form = TrackForm(request.POST or None)
    found = None
    if request.method == "POST":
        try:
            throttle.hit("GONGKAI_THROTTLE_TRACK_IP", throttle.client_address(request), "查询办理进度")
            code = tracking.normalize_code(request.POST.get("code", ""))
            if code is not None:
                throttle.hit("GONGKAI_THROTTLE_TRACK_CODE", code, "查询同一查询码")
        except throttle.Throttled as error:
            return throttled(request, error)
        downloads.close_session(request)
        if form.is_valid():
            found = tracking.find(form.cleaned_data["code"], form.cleaned_data["factor"])
            if found is None:
                form.add_error(None, "未查到与该查询码和后4位相符的申请。请核对回执上的查询码和申请时填写的号码；"
                                     "多次查询不成功的，请联系受理机关。")
            else:
                request.session.cycle_key()
                downloads.open_session(request, OnlineSubmission.objects.get(application=found))
                form = TrackForm()
    else:
        found = downloads.session_case(request)
    return render(request, "online/track.html", track_context(form, found),
                  status=404 if form.is_bound and found is None else 200)


def track_context(form, found: Application | None) -> dict:
    context = {"form": form, "application": found, "status": None, "contact": "", "applicant": "", "section": "track"}
    if found is None:
        return context
    intake = OnlineIntake.objects.filter(agency=found.agency).first()
    available = downloads.availability(found)
    context.update({
        "status": tracking.status_of(found), "contact": intake.contact if intake else "",
        "applicant": tracking.mask_name(found.applicant_name), "downloads": available,
        "letters": downloads.applicant_letters(found) if available and available.open else [],
        "documents": downloads.released_documents(found) if available and available.open else [],
    })
    return context


@require_POST
def track_end(request):
    """End the tracking session (a shared computer)."""
    downloads.close_session(request)
    return redirect("online:track")


def refused(request, message: str, status: int):
    return render(request, "online/download_refused.html", {"message": message}, status=status)


def _download(request, pk: int, kind: str):
    """The case of the tracking session and its file ``pk`` of ``kind``; or the refusal page."""
    try:
        throttle.hit("GONGKAI_THROTTLE_DOWNLOAD_IP", throttle.client_address(request), "下载文件")
    except throttle.Throttled as error:
        return None, None, throttled(request, error)
    application = downloads.session_case(request)
    if application is None:
        return None, None, refused(request, "查询已结束或已超时。请重新输入查询码和后4位，查询后再下载。", 403)
    files = (downloads.applicant_letters(application) if kind == DownloadRecord.Kind.LETTER
             else list(downloads.released_documents(application)))
    item = next((f for f in files if f.pk == pk), None)
    if item is None:  # not a file of this case (or not one for the applicant): as if it did not exist
        raise Http404("没有这个文件")
    available = downloads.availability(application)
    if available is None:
        return None, None, refused(request, "本申请未选择网上获取，答复书和提供的信息不在网上提供下载。", 403)
    if not available.open:
        return None, None, refused(request, available.message, 410)
    return application, item, None


@never_cache
@require_GET
def download_letter(request, pk: int, fmt: str):
    """A letter of the tracking session's case, as DOCX or PDF; recorded."""
    if fmt not in ("docx", "pdf"):
        raise Http404("没有这种文件格式")
    application, letter, refusal = _download(request, pk, DownloadRecord.Kind.LETTER)
    if refusal is not None:
        return refusal
    from gongkai.apps.letters.models import IssuedLetter

    letter = IssuedLetter.objects.get(pk=letter.pk)  # with its bytes
    if fmt == "pdf":
        try:
            content, content_type = letter_pdf(letter), "application/pdf"
        except ReportReadError:
            log.exception("PDF of letter %s for the tracking page failed", letter.pk)
            return refused(request, "暂时无法生成 PDF 文件，请下载 Word 文件，或稍后再试。", 500)
        name = letter.filename.removesuffix(".docx") + ".pdf"
    else:
        content, content_type, name = bytes(letter.content), DOCX_TYPE, letter.filename
    downloads.record(request, application, DownloadRecord.Kind.LETTER, name, letter=letter)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@never_cache
@require_GET
def download_document(request, pk: int):
    """A file staff marked as provided to the applicant, of the tracking session's case; recorded."""
    application, attachment, refusal = _download(request, pk, DownloadRecord.Kind.DOCUMENT)
    if refusal is not None:
        return refusal
    downloads.record(request, application, DownloadRecord.Kind.DOCUMENT, attachment.name, attachment=attachment)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@never_cache
def recover(request):
    """Recover a lost tracking code: a new one goes to the contact given when applying. The answer
    is the same whether or not an application matched."""
    form = RecoverForm(request.POST or None)
    done = False
    if request.method == "POST":
        try:
            throttle.hit("GONGKAI_THROTTLE_RECOVER_IP", throttle.client_address(request), "找回查询码")
            if form.is_valid():
                contact = form.cleaned_data["contact"]
                throttle.hit("GONGKAI_THROTTLE_RECOVER_CONTACT", f"{contact.channel}:{contact.address}",
                             "为同一联系方式找回查询码")
        except throttle.Throttled as error:
            return throttled(request, error)
        if form.is_valid():
            data = form.cleaned_data
            recovery.recover(data["agency"], data["number"], data["submitted_on"], data["contact"])
            done = True
    return render(request, "online/recover.html", {"form": form, "done": done, "section": "recover"},
                  status=400 if form.is_bound and not form.is_valid() else 200)
