"""The lifecycle of an application: legal steps, refused steps, and the deadline they make."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.casework import lifecycle
from gongkai.core.casework.lifecycle import OUTCOMES, Case, Decision, Event, State, TransitionError, allowed_events, apply

D = date.fromisoformat
CORRECTION = {"correction_kind": "unclear", "correction_items": "请写明所需信息的名称或文号"}


def test_a_full_case_with_correction_consultation_and_extension():
    case = Case(received_on=D("2026-09-01"))
    case = apply(case, Event.REQUEST_CORRECTION, D("2026-09-03"), correction_kind="unclear",
                 correction_items="请写明所需信息的文号")
    assert case.state is State.AWAITING_CORRECTION
    case = apply(case, Event.RECEIVE_CORRECTION, D("2026-09-10"))
    case = apply(case, Event.START_CONSULTATION, D("2026-09-14"))
    assert case.state is State.CONSULTING and Event.DECIDE not in allowed_events(case)
    case = apply(case, Event.END_CONSULTATION, D("2026-09-18"))
    case = apply(case, Event.EXTEND, D("2026-10-09"))
    # The same counting as `gongkai deadline --received 2026-09-10 --pause 2026-09-14:2026-09-18 --extended`.
    deadline = case.reply_deadline()
    assert (deadline.original_due, deadline.due) == (D("2026-10-21"), D("2026-11-18"))
    case = apply(case, Event.DECIDE, D("2026-11-02"), outcome="partial",
                 decision=Decision(reasons="部分内容涉及个人隐私（《条例》第十五条）"))
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
        details = CORRECTION if step is Event.REQUEST_CORRECTION else {}
        case = apply(case, step, D(on), outcome="granted" if step is Event.DECIDE else None, **details)
    on = D(kwargs.pop("on", "2026-03-11"))
    if event is Event.REQUEST_CORRECTION:
        kwargs.update(CORRECTION)
    with pytest.raises(TransitionError, match=message):
        apply(case, event, on, **kwargs)


def test_no_correction_ends_as_other_no_correction():
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-04"), **CORRECTION)
    case = apply(case, Event.CORRECTION_LAPSED, D("2026-04-20"))
    assert (case.state, case.outcome) == (State.DECIDED, "other_no_correction")


def test_no_correction_only_after_the_period_given_to_the_applicant():
    # Asked on Wednesday 2026-03-04: 15 working days end on 2026-03-25, 20 on 2026-04-01.
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-04"), **CORRECTION)
    with pytest.raises(TransitionError, match="补正期限至 2026-03-25 届满"):
        apply(case, Event.CORRECTION_LAPSED, D("2026-03-25"))
    assert apply(case, Event.CORRECTION_LAPSED, D("2026-03-26")).outcome == "other_no_correction"
    with pytest.raises(TransitionError, match="补正期限至 2026-04-01 届满"):
        apply(case, Event.CORRECTION_LAPSED, D("2026-03-26"), correction_working_days=20)
    assert apply(case, Event.CORRECTION_LAPSED, D("2026-04-02"), correction_working_days=20).state is State.DECIDED


def test_every_outcome_is_one_row_of_table_3():
    assert len(OUTCOMES) == 21 and "partial" in OUTCOMES and "other_unpaid_fee" in OUTCOMES
    full = Decision(reasons="理由", prohibiting_law="《中华人民共和国统计法》第三十九条")
    fresh = Case(received_on=D("2026-03-02"))
    # Each outcome from the steps that lawfully lead to it.
    before = {"unable_unclear": [(Event.REQUEST_CORRECTION, "2026-03-03", CORRECTION),
                                 (Event.RECEIVE_CORRECTION, "2026-03-04", {})],
              "rejected_excessive": [(Event.REQUEST_REASONS, "2026-03-03", {})]}
    for outcome in OUTCOMES:
        case = fresh
        if outcome in lifecycle.LAPSE_OUTCOMES:
            first = (Event.REQUEST_CORRECTION, CORRECTION) if outcome == "other_no_correction" else (
                Event.SEND_FEE_NOTICE, {"fee_notice_channel": "email"})
            case = apply(case, first[0], D("2026-03-04"), **first[1])
            assert apply(case, lifecycle.LAPSE_OUTCOMES[outcome], D("2026-05-04")).outcome == outcome
            continue
        for step, on, details in before.get(outcome, []):
            case = apply(case, step, D(on), **details)
        assert apply(case, Event.DECIDE, D("2026-03-05"), outcome=outcome, decision=full).outcome == outcome


def test_a_fee_notice_pauses_the_period_and_payment_resumes_it():
    # Received Mon 2026-03-02: due the 20th working day after, 2026-03-30. The notice on
    # 03-09 and the payment on 03-13 take out the five working days 03-09…03-13.
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"))
    assert case.state is State.AWAITING_PAYMENT and Event.DECIDE not in allowed_events(case)
    case = apply(case, Event.RECEIVE_PAYMENT, D("2026-03-13"))
    assert case.state is State.REGISTERED
    assert case.reply_deadline().due == D("2026-04-07")  # 03-30 plus five working days (04-06 is 清明)


def test_unpaid_fee_ends_as_other_unpaid_fee_only_after_20_working_days():
    # E-mailed: deemed received the day it is sent.
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"), fee_notice_channel="email")
    with pytest.raises(TransitionError, match="缴费期限至 2026-04-07"):
        apply(case, Event.PAYMENT_LAPSED, D("2026-04-07"))
    case = apply(case, Event.PAYMENT_LAPSED, D("2026-04-08"))
    assert (case.state, case.outcome, case.decided_on) == (State.DECIDED, "other_unpaid_fee", D("2026-04-08"))


def test_a_withdrawn_application_counts_as_other_other():
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-03"), **CORRECTION)
    case = apply(case, Event.WITHDRAW, D("2026-03-05"))
    assert (case.state, case.outcome, case.decided_on) == (State.WITHDRAWN, "other_other", D("2026-03-05"))


# --- issue 11: every step as the law requires ------------------------------------------------

from gongkai.core.casework.workdays import DayRule, WorkCalendar  # noqa: E402

UNCLEAR = {"correction_kind": "unclear", "correction_items": "请写明所需文件的名称或文号"}


def corrected_unclear(received="2026-03-02", asked="2026-03-04", corrected="2026-03-09"):
    case = apply(Case(received_on=D(received)), Event.REQUEST_CORRECTION, D(asked), **UNCLEAR)
    return apply(case, Event.RECEIVE_CORRECTION, D(corrected))


def test_a_fee_notice_received_later_moves_the_payment_deadline():
    # Posted Mon 2026-03-09, received Fri 03-13: 20 working days from the day after receipt end on
    # 04-13 (清明 04-06 off), not on 04-07 as counted from the sending.
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"), fee_notice_channel="post")
    with pytest.raises(TransitionError, match="国办函〔2020〕109号"):
        apply(case, Event.PAYMENT_LAPSED, D("2026-05-20"))  # by post: no deemed receipt day
    case = apply(case, Event.FEE_NOTICE_RECEIVED, D("2026-03-13"))
    assert case.fee_notice_received_on == D("2026-03-13") and case.state is State.AWAITING_PAYMENT
    assert case.payment_deadline().due == D("2026-04-13")
    with pytest.raises(TransitionError, match="缴费期限至 2026-04-13"):
        apply(case, Event.PAYMENT_LAPSED, D("2026-04-13"))
    lapsed = apply(case, Event.PAYMENT_LAPSED, D("2026-04-14"))
    assert (lapsed.state, lapsed.outcome) == (State.DECIDED, "other_unpaid_fee")


@pytest.mark.parametrize("channel", ["in_person", "email", "online", "fax"])
def test_a_fee_notice_not_by_post_is_deemed_received_the_day_it_is_sent(channel):
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"), fee_notice_channel=channel)
    assert case.payment_deadline().due == D("2026-04-07")
    assert apply(case, Event.PAYMENT_LAPSED, D("2026-04-08")).outcome == "other_unpaid_fee"


def test_the_fee_pause_still_runs_from_sending_to_payment():
    case = apply(Case(received_on=D("2026-03-02")), Event.SEND_FEE_NOTICE, D("2026-03-09"), fee_notice_channel="post")
    case = apply(case, Event.FEE_NOTICE_RECEIVED, D("2026-03-11"))
    case = apply(case, Event.RECEIVE_PAYMENT, D("2026-03-13"))
    assert case.reply_deadline().due == D("2026-04-07")


def test_a_fee_notice_must_be_sent_within_the_reply_period():
    # Received 2026-03-02, due 2026-03-30.
    case = Case(received_on=D("2026-03-02"))
    with pytest.raises(TransitionError, match="答复期限内"):
        apply(case, Event.SEND_FEE_NOTICE, D("2026-03-31"))
    assert apply(case, Event.SEND_FEE_NOTICE, D("2026-03-30")).state is State.AWAITING_PAYMENT


@pytest.mark.parametrize("outcome,message", [
    ("other_no_correction", "逾期未补正"),
    ("other_unpaid_fee", "逾期未缴费"),
    ("unable_unclear", "第三十条"),
    ("rejected_excessive", "第三十五条"),
])
def test_outcomes_without_their_preconditions_are_refused(outcome, message):
    with pytest.raises(TransitionError, match=message):
        apply(Case(received_on=D("2026-03-02")), Event.DECIDE, D("2026-03-05"), outcome=outcome,
              decision=Decision(reasons="理由"))


def test_unclear_only_after_a_correction_about_an_unclear_description():
    incomplete = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-04"),
                       correction_kind="incomplete", correction_items="请补充联系方式")
    incomplete = apply(incomplete, Event.RECEIVE_CORRECTION, D("2026-03-09"))
    with pytest.raises(TransitionError, match="描述不明确"):
        apply(incomplete, Event.DECIDE, D("2026-03-10"), outcome="unable_unclear")
    waiting = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_CORRECTION, D("2026-03-04"), **UNCLEAR)
    with pytest.raises(TransitionError):
        apply(waiting, Event.DECIDE, D("2026-03-10"), outcome="unable_unclear")
    assert apply(corrected_unclear(), Event.DECIDE, D("2026-03-10"), outcome="unable_unclear").outcome == "unable_unclear"


def test_a_correction_request_says_what_to_correct_and_why():
    case = Case(received_on=D("2026-03-02"))
    with pytest.raises(TransitionError, match="补正事项"):
        apply(case, Event.REQUEST_CORRECTION, D("2026-03-04"), correction_kind="unclear", correction_items="  ")
    with pytest.raises(TransitionError, match="补正原因"):
        apply(case, Event.REQUEST_CORRECTION, D("2026-03-04"), correction_items="请写明文号")
    with pytest.raises(TransitionError, match="补正原因"):
        apply(case, Event.REQUEST_CORRECTION, D("2026-03-04"), correction_kind="vague", correction_items="请写明文号")
    asked = apply(case, Event.REQUEST_CORRECTION, D("2026-03-04"), **UNCLEAR)
    assert (asked.correction_kind, asked.correction_items) == ("unclear", "请写明所需文件的名称或文号")


@pytest.mark.parametrize("outcome", ["partial", "denied_state_secret", "denied_third_party", "denied_query_matter",
                                     "other_other"])
def test_reasons_are_required_for_partial_refusals_and_other(outcome):
    case = Case(received_on=D("2026-03-02"))
    with pytest.raises(TransitionError, match="说明理由"):
        apply(case, Event.DECIDE, D("2026-03-05"), outcome=outcome)
    with pytest.raises(TransitionError, match="说明理由"):
        apply(case, Event.DECIDE, D("2026-03-05"), outcome=outcome, decision=Decision(reasons="  "))
    decided = apply(case, Event.DECIDE, D("2026-03-05"), outcome=outcome, decision=Decision(reasons="涉及国家秘密"))
    assert decided.decision.reasons == "涉及国家秘密"


def test_a_refusal_because_a_law_prohibits_names_the_law():
    case = Case(received_on=D("2026-03-02"))
    with pytest.raises(TransitionError, match="法律、行政法规"):
        apply(case, Event.DECIDE, D("2026-03-05"), outcome="denied_law_prohibited", decision=Decision(reasons="法律禁止"))
    decided = apply(case, Event.DECIDE, D("2026-03-05"), outcome="denied_law_prohibited",
                    decision=Decision(reasons="法律禁止公开", prohibiting_law="《中华人民共和国统计法》第三十九条"))
    assert decided.decision.prohibiting_law.startswith("《中华人民共和国统计法》")


def test_not_held_is_36_4_or_36_5_with_the_other_agency():
    case = Case(received_on=D("2026-03-02"))
    plain = apply(case, Event.DECIDE, D("2026-03-05"), outcome="unable_not_held")
    assert plain.decision.article == "第三十六条第（四）项"
    with pytest.raises(TransitionError, match="第三十六条第（五）项"):
        apply(case, Event.DECIDE, D("2026-03-05"), outcome="unable_not_held",
              decision=Decision(held_by_other_agency=True, other_agency_name="县自然资源局"))
    other = apply(case, Event.DECIDE, D("2026-03-05"), outcome="unable_not_held",
                  decision=Decision(held_by_other_agency=True, other_agency_name="县自然资源局",
                                    other_agency_contact="0539-1234567"))
    assert other.decision.article == "第三十六条第（五）项" and other.outcome == "unable_not_held"
    # The other agency belongs to 36(5) only: a 36(4) decision keeps no agency.
    only_four = apply(case, Event.DECIDE, D("2026-03-05"), outcome="unable_not_held",
                      decision=Decision(held_by_other_agency=False, other_agency_name="县自然资源局"))
    assert only_four.decision.other_agency_name == "" and only_four.decision.article == "第三十六条第（四）项"


def test_consultation_has_its_own_due_date_and_may_be_extended():
    case = apply(Case(received_on=D("2026-03-02")), Event.START_CONSULTATION, D("2026-03-04"),
                 consultation_party="某公司")
    assert (case.consultation_party, case.consultation_due_on) == ("某公司", D("2026-03-25"))
    assert Event.EXTEND in allowed_events(case)
    later = apply(Case(received_on=D("2026-03-02")), Event.START_CONSULTATION, D("2026-03-04"),
                  consultation_party="某公司", consultation_received_on=D("2026-03-06"))
    assert later.consultation_due_on == D("2026-03-27")
    with pytest.raises(TransitionError, match="早于"):
        apply(Case(received_on=D("2026-03-02")), Event.START_CONSULTATION, D("2026-03-04"),
              consultation_received_on=D("2026-03-03"))


@pytest.mark.parametrize("pause,end", [
    ((Event.START_CONSULTATION, {}), Event.END_CONSULTATION),
    ((Event.SEND_FEE_NOTICE, {"fee_notice_channel": "email"}), Event.RECEIVE_PAYMENT),
])
def test_a_pause_started_on_the_day_of_receipt_or_correction_can_be_ended(pause, end):
    start, details = pause
    case = apply(Case(received_on=D("2026-03-02")), start, D("2026-03-02"), **details)
    case = apply(case, end, D("2026-03-04"))
    assert case.reply_deadline().due == D("2026-04-01")  # 03-03 and 03-04 paused: 03-30 + 2 working days
    fixed = apply(corrected_unclear(corrected="2026-03-09"), start, D("2026-03-09"), **details)
    fixed = apply(fixed, end, D("2026-03-10"))
    assert fixed.reply_deadline().due == D("2026-04-08")  # 04-06 清明; 03-10 paused


def test_every_step_can_be_taken_on_the_day_of_receipt():
    day = D("2026-03-02")
    paths = {
        Event.REQUEST_CORRECTION: [],
        Event.RECEIVE_CORRECTION: [(Event.REQUEST_CORRECTION, UNCLEAR)],
        Event.CORRECTION_LAPSED: [(Event.REQUEST_CORRECTION, UNCLEAR)],
        Event.START_CONSULTATION: [],
        Event.END_CONSULTATION: [(Event.START_CONSULTATION, {})],
        Event.SEND_FEE_NOTICE: [],
        Event.FEE_NOTICE_RECEIVED: [(Event.SEND_FEE_NOTICE, {})],
        Event.RECEIVE_PAYMENT: [(Event.SEND_FEE_NOTICE, {}), (Event.FEE_NOTICE_RECEIVED, {})],
        Event.PAYMENT_LAPSED: [(Event.SEND_FEE_NOTICE, {"fee_notice_channel": "email"})],
        Event.REQUEST_REASONS: [],
        Event.RECEIVE_REASONS: [(Event.REQUEST_REASONS, {})],
        Event.EXTEND: [(Event.START_CONSULTATION, {})],
        Event.DECIDE: [(Event.REQUEST_CORRECTION, UNCLEAR), (Event.RECEIVE_CORRECTION, {}),
                       (Event.START_CONSULTATION, {}), (Event.END_CONSULTATION, {}),
                       (Event.SEND_FEE_NOTICE, {}), (Event.RECEIVE_PAYMENT, {})],
        Event.SEND_REPLY: [(Event.DECIDE, {})],
        Event.CLOSE: [(Event.DECIDE, {}), (Event.SEND_REPLY, {})],
        Event.WITHDRAW: [(Event.SEND_FEE_NOTICE, {})],
        Event.MERGE: [],
        Event.VOID: [(Event.START_CONSULTATION, {})],
    }
    assert set(paths) == set(Event)
    extra = {Event.DECIDE: {"outcome": "granted"}, Event.RECEIVE_REASONS: {"reasons_reasonable": True},
             Event.REQUEST_CORRECTION: UNCLEAR}
    for event, before in paths.items():
        case = Case(received_on=day)
        for step, details in before:
            case = apply(case, step, day, **{**extra.get(step, {}), **details})
            case.reply_deadline()
        if event in (Event.CORRECTION_LAPSED, Event.PAYMENT_LAPSED):  # the applicant's period has not run
            with pytest.raises(TransitionError, match="届满"):
                apply(case, event, day)
            continue
        after = apply(case, event, day, **extra.get(event, {}))
        assert after.history[-1] == (event, day)
        after.reply_deadline()


def test_void_ends_a_mistaken_registration():
    case = apply(Case(received_on=D("2026-03-02")), Event.VOID, D("2026-03-03"))
    assert case.state is State.VOIDED and case.outcome is None and allowed_events(case) == []
    assert Event.VOID in lifecycle.APPROVER_EVENTS and Event.EXTEND in lifecycle.APPROVER_EVENTS
    assert "重复登记" in Event.MERGE.label and "重复申请" not in Event.MERGE.label


def test_art_35_reasons_unreasonable_allow_rejected_excessive():
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_REASONS, D("2026-03-03"))
    assert case.reasons_requested_on == D("2026-03-03") and case.state is State.REGISTERED
    assert Event.REQUEST_REASONS not in allowed_events(case) and Event.RECEIVE_REASONS in allowed_events(case)
    # Waiting for the reasons does not pause the period: still due 2026-03-30.
    assert case.reply_deadline().due == D("2026-03-30")
    unreasonable = apply(case, Event.RECEIVE_REASONS, D("2026-03-10"), reasons_reasonable=False)
    decided = apply(unreasonable, Event.DECIDE, D("2026-03-11"), outcome="rejected_excessive")
    assert decided.outcome == "rejected_excessive"
    # The applicant gave no reasons at all: 不予处理 too.
    assert apply(case, Event.DECIDE, D("2026-03-20"), outcome="rejected_excessive").outcome == "rejected_excessive"


def test_art_35_reasonable_reasons_may_set_a_later_due_date():
    case = apply(Case(received_on=D("2026-03-02")), Event.REQUEST_REASONS, D("2026-03-03"))
    with pytest.raises(TransitionError, match="晚于"):
        apply(case, Event.RECEIVE_REASONS, D("2026-03-10"), reasons_reasonable=True, later_due_on=D("2026-03-30"))
    with pytest.raises(TransitionError, match="合理"):
        apply(case, Event.RECEIVE_REASONS, D("2026-03-10"), reasons_reasonable=False, later_due_on=D("2026-05-29"))
    reasonable = apply(case, Event.RECEIVE_REASONS, D("2026-03-10"), reasons_reasonable=True,
                       later_due_on=D("2026-05-29"))
    deadline = reasonable.reply_deadline()
    assert (deadline.due, deadline.original_due) == (D("2026-05-29"), D("2026-03-30"))
    assert "第三十五条" in "\n".join(deadline.explanation)
    with pytest.raises(TransitionError, match="第三十五条"):
        apply(reasonable, Event.DECIDE, D("2026-03-11"), outcome="rejected_excessive")
    assert Event.EXTEND not in allowed_events(reasonable)


def test_lapses_on_a_provisional_date_are_refused_until_the_holidays_are_entered():
    # Asked in December 2026: the 15 working days run into 2027, whose notice is not in the table.
    case = apply(Case(received_on=D("2026-12-21")), Event.REQUEST_CORRECTION, D("2026-12-22"), **UNCLEAR)
    with pytest.raises(TransitionError, match="暂定.*节假日"):
        apply(case, Event.CORRECTION_LAPSED, D("2027-02-01"))
    calendar = WorkCalendar([DayRule(D("2027-01-01"), False, "元旦")])
    assert apply(case, Event.CORRECTION_LAPSED, D("2027-02-01"), calendar=calendar).outcome == "other_no_correction"
    fee = apply(Case(received_on=D("2026-12-01")), Event.SEND_FEE_NOTICE, D("2026-12-21"), fee_notice_channel="email")
    with pytest.raises(TransitionError, match="暂定"):
        apply(fee, Event.PAYMENT_LAPSED, D("2027-02-01"))
    assert apply(fee, Event.PAYMENT_LAPSED, D("2027-02-01"), calendar=calendar).outcome == "other_unpaid_fee"
