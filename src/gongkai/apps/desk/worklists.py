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

The queues (``QUEUES``) are lists of who takes a case up next:

- mine: the signed-in person's cases not yet done (open, or decided and not yet delivered);
- unassigned: open cases without a handler;
- new online: online applications (``Channel.ONLINE``) still as registered, no step taken and no
  handler (``NEW_ONLINE``; counted in the navigation);
- third party: consultations and fee notices waiting for an answer (states ``consulting`` and
  ``awaiting_payment``), the earliest due first;
- all: every case of the registry, the latest registered first — the list the search box searches.

Letters awaiting sign-off are the sign-off queue of ``apps/signoff`` (linked from the queues).
Any list can be narrowed by the filters of ``filter_condition`` and sorted by ``SORTS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from gongkai.apps.cases.models import AWAITING_REVIEW, INCOMPLETE, Application, Channel
from gongkai.apps.letters.models import IssuedLetter
from gongkai.core.casework import lifecycle
from gongkai.core.casework.workdays import WorkCalendar, count_working_days

SOON_WORKING_DAYS = 3
# Lists of what registration found (an incomplete application, an online one awaiting review).
REGISTRATION_LISTS = {"incomplete": INCOMPLETE, "review": AWAITING_REVIEW}
# Open cases whose reply period is running: the applicant owes nothing and nothing pauses it.
RUNNING_STATES = lifecycle.OPEN_STATES - lifecycle.WAITING_STATES - lifecycle.PAUSING_STATES
# Online applications nobody has taken up yet: registered by the portal, no step, no handler.
NEW_ONLINE = Q(channel=Channel.ONLINE.value, state=lifecycle.State.REGISTERED.value, handler__isnull=True,
               correction_requested_on__isnull=True)
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
    queue: bool = False  # a queue (who takes the case up next) rather than a list of deadlines

    def condition(self, day: date, calendar: WorkCalendar, user=None) -> Q:
        if self.queue:
            return self.queue_condition(user)
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

    def queue_condition(self, user) -> Q:
        open_ = Q(state__in=values(lifecycle.OPEN_STATES))
        if self.key == "mine":
            mine = Q(handler=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
            return mine & (open_ | Q(state=lifecycle.State.DECIDED.value))
        if self.key == "unassigned":
            return open_ & Q(handler__isnull=True)
        if self.key == "new_online":
            return NEW_ONLINE
        if self.key == "third_party":
            return Q(state__in=[lifecycle.State.CONSULTING.value, lifecycle.State.AWAITING_PAYMENT.value])
        return Q()  # all


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
        WorkList("mine", "我承办的", "由我承办、尚未办结的申请（在办的和已决定待送达的）", _BY_DUE, queue=True),
        WorkList("unassigned", "未指定承办人", "尚未指定承办人的在办申请", _BY_DUE, queue=True),
        WorkList("new_online", "新的网上申请", "通过网上申请平台提交、尚未指定承办人也未办理任何步骤的申请", ("year", "serial"), queue=True),
        WorkList("third_party", "征求意见和收费待回复", "正在征求第三方或其他机关意见、或已发出收费通知等待缴费的申请", _BY_DUE, queue=True),
        WorkList("all", "全部申请", "登记簿中的全部申请（后登记的在前），可按编号、申请人、申请内容、文书文号查询并筛选", ("-pk",), queue=True),
    )
}
QUEUES = [w for w in WORKLISTS.values() if w.queue]
DEADLINE_LISTS = [w for w in WORKLISTS.values() if not w.queue]


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


# The sortable columns: key -> (label, the fields in order); ties are broken by the primary key,
# so that a sort is stable (the same order on every page and in the export).
SORTS = {
    "number": ("编号", ("year", "serial")),
    "received": ("收到日期", ("received_on",)),
    "due": ("答复期限", ("due_on",)),
    "state": ("状态", ("state",)),
    "handler": ("承办人", ("handler__last_name", "handler__first_name", "handler__username")),
}
UNASSIGNED = "none"  # the handler filter's "no handler yet"


def sort_ordering(sort: str) -> tuple | None:
    """The ordering of ``sort`` ("due", "-received", …), empty values last either way; None if unknown."""
    descending = sort.startswith("-")
    entry = SORTS.get(sort.lstrip("-"))
    if entry is None:
        return None
    fields = [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in entry[1]]
    return (*fields, "-pk" if descending else "pk")


def filter_condition(filters: dict, day: date) -> Q:
    """The filters of the work-list form (``WorklistFilterForm.cleaned_data``) as one condition:
    state, outcome, channel, handler (or ``UNASSIGNED``), received from/to (inclusive), overdue (the
    reply period running and ended before ``day``), extended."""
    condition = Q()
    for name in ("state", "outcome", "channel"):
        if filters.get(name):
            condition &= Q(**{name: filters[name]})
    handler = filters.get("handler")
    if handler == UNASSIGNED:
        condition &= Q(handler__isnull=True)
    elif handler:
        condition &= Q(handler_id=int(handler))
    if filters.get("received_from"):
        condition &= Q(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        condition &= Q(received_on__lte=filters["received_to"])
    if filters.get("overdue"):
        condition &= Q(state__in=values(RUNNING_STATES), due_on__lt=day)
    if filters.get("extended"):
        condition &= Q(extended=True)
    return condition


def worklist_cases(worklist: WorkList, agencies, day: date, calendar: WorkCalendar, search: str = "",
                   user=None, filters: dict | None = None, sort: str = "") -> QuerySet:
    """The cases of ``worklist`` in ``agencies`` (a queryset or list of agencies) on ``day``, for
    ``user`` (the queues "mine"), narrowed by ``search`` and ``filters``, sorted by ``sort`` (a key of
    ``SORTS``, "-" first for descending) or else in the list's own order."""
    ordering = sort_ordering(sort) if sort else None
    if ordering is None:
        ordering = (*worklist.ordering, *(() if "-pk" in worklist.ordering else ("pk",)))
    return (
        Application.objects.filter(agency__in=agencies)
        .filter(worklist.condition(day, calendar, user))
        .filter(search_condition(search))
        .filter(filter_condition(filters or {}, day))
        .select_related("agency", "handler")
        .order_by(*ordering)
    )
