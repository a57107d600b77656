"""The work lists of the staff workspace: which cases need attention, as one indexed query.

Every list is a condition on ``Application.state`` and the stored ``Application.due_on`` (kept
current by every lifecycle step), so that a list is one query on the ``application_worklist``
index (agency, state, due_on). The same conditions count the dashboard's figures and choose the
cases of the reminder e-mails, so the three never disagree.

- due today: the period is running (not waiting for the applicant, not paused) and ends today;
- due soon: running and ending after today, at the latest on the 3rd working day after today
  (the State Council's calendar with staff's holiday table, make-up working days included);
- overdue: running and ended before today;
- waiting: waiting for the applicant (a correction or a fee payment, ``lifecycle.WAITING_STATES``);
- consultation overdue: consulting, and the third party's 15 working days (条例 Art. 32, the stored
  ``consultation_due_on``) ended before today;
- undelivered: decided but the reply not yet delivered (state ``decided``): the case is not done
  until ``send_reply``;
- open: every open case (``lifecycle.OPEN_STATES``), paused consultations included;
- incomplete: registered without the applicant's identity proof or contact, no correction asked
  yet (``cases.models.INCOMPLETE``); review: online applications flagged for review, not yet asked
  for reasons (``cases.models.AWAITING_REVIEW``, 条例 Art. 35);
- closed: decided, replied, closed, withdrawn, merged or voided; the latest registered first (a backward
  scan of the primary key, so that even a county's 100,000 closed cases list at once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.apps.cases.models import AWAITING_REVIEW, INCOMPLETE, Application
from gongkai.apps.letters.models import IssuedLetter
from gongkai.core.casework import lifecycle
from gongkai.core.casework.workdays import WorkCalendar, count_working_days

SOON_WORKING_DAYS = 3
# Lists of what registration found (an incomplete application, an online one awaiting review).
REGISTRATION_LISTS = {"incomplete": INCOMPLETE, "review": AWAITING_REVIEW}
# Open cases whose reply period is running: the applicant owes nothing and nothing pauses it.
RUNNING_STATES = lifecycle.OPEN_STATES - lifecycle.WAITING_STATES - lifecycle.PAUSING_STATES
NUMBER = re.compile(r"^\s*(\d{4})\s*[-－—年]\s*(\d{1,6})\s*号?\s*$")
PART_OF_NUMBER = re.compile(r"^\s*(?:\d{1,6}|\d{4}\s*[-－—]\s*\d{0,3})\s*$")


def values(states) -> list[str]:
    return sorted(s.value for s in states)


def today() -> date:
    """Today in the configured time zone (Asia/Shanghai); the one clock of the workspace."""
    return timezone.localdate()


def soon_limit(day: date, calendar: WorkCalendar) -> date:
    """The last day of "within 3 working days": the 3rd working day after ``day``."""
    return count_working_days(day, SOON_WORKING_DAYS, calendar).due


@dataclass(frozen=True)
class WorkList:
    key: str
    label: str
    description: str
    ordering: tuple

    def condition(self, day: date, calendar: WorkCalendar) -> Q:
        running = Q(state__in=values(RUNNING_STATES))
        if self.key == "due_today":
            return running & Q(due_on=day)
        if self.key == "due_soon":
            return running & Q(due_on__gt=day, due_on__lte=soon_limit(day, calendar))
        if self.key == "overdue":
            return running & Q(due_on__lt=day)
        if self.key == "waiting":
            return Q(state__in=values(lifecycle.WAITING_STATES))
        if self.key == "consultation_overdue":
            return Q(state=lifecycle.State.CONSULTING.value, consultation_due_on__lt=day)
        if self.key == "undelivered":
            return Q(state=lifecycle.State.DECIDED.value)
        if self.key == "open":
            return Q(state__in=values(lifecycle.OPEN_STATES))
        if self.key in REGISTRATION_LISTS:
            return REGISTRATION_LISTS[self.key]
        return ~Q(state__in=values(lifecycle.OPEN_STATES))


_BY_DUE = ("due_on", "year", "serial")
WORKLISTS: dict[str, WorkList] = {
    w.key: w
    for w in (
        WorkList("due_today", "今日到期", "答复期限为今天、仍在计算期限的申请", _BY_DUE),
        WorkList("due_soon", "3个工作日内到期", "答复期限在今天之后、第3个工作日之前（含）届满的申请（按国务院节假日安排计算）", _BY_DUE),
        WorkList("overdue", "已逾期", "答复期限已届满仍未作出答复决定的申请（不含待补正、待缴费和征求意见暂停期间）", _BY_DUE),
        WorkList("waiting", "待申请人补正或缴费", "已告知补正或已发出收费通知，等待申请人的申请", _BY_DUE),
        WorkList("consultation_overdue", "征求意见逾期",
                 "征求第三方意见已超过第三方提出意见的15个工作日（《条例》第三十二条），应依法决定是否公开的申请",
                 ("consultation_due_on", "year", "serial")),
        WorkList("undelivered", "待送达", "已作出答复决定、答复尚未送达申请人的申请（送达后办结）",
                 ("decided_on", "year", "serial")),
        WorkList("open", "全部在办", "尚未作出答复决定的全部申请（含征求意见暂停期间）", _BY_DUE),
        WorkList("incomplete", "信息不完整", "在办申请中缺少申请人身份证明或联系方式、需要告知补正的（《条例》第三十条）", _BY_DUE),
        WorkList("review", "待审查的网上申请", "同一申请人当日网上申请超过一定件数等、待承办人审查是否要求说明理由的申请（《条例》第三十五条）", _BY_DUE),
        WorkList("closed", "已决定或办结", "已作出答复决定、已送达、已办结、已撤回、已合并或已作废登记的申请（后登记的在前）", ("-pk",)),
    )
}


def number_condition(text: str) -> Q:
    """Cases whose number is or begins with ``text``: "2026-0042" or "2026年42号" (that case),
    "2026-004" (2026-0040 to 2026-0049 as well), "0042" or "42" (serial 42 of any year)."""
    text = text.strip().replace("－", "-").replace("—", "-")
    condition = Q(pk__in=[])
    match = NUMBER.match(text)
    if match:
        condition |= Q(year=int(match.group(1)), serial=int(match.group(2)))
    if not PART_OF_NUMBER.match(text):
        return condition
    if "-" not in text:
        return condition | Q(serial=int(text))
    year, prefix = (part.strip() for part in text.split("-", 1))
    if len(prefix) < 4:  # the start of a zero-padded serial (numbers show 4 digits)
        scale = 10 ** (4 - len(prefix))
        low = int(prefix) * scale if prefix else 0
        condition |= Q(year=int(year), serial__gte=low, serial__lt=low + scale if prefix else 10 ** 9)
    return condition


def search_condition(text: str) -> Q:
    """Cases whose number is or begins with ``text`` (``number_condition``), or whose applicant,
    description or a letter's 文号 contains it."""
    text = text.strip()
    if not text:
        return Q()
    condition = (Q(applicant_name__icontains=text) | Q(description__icontains=text)
                 | Q(pk__in=IssuedLetter.objects.filter(number__icontains=text).values("application_id")))
    condition |= number_condition(text)
    return condition


def worklist_cases(worklist: WorkList, agencies, day: date, calendar: WorkCalendar, search: str = "") -> QuerySet:
    """The cases of ``worklist`` in ``agencies`` (a queryset or list of agencies) on ``day``."""
    return (
        Application.objects.filter(agency__in=agencies)
        .filter(worklist.condition(day, calendar))
        .filter(search_condition(search))
        .select_related("agency", "handler")
        .order_by(*worklist.ordering, *(() if "-pk" in worklist.ordering else ("pk",)))
    )
