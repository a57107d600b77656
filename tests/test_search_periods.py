"""The period terms of the search index (``gongkai.apps.search.periods``): a slice of days is
named by the fewest year, month and day terms, and a date falls in the slice exactly when one of
its own terms is among them."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gongkai.apps.search.periods import cover, months_touched, period_terms

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


def test_period_terms():
    assert period_terms(date(2026, 3, 5)) == ("@2026", "@2026-03", "@2026-03-05")


def test_cover_uses_whole_years_and_months():
    assert cover(date(2026, 1, 1), date(2026, 12, 31)) == ["@2026"]
    assert cover(date(2024, 2, 1), date(2024, 2, 29)) == ["@2024-02"]
    assert cover(date(2025, 12, 30), date(2027, 2, 3)) == [
        "@2025-12-30", "@2025-12-31", "@2026", "@2027-01", "@2027-02-01", "@2027-02-02", "@2027-02-03"]
    assert cover(date(2026, 5, 2), date(2026, 5, 1)) == []


@given(days, st.integers(min_value=0, max_value=2000), days)
def test_a_day_is_in_the_cover_exactly_when_it_is_in_the_slice(first, length, day):
    last = first + timedelta(days=length)
    terms = set(cover(first, last))
    assert bool(terms & set(period_terms(day))) == (first <= day <= last)
    assert len(terms) <= 31 + 11 + (length // 365 + 1) + 11 + 31


@given(days, st.integers(min_value=0, max_value=800))
def test_no_term_of_a_cover_is_inside_another(first, length):
    terms = cover(first, first + timedelta(days=length))
    assert len(terms) == len(set(terms))
    for term in terms:
        assert not any(other != term and term.startswith(other) for other in terms)


@given(days, st.integers(min_value=0, max_value=2000), days)
def test_months_touched_name_every_day_of_the_slice_and_whole_months_only(first, length, day):
    last = first + timedelta(days=length)
    terms = set(months_touched(first, last))
    found = bool(terms & set(period_terms(day)))
    if first <= day <= last:
        assert found
    # Nothing beyond the months of the slice's ends.
    if day < first.replace(day=1) or (day.year, day.month) > (last.year, last.month):
        assert not found
    assert len(terms) <= 12 + 12 + length // 365 + 1
