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
    issued (本年制发) = issued items made (成文、印发: ``made_on``) in ``year``, whenever they take
    effect; repealed = repealed or expired in ``year``; in_force = in force on 31 December (taken
    effect by then and not ended). In force ≈ last year's + issued − repealed, as the spec's
    year-to-year check says: a document made in December that takes effect in January is issued
    in one year and in force from the next."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    issue, ended = Q(validity=Item.Validity.IN_FORCE), Q(validity__in=ENDED)
    made_in_year = Q(item__made_on__gte=start, item__made_on__lte=end)
    rows = (ValidityChange.objects.filter(item__agency=agency, item__kind__in=TABLE2_KINDS)
            .filter(Q(on__lte=end) | (issue & made_in_year))
            .values("item__kind")
            .annotate(issued=Count("pk", filter=issue & made_in_year),
                      repealed=Count("pk", filter=ended & Q(on__gte=start, on__lte=end)),
                      started=Count("pk", filter=issue & Q(on__lte=end)),
                      finished=Count("pk", filter=ended & Q(on__lte=end))))
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
