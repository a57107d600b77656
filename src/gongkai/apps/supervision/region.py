"""A region's reports of a year, as the supervising office exports and reports on them.

The current report of an agency for a year is the one the region's dashboard uses
(``figures.current_reports``: the newest readable ``CollectedReport`` of the region — submitted
through the system and accepted, uploaded or collected from the web: both routes end there).
``export`` writes the region's tables 2, 3 and 4 from these reports as Excel
(``core.report.workbook``); ``bulletin`` drafts the year's 通报 from their checks
(``core.report.bulletin``): timeliness by Art. 49, the errors by rule, the copied passages of the
cross-report rule ``X-copied`` (kept on the reports by the figures' refresh), and the indicators the outlier rules of
``core.report.indicators`` flag (the dashboard's rules, computed afresh from the same reports).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from gongkai.apps.agencies.models import Agency
from gongkai.apps.reports.services import report_kind
from gongkai.core.report import bulletin as bulletins
from gongkai.core.report import indicators
from gongkai.core.report.workbook import AgencyTables, region_workbook

from . import figures
from .models import CollectedReport

def agencies_of(region: Agency) -> QuerySet[Agency]:
    """The agencies that report to the region's office: the region and every agency below it."""
    return region.subtree().filter(active=True).order_by("order_path")


def current_reports(region: Agency, year: int) -> dict[int, dict[str, Any]]:
    """agency pk -> its current report of ``year`` (pk, report JSON, findings, published_on)."""
    return {agency_id: row for (agency_id, _), row in figures.current_reports(region, [year]).items()}


def export(region: Agency, year: int) -> bytes:
    """The region's tables of ``year`` as an Excel workbook: one row per agency, a totals row."""
    reports = current_reports(region, year)
    origins = dict(CollectedReport.objects.filter(pk__in=[r["pk"] for r in reports.values()])
                   .values_list("pk", "origin"))
    labels = dict(CollectedReport.Origin.choices)
    rows = []
    for agency in agencies_of(region):
        row = reports.get(agency.pk)
        if row is None:
            rows.append(AgencyTables(agency.name))
            continue
        published = figures._published(row)
        rows.append(AgencyTables(agency.name, labels[origins[row["pk"]]], published.isoformat() if published else "",
                                 (row["report"] or {}).get("tables") or {}))
    return region_workbook(f"{region.name}{year}年度政府信息公开工作年度报告统计表", rows)


def standouts(agencies: list[Agency], year: int, both: dict) -> list[bulletins.Standout]:
    """The figures the outlier rules flag in the region's year (against the region's median and
    the agency's previous year), in the agencies' order; ``both``: the current reports of the
    year and the year before (``figures.current_reports``)."""
    computed = {key: indicators.compute(row["report"] or {}) for key, row in both.items()}
    flags, _ = indicators.find_outliers({a.pk: computed[(a.pk, year)] for a in agencies if (a.pk, year) in computed},
                                        {a.pk: computed[(a.pk, year - 1)] for a in agencies
                                         if (a.pk, year - 1) in computed})
    rules = {rule.id: rule for rule in indicators.OUTLIER_RULES}
    return [bulletins.Standout(a.name, rules[o.rule].title, rules[o.rule].describe(), o.message)
            for a in agencies for o in flags.get(a.pk, [])]


def results(agencies: list[Agency], year: int, reports: dict) -> list[bulletins.AgencyResult]:
    """Each agency's report of ``year`` as the bulletin reads it: its findings and those across
    the region's reports (``X-copied`` among them) that the figures' refresh keeps."""
    out = []
    for agency in agencies:
        row = reports.get((agency.pk, year))
        kind = report_kind(agency)
        if row is None:
            out.append(bulletins.AgencyResult(agency.name, kind))
            continue
        findings = figures.region_findings(row)
        out.append(bulletins.AgencyResult(agency.name, kind, True, figures._published(row), findings))
    return out


def bulletin(region: Agency, year: int, issuer: str, on: date) -> bytes:
    """The year's bulletin of the region as a DOCX draft, from the checks of its current reports."""
    agencies = list(agencies_of(region))
    both = figures.current_reports(region, [year, year - 1])
    checked = results(agencies, year, both)
    draft = bulletins.compose(issuer, region.name, year, checked, on, standouts(agencies, year, both))
    return bulletins.render_bulletin(draft)
