"""The region pages of the supervising office: the dashboard (``supervision:region``), agencies
side by side and one agency's years (``supervision:compare``), and the definitions
(``supervision:indicators``). They read the pre-computed ``RegionYear`` / ``RegionFigure`` rows
only (``figures.refresh_region`` writes them): a handful of indexed queries per page, the agency
list paginated and sorted in SQL. Tables carry every number; the charts add to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import Action, agencies_where, require
from gongkai.core import standard
from gongkai.core.report import indicators as ind
from gongkai.core.report.checking.findings import RULES

from . import charts
from .figures import RANKED
from .models import RegionFigure, RegionYear
from .views import NOT_SUPERVISOR

PAGE_SIZE = 100
MAX_COMPARED = 12
# sort key -> (label, model field)
SORTS: dict[str, tuple[str, str]] = {
    "name": ("机关名称", "agency__order_path"),
    **{spec.key: (spec.name, spec.key) for spec in ind.INDICATORS},
    "errors": ("错误数", "errors"),
    "warnings": ("警告数", "warnings"),
    "days_late": ("逾期天数", "days_late"),
    "outliers": ("异常指标数", "outlier_count"),
}
SHOWN = ("received", "disclosure_rate", "refusal_rate", "not_held_share", "carried_forward_rate", "reviews_per_100",
         "lawsuits_per_100", "correction_rate", "info_fee")
FILTERS: dict[str, tuple[str, dict[str, Any]]] = {
    "all": ("全部机关", {}),
    "late": ("逾期发布", {"on_time": False}),
    "failing": ("报告有错误", {"errors__gt": 0}),
    "outliers": ("有异常指标", {"outlier_count__gt": 0}),
    "missing": ("未收到报告", {"has_report": False}),
}
MATRIX_RULES = 15


def _region(request, pk: int) -> Agency:
    """The region (an agency and its subtree); only its supervising office may see its figures."""
    region = get_object_or_404(Agency, pk=pk)
    require(request.user, region, Action.SUPERVISE, NOT_SUPERVISOR)
    return region


def _year(request, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[-1] if years else None


@dataclass
class Row:
    """One agency's figures as the table shows them."""

    figure: RegionFigure
    values: dict[str, str]
    cells: list[tuple[str, str, int | None]]  # (indicator, figure as shown, rank when sorted by it)
    status: list[tuple[str, str]]  # (css class, text): the text says it, the class only adds colour
    change: str
    ranks: dict[str, int]

    @property
    def agency(self) -> Agency:
        return self.figure.agency


def _row(figure: RegionFigure, sort: str = "") -> Row:
    shown = figure.shown or {}
    values = {key: shown.get(key, "—") for key in SHOWN}
    status: list[tuple[str, str]] = []
    if not figure.has_report:
        status.append(("missing", "未收到报告"))
    else:
        if figure.on_time is False:
            status.append(("late", f"逾期{figure.days_late}天"))
        elif figure.on_time is None:
            status.append(("undated", "未写明发布日期"))
        else:
            status.append(("ok", "按期发布"))
        if figure.errors:
            status.append(("failing", f"错误{figure.errors}处"))
        if figure.warnings:
            status.append(("warning", f"警告{figure.warnings}处"))
        if figure.outlier_count:
            status.append(("outlier", f"异常指标{figure.outlier_count}项"))
    change = shown.get("received_change", "")
    ranks = figure.ranks or {}
    cells = [(key, values[key], ranks.get(key) if key == sort else None) for key in SHOWN]
    return Row(figure, values, cells, status, change, ranks)


def _query(region: Agency, **params: Any) -> str:
    """A link to the region page with these parameters (empty ones left out)."""
    return reverse("supervision:region", args=[region.pk]) + "?" + urlencode(
        {k: v for k, v in params.items() if v not in (None, "")})


def _totals_tables(totals: ind.RegionTotals) -> list[dict[str, Any]]:
    """Tables 2, 3, 4 of the sums, ready for the template (rows of labelled numbers)."""
    out = []
    for spec in standard.TABLES:
        if spec.key not in totals.sums:
            continue
        columns = list(spec.rows[0].columns) if spec.key != "active" else None
        rows = []
        for row_key, cells in totals.sums[spec.key].items():
            row = spec.row(row_key)
            if row_key == standard.SINGLE_OTHER_ROW and not any(totals.counts[spec.key][row_key].values()):
                continue
            lacking = max(totals.lacking(spec.key, row_key, c) for c in cells)
            numbers = [(c.label, ind.format_value(cells[c.key], ind.Unit.YUAN if c.decimal else ind.Unit.COUNT))
                       for c in row.columns]
            rows.append({"label": row.short_label if spec.key == "applications" else row.label,
                         "numbers": numbers, "lacking": lacking})
        out.append({"name": spec.name, "title": spec.title, "columns": [c.label for c in columns] if columns else None,
                    "rows": rows})
    return out


def _trend(years: list[RegionYear]) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    labels = [f"{y.year}年" for y in years]
    table = []
    received, late, failing, rates = [], [], [], {k: [] for k in ("disclosure_rate", "not_held_share",
                                                                   "correction_rate")}
    for y in years:
        totals = ind.RegionTotals.from_json(y.totals) if y.totals else ind.RegionTotals()
        r = totals.value("applications", "new_received", "total")
        received.append(int(r))
        late.append(y.late)
        failing.append(y.failing)
        row = {"year": y.year, "reports": y.reports, "agencies": y.agencies, "received": int(r), "late": y.late,
               "failing": y.failing, "rates": []}
        for key in rates:
            v = ind.Value.from_json(key, y.indicators[key]) if key in y.indicators else None
            rates[key].append(float(v.value) if v is not None and v.ok else None)
            row["rates"].append(v.display() if v is not None else "—")
        table.append(row)
    counts = charts.line_chart("历年新收申请、逾期和有错误的报告", labels,
                               [("新收申请合计（件，左轴）", received), ("逾期发布的机关（个，右轴）", late),
                                ("报告有错误的机关（个，右轴）", failing)], "件", right=(1, 2), right_unit="个")
    rate_chart = charts.line_chart("历年全区比率（按各机关报告之和计算）", labels,
                                   [(ind.INDICATOR_BY_KEY[k].name, v) for k, v in rates.items()], "%")
    return counts, rate_chart, table


@login_required
def region(request, pk: int):
    region = _region(request, pk)
    all_years = list(RegionYear.objects.filter(region=region).order_by("year"))
    years = [y.year for y in all_years]
    year = _year(request, years)
    context: dict[str, Any] = {"region": region, "years": years, "year": year,
                               "regions": list(agencies_where(request.user, Action.SUPERVISE)
                                               .order_by("order_path")[:50])}
    if year is None:
        return render(request, "supervision/region.html", context)
    region_year = next(y for y in all_years if y.year == year)
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    direction = request.GET.get("dir") or ("asc" if sort == "name" else "desc")
    show = request.GET.get("show", "all")
    if show not in FILTERS:
        show = "all"
    field = F(SORTS[sort][1])
    order = field.asc(nulls_last=True) if direction == "asc" else field.desc(nulls_last=True)
    figures = (RegionFigure.objects.filter(region=region, year=year, **FILTERS[show][1])
               .select_related("agency").defer("indicators", "changes", "outliers").order_by(order, "agency__order_path"))
    count = {"all": region_year.agencies, "late": region_year.late, "failing": region_year.failing,
             "outliers": region_year.outliers, "missing": region_year.agencies - region_year.reports}[show]
    paginator = Paginator(figures, PAGE_SIZE)
    paginator.count = count  # known from the year's row: no COUNT(*) per request
    page = paginator.get_page(request.GET.get("page"))
    rows = [_row(f, sort) for f in page.object_list]
    totals = ind.RegionTotals.from_json(region_year.totals) if region_year.totals else ind.RegionTotals()
    counts_chart, rates_chart, trend_table = _trend(all_years)
    # the matrix: this page's agencies with findings × the rules most agencies fail
    rules = sorted(region_year.rule_agencies, key=lambda r: (-region_year.rule_agencies[r], r))[:MATRIX_RULES]
    matrix_rows = [r for r in rows if r.figure.rule_counts]
    matrix_cells = [(x, y, r.figure.rule_counts.get(rule, 0)) for y, r in enumerate(matrix_rows)
                    for x, rule in enumerate(rules) if r.figure.rule_counts.get(rule)]
    matrix = charts.matrix_chart("本页机关 × 未通过的核对规则（格中数字为问题数）", [r.agency.name for r in matrix_rows],
                                 rules, matrix_cells) if matrix_rows and rules else None
    outliers = list(RegionFigure.objects.filter(region=region, year=year, outlier_count__gt=0)
                    .select_related("agency").only("outliers", "agency__name").order_by("-outlier_count", "agency__order_path")[:50])
    base = {"year": year, "show": show if show != "all" else None}
    context.update({
        "region_year": region_year, "no_report": region_year.agencies - region_year.reports,
        "rows": rows, "page": page, "sort": sort, "direction": direction, "show": show,
        "filters": [(key, label, _query(region, year=year, show=key if key != "all" else None))
                    for key, (label, _) in FILTERS.items()],
        "columns": [(key, ind.INDICATOR_BY_KEY[key],
                     _query(region, **base, sort=key,
                            dir="asc" if sort == key and direction == "desc" else "desc"))
                    for key in SHOWN],
        "sort_links": {key: _query(region, **base, sort=key,
                                   dir="asc" if (sort == key and direction == "desc") or key == "name" and sort != key
                                   else "desc")
                       for key in ("name", "errors", "days_late", "outliers")},
        "sort_label": SORTS[sort][0], "ranked": sort in RANKED,
        "page_query": _query(region, **base, sort=sort, dir=direction),
        "year_links": [(y, _query(region, year=y)) for y in years],
        "totals": totals, "totals_tables": _totals_tables(totals),
        "region_values": [(spec, ind.Value.from_json(spec.key, region_year.indicators[spec.key]))
                          for spec in ind.INDICATORS if spec.key in region_year.indicators and spec.key != "info_fee"],
        "counts_chart": counts_chart, "rates_chart": rates_chart, "trend_table": trend_table,
        "rules": [(rule, RULES[rule].title if rule in RULES else rule, region_year.rule_agencies[rule])
                  for rule in rules],
        "matrix_rows": [(r, [r.figure.rule_counts.get(rule, 0) for rule in rules]) for r in matrix_rows],
        "matrix_chart": matrix,
        "outliers": [(f, [ind.Outlier.from_json(o) for o in f.outliers]) for f in outliers],
        "outlier_rules": ind.OUTLIER_RULES,
        "bands": [(ind.INDICATOR_BY_KEY[k], v) for k, v in region_year.bands.items()],
        "compare_url": _query(region, year=year),
        "agency_years_url": reverse("supervision:compare", args=[region.pk]) + "?agency=",
    })
    return render(request, "supervision/region.html", context)


def _agency_ids(request) -> list[int]:
    return [int(v) for v in request.GET.getlist("agency") if v.isdigit()][:MAX_COMPARED]


@login_required
def compare(request, pk: int):
    region = _region(request, pk)
    years = list(RegionYear.objects.filter(region=region).order_by("year").values_list("year", flat=True))
    year = _year(request, years)
    ids = _agency_ids(request)
    context: dict[str, Any] = {"region": region, "years": years, "year": year, "specs": ind.INDICATORS,
                               "max_compared": MAX_COMPARED}
    query = request.GET.get("q", "").strip()[:50]
    if query and year is not None:
        context["q"] = query
        context["matches"] = list(RegionFigure.objects.filter(region=region, year=year, agency__name__contains=query)
                                  .select_related("agency").order_by("agency__order_path")[:50])
    if len(ids) == 1:
        figures = list(RegionFigure.objects.filter(region=region, agency_id=ids[0]).select_related("agency")
                       .order_by("year"))
        if not figures:
            raise Http404("该机关不在本区域的统计中")
        agency = figures[0].agency
        labels = [f"{f.year}年" for f in figures]
        table = [(spec, [(_value(f, spec.key), (f.changes.get(spec.key) or {}).get("text", "")) for f in figures])
                 for spec in ind.INDICATORS]
        rate_keys = [k for k in ind.RATE_KEYS if ind.INDICATOR_BY_KEY[k].unit is ind.Unit.PERCENT]
        context.update({
            "mode": "years", "agency": agency, "figures": figures, "rows": [_row(f) for f in figures],
            "table": table,
            "rates_chart": charts.line_chart(f"{agency.name}：历年比率", labels,
                                             [(ind.INDICATOR_BY_KEY[k].name, [_number(f, k) for f in figures])
                                              for k in rate_keys], "%"),
            "received_chart": charts.bar_chart(f"{agency.name}：历年新收申请数", labels,
                                               [("新收申请（件）", [_number(f, "received") for f in figures])], "件"),
        })
    elif ids and year is not None:
        figures = {f.agency_id: f for f in RegionFigure.objects.filter(region=region, year=year, agency_id__in=ids)
                   .select_related("agency")}
        figures_list = [figures[i] for i in ids if i in figures]
        if not figures_list:
            raise Http404("所选机关不在本区域的统计中")
        names = [f.agency.name for f in figures_list]
        rate_keys = [k for k in ind.RATE_KEYS if ind.INDICATOR_BY_KEY[k].unit is ind.Unit.PERCENT]
        context.update({
            "mode": "side", "figures": figures_list, "rows": [_row(f) for f in figures_list],
            "table": [(spec, [(_value(f, spec.key), f.ranks.get(spec.key)) for f in figures_list])
                      for spec in ind.INDICATORS],
            "rates_chart": charts.bar_chart(f"{year}年各机关比率对比", [ind.INDICATOR_BY_KEY[k].name for k in rate_keys],
                                            [(name, [_number(f, k) for k in rate_keys])
                                             for name, f in zip(names, figures_list)], "%"),
            "year_links": [(y, f"?year={y}" + "".join(f"&agency={i}" for i in ids)) for y in years],
        })
    return render(request, "supervision/compare.html", context)


def _value(figure: RegionFigure, key: str) -> str:
    if not figure.has_report:
        return "未收到报告"
    data = figure.indicators.get(key)
    return ind.Value.from_json(key, data).display() if data else "—"


def _number(figure: RegionFigure, key: str) -> float | None:
    value = getattr(figure, key)
    return None if value is None else round(float(value), 2)


@login_required
def indicators(request):
    rows = [(spec, [t.label for t in spec.numerator], [t.label for t in spec.denominator]) for spec in ind.INDICATORS]
    return render(request, "supervision/indicators.html", {
        "rows": rows, "outlier_rules": ind.OUTLIER_RULES, "totals_label": ind.TOTALS_LABEL,
        "sudden": ind.SUDDEN_CHANGE, "far": ind.FAR_FROM_MEDIAN,
        "far_indicators": [ind.INDICATOR_BY_KEY[k].name for k in ind.FAR_FROM_MEDIAN.indicators],
        "ranked": [ind.INDICATOR_BY_KEY[k].name for k in RANKED],
    })
