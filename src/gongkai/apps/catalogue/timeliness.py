"""Timeliness (条例 Art. 26): items published late or overdue, and the stored deadlines
recomputed after the holiday table changed."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q

from gongkai.apps.holidays.models import work_calendar
from gongkai.core.casework import catalogue as rules

from .items import ISSUED_STATES, UNPUBLISHED
from .models import Item


def late_items(agencies, day: date):
    """Items published after their deadline, and items not yet published whose deadline has passed."""
    return (Item.objects.filter(agency__in=agencies)
            .filter(Q(state__in=ISSUED_STATES, published_on__gt=F("due_on"))
                    | Q(state__in=UNPUBLISHED, due_on__lt=day))
            .select_related("agency", "category").order_by("due_on", "pk"))


def refresh_due_dates() -> int:
    """Recompute the stored deadlines after the holiday table changed: one update per date made."""
    calendar = work_calendar()
    changed = 0
    for made_on in Item.objects.order_by().values_list("made_on", flat=True).distinct():
        deadline = rules.active_disclosure_deadline(made_on, calendar)
        changed += (Item.objects.filter(made_on=made_on)
                    .exclude(due_on=deadline.due, due_provisional=deadline.provisional)
                    .update(due_on=deadline.due, due_provisional=deadline.provisional))
    return changed
