"""Reminder e-mails: each handler and approver (with an e-mail address) of an agency gets one
Chinese digest of that agency's cases due today, due within 3 working days, and overdue; no mail
when there is none. The lists are the work lists (``worklists.WORKLISTS``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.holidays.models import work_calendar

from .access import ACTING_ROLES
from .worklists import WORKLISTS, soon_limit

REMINDED = ("due_today", "due_soon", "overdue")


@dataclass
class Digest:
    agency: Agency
    day: date
    soon_limit: date
    sections: dict[str, list[Application]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(cases) for cases in self.sections.values())

    def subject(self) -> str:
        counts = "、".join(f"{WORKLISTS[key].label} {len(self.sections.get(key, []))} 件" for key in REMINDED)
        return f"【公开】{self.agency}办理提醒（{self.day.isoformat()}）：{counts}"

    def body(self, base_url: str) -> str:
        sections = [
            (WORKLISTS[key], [(case, base_url + reverse("desk:case", args=[case.pk])) for case in self.sections[key]],
             base_url + reverse("desk:worklist", args=[key]) + f"?agency={self.agency.pk}")
            for key in REMINDED if self.sections.get(key)
        ]
        return render_to_string("desk/email/reminder.txt", {"digest": self, "sections": sections,
                                                            "home": base_url + reverse("desk:home")})


def build_digests(day: date) -> list[Digest]:
    """One digest per agency that has cases due today, within 3 working days, or overdue."""
    calendar = work_calendar()
    conditions = {key: WORKLISTS[key].condition(day, calendar) for key in REMINDED}
    digests: dict[int, Digest] = {}
    limit = soon_limit(day, calendar)
    for key, condition in conditions.items():
        cases = (Application.objects.filter(condition).select_related("agency", "handler")
                 .order_by("agency__path", *WORKLISTS[key].ordering, "pk"))
        for case in cases:
            digest = digests.setdefault(case.agency_id, Digest(case.agency, day, limit))
            digest.sections.setdefault(key, []).append(case)
    return sorted(digests.values(), key=lambda d: d.agency.path)


def recipients(agencies) -> dict[int, list]:
    """The handlers and approvers with an e-mail address of each agency, each person once."""
    people: dict[int, dict[int, object]] = defaultdict(dict)
    memberships = (Membership.objects.filter(agency__in=agencies, role__in=ACTING_ROLES, user__is_active=True)
                   .exclude(user__email="").select_related("user").order_by("user__username"))
    for membership in memberships:
        people[membership.agency_id][membership.user_id] = membership.user
    return {agency: list(users.values()) for agency, users in people.items()}


def send_reminders(day: date, base_url: str | None = None) -> int:
    """Send the digests of ``day``; the number of e-mails sent."""
    base_url = (base_url or settings.GONGKAI_BASE_URL).rstrip("/")
    digests = build_digests(day)
    to = recipients([d.agency for d in digests])
    messages = []
    for digest in digests:
        body = digest.body(base_url)
        for user in to.get(digest.agency.pk, []):
            messages.append(EmailMessage(digest.subject(), body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
