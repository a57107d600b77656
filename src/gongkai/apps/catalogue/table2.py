"""Table 2's rows of rules and normative documents (规章, 行政规范性文件) counted from the catalogue."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from gongkai.apps.agencies.models import Agency

from .items import ISSUED_STATES
from .models import Item, ValidityChange
from .validity import ENDED

TABLE2_KINDS = (Item.Kind.RULE, Item.Kind.NORMATIVE_DOCUMENT)


def table2_counts(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """Table 2's rules and normative documents rows from the validity history, in one query:
    issued = taken effect in ``year``; repealed = repealed or expired in ``year`` (both leave
    the in-force count, so that in force = last year's + issued − repealed); in_force = in force
    on 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    issue, ended = Q(validity=Item.Validity.IN_FORCE), Q(validity__in=ENDED)
    rows = (ValidityChange.objects.filter(item__agency=agency, item__kind__in=TABLE2_KINDS, on__lte=end)
            .values("item__kind")
            .annotate(issued=Count("pk", filter=issue & Q(on__gte=start)),
                      repealed=Count("pk", filter=ended & Q(on__gte=start)),
                      started=Count("pk", filter=issue), finished=Count("pk", filter=ended)))
    out = {kind: {"issued": 0, "repealed": 0, "in_force": 0} for kind in TABLE2_KINDS}
    for row in rows:
        out[row["item__kind"]] = {"issued": row["issued"], "repealed": row["repealed"],
                                  "in_force": row["started"] - row["finished"]}
    return {str(k): v for k, v in out.items()}


def catalogue_table2_rows(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """The rows of table 2 the catalogue gives: those of the kinds the agency publishes items of."""
    kinds = set(Item.objects.filter(agency=agency, kind__in=TABLE2_KINDS, state__in=ISSUED_STATES)
                .values_list("kind", flat=True).distinct())
    if not kinds:
        return {}
    counts = table2_counts(agency, year)
    return {kind: counts[kind] for kind in counts if kind in kinds}
