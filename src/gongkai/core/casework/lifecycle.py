"""The lifecycle of a disclosure application as explicit states and transitions (条例 Art. 30–39).

Pure Python: the web application stores the state and the events; the rules live here, so that
every entry point (the desk, ``gongkai case simulate``, the demo) refuses the same illegal steps
with the same Chinese message.

    registered ──request_correction(kind, items)──▶ awaiting_correction ──receive_correction──▶ registered
         │                                   └──correction_lapsed──▶ decided (other_no_correction)
         ├──start_consultation(party)──▶ consulting ──end_consultation──▶ registered
         │                                   (the third party's own 15 working days, Art. 32)
         ├──send_fee_notice──▶ awaiting_payment ──receive_payment──▶ registered
         │                         ├──fee_notice_received (the applicant's 20 working days start)
         │                         └──payment_lapsed──▶ decided (other_unpaid_fee)
         ├──request_reasons, receive_reasons(reasonable?, later due date)   (Art. 35; stays registered)
         ├──extend (once, approver; also while consulting)
         ├──decide(outcome, decision)──▶ decided ──send_reply──▶ replied ──close──▶ closed
         ├──withdraw──▶ withdrawn            (also while waiting; counted as other_other)
         ├──merge──▶ merged                  (合并重复登记: one application registered twice; not counted)
         └──void──▶ voided                   (作废登记: a mistaken registration; approver, reason; not counted)

A decision has exactly one of the 21 outcomes of table 3 (a partly disclosed application is
``partial`` and nothing else), and only where its legal preconditions were met: ``other_no_correction``
and ``other_unpaid_fee`` arise only from the lapse steps; ``unable_unclear`` only after a correction
about an unclear description was asked for and received (Art. 30); ``rejected_excessive`` only
after the applicant was asked for reasons and gave none or unreasonable ones (Art. 35). The
decision states its reasons where the law requires them (Art. 36(3), 37), names the prohibiting
law (Art. 36(3)) and, for information held by another agency, that agency and its contact
(Art. 36(5)); see ``Decision``.

A withdrawn application ends as ``other_other`` (（六）3.其他), so that table 3 still balances; a
merged or voided registration is not counted at all.

Pauses. The days from a fee notice to the payment do not count towards the reply period
(国办函〔2020〕109号), like a consultation (Art. 33(3)). The applicant's payment period is 20
working days from the day after they *receive* the notice; a notice handed over, e-mailed, sent
online or faxed is deemed received the day it is sent, a posted one only when its receipt is
recorded (``fee_notice_received``).

Art. 35 (reasons for excessive requests). Waiting for the applicant's reasons does NOT pause the
reply period: the 条例 says which time is left out of the period (the consultation of Art. 33(3),
the fee of 国办函〔2020〕109号) and says nothing of the kind for Art. 35, whose own remedy for a
period that is too short is the "reasonable later reply date" the agency sets once it finds the
reasons reasonable. That date (after the ordinary due date) then is the case's due date, and the
Art. 33 extension is no longer offered.

Lapses on provisional dates. Ending a case because the applicant's period ran out
(``correction_lapsed``, ``payment_lapsed``) is refused while that period crosses a year without
the State Council's holiday notice (its end is provisional): staff enter the year in the holiday
table first. A case is never ended on a guessed date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from .. import standard
from .fees import deemed_notice_receipt, payment_deadline
from .workdays import (
    CORRECTION_PERIOD_WORKING_DAYS,
    CORRECTION_REQUEST_WORKING_DAYS,
    DEFAULT_CALENDAR,
    FEE_PAUSE_REASON,
    Deadline,
    Pause,
    WorkCalendar,
    consultation_deadline,
    correction_period_deadline,
    correction_request_deadline,
    reply_deadline,
    show,
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
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.REGISTERED: "办理中",
    State.AWAITING_CORRECTION: "待申请人补正",
    State.CONSULTING: "征求意见中（期限暂停）",
    State.AWAITING_PAYMENT: "待申请人缴费（期限暂停）",
    State.DECIDED: "已作出答复决定（待送达）",
    State.REPLIED: "已送达答复",
    State.CLOSED: "已办结",
    State.WITHDRAWN: "申请人已撤回",
    State.MERGED: "已合并（重复登记）",
    State.VOIDED: "已作废登记",
}


class Event(str, Enum):
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CORRECTION_LAPSED = "correction_lapsed"
    START_CONSULTATION = "start_consultation"
    END_CONSULTATION = "end_consultation"
    SEND_FEE_NOTICE = "send_fee_notice"
    FEE_NOTICE_RECEIVED = "fee_notice_received"
    RECEIVE_PAYMENT = "receive_payment"
    PAYMENT_LAPSED = "payment_lapsed"
    REQUEST_REASONS = "request_reasons"
    RECEIVE_REASONS = "receive_reasons"
    EXTEND = "extend"
    DECIDE = "decide"
    SEND_REPLY = "send_reply"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    VOID = "void"

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
    Event.FEE_NOTICE_RECEIVED: "申请人收到收费通知",
    Event.RECEIVE_PAYMENT: "收到缴费",
    Event.PAYMENT_LAPSED: "逾期未缴费",
    Event.REQUEST_REASONS: "要求说明理由",
    Event.RECEIVE_REASONS: "收到申请人说明的理由",
    Event.EXTEND: "延长答复期限",
    Event.DECIDE: "作出答复决定",
    Event.SEND_REPLY: "送达答复",
    Event.CLOSE: "办结",
    Event.WITHDRAW: "撤回申请",
    Event.MERGE: "合并重复登记（同一申请登记两次）",
    Event.VOID: "作废登记",
}

# What each accepted step rests on (said by ``gongkai case simulate`` and in the docs).
EVENT_BASIS = {
    Event.REQUEST_CORRECTION: "《条例》第三十条：收到申请之日起7个工作日内一次性告知补正事项和合理的补正期限",
    Event.RECEIVE_CORRECTION: "《条例》第三十条：答复期限自收到补正的申请之日起计算",
    Event.CORRECTION_LAPSED: "《条例》第三十条：申请人无正当理由逾期不补正的，视为放弃申请",
    Event.START_CONSULTATION: "《条例》第三十二条、第三十四条：征求意见所需时间不计算在答复期限内（第三十三条第三款）",
    Event.END_CONSULTATION: "《条例》第三十三条第三款：答复期限恢复计算",
    Event.SEND_FEE_NOTICE: "国办函〔2020〕109号：收费通知在答复期限内发出，发出至缴费的期间不计入答复期限",
    Event.FEE_NOTICE_RECEIVED: "国办函〔2020〕109号：缴费期限自申请人收到收费通知的次日起计算20个工作日",
    Event.RECEIVE_PAYMENT: "国办函〔2020〕109号：收到缴费，答复期限恢复计算",
    Event.PAYMENT_LAPSED: "国办函〔2020〕109号：逾期未缴纳信息处理费的，视为放弃申请",
    Event.REQUEST_REASONS: "《条例》第三十五条：申请数量、频次明显超过合理范围的，可以要求申请人说明理由（答复期限不暂停）",
    Event.RECEIVE_REASONS: "《条例》第三十五条：理由不合理的告知不予处理；理由合理但无法按期答复的，可以确定延迟答复的合理期限",
    Event.EXTEND: "《条例》第三十三条第二款：经负责人同意并告知申请人，延长不超过20个工作日",
    Event.DECIDE: "《条例》第三十六条、第三十七条",
    Event.SEND_REPLY: "《条例》第三十三条：答复送达申请人",
    Event.CLOSE: "答复已送达，办结归档",
    Event.WITHDRAW: "申请人撤回申请，表三计入“其他”",
    Event.MERGE: "同一申请被登记两次（如信函和网上各登记一次），保留一件，不计入表三",
    Event.VOID: "误登记（并非政府信息公开申请或登记错误），经审核人批准作废，保留记录，不计入表三",
}

# event -> (states it may happen in, state after it; None: stays)
TRANSITIONS: dict[Event, tuple[frozenset[State], State | None]] = {
    Event.REQUEST_CORRECTION: (frozenset({State.REGISTERED}), State.AWAITING_CORRECTION),
    Event.RECEIVE_CORRECTION: (frozenset({State.AWAITING_CORRECTION}), State.REGISTERED),
    Event.CORRECTION_LAPSED: (frozenset({State.AWAITING_CORRECTION}), State.DECIDED),
    Event.START_CONSULTATION: (frozenset({State.REGISTERED}), State.CONSULTING),
    Event.END_CONSULTATION: (frozenset({State.CONSULTING}), State.REGISTERED),
    Event.SEND_FEE_NOTICE: (frozenset({State.REGISTERED}), State.AWAITING_PAYMENT),
    Event.FEE_NOTICE_RECEIVED: (frozenset({State.AWAITING_PAYMENT}), None),
    Event.RECEIVE_PAYMENT: (frozenset({State.AWAITING_PAYMENT}), State.REGISTERED),
    Event.PAYMENT_LAPSED: (frozenset({State.AWAITING_PAYMENT}), State.DECIDED),
    Event.REQUEST_REASONS: (frozenset({State.REGISTERED}), None),
    Event.RECEIVE_REASONS: (frozenset({State.REGISTERED}), None),
    Event.EXTEND: (frozenset({State.REGISTERED, State.CONSULTING}), None),
    Event.DECIDE: (frozenset({State.REGISTERED}), State.DECIDED),
    Event.SEND_REPLY: (frozenset({State.DECIDED}), State.REPLIED),
    Event.CLOSE: (frozenset({State.REPLIED}), State.CLOSED),
    Event.WITHDRAW: (
        frozenset({State.REGISTERED, State.AWAITING_CORRECTION, State.CONSULTING, State.AWAITING_PAYMENT}),
        State.WITHDRAWN,
    ),
    Event.MERGE: (frozenset({State.REGISTERED, State.AWAITING_CORRECTION}), State.MERGED),
    Event.VOID: (
        frozenset({State.REGISTERED, State.AWAITING_CORRECTION, State.CONSULTING, State.AWAITING_PAYMENT}),
        State.VOIDED,
    ),
}

OUTCOMES = standard.OUTCOME_KEYS  # the 21 rows of table 3
# The states in which an application is still open at the end of a year (carried forward).
OPEN_STATES = frozenset({State.REGISTERED, State.AWAITING_CORRECTION, State.CONSULTING, State.AWAITING_PAYMENT})
# Open, but the next move is the applicant's (the work list "waiting for the applicant").
WAITING_STATES = frozenset({State.AWAITING_CORRECTION, State.AWAITING_PAYMENT})
# Pauses of the reply period: their working days do not count.
PAUSING_STATES = frozenset({State.CONSULTING, State.AWAITING_PAYMENT})
# Registrations that are not applications of the year: never counted in table 3.
UNCOUNTED_STATES = frozenset({State.MERGED, State.VOIDED})
# Steps only an approver (the head of the disclosure office) takes.
APPROVER_EVENTS = frozenset({Event.EXTEND, Event.VOID})
# The outcome a withdrawn application is counted under in table 3.
WITHDRAWN_OUTCOME = "other_other"
# Outcomes only a lapse step gives (never chosen in ``decide``).
LAPSE_OUTCOMES = {"other_no_correction": Event.CORRECTION_LAPSED, "other_unpaid_fee": Event.PAYMENT_LAPSED}
# Decisions that must state their reasons (条例 Art. 36(3), 37; and 其他 says what it is).
REASONED_OUTCOMES = frozenset(k for k in OUTCOMES if k.startswith("denied_")) | {"partial", "other_other"}
# Why the applicant is asked to correct (Application.correction_kind).
CORRECTION_KINDS = {"unclear": "所需信息的描述不明确", "incomplete": "申请人身份或联系方式等内容不完整",
                    "other": "其他需要补正的内容"}

ART_36_4 = "第三十六条第（四）项"
ART_36_5 = "第三十六条第（五）项"


class TransitionError(ValueError):
    """A step the law or the lifecycle does not allow, said in Chinese."""


@dataclass(frozen=True)
class Decision:
    """What a decision states besides its outcome.

    ``reasons``: required for ``partial``, every ``denied_*`` and ``other_other`` (条例 Art. 36(3),
    37). ``prohibiting_law``: the law or administrative regulation that prohibits disclosure, for
    ``denied_law_prohibited``. For ``unable_not_held`` the decider chooses Art. 36(4) (not held,
    the holder cannot be determined; ``held_by_other_agency`` False) or 36(5) (held by another
    agency: ``other_agency_name`` and ``other_agency_contact`` required); None decides by whether
    an agency was named. Table 3 counts both in one row.
    """

    reasons: str = ""
    prohibiting_law: str = ""
    other_agency_name: str = ""
    other_agency_contact: str = ""
    held_by_other_agency: bool | None = None

    @property
    def article(self) -> str | None:
        """Art. 36(4) or 36(5) for a not-held decision (after ``checked``), else None."""
        if self.held_by_other_agency is None:
            return None
        return ART_36_5 if self.held_by_other_agency else ART_36_4

    def checked(self, outcome: str) -> "Decision":
        """The decision as the law requires it for ``outcome`` (fields that do not belong to the
        outcome dropped), or TransitionError saying what is missing."""
        reasons = (self.reasons or "").strip()
        law = (self.prohibiting_law or "").strip()
        name = (self.other_agency_name or "").strip()
        contact = (self.other_agency_contact or "").strip()
        if outcome in REASONED_OUTCOMES and not reasons:
            what = "部分公开" if outcome == "partial" else ("“其他”处理" if outcome == "other_other" else "不予公开")
            raise TransitionError(
                f"{what}的决定须说明理由（《条例》第三十六条第（三）项、第三十七条）；请填写答复理由"
            )
        if outcome == "denied_law_prohibited":
            if not law:
                raise TransitionError(
                    "以法律、行政法规禁止公开为由不予公开的，须写明禁止公开的法律、行政法规的名称和条款"
                    "（《条例》第十四条、第三十六条第（三）项）"
                )
        else:
            law = ""
        held = None
        if outcome == "unable_not_held":
            held = self.held_by_other_agency if self.held_by_other_agency is not None else bool(name or contact)
            if held and not (name and contact):
                raise TransitionError(
                    "经检索该政府信息由其他行政机关负责公开的，须告知申请人该行政机关的名称和联系方式"
                    "（《条例》第三十六条第（五）项）；不能确定负责公开的机关的，请选择第三十六条第（四）项"
                )
            if not held:
                name = contact = ""
        else:
            name = contact = ""
        return Decision(reasons, law, name, contact, held)


@dataclass(frozen=True)
class Case:
    """What the lifecycle needs to know of an application."""

    received_on: date
    state: State = State.REGISTERED
    correction_requested_on: date | None = None
    correction_kind: str | None = None
    correction_items: str = ""
    corrected_on: date | None = None
    pauses: tuple[Pause, ...] = ()
    open_pause_start: date | None = None
    consultation_party: str = ""
    consultation_due_on: date | None = None
    fee_notice_on: date | None = None
    fee_notice_channel: str | None = None
    fee_notice_received_on: date | None = None
    reasons_requested_on: date | None = None
    reasons_received_on: date | None = None
    reasons_reasonable: bool | None = None
    later_due_on: date | None = None
    extended: bool = False
    outcome: str | None = None
    decision: Decision | None = None
    decided_on: date | None = None
    replied_on: date | None = None
    history: tuple[tuple[Event, date], ...] = field(default_factory=tuple)

    def reply_deadline(self, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline:
        deadline = reply_deadline(self.received_on, self.corrected_on, list(self.pauses), self.extended, calendar)
        if self.later_due_on is not None and self.later_due_on > deadline.due:
            deadline.explanation.append(
                f"申请理由合理但无法按期答复，已确定延迟答复的合理期限为{show(self.later_due_on)}"
                f"（《条例》第三十五条；原期限{show(deadline.due)}）。"
            )
            deadline.original_due, deadline.due = deadline.due, self.later_due_on
        return deadline

    def fee_notice_receipt(self) -> date | None:
        """The day the applicant received the fee notice: recorded, or deemed (not by post)."""
        if self.fee_notice_received_on is not None:
            return self.fee_notice_received_on
        if self.fee_notice_on is None:
            return None
        return deemed_notice_receipt(self.fee_notice_on, self.fee_notice_channel)

    def payment_deadline(self, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline | None:
        """By when the applicant pays; None while a posted notice's receipt is not recorded."""
        received = self.fee_notice_receipt()
        if received is None:
            return None
        return payment_deadline(received, calendar, sent=self.fee_notice_on,
                                deemed=self.fee_notice_received_on is None)

    def correction_deadline(self, calendar: WorkCalendar = DEFAULT_CALENDAR,
                            working_days: int = CORRECTION_PERIOD_WORKING_DAYS) -> Deadline | None:
        """The end of the applicant's correction period, once a correction was asked for."""
        if self.correction_requested_on is None:
            return None
        return correction_period_deadline(self.correction_requested_on, working_days, calendar)


def _provisional(deadline: Deadline, what: str) -> None:
    if deadline.provisional:
        years = "、".join(f"{y}年" for y in deadline.provisional_years)
        raise TransitionError(
            f"{what}的届满日 {deadline.due.isoformat()} 为暂定日期：尚未录入{years}国务院办公厅节假日安排。"
            "请先在节假日表中录入该年安排，再按逾期处理（逾期处理须以确定的日期为据）"
        )


# The details each step takes besides its date (``apply(..., **details)``).
STEP_DETAILS: dict[Event, frozenset[str]] = {
    Event.REQUEST_CORRECTION: frozenset({"correction_kind", "correction_items"}),
    Event.START_CONSULTATION: frozenset({"consultation_party", "consultation_received_on"}),
    Event.SEND_FEE_NOTICE: frozenset({"fee_notice_channel"}),
    Event.RECEIVE_REASONS: frozenset({"reasons_reasonable", "later_due_on"}),
}


def apply(case: Case, event: Event, on: date, *, outcome: str | None = None, decision: Decision | None = None,
          calendar: WorkCalendar = DEFAULT_CALENDAR,
          correction_working_days: int = CORRECTION_PERIOD_WORKING_DAYS, **details) -> Case:
    """The case after ``event`` on day ``on``, or TransitionError with the reason.

    ``correction_working_days``: the period the agency gives the applicant to correct (its
    setting); the application can end as not corrected only after it. ``decision``: what a
    ``decide`` states (``Decision``). ``details``: what other steps record (``STEP_DETAILS``):
    ``correction_kind`` (``CORRECTION_KINDS``) and ``correction_items`` for a correction request;
    ``consultation_party`` and ``consultation_received_on`` (the third party's receipt, if known)
    for a consultation; ``fee_notice_channel`` (how the notice was sent: post, email, online,
    in_person, fax, other) for a fee notice; ``reasons_reasonable`` and ``later_due_on`` for the
    Art. 35 reasons."""
    unknown = set(details) - STEP_DETAILS.get(event, frozenset())
    if unknown:
        raise TypeError(f"{event.value} does not take {sorted(unknown)}")
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
        kind = details.get("correction_kind")
        if kind not in CORRECTION_KINDS:
            raise TransitionError("请选择补正原因：" + "、".join(CORRECTION_KINDS.values()) + "（《条例》第三十条）")
        items = (details.get("correction_items") or "").strip()
        if not items:
            raise TransitionError("一次性告知补正须写明需要补正的事项（补正事项）（《条例》第三十条）")
        changes.update(correction_requested_on=on, correction_kind=kind, correction_items=items)
    elif event is Event.RECEIVE_CORRECTION:
        changes["corrected_on"] = on
    elif event is Event.CORRECTION_LAPSED:
        deadline = case.correction_deadline(calendar, correction_working_days)
        if deadline is None:  # pragma: no cover - awaiting_correction always has a request date
            raise TransitionError("尚未告知补正，不能按逾期未补正处理（《条例》第三十条）")
        _provisional(deadline, "补正期限")
        if on <= deadline.due:
            raise TransitionError(
                f"补正期限至 {deadline.due.isoformat()} 届满，届满之前不能按逾期未补正处理（《条例》第三十条）"
            )
        changes.update(outcome="other_no_correction", decided_on=on)
    elif event is Event.START_CONSULTATION:
        party = (details.get("consultation_party") or "").strip()
        received = details.get("consultation_received_on")
        if received is not None and received < on:
            raise TransitionError(
                f"第三方收到征求意见书的日期 {received.isoformat()} 早于发出征求意见的日期 {on.isoformat()}"
            )
        due = consultation_deadline(on, received, calendar).due
        changes.update(open_pause_start=on, consultation_party=party, consultation_due_on=due)
    elif event is Event.SEND_FEE_NOTICE:
        due = case.reply_deadline(calendar).due
        if on > due:
            raise TransitionError(
                f"收费通知应当在答复期限内发出（国办函〔2020〕109号），答复期限已于 {due.isoformat()} 届满"
            )
        changes.update(open_pause_start=on, fee_notice_on=on, fee_notice_channel=details.get("fee_notice_channel") or None,
                       fee_notice_received_on=None)
    elif event is Event.FEE_NOTICE_RECEIVED:
        if case.fee_notice_received_on is not None:
            raise TransitionError(f"已登记申请人于 {case.fee_notice_received_on.isoformat()} 收到收费通知")
        changes["fee_notice_received_on"] = on
    elif event in (Event.END_CONSULTATION, Event.RECEIVE_PAYMENT):
        changes["pauses"] = (*case.pauses, Pause(case.open_pause_start or on, on,
                                                 Pause.reason if event is Event.END_CONSULTATION else FEE_PAUSE_REASON))
        changes["open_pause_start"] = None
    elif event is Event.PAYMENT_LAPSED:
        deadline = case.payment_deadline(calendar)
        if deadline is None:
            raise TransitionError(
                "收费通知以邮寄等方式送达，没有可推定的收到日期；缴费期限自申请人收到收费通知的次日起计算"
                "20个工作日（国办函〔2020〕109号），请先登记申请人收到收费通知的日期"
            )
        _provisional(deadline, "缴费期限")
        if on <= deadline.due:
            raise TransitionError(
                f"缴费期限至 {deadline.due.isoformat()} 届满，届满之前不能按逾期未缴费处理（国办函〔2020〕109号）"
            )
        changes.update(outcome="other_unpaid_fee", decided_on=on, open_pause_start=None)
    elif event is Event.REQUEST_REASONS:
        if case.reasons_requested_on is not None:
            raise TransitionError(f"已于 {case.reasons_requested_on.isoformat()} 要求申请人说明理由（《条例》第三十五条）")
        changes["reasons_requested_on"] = on
    elif event is Event.RECEIVE_REASONS:
        if case.reasons_requested_on is None:
            raise TransitionError("尚未要求申请人说明理由（《条例》第三十五条）")
        if case.reasons_received_on is not None:
            raise TransitionError(f"已于 {case.reasons_received_on.isoformat()} 收到申请人说明的理由")
        reasonable = details.get("reasons_reasonable")
        if not isinstance(reasonable, bool):
            raise TransitionError("请认定申请人说明的理由是否合理（《条例》第三十五条）")
        later = details.get("later_due_on")
        if later is not None:
            if not reasonable:
                raise TransitionError("认定申请理由不合理的，应告知申请人不予处理，不能确定延迟答复期限（《条例》第三十五条）")
            due = case.reply_deadline(calendar).due
            if later <= due:
                raise TransitionError(
                    f"延迟答复的合理期限应晚于现在的答复期限 {due.isoformat()}（《条例》第三十五条）"
                )
        changes.update(reasons_received_on=on, reasons_reasonable=reasonable, later_due_on=later)
    elif event is Event.WITHDRAW:
        changes.update(outcome=WITHDRAWN_OUTCOME, decided_on=on, open_pause_start=None)
    elif event is Event.VOID:
        changes.update(open_pause_start=None)
    elif event is Event.EXTEND:
        if case.extended:
            raise TransitionError("答复期限只能延长一次（《条例》第三十三条）")
        if case.later_due_on is not None:
            raise TransitionError("已依《条例》第三十五条确定延迟答复的合理期限，不再适用第三十三条的延长")
        if on > case.reply_deadline(calendar).due:
            raise TransitionError("答复期限已届满，不能再延长；延长须在期限届满前经批准并告知申请人")
        changes["extended"] = True
    elif event is Event.DECIDE:
        changes.update(outcome=outcome, decided_on=on, decision=check_decision(case, outcome, decision))
    elif event is Event.SEND_REPLY:
        changes["replied_on"] = on
    changes["state"] = target or case.state
    changes["history"] = (*case.history, (event, on))
    return replace(case, **changes)


def check_decision(case: Case, outcome: str | None, decision: Decision | None) -> Decision:
    """The decision, if ``outcome`` may be decided on ``case`` as it stands; TransitionError otherwise."""
    if outcome not in OUTCOMES:
        raise TransitionError("答复决定须为表三所列21种办理结果之一（部分公开只计“部分公开”一种）")
    if outcome == "other_no_correction":
        raise TransitionError(
            "“申请人逾期未按补正要求补正”只能在告知补正且补正期限届满后，由“逾期未补正”步骤产生（《条例》第三十条）"
        )
    if outcome == "other_unpaid_fee":
        raise TransitionError(
            "“申请人逾期未按收费通知要求缴纳费用”只能在发出收费通知且缴费期限届满后，由“逾期未缴费”步骤产生"
            "（国办函〔2020〕109号）"
        )
    if outcome == "unable_unclear" and not (case.correction_kind == "unclear" and case.corrected_on is not None):
        raise TransitionError(
            "“补正后申请内容仍不明确”须先就所需信息的描述不明确一次性告知补正，且已收到申请人的补正（《条例》第三十条）"
        )
    if outcome == "rejected_excessive":
        if case.reasons_requested_on is None:
            raise TransitionError(
                "以申请数量、频次明显超过合理范围为由不予处理，须先要求申请人说明理由（《条例》第三十五条）"
            )
        if case.reasons_reasonable:
            raise TransitionError(
                "申请人说明的理由已认定为合理，不能以申请数量、频次明显超过合理范围为由不予处理；"
                "无法按期答复的，可以确定延迟答复的合理期限（《条例》第三十五条）"
            )
    return (decision or Decision()).checked(outcome)


def allowed_events(case: Case) -> list[Event]:
    """The steps open to the case now (what a form offers)."""
    out = [e for e, (states, _) in TRANSITIONS.items() if case.state in states]
    hidden = set()
    if case.extended or case.later_due_on is not None:
        hidden.add(Event.EXTEND)
    if case.correction_requested_on is not None:
        hidden.add(Event.REQUEST_CORRECTION)
    if case.reasons_requested_on is not None:
        hidden.add(Event.REQUEST_REASONS)
    if case.reasons_requested_on is None or case.reasons_received_on is not None:
        hidden.add(Event.RECEIVE_REASONS)
    if case.fee_notice_received_on is not None:
        hidden.add(Event.FEE_NOTICE_RECEIVED)
    return [e for e in out if e not in hidden]
