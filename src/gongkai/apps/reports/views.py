"""The year page of an agency's annual report: tables 3 and 4 from the registry, the office's
table 2 and narrative, the findings of the checks, downloads and the year's close. Thin: the
logic is in ``services`` and ``tables``."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import YearClose
from gongkai.core.report import render as rendering
from gongkai.core import standard
from gongkai.core.report.render.grid import table_grid
from gongkai.core.report.render.html import render_table

from gongkai.web.links import with_links, year_links

from . import services
from .forms import NarrativeForm, Table2Form

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _agency(user, pk: int) -> Agency:
    agency = get_object_or_404(Agency, pk=pk)
    if not visible_agencies(user).filter(pk=agency.pk).exists():
        raise Http404("没有这个机关")
    return agency


def _year_or_404(year: int) -> int:
    """A report year the registry can have: 2000 up to this year (a URL may say any number)."""
    if not 2000 <= year <= date.today().year:
        raise Http404("没有这个年度")
    return year


def _html(table) -> str:
    return mark_safe(render_table(table_grid(table)))  # noqa: S308 - render_table escapes every text


@login_required
def index(request):
    agencies = list(visible_agencies(request.user).order_by("order_path"))
    rows = [(a, services.report_years(a)) for a in agencies]
    return render(request, "reports/index.html", {"rows": rows})


@login_required
def year_page(request, pk: int, year: int, table2_form=None, narrative_form=None):
    agency = _agency(request.user, pk)
    _year_or_404(year)
    can_edit = services.can_edit(request.user, agency)
    annual = services.report_for(agency, year)
    assembled = services.assemble(agency, year)
    tables = assembled.tables
    subtree = None
    if services.supervises(request.user, agency) and agency.children.exists():
        scope = agency.subtree()
        sub = services.year_tables(scope, year)
        closed = set(YearClose.objects.filter(agency__in=scope, year=year).values_list("agency_id", flat=True))
        subtree = {"applications": _html(sub.applications), "review_litigation": _html(sub.review_litigation),
                   "agencies": [(a, a.pk in closed) for a in scope.order_by("order_path")]}
    if table2_form is None:
        table2_form = Table2Form(initial=Table2Form.initial_from(annual.table2))
    if narrative_form is None:
        narrative_form = NarrativeForm(initial={**annual.sections, "published_on": annual.published_on,
                                                "website": annual.website, "address": annual.address,
                                                "telephone": annual.telephone})
    versions = services.versions(agency, year)
    unpublished = tables.closed is not None and services.unpublished_changes(annual, versions[0] if versions else None)
    context = {
        "agency": agency, "year": year, "annual": annual, "tables": tables,
        "versions": versions, "unpublished": unpublished,
        "can_publish": unpublished and services.can_close(request.user, agency),
        "applications_html": _html(tables.applications), "review_html": _html(tables.review_litigation),
        "subtree": subtree, "findings": assembled.findings, "errors": assembled.errors,
        "catalogue_table2": [(standard.ACTIVE.row(k), v) for k, v in assembled.catalogue_table2.items()],
        "table2_differences": assembled.table2_differences, "deadline": services.report_deadline(agency, year),
        "fee_yuan": assembled.fee_yuan, "table2_form": table2_form, "narrative_form": narrative_form,
        "can_edit": can_edit, "can_close": services.can_close(request.user, agency) and tables.closed is None
        and year < date.today().year,
        "revisions": annual.revisions.select_related("user")[:50] if annual.pk else [],
        "formats": [f for f in rendering.FORMATS if f in CONTENT_TYPES], "today_year": date.today().year,
    }
    return render(request, "reports/year.html", context)


def _writable(request, pk: int) -> Agency:
    agency = _agency(request.user, pk)
    if not services.can_edit(request.user, agency):
        raise PermissionDenied("只有本机关的承办或审核人员才能编写年度报告")
    return agency


@login_required
@require_POST
def save_table2(request, pk: int, year: int):
    _year_or_404(year)
    agency = _writable(request, pk)
    form = Table2Form(request.POST)
    if form.is_valid():
        try:
            services.save_table2(request.user, agency, year, form.values())
        except ValidationError as exc:
            for where, errors in exc.message_dict.items():
                form.add_error(where.replace(".", "__"), errors)
        else:
            messages.success(request, "表二已保存")
            return redirect("reports:year", pk=pk, year=year)
    return year_page(request, pk, year, table2_form=form)


@login_required
@require_POST
def save_narrative(request, pk: int, year: int):
    _year_or_404(year)
    agency = _writable(request, pk)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_narrative(request.user, agency, year, form.sections(), data["published_on"],
                                    data["website"], data["address"], data["telephone"])
        except ValidationError as exc:
            for where, errors in exc.message_dict.items():
                form.add_error(where if where in form.fields else None, errors)
        else:
            messages.success(request, "正文已保存")
            return redirect("reports:year", pk=pk, year=year)
    return year_page(request, pk, year, narrative_form=form)


@login_required
@require_POST
def close(request, pk: int, year: int):
    _year_or_404(year)
    agency = _agency(request.user, pk)
    try:
        services.close_year(request.user, agency, year)
    except ValidationError as exc:
        text = "；".join(exc.messages)
        # "请先结转……此前的年度：2024年、2025年": each year links to its page, where it is closed.
        earlier = {k: v for k, v in year_links(text, lambda y: reverse("reports:year", args=[pk, y])).items()
                   if k != f"{year}年"}
        messages.error(request, with_links(text, earlier))
    else:
        messages.success(request, f"{year}年度已结转，表三、表四已固定，该年度的台账不再变更")
    return redirect("reports:year", pk=pk, year=year)


@login_required
@require_POST
def publish(request, pk: int, year: int):
    """An approver publishes the report's working copy as a new version (with the reason)."""
    agency = _agency(request.user, pk)
    try:
        version = services.publish_report(request.user, agency, year, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已发布{year}年度报告第{version.number}版，公开页面即日起显示该版本")
    return redirect("reports:year", pk=pk, year=year)


@login_required
def download(request, pk: int, year: int, fmt: str):
    _year_or_404(year)
    agency = _agency(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("不支持的格式")
    assembled = services.assemble(agency, year)
    try:
        data = services.render_report(assembled, fmt)
    except services.ReportRefused as refused:
        return render(request, "reports/refused.html", {"agency": agency, "year": year, "errors": refused.findings},
                      status=409)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"{agency.name}{year}年政府信息公开工作年度报告{rendering.suffix(fmt)}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

