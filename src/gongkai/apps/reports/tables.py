"""Tables 3 and 4 of the annual report counted from the registry, one aggregate query each.

Table 3 (``standard.APPLICATIONS``), for the calendar year ``year`` (1 January to 31 December):

- ``new_received``: applications received in the year;
- ``carried_over``: received before the year and not decided before it;
- the 21 outcome rows: decided in the year, by outcome (a withdrawn application is decided on the
  day of the withdrawal with outcome ``other_other``; a lapsed correction or fee ends as
  ``other_no_correction`` / ``other_unpaid_fee``), ``total`` their sum;
- ``carried_forward``: received by the year's end and not decided by it;
- the ``total`` column: the sum of the six applicant columns.

A merged registration (the same request entered twice) and a voided one (a mistaken registration,
作废登记) are never counted (``lifecycle.UNCOUNTED_STATES``), neither as received nor carried over. Since a decision is
never dated before its receipt, ``new_received + carried_over = total + carried_forward`` in every
column by construction, and next year's ``carried_over`` is this year's ``carried_forward``.

Table 4 (``standard.REVIEW_LITIGATION``): the reviews and lawsuits filed in the year against the
agency about disclosure — its decisions, its missing or late replies (不作为), third parties'
challenges of a disclosure, and its active disclosure (``Appeal.subject``) — by kind (the three
blocks) and by result at the year's end (``pending`` when not concluded by 31 December).

``agencies`` is one ``Agency`` or a queryset of agencies (a supervisor's subtree, summed).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from gongkai.apps.agencies.models import Agency
from gongkai.apps.appeals.models import PENDING, Appeal
from gongkai.apps.cases.models import Application
from gongkai.core import standard
from gongkai.core.casework.lifecycle import UNCOUNTED_STATES
from gongkai.core.report.model import Cell, Table, table_values

APPLICANTS = standard.APPLICANT_KEYS
OUTCOMES = standard.OUTCOME_KEYS


def _agency_filter(agencies: Agency | QuerySet, field: str) -> Q:
    if isinstance(agencies, Agency):
        return Q(**{field: agencies})
    return Q(**{f"{field}__in": agencies})


def _counts(spec: standard.TableSpec, counts: dict[str, dict[str, int]], parts: tuple[str, ...]) -> Table:
    """A table of numbers from ``counts`` (row -> part column -> n), totals added."""
    rows: dict[str, dict[str, Cell]] = {}
    for row in spec.rows:
        values = {c: counts.get(row.key, {}).get(c, 0) for c in parts}
        values["total"] = sum(values.values())
        rows[row.key] = {c: Cell.number(values[c]) for c in row.column_keys}
    return Table(spec, rows)


def table3(agencies: Agency | QuerySet, year: int) -> Table:
    """Table 3 of ``agencies`` for ``year``, counted from the applications in one query."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    received_by_end = Q(received_on__lte=end)
    decided_in_year = Q(decided_on__gte=start, decided_on__lte=end)
    open_at_end = Q(decided_on__isnull=True) | Q(decided_on__gt=end)
    rows = (
        Application.objects.filter(_agency_filter(agencies, "agency"))
        .exclude(state__in=[s.value for s in UNCOUNTED_STATES])
        .filter(received_by_end, Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .values("applicant_type", "outcome")
        .annotate(
            new_received=Count("pk", filter=Q(received_on__gte=start)),
            carried_over=Count("pk", filter=Q(received_on__lt=start)),
            decided=Count("pk", filter=decided_in_year),
            carried_forward=Count("pk", filter=open_at_end),
        )
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        column = r["applicant_type"]
        for key in ("new_received", "carried_over", "carried_forward"):
            counts.setdefault(key, {}).setdefault(column, 0)
            counts[key][column] += r[key]
        if r["decided"]:
            if r["outcome"] not in OUTCOMES:
                raise ValueError(f"decided applications without a table-3 outcome: {r}")
            counts.setdefault(r["outcome"], {}).setdefault(column, 0)
            counts[r["outcome"]][column] += r["decided"]
    counts["total"] = {c: sum(counts.get(k, {}).get(c, 0) for k in OUTCOMES) for c in APPLICANTS}
    return _counts(standard.APPLICATIONS, counts, APPLICANTS)


def table4(agencies: Agency | QuerySet, year: int) -> Table:
    """Table 4 of ``agencies`` for ``year``: the reviews and lawsuits filed in it, in one query."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    concluded = Q(concluded_on__lte=end) & ~Q(result=PENDING)
    annotations = {key: Count("pk", filter=concluded & Q(result=key)) for key in standard.REVIEW_PART_KEYS if key != PENDING}
    annotations[PENDING] = Count("pk", filter=~concluded)
    rows = (
        Appeal.objects.filter(_agency_filter(agencies, "agency"), filed_on__gte=start, filed_on__lte=end)
        .values("kind")
        .annotate(**annotations)
        .order_by()
    )
    counts = {r["kind"]: {key: r[key] for key in standard.REVIEW_PART_KEYS} for r in rows}
    return _counts(standard.REVIEW_LITIGATION, counts, standard.REVIEW_PART_KEYS)


def tables_json(agencies: Agency | QuerySet, year: int) -> dict:
    """Tables 3 and 4 as row -> column -> number (what a closed year keeps)."""
    return {"applications": table_values(table3(agencies, year)),
            "review_litigation": table_values(table4(agencies, year))}
