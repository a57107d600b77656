"""The region's pre-computed figures: ``refresh_region`` turns the current collected report of
every agency and year into ``RegionFigure`` rows and one ``RegionYear`` per year, with the
indicators, ranks, outliers and totals of ``core.report.indicators``. The region pages read these
rows only (docs/supervision.md, "指标、排名与图表").

Who calls it:
- a worker, when a job that reads, collects or re-checks reports has done its last item
  (``refresh_after_job``: the years of the reports it kept, and each next year already there,
  whose year-over-year change they feed) — once per job, not once per report;
- the ``refresh`` job (``Job.Kind.REFRESH``, ``queue_refresh``), e.g. after a report was assigned
  to an agency by hand;
- ``refresh_for_report`` where one report arrives outside a job (a submission through the system).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from django.conf import settings
from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.reports.services import report_kind
from gongkai.core import standard
from gongkai.core.report import indicators as ind
from gongkai.core.report.checking.cross import cross_check
from gongkai.core.report.model import report_from_json

from . import jobs
from .models import CollectedReport, Job, JobItem, RegionFigure, RegionYear

# The indicators kept as columns of RegionFigure (sorted in SQL on the region page).
COLUMNS: tuple[str, ...] = ("received", "decided", "disclosure_rate", "refusal_rate", "not_held_share",
                            "carried_forward_rate", "reviews_per_100", "lawsuits_per_100", "correction_rate",
                            "info_fee")
COUNT_COLUMNS = ("received", "decided")
# Ranked from high to low, one rank per indicator (ties share a rank).
RANKED: tuple[str, ...] = ("received", "disclosure_rate", "refusal_rate", "not_held_share", "carried_forward_rate",
                           "reviews_per_100", "lawsuits_per_100", "correction_rate")
COUNTED_SEVERITIES = ("error", "warning")


def _published(row: dict[str, Any]) -> date | None:
    if row["published_on"]:
        return row["published_on"]
    published = (row["report"] or {}).get("published") or {}
    try:
        return date.fromisoformat(published["date"]) if published.get("date") else None
    except ValueError:
        return None


def current_reports(region: Agency, years: Iterable[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """(agency id, year) -> the current report (the newest readable one) with its JSON and findings."""
    newest: dict[tuple[int, int], tuple[Any, int]] = {}
    rows = (CollectedReport.objects.filter(region=region, year__in=list(years), agency__isnull=False,
                                           status=CollectedReport.Status.READ)
            .values_list("pk", "agency_id", "year", "received_at").order_by())
    for pk, agency_id, year, received_at in rows:
        key = (agency_id, year)
        if key not in newest or (received_at, pk) > newest[key]:
            newest[key] = (received_at, pk)
    ids = [pk for _, pk in newest.values()]
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        for row in CollectedReport.objects.filter(pk__in=ids[start:start + 500]).values(
                "pk", "agency_id", "year", "report", "findings", "cross_findings", "published_on"):
            out[(row["agency_id"], row["year"])] = row
    return out


def region_years(region: Agency) -> list[int]:
    """The years the region has collected reports for."""
    return sorted(set(CollectedReport.objects.filter(region=region, year__isnull=False)
                      .values_list("year", flat=True).distinct()))


def _float(value: ind.Value) -> float | None:
    return float(value.value) if value.ok and value.value is not None else None


def refresh_region(region: Agency, years: Iterable[int] | None = None) -> list[RegionYear]:
    """Recompute the figures of ``region`` for ``years`` (default: every year it has reports for):
    one RegionFigure per agency of the region (the region's own agency included) and year, one
    RegionYear per year. Replaces the rows of those years in one transaction each."""
    years = sorted(set(years if years is not None else region_years(region)))
    agencies = list(region.subtree().filter(active=True).order_by("order_path"))
    reports = current_reports(region, set(years) | {y - 1 for y in years} | {y + 1 for y in years})
    check_across_region(agencies, reports, years)
    computed: dict[tuple[int, int], dict[str, ind.Value]] = {
        key: ind.compute(row["report"] or {}) for key, row in reports.items()}
    return [refresh_year_from(region, year, agencies, reports, computed) for year in years]


def region_findings(row: dict[str, Any]) -> list[dict]:
    """A current report's findings as the region sees them: its own checks and those across the
    region's reports, where ``X-late`` (by the agency's kind from its record — every agency of a
    region has one) stands for the name-based ``D-late`` (``cross.without_superseded``)."""
    return [f for f in (row.get("findings") or []) if f.get("rule") != "D-late"] + list(row.get("cross_findings") or [])


def check_across_region(agencies: list[Agency], reports: dict[tuple[int, int], dict[str, Any]],
                        years: Iterable[int]) -> None:
    """The cross-report checks (``core.report.checking.cross``) over the current reports loaded —
    the years refreshed and their neighbours — with each agency's kind from its record (so the
    deadline is the agency's, not guessed from its name) and the name under which the region
    knows it. Each report's cross findings are kept on its row (``cross_findings``) and added to
    its findings as the figures count them, where ``X-late`` stands for the name-based ``D-late``."""
    by_pk = {a.pk: a for a in agencies}
    keys = [key for key in sorted(reports, key=lambda k: (k[1], k[0])) if key[0] in by_pk and reports[key]["report"]]
    if not keys:
        return
    parsed = []
    for agency_id, year in keys:
        report = report_from_json(reports[(agency_id, year)]["report"])
        report.agency, report.year = by_pk[agency_id].name, year
        parsed.append(report)
    kinds = {a.name: report_kind(a).value for a in agencies}
    result = cross_check(parsed, copy_threshold=settings.GONGKAI_COPY_THRESHOLD, kinds=kinds)
    wanted = set(years)
    for index, key in enumerate(keys):
        row = reports[key]
        found = [f.to_json() for f in result.by_report.get(index, [])]
        if key[1] in wanted and row.get("pk"):
            CollectedReport.objects.filter(pk=row["pk"]).update(cross_findings=found)
        row["cross_findings"] = found
        row["findings"] = region_findings(row)


def refresh_year_from(region: Agency, year: int, agencies: list[Agency],
                      reports: dict[tuple[int, int], dict[str, Any]],
                      computed: dict[tuple[int, int], dict[str, ind.Value]] | None = None) -> RegionYear:
    """Write the figures of one year from reports already loaded: (agency id, year) -> a dict with
    ``pk`` (the CollectedReport, or None), ``report`` (the report JSON), ``findings`` and
    ``published_on`` (years ``year`` and ``year − 1``). ``refresh_region`` loads them from the
    collected reports; the benchmark passes generated ones."""
    if computed is None:
        computed = {key: ind.compute(row["report"] or {}) for key, row in reports.items() if key[1] in (year, year - 1)}
    this_year = {a.pk: computed[(a.pk, year)] for a in agencies if (a.pk, year) in computed}
    last_year = {a.pk: computed[(a.pk, year - 1)] for a in agencies if (a.pk, year - 1) in computed}
    flags, bands = ind.find_outliers(this_year, last_year)
    ranks = {key: ind.rank({pk: (v[key].value if v[key].ok else None) for pk, v in this_year.items()})
             for key in RANKED}
    rule_agencies: Counter[str] = Counter()
    figures = []
    counts = Counter()
    for agency in agencies:
        row = reports.get((agency.pk, year))
        deadline = standard.publication_deadline(year, report_kind(agency))
        figure = RegionFigure(region=region, agency=agency, year=year, deadline=deadline)
        if row is not None:
            values = this_year[agency.pk]
            previous = last_year.get(agency.pk)
            figure.report_id = row["pk"]
            figure.has_report = True
            for key in COLUMNS:
                v = _float(values[key])
                setattr(figure, key, int(v) if v is not None and key in COUNT_COLUMNS else v)
            figure.indicators = {k: v.to_json() for k, v in values.items()}
            figure.shown = {k: v.display() for k, v in values.items()}
            if previous is not None:
                figure.changes = {k: _change_json(ind.change(values[k], previous[k])) for k in values}
                figure.shown["received_change"] = figure.changes["received"]["text"]
            figure.ranks = {key: ranks[key][agency.pk] for key in RANKED if agency.pk in ranks[key]}
            by_rule: Counter[str] = Counter()
            for f in row["findings"] or []:
                if f.get("severity") in COUNTED_SEVERITIES:
                    by_rule[f["rule"]] += 1
                    if f["severity"] == "error":
                        figure.errors += 1
                    else:
                        figure.warnings += 1
            figure.rule_counts = dict(by_rule)
            rule_agencies.update(by_rule.keys())
            published = _published(row)
            figure.published_on = published
            if published is not None:
                figure.on_time = published <= deadline
                figure.days_late = max((published - deadline).days, 0)
                counts["on_time" if figure.on_time else "late"] += 1
            else:
                counts["undated"] += 1
            counts["reports"] += 1
            counts["failing"] += bool(figure.errors)
            figure.outliers = [o.to_json() for o in flags.get(agency.pk, [])]
            figure.outlier_count = len(figure.outliers)
            counts["outliers"] += bool(figure.outlier_count)
        figures.append(figure)
    totals = ind.region_totals(reports[(a.pk, year)]["report"] or {} for a in agencies if (a.pk, year) in reports)
    region_values = ind.compute(totals.as_report_json())
    with transaction.atomic():
        RegionFigure.objects.filter(region=region, year=year).delete()
        RegionFigure.objects.bulk_create(figures, batch_size=1000)
        region_year, _ = RegionYear.objects.update_or_create(
            region=region, year=year,
            defaults={
                "agencies": len(agencies), "reports": counts["reports"], "on_time": counts["on_time"],
                "late": counts["late"], "undated": counts["undated"], "failing": counts["failing"],
                "outliers": counts["outliers"], "totals": totals.to_json(),
                "indicators": {k: v.to_json() for k, v in region_values.items()},
                "bands": {k: [str(m), str(h)] for k, (m, h) in bands.items()},
                "rule_agencies": dict(sorted(rule_agencies.items())),
            })
    return region_year


def _change_json(c: ind.Change) -> dict[str, Any]:
    def s(v: Decimal | None) -> str | None:
        return None if v is None else format(v, "f")

    return {"delta": s(c.delta), "percent": s(c.percent), "text": c.display()}


def with_next_years(region: Agency, years: Iterable[int]) -> list[int]:
    """The years, and each following year the region already has figures for (its change from
    the year before, and the sudden-change rule, read the year given)."""
    years = set(years)
    following = set(RegionYear.objects.filter(region=region, year__in=[y + 1 for y in years])
                    .values_list("year", flat=True))
    return sorted(years | following)


def refresh_for_report(report: CollectedReport) -> None:
    """After one report is collected outside a job: its year and the next (if there)."""
    if report.agency_id is None or report.year is None:
        return
    refresh_region(report.region, with_next_years(report.region, [report.year]))


def refresh_after_job(job: Job) -> list[int]:
    """After a job's last item: refresh the years of the reports it kept (and the next years)."""
    collected = JobItem.objects.filter(job=job, collected__isnull=False).values_list("collected_id", flat=True)
    years = set(CollectedReport.objects.filter(pk__in=collected, year__isnull=False)
                .values_list("year", flat=True).distinct())
    if not years:
        return []
    years = with_next_years(job.region, years)
    refresh_region(job.region, years)
    return years


def queue_refresh(region: Agency, years: Iterable[int] | None = None, user=None) -> Job:
    """Queue a refresh of the region's figures (all years when ``years`` is None)."""
    params = {"years": sorted(set(years))} if years is not None else {}
    return jobs.start_job(region, Job.Kind.REFRESH, params, user)


@jobs.runner(Job.Kind.REFRESH)
def run_refresh(job: Job) -> dict:
    """The refresh job: every year asked for (default: every year the region has reports for)."""
    years = job.params.get("years")
    years = sorted(years) if years else region_years(job.region)
    jobs.progress(job, 0, len(years))
    for done, year in enumerate(years, start=1):
        refresh_region(job.region, [year])
        jobs.progress(job, done)
    return {"years": years}
