"""Reminder e-mails and notices: each handler and approver (with an e-mail address) of an agency gets one
Chinese digest of that agency's cases due today, due within 3 working days, and overdue; no mail
when there is none. The lists are the work lists (``worklists.WORKLISTS``). The same run leaves an
in-app notice of each such case for its handler (``notify_due``), once per case and due date.

One bad record never stops the run: each e-mail is sent on its own, a failure is logged with its
cause and counted, and the others are still sent (the command then exits non-zero). Header values
(the subject carries the agency's name) are kept on one line: a line break in a name would
otherwise be a header injection, refused by Django's mail."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.holidays.models import work_calendar
from gongkai.apps.notices import services as notices
from gongkai.apps.notices.models import Notification

Kind = Notification.Kind

from .worklists import WORKLISTS, soon_limit

REMINDED = ("due_today", "due_soon", "overdue")
log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def header_text(value: str) -> str:
    """``value`` on one line, fit for a mail header: line breaks and control characters become spaces."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


@dataclass
class Outcome:
    """What a reminder run did: e-mails sent, and those that failed (recipient, error)."""

    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


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
        return header_text(f"【公开】{self.agency}办理提醒（{self.day.isoformat()}）：{counts}")

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
                 .order_by("agency__order_path", *WORKLISTS[key].ordering, "pk"))
        for case in cases:
            digest = digests.setdefault(case.agency_id, Digest(case.agency, day, limit))
            digest.sections.setdefault(key, []).append(case)
    return sorted(digests.values(), key=lambda d: d.agency.order_path)


def recipients(agencies) -> dict[int, list]:
    """The handlers and approvers with an e-mail address of each agency, each person once."""
    people: dict[int, dict[int, object]] = defaultdict(dict)
    acting = permissions.roles_for(permissions.Action.ACT)
    memberships = (Membership.objects.filter(agency__in=agencies, role__in=acting, user__is_active=True)
                   .exclude(user__email="").select_related("user").order_by("user__username"))
    for membership in memberships:
        people[membership.agency_id][membership.user_id] = membership.user
    return {agency: list(users.values()) for agency, users in people.items()}


def notify_due(digests: list[Digest]) -> None:
    """The in-app notices of the run (``notices.services.due``): each case due today or within 3
    working days, and each overdue case, to its handler (or the agency's handlers and approvers)."""
    acting: dict[int, list] = defaultdict(list)
    for membership in (Membership.objects.filter(agency__in=[d.agency for d in digests], user__is_active=True,
                                                 role__in=permissions.roles_for(permissions.Action.ACT))
                       .select_related("user").order_by("user_id")):
        acting[membership.agency_id].append(membership.user)
    entries = []
    for digest in digests:
        for key in REMINDED:
            for case in digest.sections.get(key, []):
                due = case.due_on.isoformat()
                if key == "overdue":
                    kind, text = Kind.OVERDUE, f"申请 {case.number} 答复期限 {due} 已届满，尚未作出答复决定"
                else:
                    when = "今日到期" if key == "due_today" else "3个工作日内到期"
                    kind, text = Kind.DUE_SOON, f"申请 {case.number} 答复期限 {due}，{when}"
                entries.append((kind, case, text, acting[digest.agency.pk]))
    notices.due(entries)


def send_reminders(day: date, base_url: str | None = None) -> Outcome:
    """Send the digests of ``day``, each e-mail on its own: one that fails (a bad address, a
    refused message, a template error) is logged and counted, and the others are still sent."""
    base_url = (base_url or settings.GONGKAI_BASE_URL).rstrip("/")
    digests = build_digests(day)
    notify_due(digests)
    to = recipients([d.agency for d in digests])
    outcome = Outcome()
    with get_connection() as connection:
        for digest in digests:
            people = to.get(digest.agency.pk, [])
            if not people:
                continue
            try:
                subject, body = digest.subject(), digest.body(base_url)
            except Exception as error:  # noqa: BLE001 - one agency's digest must not stop the others
                log.exception("reminder digest of agency %s failed", digest.agency.pk)
                outcome.failed += [(user.email, f"{type(error).__name__}: {error}") for user in people]
                continue
            for user in people:
                try:
                    connection.send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])])
                except Exception as error:  # noqa: BLE001 - logged and counted; the others are still sent
                    log.exception("reminder e-mail to user %s (agency %s) failed", user.pk, digest.agency.pk)
                    outcome.failed.append((user.email, f"{type(error).__name__}: {error}"))
                else:
                    outcome.sent += 1
    return outcome
