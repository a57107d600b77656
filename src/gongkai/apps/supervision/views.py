"""The supervising office's pages for collecting reports: upload, collect from web addresses,
follow a job, the region's collected reports, one report's reading and findings. Only a
supervisor of the region's agency (``Action.SUPERVISE``). Thin: the work is in ``jobs``,
``intake`` and the queue's tasks."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import Action, agencies_where, require
from gongkai.core.report.model import report_from_json
from gongkai.core.report.render.grid import table_grid
from gongkai.core.report.render.html import render_table

from .forms import AssignForm, CollectForm, UploadForm
from .intake import recheck_inputs, severity_counts, upload_inputs
from . import figures, jobs
from .jobs import Input, start_job
from .models import CollectedReport, Job, JobItem

NOT_SUPERVISOR = "只有本地区的上级主管（政务公开办）可以收集、核对各机关的年度报告"
CONTENT_TYPES = {
    "txt": "text/plain; charset=utf-8", "pdf": "application/pdf", "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword", "rtf": "application/rtf", "odt": "application/vnd.oasis.opendocument.text",
}


def _region(user, pk: int) -> Agency:
    region = get_object_or_404(Agency, pk=pk)
    require(user, region, Action.SUPERVISE, NOT_SUPERVISOR)
    return region


def _posted(request, files: bool = False) -> tuple:
    """A form's data: what was posted (an empty post too), else nothing (an unbound form)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


@login_required
def index(request):
    regions = list(agencies_where(request.user, Action.SUPERVISE).order_by("order_path"))
    if not regions:
        raise PermissionDenied(NOT_SUPERVISOR)
    if len(regions) == 1:
        return redirect("supervision:region", regions[0].pk)
    return render(request, "supervision/index.html", {"regions": regions})


@login_required
def reports(request, pk: int):
    region = _region(request.user, pk)
    rows = CollectedReport.objects.filter(region=region).select_related("agency").defer("data", "report")
    year, status = request.GET.get("year", ""), request.GET.get("status", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    if status == "unmatched":
        rows = rows.filter(agency__isnull=True, status=CollectedReport.Status.READ)
    elif status in CollectedReport.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("agency__order_path", "-year", "-received_at", "-pk"), 100).get_page(request.GET.get("page"))
    for row in page:
        row.counts = severity_counts(row.findings or [])
    years = (CollectedReport.objects.filter(region=region, year__isnull=False).order_by("-year")
             .values_list("year", flat=True).distinct())
    totals = dict(CollectedReport.objects.filter(region=region).order_by().values_list("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    unmatched = CollectedReport.objects.filter(region=region, agency__isnull=True,
                                               status=CollectedReport.Status.READ).count()
    return render(request, "supervision/reports.html", {
        "region": region, "page": page, "years": years, "year": year, "status": status,
        "query": urlencode({k: v for k, v in (("year", year), ("status", status)) if v}),
        "totals": totals, "unmatched": unmatched, "jobs": Job.objects.filter(region=region)[:10],
    })


@login_required
def upload(request, pk: int):
    region = _region(request.user, pk)
    form = UploadForm(*_posted(request, files=True), region=region)
    if request.method == "POST" and form.is_valid():
        inputs = list(upload_inputs(form.cleaned_data["files"]))
        if not inputs:
            form.add_error("files", "压缩包中没有可读取的报告文件（支持的格式见下方说明）")
        else:
            job = start_job(region, Job.Kind.READ, form.hints(), request.user, inputs)
            messages.success(request, f"已收到 {job.total} 个文件，正在后台读取和核对。")
            return redirect("supervision:job", job.pk)
    return render(request, "supervision/upload.html", {"region": region, "form": form}, status=400 if form.errors else 200)


@login_required
def collect(request, pk: int):
    region = _region(request.user, pk)
    form = CollectForm(*_posted(request), region=region)
    if request.method == "POST" and form.is_valid():
        job = start_job(region, Job.Kind.COLLECT, form.hints(), request.user,
                        [Input(url) for url in form.cleaned_data["addresses"]])
        messages.success(request, f"已登记 {job.total} 个网址，正在后台逐个采集（同一网站的网址依次下载）。")
        return redirect("supervision:job", job.pk)
    return render(request, "supervision/collect.html", {"region": region, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def recheck(request, pk: int):
    region = _region(request.user, pk)
    job = start_job(region, Job.Kind.RECHECK, {}, request.user, recheck_inputs(region))
    messages.success(request, f"正在按现行规则重新读取、核对本地区已收取的 {job.total} 份报告。")
    return redirect("supervision:job", job.pk)


@login_required
def job(request, pk: int):
    job = get_object_or_404(Job.objects.select_related("region", "created_by"), pk=pk)
    require(request.user, job.region, Action.SUPERVISE, NOT_SUPERVISOR)
    items = job.items.select_related("collected", "collected__agency").defer("data", "collected__data",
                                                                             "collected__report")
    status = request.GET.get("status", "")
    if status in JobItem.Status.values:
        items = items.filter(status=status)
    page = Paginator(items.order_by("position"), 200).get_page(request.GET.get("page"))
    counts = dict(job.items.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    running = job.state in (Job.State.QUEUED, Job.State.RUNNING)
    return render(request, "supervision/job.html", {
        "job": job, "region": job.region, "page": page, "running": running, "status": status,
        "query": urlencode({"status": status} if status else {}),
        "counts": [(value, label, counts.get(value, 0)) for value, label in JobItem.Status.choices],
    })


@login_required
@require_POST
def requeue(request, pk: int):
    job = get_object_or_404(Job, pk=pk)
    require(request.user, job.region, Action.SUPERVISE, NOT_SUPERVISOR)
    if jobs.requeue(job) and not job.error:
        messages.success(request, "任务已重新排队。")
    elif job.error:
        messages.error(request, job.error)
    return redirect("supervision:job", job.pk)


@login_required
def report(request, pk: int):
    row = get_object_or_404(CollectedReport.objects.select_related("region", "agency", "job", "received_by")
                            .defer("data"), pk=pk)
    require(request.user, row.region, Action.SUPERVISE, NOT_SUPERVISOR)
    form = AssignForm(*_posted(request), region=row.region,
                      initial={"agency": row.agency_id, "year": row.year})
    if request.method == "POST" and form.is_valid():
        row.agency, row.year = form.cleaned_data["agency"], form.cleaned_data["year"]
        row.save(update_fields=["agency", "year"])
        figures.queue_refresh(row.region, figures.with_next_years(row.region, [row.year]), request.user)
        messages.success(request, f"已将该报告登记为{row.agency}{row.year}年度报告，区域统计将随后更新。")
        return redirect("supervision:report", row.pk)
    tables = []
    reading = report_from_json(row.report) if row.report else None
    if reading is not None:
        for key, table in reading.tables.items():
            if table is not None:
                tables.append((key, mark_safe(render_table(table_grid(table)))))  # noqa: S308 - escapes every text
    findings = row.findings or []
    return render(request, "supervision/report.html", {
        "row": row, "region": row.region, "reading": reading, "tables": tables, "findings": findings,
        "counts": severity_counts(findings), "form": form,
        "items": JobItem.objects.filter(collected=row).select_related("job").order_by("-job__created_at")[:20],
    }, status=400 if form.errors else 200)


@login_required
def report_file(request, pk: int):
    row = get_object_or_404(CollectedReport.objects.select_related("region"), pk=pk)
    require(request.user, row.region, Action.SUPERVISE, NOT_SUPERVISOR)
    name = PurePosixPath(urlsplit(row.source).path if "://" in row.source else row.source.rsplit("!", 1)[-1]).name
    if not name or "." not in name:
        name = f"{row.agency or '报告'}{row.year or ''}.{row.fmt or 'bin'}"
    response = HttpResponse(bytes(row.data), content_type=CONTENT_TYPES.get(row.fmt, "application/octet-stream"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
