"""Entering the State Council's holiday notice of a year, and what it changes.

``preview_notice`` reads the pasted notice (``core/casework/holiday_notice.py``) and works out,
without storing anything, the reply due dates of open applications that the new days would
move; ``enter_notice`` stores the days (replacing the year's earlier entries), marks the year
complete, and lets the registry recompute every stored due date (``calendar_changed``) — the
same recomputation the preview showed. Both are one transaction; a notice that cannot be read
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from gongkai.core.casework.holiday_notice import read_notice
from gongkai.core.casework.workdays import DayRule, WorkCalendar, library_covers  # noqa: F401 (library_covers: views)

from .models import HolidayDay, NoticeYear, announce_calendar_change


@dataclass(frozen=True)
class DueChange:
    """One open application whose reply due date the notice moves."""

    application: object
    before: date | None
    before_provisional: bool
    after: date | None
    after_provisional: bool


@dataclass(frozen=True)
class NoticePreview:
    year: int
    rules: list[DayRule]
    changes: list[DueChange]  # of the applications asked about (those the person may see)
    changed_total: int  # of every open application, whoever may see it

    @property
    def holidays(self) -> list[DayRule]:
        return [r for r in self.rules if not r.workday]

    @property
    def workdays(self) -> list[DayRule]:
        return [r for r in self.rules if r.workday]


def calendar_with(year: int, rules: list[DayRule]) -> WorkCalendar:
    """The calendar as it would be with ``rules`` as ``year``'s days (the year complete)."""
    kept = [DayRule(d.day, d.workday, d.name) for d in HolidayDay.objects.exclude(day__year=year)]
    complete = set(NoticeYear.objects.filter(complete=True).values_list("year", flat=True)) | {year}
    return WorkCalendar([*kept, *rules], complete)


def _due_changes(calendar: WorkCalendar, visible) -> tuple[list[DueChange], int]:
    from gongkai.apps.cases.models import Application
    from gongkai.apps.cases.services import lifecycle_case
    from gongkai.core.casework import lifecycle

    open_states = [s.value for s in lifecycle.OPEN_STATES]
    changes, total = [], 0
    visible_ids = set(visible.values_list("pk", flat=True)) if visible is not None else None
    for application in (Application.objects.filter(state__in=open_states).select_related("agency")
                        .prefetch_related("pauses").order_by("due_on", "pk")):
        deadline = lifecycle_case(application).reply_deadline(calendar)
        if (deadline.due, deadline.provisional) == (application.due_on, application.due_provisional):
            continue
        total += 1
        if visible_ids is None or application.agency_id in visible_ids:
            changes.append(DueChange(application, application.due_on, application.due_provisional,
                                     deadline.due, deadline.provisional))
    return changes, total


def preview_notice(text: str, year: int, visible_agencies=None) -> NoticePreview:
    """The days of the pasted notice and the due dates they would move (NoticeError if unreadable)."""
    rules = read_notice(text, year)
    changes, total = _due_changes(calendar_with(year, rules), visible_agencies)
    return NoticePreview(year, rules, changes, total)


def enter_notice(text: str, year: int, title: str, visible_agencies=None) -> NoticePreview:
    """Store the notice's days as ``year``'s (replacing what was entered for it) and mark the year
    complete; the stored due dates are recomputed when the transaction commits."""
    with transaction.atomic():
        preview = preview_notice(text, year, visible_agencies)
        HolidayDay.objects.filter(day__year=year).delete()
        # A range that starts in the year before (New Year's Eve) replaces that day's entry too.
        HolidayDay.objects.filter(day__in=[r.day for r in preview.rules]).delete()
        HolidayDay.objects.bulk_create([HolidayDay(day=r.day, workday=r.workday, name=r.name) for r in preview.rules])
        NoticeYear.objects.update_or_create(year=year, defaults={"notice": title.strip()[:200], "complete": True})
        announce_calendar_change()
    return preview


def add_day(day: date, workday: bool, name: str) -> HolidayDay:
    """One day entered by hand (ValidationError in Chinese where it cannot be)."""
    with transaction.atomic():
        entry = HolidayDay.objects.filter(day=day).first() or HolidayDay(day=day)
        entry.workday, entry.name = workday, name.strip()[:40]
        entry.full_clean()
        entry.save()
        announce_calendar_change()
    return entry


def remove_day(day: date) -> bool:
    with transaction.atomic():
        removed, _ = HolidayDay.objects.filter(day=day).delete()
        if removed:
            announce_calendar_change()
    return bool(removed)


def years() -> list[dict]:
    """The years the calendar knows: entered notices, and the years chinese-calendar covers."""
    entered = {n.year: n for n in NoticeYear.objects.all()}
    counts: dict[int, int] = {}
    for day in HolidayDay.objects.values_list("day", flat=True):
        counts[day.year] = counts.get(day.year, 0) + 1
    today = date.today()
    span = sorted(set(entered) | set(counts) | {today.year, today.year + 1})
    return [{"year": y, "notice": entered.get(y), "days": counts.get(y, 0), "library": library_covers(y),
             "known": library_covers(y) or (entered.get(y) is not None and entered[y].complete)} for y in span]
