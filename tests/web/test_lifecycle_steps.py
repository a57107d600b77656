"""The lifecycle steps of issue 11 through the desk (Django test client) and the registry's
services: fee notice receipt, decisions with their preconditions and contents, consultations
with their own due date, pauses begun on the day of receipt, correction items, Art. 35, void."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.cases.services import transition
from gongkai.core.casework import fees
from gongkai.core.casework.lifecycle import Event, TransitionError

from tests.web.test_desk import as_user, fixed_day, register, snapshot, text, world  # noqa: F401
from tests.web.test_registry import tree  # noqa: F401

CORRECTION = {"correction_kind": "unclear", "correction_items": "请写明所需文件的名称或文号"}


def step(client, case, event, **fields):
    data = {f"{event}-{k}": (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()}
    return client.post(reverse("desk:step", args=[case.pk, event]), data)


def page(client, case) -> str:
    return text(client.get(reverse("desk:case", args=[case.pk])))


def send_fee(client, case, on, channel):
    first = step(client, case, "send_fee_notice", on=on, fee_method="per_page", pages=150, fee_notice_channel=channel)
    assert first.status_code == 200
    response = step(client, case, "send_fee_notice", on=on, fee_method="per_page", pages=150,
                    fee_notice_channel=channel, confirmed_yuan=fees.per_page(150).yuan)
    assert response.status_code == 302, text(response)


def test_a_posted_fee_notice_runs_from_its_receipt(client, world, fixed_day):
    # Received Mon 2026-03-02; notice posted 03-09, received 03-13: pay by 04-13 (04-06 清明).
    fixed_day(date(2026, 5, 20))
    case = register(world, received_on=date(2026, 3, 2))
    as_user(client, world.handler)
    send_fee(client, case, date(2026, 3, 9), "post")
    body = page(client, case)
    assert "请在申请人收到后登记收到日期" in body and "申请人收到收费通知" in body
    before = snapshot(case)
    response = step(client, case, "payment_lapsed", on=date(2026, 5, 20))
    assert response.status_code == 400 and "国办函〔2020〕109号" in text(response)
    assert snapshot(case) == before
    assert step(client, case, "fee_notice_received", on=date(2026, 3, 13)).status_code == 302
    case.refresh_from_db()
    assert case.fee_notice_received_on == date(2026, 3, 13) and case.fee_notice_channel == "post"
    body = page(client, case)
    assert 'id="payment-due"' in body and "2026-04-13" in body
    response = step(client, case, "payment_lapsed", on=date(2026, 4, 13))
    assert response.status_code == 400 and "缴费期限至 2026-04-13 届满" in text(response)
    assert step(client, case, "payment_lapsed", on=date(2026, 4, 14)).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("decided", "other_unpaid_fee")


def test_a_fee_notice_only_within_the_reply_period(world):
    case = register(world, received_on=date(2026, 3, 2))  # due 2026-03-30
    with pytest.raises(TransitionError, match="答复期限内发出"):
        transition(world.handler, case, Event.SEND_FEE_NOTICE, date(2026, 3, 31), fee_method="per_page",
                   fee_yuan=100, fee_notice_channel="email")


@pytest.mark.parametrize("outcome", ["other_no_correction", "other_unpaid_fee", "unable_unclear", "rejected_excessive"])
def test_decide_refuses_outcomes_without_their_preconditions(client, world, outcome):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    before = snapshot(case)
    response = step(client, case, "decide", on=date(2026, 9, 3), outcome_key=outcome, decision_reasons="理由")
    assert response.status_code == 400 and ("第三十条" in text(response) or "第三十五条" in text(response)
                                            or "109号" in text(response))
    assert snapshot(case) == before


def test_the_decide_form_asks_what_each_outcome_must_state(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    body = page(client, case)
    for label in ("答复理由", "禁止公开的法律、行政法规及条款", "第三十六条第（四）项", "第三十六条第（五）项",
                  "负责公开该信息的机关", "该机关的联系方式"):
        assert label in body, label
    assert 'data-outcomes="unable_not_held"' in body
    before = snapshot(case)
    response = step(client, case, "decide", on=date(2026, 9, 3), outcome_key="denied_law_prohibited",
                    decision_reasons="依法不予公开")
    assert response.status_code == 400 and "禁止公开的法律、行政法规" in text(response)
    response = step(client, case, "decide", on=date(2026, 9, 3), outcome_key="unable_not_held",
                    not_held_article="36_5", other_agency_name="某县自然资源局")
    assert response.status_code == 400 and "须填写负责公开该信息的机关及其联系方式" in text(response)
    assert snapshot(case) == before
    response = step(client, case, "decide", on=date(2026, 9, 3), outcome_key="unable_not_held",
                    not_held_article="36_5", other_agency_name="某县自然资源局", other_agency_contact="0539-1234567")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.other_agency_name, case.other_agency_contact) == (
        "unable_not_held", "某县自然资源局", "0539-1234567")
    body = page(client, case)
    assert "第三十六条第（五）项" in body and "某县自然资源局（0539-1234567）" in body


def test_a_not_held_decision_under_36_4_keeps_no_other_agency(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    response = step(client, case, "decide", on=date(2026, 9, 3), outcome_key="unable_not_held",
                    not_held_article="36_4", other_agency_name="随手填的机关")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "unable_not_held" and case.other_agency_name == ""


def test_a_consultation_has_its_due_date_an_overdue_list_and_may_be_extended(client, world, fixed_day):
    fixed_day(date(2026, 3, 30))
    case = register(world, received_on=date(2026, 3, 2))
    as_user(client, world.handler)
    response = step(client, case, "start_consultation", on=date(2026, 3, 4))
    assert response.status_code == 400  # the party must be named
    assert step(client, case, "start_consultation", on=date(2026, 3, 4), consultation_party="某建设公司").status_code == 302
    case.refresh_from_db()
    assert (case.consultation_party, case.consultation_due_on) == ("某建设公司", date(2026, 3, 25))
    body = page(client, case)
    assert 'id="consultation-due"' in body and "2026-03-25" in body and "已逾期" in body
    listed = text(client.get(reverse("desk:worklist", args=["consultation_overdue"])))
    assert "征求意见逾期" in listed and case.number in listed
    # While consulting, the approver is offered the extension and may take it.
    as_user(client, world.approver)
    assert f'action="{reverse("desk:step", args=[case.pk, "extend"])}"' in page(client, case)
    assert step(client, case, "extend", on=date(2026, 3, 26), reason="第三方意见尚未收到").status_code == 302
    case.refresh_from_db()
    assert case.extended and case.state == "consulting"


@pytest.mark.parametrize("start,end", [("start_consultation", "end_consultation"), ("send_fee_notice", "receive_payment")])
def test_a_pause_begun_on_the_day_of_receipt_can_be_ended(client, world, start, end):
    """Issue 11 item 7: this raised DeadlineError (HTTP 500) and left the case stuck."""
    case = register(world, received_on=date(2026, 3, 2))
    as_user(client, world.handler)
    if start == "send_fee_notice":
        send_fee(client, case, date(2026, 3, 2), "email")
    else:
        assert step(client, case, start, on=date(2026, 3, 2), consultation_party="某公司").status_code == 302
    response = step(client, case, end, on=date(2026, 3, 4))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "registered" and case.due_on == date(2026, 4, 1)
    assert step(client, case, "decide", on=date(2026, 3, 5), outcome_key="granted").status_code == 302


def test_a_pause_begun_on_the_day_of_the_correction_can_be_ended(world):
    case = register(world, received_on=date(2026, 3, 2))
    case = transition(world.handler, case, Event.REQUEST_CORRECTION, date(2026, 3, 3), **CORRECTION)
    case = transition(world.handler, case, Event.RECEIVE_CORRECTION, date(2026, 3, 9))
    case = transition(world.handler, case, Event.START_CONSULTATION, date(2026, 3, 9), consultation_party="某公司")
    case = transition(world.handler, case, Event.END_CONSULTATION, date(2026, 3, 10))
    assert case.due_on == date(2026, 4, 8)


def test_every_step_on_the_day_of_receipt_through_the_registry(world):
    day = date(2026, 3, 2)
    handler, approver = world.handler, world.approver
    case = register(world, received_on=day)
    for event, user, details in [
        (Event.REQUEST_CORRECTION, handler, CORRECTION), (Event.RECEIVE_CORRECTION, handler, {}),
        (Event.START_CONSULTATION, handler, {"consultation_party": "某公司"}), (Event.EXTEND, approver, {}),
        (Event.END_CONSULTATION, handler, {}),
        (Event.SEND_FEE_NOTICE, handler, {"fee_method": "per_page", "fee_yuan": 100, "fee_notice_channel": "post"}),
        (Event.FEE_NOTICE_RECEIVED, handler, {}), (Event.RECEIVE_PAYMENT, handler, {}),
        (Event.REQUEST_REASONS, handler, {}), (Event.RECEIVE_REASONS, handler, {"reasons_reasonable": True}),
        (Event.DECIDE, handler, {}), (Event.SEND_REPLY, handler, {"reply_channel": "in_person"}),
        (Event.CLOSE, handler, {}),
    ]:
        case = transition(user, case, event, day, "同日办理", outcome="granted" if event is Event.DECIDE else None,
                          **details)
    assert case.state == "closed"
    for event, user, details, before in [
        (Event.WITHDRAW, handler, {}, []), (Event.MERGE, handler, {}, []), (Event.VOID, approver, {}, []),
    ]:
        other = register(world, received_on=day)
        if event is Event.MERGE:
            details = {"merged_into": case}
        other = transition(user, other, event, day, "同日办理", **details)
        assert other.state in ("withdrawn", "merged", "voided")
    lapsing = register(world, received_on=day)
    lapsing = transition(handler, lapsing, Event.REQUEST_CORRECTION, day, **CORRECTION)
    with pytest.raises(TransitionError, match="届满"):
        transition(handler, lapsing, Event.CORRECTION_LAPSED, day)


def test_a_correction_request_states_its_items_and_the_applicants_period(client, world, fixed_day):
    fixed_day(date(2026, 3, 5))
    case = register(world, received_on=date(2026, 3, 2))
    as_user(client, world.handler)
    before = snapshot(case)
    response = step(client, case, "request_correction", on=date(2026, 3, 4), correction_kind="unclear",
                    correction_items=" ")
    assert response.status_code == 400 and snapshot(case) == before
    assert step(client, case, "request_correction", on=date(2026, 3, 4), **CORRECTION).status_code == 302
    body = page(client, case)
    # The agency's 15 working days from Wed 2026-03-04 end on 2026-03-25.
    assert 'id="correction-period"' in body and "2026-03-25" in body and "请写明所需文件的名称或文号" in body
    assert "所需信息的描述不明确" in body


def test_a_decided_case_stays_listed_until_delivered(client, world, fixed_day):
    fixed_day(date(2026, 9, 30))
    case = register(world, received_on=date(2026, 9, 1))
    transition(world.handler, case, Event.DECIDE, date(2026, 9, 28), outcome="granted")
    as_user(client, world.handler)
    listed = text(client.get(reverse("desk:worklist", args=["undelivered"])))
    assert "待送达" in listed and case.number in listed
    transition(world.handler, case, Event.SEND_REPLY, date(2026, 9, 29), reply_channel="post")
    assert case.number not in text(client.get(reverse("desk:worklist", args=["undelivered"])))


def test_void_is_for_approvers_with_a_reason_and_kept_in_history(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    before = snapshot(case)
    assert step(client, case, "void", on=date(2026, 9, 2), reason="误登记").status_code == 403
    assert 'desk:step' not in page(client, case) and "作废登记" not in page(client, case).split("办理记录")[0]
    as_user(client, world.approver)
    assert "作废登记" in page(client, case)
    response = step(client, case, "void", on=date(2026, 9, 2), reason="")
    assert response.status_code == 400 and snapshot(case) == before
    assert step(client, case, "void", on=date(2026, 9, 2), reason="信访件误登记为公开申请").status_code == 302
    case.refresh_from_db()
    assert case.state == "voided" and case.outcome == "" and case.due_on is None
    event = CaseEvent.objects.filter(application=case).last()
    assert (event.event, event.reason, event.user) == ("void", "信访件误登记为公开申请", world.approver)
    assert "已作废登记" in page(client, case)


def test_merge_is_named_so_as_not_to_be_confused_with_a_repeat_application(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    body = page(client, case)
    assert "合并重复登记（同一申请登记两次）" in body and "合并重复申请" not in body


def test_art_35_reasons_and_a_later_reasonable_due_date(client, world):
    case = register(world, received_on=date(2026, 3, 2))  # due 2026-03-30
    as_user(client, world.handler)
    assert step(client, case, "request_reasons", on=date(2026, 3, 3), reason="本月已申请40件").status_code == 302
    case.refresh_from_db()
    assert case.reasons_requested_on == date(2026, 3, 3) and case.due_on == date(2026, 3, 30)  # not paused
    response = step(client, case, "receive_reasons", on=date(2026, 3, 10), reasons_reasonable="yes",
                    later_due_on=date(2026, 3, 27))
    assert response.status_code == 400 and "应晚于" in text(response)
    assert step(client, case, "receive_reasons", on=date(2026, 3, 10), reasons_reasonable="yes",
                later_due_on=date(2026, 5, 29)).status_code == 302
    case.refresh_from_db()
    assert (case.reasons_reasonable, case.later_due_on, case.due_on) == (True, date(2026, 5, 29), date(2026, 5, 29))
    body = page(client, case)
    assert "第三十五条" in body and "2026-05-29" in body
    response = step(client, case, "decide", on=date(2026, 3, 12), outcome_key="rejected_excessive")
    assert response.status_code == 400 and "已认定为合理" in text(response)


def test_art_35_unreasonable_reasons_allow_not_processing(world):
    case = register(world, received_on=date(2026, 3, 2))
    case = transition(world.handler, case, Event.REQUEST_REASONS, date(2026, 3, 3))
    case = transition(world.handler, case, Event.RECEIVE_REASONS, date(2026, 3, 9), reasons_reasonable=False)
    case = transition(world.handler, case, Event.DECIDE, date(2026, 3, 10), outcome="rejected_excessive")
    assert Application.objects.get(pk=case.pk).outcome == "rejected_excessive"


def test_a_lapse_on_a_provisional_date_is_refused(world, fixed_day):
    fixed_day(date(2026, 12, 21))
    case = register(world, received_on=date(2026, 12, 21))
    case = transition(world.handler, case, Event.REQUEST_CORRECTION, date(2026, 12, 22), **CORRECTION)
    with pytest.raises(TransitionError, match="暂定"):
        transition(world.handler, case, Event.CORRECTION_LAPSED, date(2027, 2, 1))
    assert Application.objects.get(pk=case.pk).state == "awaiting_correction"
