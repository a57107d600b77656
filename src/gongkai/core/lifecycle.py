"""The lifecycle of a disclosure application as explicit states and transitions (条例 Art. 30–39).

Pure Python: the web application stores the state and the events; the rules live here, so that
every entry point refuses the same illegal steps with the same Chinese message.

    registered ──request_correction──▶ awaiting_correction ──receive_correction──▶ registered
         │                                   └──correction_lapsed──▶ decided (other_no_correction)
         ├──start_consultation──▶ consulting ──end_consultation──▶ registered
         ├──send_fee_notice──▶ awaiting_payment ──receive_payment──▶ registered
         │                                   └──payment_lapsed──▶ decided (other_unpaid_fee)
         ├──extend (once, approver; also while consulting)
         ├──decide(outcome)──▶ decided ──send_reply──▶ replied ──close──▶ closed
         ├──withdraw──▶ withdrawn            (also while waiting; counted as other_other)
         └──merge──▶ merged                  (the same request registered twice; not counted)

A decision has exactly one of the 21 outcomes of table 3 (a partly disclosed application is
``partial`` and nothing else). A withdrawn application ends as ``other_other`` (（六）3.其他), so
that table 3 still balances; a merged registration is the same application entered twice (by
post and online, say) and is not counted at all. The days from a fee notice to the payment do not
count towards the reply period (国办函〔2020〕109号), like a consultation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from . import standard
from .fees import payment_deadline
from .workdays import (
    CORRECTION_PERIOD_WORKING_DAYS,
    CORRECTION_REQUEST_WORKING_DAYS,
    DEFAULT_CALENDAR,
    Deadline,
    Pause,
    WorkCalendar,
    correction_request_deadline,
    count_working_days,
    reply_deadline,
)


class State(str, Enum):
    REGISTERED = "registered"
    AWAITING_CORRECTION = "awaiting_correction"
    CONSULTING = "consulting"
    AWAITING_PAYMENT = "awaiting_payment"
    DECIDED = "decided"
    REPLIED = "replied"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.REGISTERED: "办理中",
    State.AWAITING_CORRECTION: "待申请人补正",
    State.CONSULTING: "征求意见中（期限暂停）",
    State.AWAITING_PAYMENT: "待申请人缴费（期限暂停）",
    State.DECIDED: "已作出答复决定",
    State.REPLIED: "已送达答复",
    State.CLOSED: "已办结",
    State.WITHDRAWN: "申请人已撤回",
    State.MERGED: "已合并为重复申请",
}


class Event(str, Enum):
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CORRECTION_LAPSED = "correction_lapsed"
    START_CONSULTATION = "start_consultation"
    END_CONSULTATION = "end_consultation"
    SEND_FEE_NOTICE = "send_fee_notice"
    RECEIVE_PAYMENT = "receive_payment"
    PAYMENT_LAPSED = "payment_lapsed"
    EXTEND = "extend"
    DECIDE = "decide"
    SEND_REPLY = "send_reply"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    MERGE = "merge"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    Event.REQUEST_CORRECTION: "一次性告知补正",
    Event.RECEIVE_CORRECTION: "收到补正",
    Event.CORRECTION_LAPSED: "逾期未补正",
    Event.START_CONSULTATION: "开始征求第三方或其他机关意见",
    Event.END_CONSULTATION: "征求意见结束",
    Event.SEND_FEE_NOTICE: "发出收费通知",
    Event.RECEIVE_PAYMENT: "收到缴费",
    Event.PAYMENT_LAPSED: "逾期未缴费",
    Event.EXTEND: "延长答复期限",
    Event.DECIDE: "作出答复决定",
    Event.SEND_REPLY: "送达答复",
    Event.CLOSE: "办结",
    Event.WITHDRAW: "撤回申请",
    Event.MERGE: "合并重复申请",
}

# event -> (states it may happen in, state after it; None: stays)
TRANSITIONS: dict[Event, tuple[frozenset[State], State | None]] = {
    Event.REQUEST_CORRECTION: (frozenset({State.REGISTERED}), State.AWAITING_CORRECTION),
    Event.RECEIVE_CORRECTION: (frozenset({State.AWAITING_CORRECTION}), State.REGISTERED),
    Event.CORRECTION_LAPSED: (frozenset({State.AWAITING_CORRECTION}), State.DECIDED),
    Event.START_CONSULTATION: (frozenset({State.REGISTERED}), State.CONSULTING),
    Event.END_CONSULTATION: (frozenset({State.CONSULTING}), State.REGISTERED),
    Event.SEND_FEE_NOTICE: (frozenset({State.REGISTERED}), State.AWAITING_PAYMENT),
    Event.RECEIVE_PAYMENT: (frozenset({State.AWAITING_PAYMENT}), State.REGISTERED),
    Event.PAYMENT_LAPSED: (frozenset({State.AWAITING_PAYMENT}), State.DECIDED),
    Event.EXTEND: (frozenset({State.REGISTERED, State.CONSULTING}), None),
    Event.DECIDE: (frozenset({State.REGISTERED}), State.DECIDED),
    Event.SEND_REPLY: (frozenset({State.DECIDED}), State.REPLIED),
    Event.CLOSE: (frozenset({State.REPLIED}), State.CLOSED),
    Event.WITHDRAW: (
        frozenset({State.REGISTERED, State.AWAITING_CORRECTION, State.CONSULTING, State.AWAITING_PAYMENT}),
        State.WITHDRAWN,
    ),
    Event.MERGE: (frozenset({State.REGISTERED, State.AWAITING_CORRECTION}), State.MERGED),
}

OUTCOMES = standard.OUTCOME_KEYS  # the 21 rows of table 3
# The states in which an application is still open at the end of a year (carried forward).
OPEN_STATES = frozenset({State.REGISTERED, State.AWAITING_CORRECTION, State.CONSULTING, State.AWAITING_PAYMENT})
# Open, but the next move is the applicant's (the work list "waiting for the applicant").
WAITING_STATES = frozenset({State.AWAITING_CORRECTION, State.AWAITING_PAYMENT})
# Pauses of the reply period: their working days do not count.
PAUSING_STATES = frozenset({State.CONSULTING, State.AWAITING_PAYMENT})
# The outcome a withdrawn application is counted under in table 3.
WITHDRAWN_OUTCOME = "other_other"


class TransitionError(ValueError):
    """A step the law or the lifecycle does not allow, said in Chinese."""


@dataclass(frozen=True)
class Case:
    """What the lifecycle needs to know of an application."""

    received_on: date
    state: State = State.REGISTERED
    correction_requested_on: date | None = None
    corrected_on: date | None = None
    pauses: tuple[Pause, ...] = ()
    open_pause_start: date | None = None
    extended: bool = False
    outcome: str | None = None
    decided_on: date | None = None
    replied_on: date | None = None
    history: tuple[tuple[Event, date], ...] = field(default_factory=tuple)

    def reply_deadline(self, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline:
        pauses = list(self.pauses)
        return reply_deadline(self.received_on, self.corrected_on, pauses, self.extended, calendar)


def apply(case: Case, event: Event, on: date, *, outcome: str | None = None,
          calendar: WorkCalendar = DEFAULT_CALENDAR,
          correction_working_days: int = CORRECTION_PERIOD_WORKING_DAYS) -> Case:
    """The case after ``event`` on day ``on``, or TransitionError with the reason.
    ``correction_working_days``: the period the agency gives the applicant to correct (its letter
    setting); the application can end as not corrected only after it."""
    allowed, target = TRANSITIONS[event]
    if case.state not in allowed:
        raise TransitionError(f"申请处于“{case.state.label}”状态，不能{event.label}")
    last = case.history[-1][1] if case.history else case.received_on
    if on < last:
        raise TransitionError(f"{event.label}的日期 {on.isoformat()} 早于上一步的日期 {last.isoformat()}")
    changes: dict = {}
    if event is Event.REQUEST_CORRECTION:
        if case.correction_requested_on is not None:
            raise TransitionError("补正只能一次性告知，已告知过补正（《条例》第三十条）")
        due = correction_request_deadline(case.received_on, calendar).due
        if on > due:
            raise TransitionError(
                f"补正告知应在收到申请之日起{CORRECTION_REQUEST_WORKING_DAYS}个工作日内作出（截至 {due.isoformat()}），"
                f"{on.isoformat()} 已逾期（《条例》第三十条）"
            )
        changes["correction_requested_on"] = on
    elif event is Event.RECEIVE_CORRECTION:
        changes["corrected_on"] = on
    elif event is Event.CORRECTION_LAPSED:
        due = count_working_days(case.correction_requested_on or case.received_on, correction_working_days,
                                 calendar).due
        if on <= due:
            raise TransitionError(
                f"补正期限至 {due.isoformat()} 届满，届满之前不能按逾期未补正处理（《条例》第三十条）"
            )
        changes.update(outcome="other_no_correction", decided_on=on)
    elif event in (Event.START_CONSULTATION, Event.SEND_FEE_NOTICE):
        changes["open_pause_start"] = on
    elif event in (Event.END_CONSULTATION, Event.RECEIVE_PAYMENT):
        changes["pauses"] = (*case.pauses, Pause(case.open_pause_start or on, on))
        changes["open_pause_start"] = None
    elif event is Event.PAYMENT_LAPSED:
        due = payment_deadline(case.open_pause_start or on, calendar).due
        if on <= due:
            raise TransitionError(
                f"缴费期限至 {due.isoformat()} 届满，届满之前不能按逾期未缴费处理（国办函〔2020〕109号）"
            )
        changes.update(outcome="other_unpaid_fee", decided_on=on, open_pause_start=None)
    elif event is Event.WITHDRAW:
        changes.update(outcome=WITHDRAWN_OUTCOME, decided_on=on, open_pause_start=None)
    elif event is Event.EXTEND:
        if case.extended:
            raise TransitionError("答复期限只能延长一次（《条例》第三十三条）")
        if on > case.reply_deadline(calendar).due:
            raise TransitionError("答复期限已届满，不能再延长；延长须在期限届满前经批准并告知申请人")
        changes["extended"] = True
    elif event is Event.DECIDE:
        if outcome not in OUTCOMES:
            raise TransitionError("答复决定须为表三所列21种办理结果之一（部分公开只计“部分公开”一种）")
        changes.update(outcome=outcome, decided_on=on)
    elif event is Event.SEND_REPLY:
        changes["replied_on"] = on
    changes["state"] = target or case.state
    changes["history"] = (*case.history, (event, on))
    return replace(case, **changes)


def allowed_events(case: Case) -> list[Event]:
    """The steps open to the case now (what a form offers)."""
    out = [e for e, (states, _) in TRANSITIONS.items() if case.state in states]
    if case.extended and Event.EXTEND in out:
        out.remove(Event.EXTEND)
    if case.correction_requested_on is not None and Event.REQUEST_CORRECTION in out:
        out.remove(Event.REQUEST_CORRECTION)
    return out
