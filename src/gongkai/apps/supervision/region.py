"""A region's reports of a year, as the supervising office exports and reports on them.

The current report of an agency for a year is its newest readable ``CollectedReport`` (submitted
through the system and accepted, uploaded or collected from the web: both routes end there).
``export`` writes the region's tables 2, 3 and 4 from these reports as Excel
(``core.report.workbook``); ``bulletin`` drafts the year's 通报 from their checks
(``core.report.bulletin``): timeliness by Art. 49, the errors by rule, the copied passages the
cross-report rule ``X-copied`` stored with the reports, and the indicators that stand out.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from gongkai.apps.agencies.models import Agency
from gongkai.apps.reports.services import report_kind
from gongkai.core.report import bulletin as bulletins
from gongkai.core.report.workbook import AgencyTables, region_workbook

from .models import CollectedReport

CROSS_RULE_PREFIX = "X-"


def agencies_of(region: Agency) -> QuerySet[Agency]:
    """The agencies that report to the region's office: the region and every agency below it."""
    return region.subtree().filter(active=True).order_by("order_path")


def current_reports(region: Agency, year: int) -> dict[int, CollectedReport]:
    """agency pk -> its current report of ``year`` (the newest readable one received)."""
    current: dict[int, CollectedReport] = {}
    rows = (CollectedReport.objects.filter(agency__path__startswith=region.path, year=year,
                                           status=CollectedReport.Status.READ)
            .defer("data").order_by("agency_id", "-received_at", "-pk"))
    for row in rows:
        current.setdefault(row.agency_id, row)
    return current


def export(region: Agency, year: int) -> bytes:
    """The region's tables of ``year`` as an Excel workbook: one row per agency, a totals row."""
    reports = current_reports(region, year)
    rows = []
    for agency in agencies_of(region):
        report = reports.get(agency.pk)
        if report is None:
            rows.append(AgencyTables(agency.name))
            continue
        rows.append(AgencyTables(agency.name, report.get_origin_display(),
                                 report.published_on.isoformat() if report.published_on else "",
                                 (report.report or {}).get("tables") or {}))
    return region_workbook(f"{region.name}{year}年度政府信息公开工作年度报告统计表", rows)


def standouts(region: Agency, year: int) -> list[bulletins.Standout] | None:
    """The indicators that stand out in the region's year, or None where no indicators are
    computed. The indicators and their outliers are the dashboard's (``core/report/indicators``);
    until that module is present the bulletin says that no indicators were computed."""
    try:
        from gongkai.core.report import indicators  # noqa: PLC0415 - optional: the dashboard's module
    except ImportError:
        return None
    outliers = getattr(indicators, "bulletin_standouts", None)
    if outliers is None:
        return None
    reports = current_reports(region, year)
    named = {a.pk: a.name for a in agencies_of(region)}
    return [bulletins.Standout(**s) for s in outliers(
        {named[pk]: r.report for pk, r in reports.items() if pk in named and r.report}, year)]


def results(region: Agency, year: int) -> list[bulletins.AgencyResult]:
    reports = current_reports(region, year)
    out = []
    for agency in agencies_of(region):
        report = reports.get(agency.pk)
        kind = report_kind(agency)
        if report is None:
            out.append(bulletins.AgencyResult(agency.name, kind))
        else:
            out.append(bulletins.AgencyResult(agency.name, kind, True, report.published_on, list(report.findings or [])))
    return out


def bulletin(region: Agency, year: int, issuer: str, on: date) -> bytes:
    """The year's bulletin of the region as a DOCX draft, from the checks of its current reports."""
    agencies = results(region, year)
    checked = any(str(f.get("rule", "")).startswith(CROSS_RULE_PREFIX) for a in agencies for f in a.findings)
    draft = bulletins.compose(issuer, region.name, year, agencies, on, standouts(region, year), copying_checked=checked)
    return bulletins.render_bulletin(draft)
