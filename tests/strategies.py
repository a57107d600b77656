"""Hypothesis strategies: reports whose numbers are random and consistent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from hypothesis import strategies as st

from gongkai.core import standard
from gongkai.core.standard import APPLICANT_KEYS, OTHER_SUB_ROWS, OUTCOME_KEYS, SINGLE_OTHER_ROW

small = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 400))


def consistent_applications(
    count: Callable[[], int], carried_over: Callable[[int], int], previous_forward: dict[str, int] | None = None
) -> dict[str, dict[str, int]]:
    """Table 3 that balances: ``count()`` draws each outcome and carried-forward cell,
    ``carried_over(limit)`` a carried-over count of at most ``limit``; new_received follows.
    With ``previous_forward`` (last year's 四、结转下年度), 二、上年结转 is that, column by column,
    and 予以公开 grows where it must for 一 to stay non-negative."""
    rows: dict[str, dict[str, int]] = {k: {} for k in standard.APPLICATIONS.row_keys}
    for column in APPLICANT_KEYS:
        outcomes = {k: count() for k in OUTCOME_KEYS}
        forward = count()
        if previous_forward is not None:
            over = previous_forward[column]
            outcomes["granted"] += max(0, over - sum(outcomes.values()) - forward)
        total = sum(outcomes.values())
        if previous_forward is None:
            over = carried_over(total + forward)
        for k, v in outcomes.items():
            rows[k][column] = v
        rows["total"][column] = total
        rows["carried_forward"][column] = forward
        rows["carried_over"][column] = over
        rows["new_received"][column] = total + forward - over
    for columns in rows.values():
        columns["total"] = sum(columns[c] for c in APPLICANT_KEYS)
    return rows


@st.composite
def applications_values(draw: Any, single_other_row: bool = False) -> dict[str, Any]:
    rows = consistent_applications(lambda: draw(small), lambda limit: draw(st.integers(0, limit)))
    out: dict[str, Any] = dict(rows)
    if single_other_row:
        out[SINGLE_OTHER_ROW] = {
            c: sum(rows[k][c] for k in OTHER_SUB_ROWS) for c in standard.APPLICATION_COLUMN_KEYS
        }
        for k in OTHER_SUB_ROWS:
            out[k] = None
    return out


@st.composite
def review_values(draw: Any) -> dict[str, Any]:
    out = {}
    for block in standard.REVIEW_LITIGATION.row_keys:
        parts = {k: draw(small) for k in standard.REVIEW_PART_KEYS}
        out[block] = {**parts, "total": sum(parts.values())}
    return out


amounts = st.decimals(min_value=0, max_value=Decimal("99999.9999"), places=4, allow_nan=False, allow_infinity=False)


@st.composite
def active_values(draw: Any) -> dict[str, Any]:
    count = st.integers(0, 20000)
    docs = lambda: {"issued": draw(count), "repealed": draw(count), "in_force": draw(count)}  # noqa: E731
    amount = draw(amounts)
    return {
        "rules": docs(),
        "normative_documents": docs(),
        "licensing": {"decisions": draw(count)},
        "penalty": {"decisions": draw(count)},
        "coercion": {"decisions": draw(count)},
        "admin_fees": {"amount": format(amount, "f")},
    }


@st.composite
def table_values(draw: Any) -> dict[str, Any]:
    return {
        "active": draw(active_values()),
        "applications": draw(applications_values(single_other_row=draw(st.booleans()))),
        "review_litigation": draw(review_values()),
    }


# ----------------------------------------------------------- one agency over several years


def build_years(years: int, count: Callable[[], int], number: Callable[[int, int], int]) -> list[dict[str, Any]]:
    """The tables of one agency's reports for ``years`` consecutive years, consistent within each
    year and between years: 上年结转 = last year's 结转下年度, 现行有效 = last year's + 制发 − 废止,
    and each block of table 4 counts at least the cases last year left 尚未审结. ``count()`` draws
    a count of cases, ``number(lo, hi)`` an integer in [lo, hi]."""
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for _ in range(years):
        applications = consistent_applications(
            count,
            lambda limit: min(count(), limit),
            previous["applications"]["carried_forward"] if previous else None,
        )
        active: dict[str, Any] = {}
        for row in ("rules", "normative_documents"):
            before = previous["active"][row]["in_force"] if previous else number(0, 300)
            issued = number(0, 60)
            repealed = number(0, before + issued)
            active[row] = {"issued": issued, "repealed": repealed, "in_force": before + issued - repealed}
        for row in ("licensing", "penalty", "coercion"):
            active[row] = {"decisions": number(0, 20000)}
        active["admin_fees"] = {"amount": f"{number(0, 99999)}.{number(0, 9999):04d}"}
        review: dict[str, Any] = {}
        for block in standard.REVIEW_LITIGATION.row_keys:
            parts = {k: count() for k in standard.REVIEW_PART_KEYS}
            if previous is not None:
                short = previous["review_litigation"][block]["pending"] - sum(parts.values())
                parts["upheld"] += max(short, 0)
            review[block] = {**parts, "total": sum(parts.values())}
        previous = {"active": active, "applications": applications, "review_litigation": review}
        out.append(previous)
    return out


@st.composite
def agency_years(draw: Any, years: int = 3) -> list[dict[str, Any]]:
    """``build_years`` with hypothesis drawing the numbers."""
    return build_years(years, lambda: draw(small), lambda lo, hi: draw(st.integers(lo, hi)))


def fixed_years(years: int, seed: int = 2024) -> list[dict[str, Any]]:
    """``build_years`` with a seeded generator: the same tables on every run."""
    import random

    rng = random.Random(seed)
    return build_years(years, lambda: rng.choice([0, 0, 0, 1, 2, 3, rng.randint(0, 40)]), rng.randint)
