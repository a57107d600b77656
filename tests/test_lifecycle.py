"""The lifecycle of an application: legal steps, refused steps, and the deadline they make."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.lifecycle import OUTCOMES, Case, Event, State, TransitionError, allowed_events, apply

D = date.fromisoformat


def test_a_full_case_with_correction_consultation_and_extension():
    case = Case(received_on=D("2026-09-01"))
    case = apply(case, Event.REQUEST_CORRECTION, D("2026-09-03"))
    assert case.state is State.AWAITING_CORRECTION
    case = apply(case, Event.RECEIVE_CORRECTION, D("2026-09-10"))
    case = apply(case, Event.START_CONSULTATION, D("2026-09-14"))
    assert case.state is State.CONSULTING and Event.DECIDE not in allowed_events(case)
    case = apply(case, Event.END_CONSULTATION, D("2026-09-18"))
    case = apply(case, Event.EXTEND, D("2026-10-09"))
    # The same counting as `gongkai deadline --received 2026-09-10 --pause 2026-09-14:2026-09-18 --extended`.
    deadline = case.reply_deadline()
    assert (deadline.original_due, deadline.due) == (D("2026-10-21"), D("2026-11-18"))
    case = apply(case, Event.DECIDE, D("2026-11-02"), outcome="partial")
    case = apply(case, Event.SEND_REPLY, D("2026-11-03"))
    case = apply(case, Event.CLOSE, D("2026-11-04"))
    assert (case.state, case.outcome) == (State.CLOSED, "partial")
    assert [e for e, _ in case.history][0] is Event.REQUEST_CORRECTION and len(case.history) == 8


@pytest.mark.parametrize(
    "steps,event,kwargs,message",
    [
        ([], Event.SEND_REPLY, {}, "不能送达答复"),
        ([], Event.DECIDE, {"outcome": "partly"}, "21种办理结果之一"),
        ([(Event.REQUEST_CORRECTION, "2026-03-03"), (Event.RECEIVE_CORRECTION, "2026-03-05")], Event.REQUEST_CORRECTION, {}, "一次性告知"),
        ([], Event.REQUEST_CORRECTION, {"on": "2026-03-20"}, "已逾期"),
        ([(Event.EXTEND, "2026-03-10")], Event.EXTEND, {}, "只能延长一次"),
        ([], Event.EXTEND, {"on": "2026-05-01"}, "已届满"),
        ([(Event.DECIDE, "2026-03-10")], Event.WITHDRAW, {}, "不能撤回申请"),
        ([(Event.WITHDRAW, "2026-03-04")], Event.DECIDE, {"outcome": "granted"}, "申请人已撤回"),
        ([(Event.START_CONSULTATION, "2026-03-10")], Event.END_CONSULTATION, {"on": "2026-03-05"}, "早于上一步"),
    ],
)
def test_illegal_steps_are_refused_with_the_reason(steps, event, kwargs, message):
    case = Case(received_on=D("2026-03-02"))
    for step, on in steps:
        case = apply(case, step, D(on), outcome="granted" if step is Event.DECIDE else None)
    on = D(kwargs.pop("on", "2026-03-11"))
    with pytest.raises(TransitionError, match=message):
        apply(case, event, on, **kwargs)


def test_no_correction_ends_as_other_no_correction():
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-04"))
    case = apply(case, Event.CORRECTION_LAPSED, D("2026-04-20"))
    assert (case.state, case.outcome) == (State.DECIDED, "other_no_correction")


def test_no_correction_only_after_the_period_given_to_the_applicant():
    # Asked on Wednesday 2026-03-04: 15 working days end on 2026-03-25, 20 on 2026-04-01.
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-04"))
    with pytest.raises(TransitionError, match="补正期限至 2026-03-25 届满"):
        apply(case, Event.CORRECTION_LAPSED, D("2026-03-25"))
    assert apply(case, Event.CORRECTION_LAPSED, D("2026-03-26")).outcome == "other_no_correction"
    with pytest.raises(TransitionError, match="补正期限至 2026-04-01 届满"):
        apply(case, Event.CORRECTION_LAPSED, D("2026-03-26"), correction_working_days=20)
    assert apply(case, Event.CORRECTION_LAPSED, D("2026-04-02"), correction_working_days=20).state is State.DECIDED


def test_every_outcome_is_one_row_of_table_3():
    assert len(OUTCOMES) == 21 and "partial" in OUTCOMES and "other_unpaid_fee" in OUTCOMES
    for outcome in OUTCOMES:
        assert apply(Case(received_on=D("2026-03-02")), Event.DECIDE, D("2026-03-05"), outcome=outcome).outcome == outcome


def test_a_fee_notice_pauses_the_period_and_payment_resumes_it():
    # Received Mon 2026-03-02: due the 20th working day after, 2026-03-30. The notice on
    # 03-09 and the payment on 03-13 take out the five working days 03-09…03-13.
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"))
    assert case.state is State.AWAITING_PAYMENT and Event.DECIDE not in allowed_events(case)
    case = apply(case, Event.RECEIVE_PAYMENT, D("2026-03-13"))
    assert case.state is State.REGISTERED
    assert case.reply_deadline().due == D("2026-04-07")  # 03-30 plus five working days (04-06 is 清明)


def test_unpaid_fee_ends_as_other_unpaid_fee_only_after_20_working_days():
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"))
    with pytest.raises(TransitionError, match="缴费期限至 2026-04-07"):
        apply(case, Event.PAYMENT_LAPSED, D("2026-04-07"))
    case = apply(case, Event.PAYMENT_LAPSED, D("2026-04-08"))
    assert (case.state, case.outcome, case.decided_on) == (State.DECIDED, "other_unpaid_fee", D("2026-04-08"))


def test_a_withdrawn_application_counts_as_other_other():
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-03"))
    case = apply(case, Event.WITHDRAW, D("2026-03-05"))
    assert (case.state, case.outcome, case.decided_on) == (State.WITHDRAWN, "other_other", D("2026-03-05"))
