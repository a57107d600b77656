"""The letters pages: issue and download letters, an agency's templates and settings.

Views are thin: permissions, the rules and the files are in ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import Application
from gongkai.core.casework import letters
from gongkai.core.report.errors import ReportReadError

from gongkai.web.links import link_setup

from . import services
from .forms import SettingsForm, TemplateForm, sequence_field
from .models import IssuedLetter, LetterSettings

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def _docx_response(letter: IssuedLetter) -> HttpResponse:
    response = HttpResponse(bytes(letter.content), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, letter.filename)
    response["X-Content-SHA256"] = letter.sha256
    return response


def _visible_agency(user, agency_pk: int) -> Agency:
    agency = get_object_or_404(Agency, pk=agency_pk)
    if not services.can_view(user, agency):
        raise Http404("没有该机关")
    return agency


def _back(request) -> str | None:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return None


@login_required
@require_GET
def index(request):
    agencies = visible_agencies(request.user).order_by("order_path")
    rows = [(a, services.can_manage(request.user, a)) for a in agencies]
    return render(request, "letters/index.html", {"rows": rows})


@login_required
@require_POST
def issue(request, application_pk: int, kind: str):
    application = get_object_or_404(Application.objects.select_related("agency"), pk=application_pk)
    if not services.can_view(request.user, application.agency):
        raise Http404("没有该申请")
    if kind not in letters.KINDS:
        raise Http404("没有这种文书")
    token = request.POST.get("token", "")[:64]
    repeated = bool(token) and IssuedLetter.objects.filter(application=application, request_token=token).exists()
    try:
        letter = services.issue_letter(request.user, application, kind,
                                       third_party=request.POST.get("third_party", ""), request_token=token)
    except letters.LetterError as error:
        # What is missing is set on the settings or template page, or registered on the case page.
        message = link_setup(str(error), application.agency,
                             **{"在案件中登记": reverse("desk:case", args=[application.pk])})
        back = _back(request)
        if back:
            messages.error(request, message)
            return redirect(back)
        return render(request, "letters/error.html", {"message": message, "application": application}, status=400)
    # Shown on the next page (the response itself is the file): what was made, or that a second
    # click of the same form made nothing new.
    if repeated:
        messages.info(request, f"{letter.title}（{letter.number}）已经生成过，这次没有重复生成，下载的是同一份文书。")
    else:
        messages.success(request, f"已生成{letter.title}，文号 {letter.number}；可在本案的“文书”中再次下载。")
    return _docx_response(letter)


@login_required
@require_GET
def download(request, pk: int):
    letter = get_object_or_404(services.letters_visible_to(request.user), pk=pk)
    return _docx_response(letter)


@login_required
@require_GET
def download_pdf(request, pk: int):
    letter = get_object_or_404(services.letters_visible_to(request.user), pk=pk)
    try:
        content = services.letter_pdf(letter)
    except ReportReadError as error:
        return render(request, "letters/error.html", {"message": f"无法生成 PDF：{error}",
                                                      "application": letter.application}, status=500)
    response = HttpResponse(content, content_type=PDF_TYPE)
    name = letter.filename.removesuffix(".docx") + ".pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_GET
def templates(request, agency_pk: int):
    agency = _visible_agency(request.user, agency_pk)
    return render(request, "letters/templates.html", {
        "agency": agency, "rows": services.template_rows(agency), "can_manage": services.can_manage(request.user, agency),
    })


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, agency_pk: int, kind: str):
    agency = _visible_agency(request.user, agency_pk)
    if kind not in letters.KINDS:
        raise Http404("没有这种文书")
    letter_kind = letters.KINDS[kind]
    manage = services.can_manage(request.user, agency)
    current = services.current_template(agency, kind)
    title, body = (current.title, current.body) if current else letter_kind.defaults()
    form = TemplateForm(initial={"title": title, "body": body})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(f"只有“{agency}”的审核人员（负责人）才能修改文书模板")
        action = request.POST.get("action", "save")
        form = TemplateForm(request.POST)
        if action == "default":
            title, body = letter_kind.defaults()
            form = TemplateForm(initial={"title": title, "body": body})
        elif form.is_valid():
            title, body = form.cleaned_data["title"], form.cleaned_data["body"]
            if action == "save":
                try:
                    saved = services.save_template(request.user, agency, kind, title, body, form.cleaned_data["note"])
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error("body", message)
                else:
                    messages.success(request, f"已保存{letter_kind.label}第{saved.version}版")
                    return redirect(reverse("letters:template_edit", args=[agency.pk, kind]))
    used = letters.placeholders_in(title + "\n" + body)
    return render(request, "letters/template_edit.html", {
        "agency": agency, "kind": letter_kind, "form": form, "can_manage": manage, "current": current,
        "history": services.template_history(agency, kind),
        "preview_title": letters.segments(title),
        "preview": [letters.segments(line) for line in body.splitlines() if line.strip()],
        "placeholders": [(name, meaning, name in used) for name, meaning in letters.PLACEHOLDERS.items()
                         if name in letter_kind.placeholders],
        "unknown": [name for name in used if name not in letter_kind.placeholders],
        "date_from": letters.LETTER_DATES[letter_kind.date_from],
    })


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, agency_pk: int):
    agency = _visible_agency(request.user, agency_pk)
    if not services.can_manage(request.user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人员（负责人）才能修改文书设置")
    current = LetterSettings.objects.filter(agency=agency).first()
    form = SettingsForm(request.POST or None, instance=current or LetterSettings(agency=agency))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                reason = form.cleaned_data.get("reason") or ""
                services.save_settings(request.user, agency, reason=reason, **form.settings_values())
                services.set_next_numbers(request.user, agency, form.sequence_year, form.sequence_values(), reason)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                name = field if field in form.fields else sequence_field(field)
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, "文书设置已保存")
            return redirect(reverse("letters:settings", args=[agency.pk]))
    if request.method == "POST":
        messages.error(request, "文书设置没有保存：请按提示修改后再提交。")
    return render(request, "letters/settings.html", {
        "agency": agency, "form": form, "current": current,
        "remedy": services.remedy_settings(agency, current) if current else services.remedy_settings(agency),
        "history": services.settings_history(agency),
    }, status=400 if request.method == "POST" else 200)
