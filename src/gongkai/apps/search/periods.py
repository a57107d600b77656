"""Periods of publication as search terms, so that the full-text index itself can answer "these
words, published between two dates".

On PostgreSQL every vector of the index also holds its item's publication year, month and day
(``period_terms``: ``@2026``, ``@2026-11``, ``@2026-11-21``). No query can produce such a term: a
query's terms are letters, digits and CJK only (``segment``). A search for the newest matches
then asks the GIN index one slice of time at a time, newest first (``cover`` gives the fewest
terms that name exactly the days of a slice), and reads from the table only the matches of the
slices it needs, instead of every match of a common word to sort them by date.

Pure Python: the same terms are written by SQL in migration ``search/0002`` (checked by
``tests/web/test_search.py``)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

PREFIX = "@"


def year_term(year: int) -> str:
    return f"{PREFIX}{year:04d}"


def month_term(year: int, month: int) -> str:
    return f"{PREFIX}{year:04d}-{month:02d}"


def day_term(day: date) -> str:
    return f"{PREFIX}{day.year:04d}-{day.month:02d}-{day.day:02d}"


def period_terms(day: date) -> tuple[str, str, str]:
    """The year, month and day terms of a publication date."""
    return year_term(day.year), month_term(day.year, day.month), day_term(day)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def cover(first: date, last: date) -> list[str]:
    """The fewest period terms whose days are exactly ``first`` to ``last`` (both included):
    whole years as year terms, whole months as month terms, the other days as day terms."""
    if last < first:
        return []
    terms: list[str] = []
    day = first
    while day <= last:
        year_end = date(day.year, 12, 31)
        if day.month == 1 and day.day == 1 and year_end <= last:
            terms.append(year_term(day.year))
            day = year_end + timedelta(days=1)
            continue
        month_end = _month_end(day.year, day.month)
        if day.day == 1 and month_end <= last:
            terms.append(month_term(day.year, day.month))
            day = month_end + timedelta(days=1)
            continue
        terms.append(day_term(day))
        day += timedelta(days=1)
    return terms


def months_touched(first: date, last: date) -> list[str]:
    """Fewer terms for a long slice: whole years inside it as year terms, and every other month
    it touches, whole, as month terms. They name the slice's days and some days around it; the
    caller keeps only the slice's days by a condition on the date."""
    if last < first:
        return []
    terms: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month == 1 and date(year, 1, 1) >= first and date(year, 12, 31) <= last:
            terms.append(year_term(year))
            year += 1
            continue
        terms.append(month_term(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return terms
