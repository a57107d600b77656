"""Hypothesis strategies: reports whose numbers are random and consistent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from hypothesis import strategies as st

from gongkai.core import standard
from gongkai.core.standard import APPLICANT_KEYS, OTHER_SUB_ROWS, OUTCOME_KEYS, SINGLE_OTHER_ROW

small = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 400))


def consistent_applications(count: Callable[[], int], carried_over: Callable[[int], int]) -> dict[str, dict[str, int]]:
    """Table 3 that balances: ``count()`` draws each outcome and carried-forward cell,
    ``carried_over(limit)`` a carried-over count of at most ``limit``; new_received follows."""
    rows: dict[str, dict[str, int]] = {k: {} for k in standard.APPLICATIONS.row_keys}
    for column in APPLICANT_KEYS:
        outcomes = {k: count() for k in OUTCOME_KEYS}
        total = sum(outcomes.values())
        forward = count()
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
