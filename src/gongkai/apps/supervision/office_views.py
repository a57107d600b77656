"""The supervising office's pages of action: the queue of submitted reports (return / accept), the
督办 of overdue applications, the Excel export and the bulletin; and the agency's side: submitting
its report and answering a 督办. Thin: the logic is in ``submissions``, ``notices`` and ``region``."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.desk.access import visible_application
from gongkai.apps.reports.models import AnnualReport

from . import notices as notice_service
from . import region as regional
from . import submissions as submission_service
from .office_forms import BulletinForm, ExportForm, NoticeForm
from .models import Submission, SupervisionNotice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECENT = 50


def _regions(user) -> list[Agency]:
    regions = list(permissions.supervised_regions(user))
    if not regions:
        raise PermissionDenied("只有政务公开工作主管部门的监督人员才能使用监督检查页面")
    return regions


def _region(request, regions: list[Agency]) -> Agency:
    """The region chosen with ``?region=`` (one of the user's), else the first."""
    wanted = request.GET.get("region") or request.POST.get("region")
    if wanted and not wanted.isdigit():
        raise Http404("没有这个监督范围")
    if wanted:
        for region in regions:
            if str(region.pk) == wanted:
                return region
        raise Http404("没有这个监督范围")
    return regions[0]


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# ---------------------------------------------------------------- submissions (报送)


@login_required
@require_POST
def submit(request, pk: int, year: int):
    """An approver of the agency submits its report of ``year`` (from the report page)."""
    agency = get_object_or_404(Agency, pk=pk)
    if not permissions.visible_agencies(request.user).filter(pk=agency.pk).exists():
        raise Http404("没有这个机关")
    annual = AnnualReport.objects.filter(agency=agency, year=year).first()
    if annual is None:
        messages.error(request, f"尚未编写{year}年度报告，不能报送")
        return redirect("reports:year", pk=pk, year=year)
    try:
        sub = submission_service.submit(annual, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已报送{year}年度报告（第{sub.number}次报送），待上级政务公开工作主管部门审查")
    return redirect("reports:year", pk=pk, year=year)


@login_required
def submissions(request):
    regions = _regions(request.user)
    pending = list(submission_service.queue(request.user))
    decided = list(submission_service.queue(request.user, (Submission.State.RETURNED, Submission.State.ACCEPTED))
                   .order_by("-decided_at", "-pk")[:RECENT])
    return render(request, "supervision/submissions.html", {"regions": regions, "region": _region(request, regions),
                                                            "pending": pending, "decided": decided})


@login_required
@require_POST
def decide(request, pk: int, decision: str):
    sub = get_object_or_404(Submission.objects.select_related("report__agency"), pk=pk)
    if not permissions.may_supervise(request.user, sub.report.agency):
        raise Http404("没有这次报送")
    comments = request.POST.get("comments", "")
    try:
        if decision == "return":
            submission_service.return_submission(sub, request.user, comments)
            messages.success(request, f"已退回{sub.report}（第{sub.number}次报送）")
        elif decision == "accept":
            submission_service.accept(sub, request.user, comments)
            messages.success(request, f"已通过{sub.report}（第{sub.number}次报送），报告已收入本地区年度报告")
        else:
            raise Http404("没有这个审查结果")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("supervision:submissions")


# ---------------------------------------------------------------- 督办 notices


@login_required
def notices(request):
    regions = _regions(request.user)
    region = _region(request, regions)
    running = {n.application_id for n in SupervisionNotice.objects.filter(
        region=region, state__in=notice_service.RUNNING).only("application_id")}
    due = notice_service.default_answer_due()
    overdue = [(a, None if a.pk in running else NoticeForm(initial={
        "text": notice_service.default_text(a, due), "answer_due_on": due}, prefix=f"a{a.pk}"))
        for a in notice_service.overdue(region)[:200]]
    return render(request, "supervision/notices.html", {
        "regions": regions, "region": region, "overdue": overdue,
        "sent": notice_service.for_region(request.user).filter(region=region)[:200]})


@login_required
@require_POST
def send_notice(request, pk: int):
    application = visible_application(request.user, pk)
    form = NoticeForm(request.POST, prefix=f"a{application.pk}")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            notice_service.send(request.user, application, form.cleaned_data["text"],
                                form.cleaned_data["answer_due_on"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"已向{application.agency}发出督办：申请 {application.number}")
    region = permissions.region_of(request.user, application.agency)
    return redirect(f"{reverse('supervision:notices')}?region={region.pk}" if region else reverse("supervision:notices"))


def _notice(user, pk: int) -> SupervisionNotice:
    """A notice its agency's staff or its region's supervisors may see; 404 for anyone else."""
    notice = get_object_or_404(SupervisionNotice.objects.select_related("agency", "application"), pk=pk)
    if not permissions.visible_agencies(user).filter(pk=notice.agency_id).exists():
        raise Http404("没有这个督办")
    return notice


@login_required
@require_POST
def answer_notice(request, pk: int):
    notice = _notice(request.user, pk)
    try:
        notice_service.answer(request.user, notice, request.POST.get("answer", ""))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已答复督办")
    return redirect("desk:case", pk=notice.application_id)


@login_required
@require_POST
def close_notice(request, pk: int):
    notice = _notice(request.user, pk)
    try:
        notice_service.close(request.user, notice)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"督办（申请 {notice.application.number}）已办结")
    return redirect(f"{reverse('supervision:notices')}?region={notice.region_id}")


# ---------------------------------------------------------------- export and bulletin


@login_required
def export(request):
    regions = _regions(request.user)
    region = _region(request, regions)
    form = ExportForm(request.GET if "year" in request.GET else None, regions=regions, initial={"region": region})
    if form.is_bound and form.is_valid():
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        return _attachment(regional.export(region, year), XLSX, f"{region.name}{year}年度年度报告统计表.xlsx")
    return render(request, "supervision/export.html", {"regions": regions, "region": region, "form": form})


@login_required
def bulletin(request):
    regions = _regions(request.user)
    region = _region(request, regions)
    form = BulletinForm(request.GET if "year" in request.GET else None, regions=regions, initial={"region": region})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        region, year = data["region"], data["year"]
        docx = regional.bulletin(region, year, data["issuer"], data["on"] or date.today())
        return _attachment(docx, DOCX, f"关于{year}年度政府信息公开工作年度报告检查情况的通报（{region.name}，草稿）.docx")
    return render(request, "supervision/bulletin.html", {"regions": regions, "region": region, "form": form})
