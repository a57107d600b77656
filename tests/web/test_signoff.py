"""Review and sign-off of decisions (拟办 → 审核 → 签发): the core rules, then the services and pages
with a real database — roles, four eyes, the secrecy review of 条例 Art. 17, the return-revise-sign
cycle, the gate on a direct decide step, the reply letter issued on signing, the agency's setting
with its history, and nothing stored when signing fails."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.cases.services import register_application, transition
from gongkai.apps.letters import services as letter_services
from gongkai.apps.letters.models import IssuedLetter
from gongkai.apps.signoff import services
from gongkai.apps.signoff.models import DecisionDraft, DraftEvent, SignoffSettingsChange
from gongkai.core.casework import signoff
from gongkai.core import standard
from gongkai.core.casework.letters import LetterError
from gongkai.core.casework.lifecycle import Event, TransitionError
from gongkai.core.casework.signoff import Action, DraftState, SignoffError
from tests.web.test_registry import person as registry_person

User = get_user_model()
Role = Membership.Role
REASONS = "所申请的会议纪要记录内部讨论过程，属于过程性信息，依法不予公开。"
GATE = "本机关规定该类答复须经审核签发"


# --------------------------------------------------------------------------- the core rules


def test_default_outcomes_are_every_refusal_and_partial():
    denied = {key for key in standard.OUTCOME_KEYS if key.startswith("denied_")}
    assert len(denied) == 8
    assert signoff.DEFAULT_SIGNOFF_OUTCOMES == denied | {"partial"}
    assert all(signoff.needs_signoff(key) for key in denied | {"partial"})
    assert not any(signoff.needs_signoff(key) for key in ("granted", "unable_not_held", "rejected_repeat", None))
    assert signoff.needs_signoff("granted", frozenset({"granted"}))
    assert not signoff.needs_signoff("partial", frozenset())


def test_the_drafts_states_refuse_steps_out_of_order():
    assert signoff.next_state(DraftState.DRAFTING, Action.SUBMIT) is DraftState.SUBMITTED
    assert signoff.next_state(DraftState.SUBMITTED, Action.RETURN) is DraftState.RETURNED
    assert signoff.next_state(DraftState.RETURNED, Action.REVISE) is DraftState.RETURNED
    assert signoff.next_state(DraftState.SUBMITTED, Action.SIGN) is DraftState.SIGNED
    with pytest.raises(SignoffError, match="拟办答复处于“拟办中”状态，不能审核签发"):
        signoff.next_state(DraftState.DRAFTING, Action.SIGN)
    with pytest.raises(SignoffError, match="不能修改拟办"):
        signoff.next_state(DraftState.SUBMITTED, Action.REVISE)
    for action in Action:
        if action is not Action.DRAFT:
            with pytest.raises(SignoffError):
                signoff.next_state(DraftState.SIGNED, action)


def test_statements_the_law_asks_of_a_decision():
    assert signoff.missing_statements("granted") == []
    [(field, message)] = signoff.missing_statements("partial")
    assert field == "decision_reasons" and "第三十七条" in message
    [(field, message)] = signoff.missing_statements("denied_process_info")
    assert field == "decision_reasons" and "第三十六条第（三）项" in message
    assert [f for f, _ in signoff.missing_statements("denied_law_prohibited", decision_reasons="…")] == ["prohibiting_law"]
    assert [f for f, _ in signoff.missing_statements("unable_not_held", other_agency_name="某县档案馆")] \
        == ["other_agency_contact"]
    assert signoff.missing_statements("unable_not_held", other_agency_name="某县档案馆",
                                      other_agency_contact="0531-1234") == []


# --------------------------------------------------------------------------- the web application


def person(**extra):
    return registry_person(**{"applicant_name": "李四", "description": "2026年第3次局长办公会议纪要", **extra})


@pytest.fixture
def tree(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    other = Agency.objects.create(name="另一县财政局", kind=Agency.Kind.DEPARTMENT)
    users = {}
    for name, agency, role in [
        ("registrar", bureau, Role.REGISTRAR),
        ("handler", bureau, Role.HANDLER),
        ("handler2", bureau, Role.HANDLER),
        ("approver", bureau, Role.APPROVER),
        ("approver2", bureau, Role.APPROVER),
        ("supervisor", county, Role.SUPERVISOR),
        ("stranger", other, Role.HANDLER),
        ("other_approver", other, Role.APPROVER),
    ]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    letter_services.save_settings(users["approver"], bureau, review_body="某县人民政府", court="某县人民法院",
                                  number_prefix="某财信公开告字", contact_phone="0531-12345678")
    return {"county": county, "bureau": bureau, "other": other, **users}


def registered(tree, **extra) -> Application:
    return register_application(tree["handler"], tree["bureau"], **person(**extra))


def drafted(tree, case=None, *, outcome="denied_process_info", reasons=REASONS, by="handler", submit=True, **extra):
    case = case or registered(tree)
    draft = services.save_draft(tree[by], case, outcome=outcome, decided_on=date(2026, 3, 10),
                                decision_reasons=reasons, **extra)
    return services.submit(tree[by], draft) if submit else draft


def words(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(content))).paragraphs)


def case_events(case) -> list[str]:
    return list(CaseEvent.objects.filter(application=case).order_by("at", "pk").values_list("event", flat=True))


def test_a_direct_decision_needing_signoff_is_refused_and_stores_nothing(tree):
    case = registered(tree)
    assert services.required_outcomes(tree["bureau"]) == signoff.DEFAULT_SIGNOFF_OUTCOMES
    for outcome in ("partial", "denied_process_info", "denied_state_secret"):
        with pytest.raises(TransitionError, match=GATE):
            transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 10), REASONS, outcome=outcome,
                       decision_reasons=REASONS)
    case.refresh_from_db()
    assert (case.state, case.outcome, case.decision_reasons) == ("registered", "", "")
    assert case_events(case) == ["register"]
    # Outcomes the agency has not put under sign-off are decided directly, as before.
    decided = transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 10), outcome="granted")
    assert (decided.state, decided.outcome) == ("decided", "granted")


def test_the_desk_step_form_points_to_the_draft(client, tree):
    case = registered(tree)
    client.force_login(tree["handler"])
    response = client.post(reverse("desk:step", args=[case.pk, "decide"]),
                           {"decide-on": "2026-03-10", "decide-outcome_key": "partial", "decide-reason": "部分涉及个人隐私"})
    assert response.status_code == 400
    assert GATE in response.content.decode()
    case.refresh_from_db()
    assert case.state == "registered" and not case.outcome


def test_draft_return_revise_sign_issues_the_reply_letter(tree):
    case = registered(tree)
    draft = services.save_draft(tree["handler"], case, outcome="denied_process_info", decided_on=date(2026, 3, 10),
                                decision_reasons="属于过程性信息。", letter_note="")
    assert draft.state == "drafting" and draft.revision == 1
    draft = services.save_draft(tree["handler"], case, outcome="denied_process_info", decided_on=date(2026, 3, 10),
                                decision_reasons="属于过程性信息，不予公开。")
    assert draft.revision == 2
    draft = services.submit(tree["handler"], draft)
    assert draft.state == "submitted"
    with pytest.raises(SignoffError, match="不能修改拟办"):
        services.save_draft(tree["handler"], case, outcome="granted", decided_on=date(2026, 3, 10))

    with pytest.raises(ValidationError, match="退回修改须写明审核意见"):
        services.return_draft(tree["approver"], draft, "  ")
    draft = services.return_draft(tree["approver"], draft, "请写明该纪要为何属于过程性信息，并引用条款。")
    assert draft.state == "returned"
    draft = services.save_draft(tree["handler"], case, outcome="denied_process_info", decided_on=date(2026, 3, 12),
                                decision_reasons=REASONS, letter_note="如需了解会议结论，可查阅本局网站公开的通知。",
                                note="按审核意见补充理由")
    assert (draft.state, draft.revision) == ("returned", 3)
    draft = services.submit(tree["handler"], draft)

    signed = services.sign(tree["approver"], draft, comment="同意")
    assert signed.state == "signed" and signed.signed_by == tree["approver"] and signed.signed_at
    case.refresh_from_db()
    assert (case.state, case.outcome, case.decided_on) == ("decided", "denied_process_info", date(2026, 3, 12))
    assert case.decision_reasons == REASONS
    letter = IssuedLetter.objects.get(application=case)
    assert signed.letter == letter and letter.kind == "reply_denied_process_info"
    assert letter.issued_by == tree["approver"] and letter.letter_date == date(2026, 3, 12)
    text = words(letter.content)
    assert REASONS in text and "如需了解会议结论" in text and "行政复议" in text

    assert list(DraftEvent.objects.filter(draft=draft).order_by("at", "pk").values_list("action", flat=True)) == [
        "draft", "revise", "submit", "return", "revise", "submit", "sign"]
    returned = DraftEvent.objects.get(draft=draft, action="return")
    assert returned.user == tree["approver"] and "过程性信息" in returned.reason
    assert returned.before["state"] == "submitted" and returned.after["state"] == "returned"
    revised = DraftEvent.objects.filter(draft=draft, action="revise").last()
    assert revised.reason == "按审核意见补充理由" and revised.before["decided_on"] == "2026-03-10"
    assert case_events(case) == ["register", "draft_decision", "draft_decision", "submit_decision", "return_decision",
                                 "draft_decision", "submit_decision", "decide", "sign_decision"]
    sign_event = CaseEvent.objects.get(application=case, event="sign_decision")
    assert sign_event.user == tree["approver"] and letter.number in sign_event.reason
    revision = CaseEvent.objects.filter(application=case, event="draft_decision").last()
    assert revision.before["decided_on"] == "2026-03-10" and revision.after["decided_on"] == "2026-03-12"
    # A signed case takes no new draft.
    with pytest.raises(SignoffError, match="不能再拟办答复"):
        drafted(tree, case)


@pytest.mark.parametrize("who", ["registrar", "supervisor", "stranger", "other_approver"])
def test_who_may_not_draft_or_review(tree, who):
    case = registered(tree)
    with pytest.raises(PermissionDenied):
        services.save_draft(tree[who], case, outcome="partial", decided_on=date(2026, 3, 10), decision_reasons="…")
    draft = drafted(tree, case, outcome="partial")
    for action in (lambda: services.return_draft(tree[who], draft, "不同意"),
                   lambda: services.sign(tree[who], draft, secrecy_opinion="不涉密"),
                   lambda: services.cancel(tree[who], draft, "不需要")):
        with pytest.raises(PermissionDenied):
            action()
    assert DecisionDraft.objects.get().state == "submitted"
    assert not DraftEvent.objects.exclude(action__in=["draft", "submit"]).exists()


def test_handlers_neither_return_nor_sign(tree):
    draft = drafted(tree)
    for who in ("handler", "handler2"):
        with pytest.raises(PermissionDenied, match="审核人员"):
            services.sign(tree[who], draft)
        with pytest.raises(PermissionDenied, match="审核人员"):
            services.return_draft(tree[who], draft, "请修改")
    assert DecisionDraft.objects.get().state == "submitted"


def test_four_eyes_the_drafter_or_a_reviser_does_not_sign(tree):
    draft = drafted(tree, by="approver")
    with pytest.raises(SignoffError, match="不能签发自己拟办的答复"):
        services.sign(tree["approver"], draft)
    # Returned and revised by another approver: neither of them signs; a third person may.
    services.return_draft(tree["approver2"], draft, "请补充理由")
    services.save_draft(tree["approver2"], draft.application, outcome="denied_process_info",
                        decided_on=date(2026, 3, 10), decision_reasons=REASONS + "（补充）")
    draft = services.submit(tree["approver2"], draft)
    for who in ("approver", "approver2"):
        with pytest.raises(SignoffError, match="不能签发自己拟办的答复"):
            services.sign(tree[who], draft)
    Membership.objects.create(user=tree["handler2"], agency=tree["bureau"], role=Role.APPROVER)
    assert services.sign(tree["handler2"], draft).state == "signed"


def test_the_database_refuses_a_signed_draft_by_its_drafter(tree):
    draft = drafted(tree)
    letter = IssuedLetter.objects.create(application=draft.application, kind="reply_granted", title="t", number="n",
                                         recipient="r", letter_date=date(2026, 3, 10), issued_by=tree["approver"],
                                         content=b"x", sha256="0" * 64, filename="f.docx")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionDraft.objects.filter(pk=draft.pk).update(state="signed", signed_by=tree["handler"],
                                                         signed_at=timezone.now(), letter=letter)
    DecisionDraft.objects.filter(pk=draft.pk).update(state="signed", signed_by=tree["approver"],
                                                     signed_at=timezone.now(), letter=letter)


def test_disclosure_is_signed_only_with_the_secrecy_review(tree):
    draft = drafted(tree, outcome="partial", reasons="第三人的个人信息已作遮盖处理。")
    with pytest.raises(SignoffError, match="保密审查.*第十七条"):
        services.sign(tree["approver"], draft, secrecy_opinion="   ")
    case = Application.objects.get(pk=draft.application_id)
    assert case.state == "registered" and not IssuedLetter.objects.exists()
    signed = services.sign(tree["approver"], draft, secrecy_opinion="经审查，拟公开部分不涉及国家秘密，同意公开")
    assert signed.secrecy_reviewed_by == tree["approver"] and signed.secrecy_reviewed_at is not None
    assert signed.secrecy_opinion == "经审查，拟公开部分不涉及国家秘密，同意公开"
    assert "保密审查意见：经审查" in CaseEvent.objects.get(event="sign_decision").reason


def test_the_database_refuses_a_disclosure_signed_without_secrecy_review(tree):
    draft = drafted(tree, outcome="granted", reasons="")
    letter = IssuedLetter.objects.create(application=draft.application, kind="reply_granted", title="t", number="n",
                                         recipient="r", letter_date=date(2026, 3, 10), issued_by=tree["approver"],
                                         content=b"x", sha256="0" * 64, filename="f.docx")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionDraft.objects.filter(pk=draft.pk).update(state="signed", signed_by=tree["approver"],
                                                         signed_at=timezone.now(), letter=letter)


def test_a_refusal_needs_no_secrecy_review_but_may_record_one(tree):
    signed = services.sign(tree["approver"], drafted(tree))
    assert signed.secrecy_reviewed_by is None and signed.secrecy_opinion == ""


def test_submitting_needs_what_the_law_asks_of_the_outcome(tree):
    draft = drafted(tree, reasons="", submit=False)
    with pytest.raises(ValidationError) as refused:
        services.submit(tree["handler"], draft)
    assert "须说明理由" in refused.value.message_dict["decision_reasons"][0]
    draft = services.save_draft(tree["handler"], draft.application, outcome="denied_law_prohibited",
                                decided_on=date(2026, 3, 10), decision_reasons=REASONS)
    with pytest.raises(ValidationError) as refused:
        services.submit(tree["handler"], draft)
    assert list(refused.value.message_dict) == ["prohibiting_law"]
    assert DecisionDraft.objects.get().state == "drafting"


def test_signing_fails_without_the_letter_settings_and_stores_nothing(tree, client):
    # A vertically managed agency whose approver has not named its review body in the letter
    # settings yet (the law names none the system can find: 行政复议法 Art. 27).
    fresh = Agency.objects.create(name="某县税务局", kind=Agency.Kind.DEPARTMENT, parent=tree["county"], vertical=True)
    for name, role in (("handler", Role.HANDLER), ("approver", Role.APPROVER)):
        Membership.objects.create(user=tree[name], agency=fresh, role=role)
    case = register_application(tree["handler"], fresh, **person())
    draft = drafted(tree, case)
    before_events = case_events(case)
    with pytest.raises(LetterError, match="填写行政复议机关后再生成"):
        services.sign(tree["approver"], draft)
    case.refresh_from_db()
    draft.refresh_from_db()
    assert (case.state, case.outcome, case.decided_on, case.decision_reasons) == ("registered", "", None, "")
    assert draft.state == "submitted" and draft.signed_by is None and draft.letter is None
    assert case_events(case) == before_events
    assert not DraftEvent.objects.filter(action="sign").exists() and not IssuedLetter.objects.exists()
    # Through the page: the approver sees the Chinese reason, with the input kept.
    client.force_login(tree["approver"])
    response = client.post(reverse("signoff:review", args=[draft.pk]), {"action": "sign", "review-comment": "同意签发"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "填写行政复议机关后再生成" in page and "同意签发" in page
    case.refresh_from_db()
    assert case.state == "registered" and not IssuedLetter.objects.exists()


def test_a_lifecycle_refusal_at_signing_stores_nothing(tree):
    case = registered(tree)
    draft = drafted(tree, case)
    transition(tree["handler"], case, Event.START_CONSULTATION, date(2026, 3, 5), "征求第三方意见")
    with pytest.raises(TransitionError, match="征求意见中"):
        services.sign(tree["approver"], draft)
    draft.refresh_from_db()
    assert draft.state == "submitted" and not IssuedLetter.objects.exists()
    assert "sign_decision" not in case_events(case)


def test_a_decision_date_after_today_is_not_signed(tree):
    case = registered(tree)
    draft = services.submit(tree["handler"], services.save_draft(
        tree["handler"], case, outcome="denied_process_info", decision_reasons=REASONS,
        decided_on=timezone.localdate() + timedelta(days=3)))
    with pytest.raises(SignoffError, match="晚于今天"):
        services.sign(tree["approver"], draft)


def test_the_gate_takes_no_draft_but_the_one_being_signed(tree):
    draft = drafted(tree)
    case = draft.application
    with pytest.raises(SignoffError, match="不一致"):
        transition(tree["approver"], case, Event.DECIDE, date(2026, 3, 10), REASONS, outcome="denied_process_info",
                   signed_draft=draft, decision_reasons=REASONS)
    # With a draft in review, the case is not decided around it, even with an outcome that needs no sign-off.
    with pytest.raises(SignoffError, match="已有拟办答复"):
        transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 10), outcome="granted")
    case.refresh_from_db()
    assert case.state == "registered"


def test_one_open_draft_per_case_and_cancelling(tree):
    draft = drafted(tree)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionDraft.objects.create(application=draft.application, outcome="granted", decided_on=date(2026, 3, 10),
                                     drafted_by=tree["handler"], revised_by=tree["handler"])
    with pytest.raises(ValidationError, match="撤销拟办须说明理由"):
        services.cancel(tree["handler"], draft, "")
    services.cancel(tree["handler"], draft, "申请人来电表示将撤回申请")
    assert DecisionDraft.objects.get().state == "cancelled"
    assert case_events(draft.application)[-1] == "cancel_decision"
    fresh = drafted(tree, draft.application, outcome="granted", reasons="")
    assert fresh.pk != draft.pk and DecisionDraft.objects.count() == 2


def test_configuration_with_its_history(tree, client):
    bureau = tree["bureau"]
    with pytest.raises(PermissionDenied):
        services.configure(tree["handler"], bureau, [])
    with pytest.raises(ValidationError):
        services.configure(tree["approver"], bureau, ["granted_wrongly"])
    services.configure(tree["approver"], bureau, ["denied_state_secret", "granted"], "只对国家秘密和全部公开审核签发")
    assert services.required_outcomes(bureau) == {"denied_state_secret", "granted"}
    change = SignoffSettingsChange.objects.get()
    assert change.user == tree["approver"] and change.reason == "只对国家秘密和全部公开审核签发"
    assert set(change.before["outcomes"]) == signoff.DEFAULT_SIGNOFF_OUTCOMES
    assert change.after["outcomes"] == ["granted", "denied_state_secret"]  # in table 3's order
    # Now partial is decided directly and granted is not.
    case = registered(tree)
    with pytest.raises(TransitionError, match=GATE):
        transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 10), outcome="granted")
    assert transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 10), "个人隐私部分不予公开",
                      outcome="partial", decision_reasons="个人隐私部分不予公开").outcome == "partial"
    # The same setting again records nothing; the other agency keeps the default.
    services.configure(tree["approver"], bureau, ["granted", "denied_state_secret"])
    assert SignoffSettingsChange.objects.count() == 1
    assert services.required_outcomes(tree["other"]) == signoff.DEFAULT_SIGNOFF_OUTCOMES
    services.configure(tree["other_approver"], tree["other"], signoff.DEFAULT_SIGNOFF_OUTCOMES)
    assert not SignoffSettingsChange.objects.filter(agency=tree["other"]).exists()

    url = reverse("signoff:settings", args=[bureau.pk])
    client.force_login(tree["handler"])
    page = client.get(url).content.decode()
    assert "只对国家秘密和全部公开审核签发" in page and 'name="outcomes"' not in page
    assert client.post(url, {"outcomes": []}).status_code == 403
    client.force_login(tree["stranger"])
    assert client.get(url).status_code == 404
    client.force_login(tree["approver"])
    response = client.post(url, {"outcomes": ["partial"], "reason": "按局务会决定"}, follow=True)
    assert response.status_code == 200 and "按局务会决定" in response.content.decode()
    assert services.required_outcomes(bureau) == {"partial"}
    latest = SignoffSettingsChange.objects.order_by("-pk").first()
    assert (latest.before, latest.after) == ({"outcomes": ["granted", "denied_state_secret"]}, {"outcomes": ["partial"]})


def test_pages_per_role(client, tree):
    case = registered(tree)
    url = reverse("desk:case", args=[case.pk])
    client.force_login(tree["handler"])
    page = client.get(url).content.decode()
    assert "答复审核签发" in page and reverse("signoff:draft", args=[case.pk]) in page
    response = client.post(reverse("signoff:draft", args=[case.pk]), {
        "draft-outcome": "denied_process_info", "draft-decided_on": "2026-03-10", "draft-decision_reasons": "",
        "action": "submit"})
    assert response.status_code == 400 and "须说明理由" in response.content.decode()
    assert DecisionDraft.objects.get().state == "drafting"  # saved, not submitted
    response = client.post(reverse("signoff:draft", args=[case.pk]), {
        "draft-outcome": "denied_process_info", "draft-decided_on": "2026-03-10", "draft-decision_reasons": REASONS,
        "action": "submit"},
        follow=True)
    assert "已提交审核签发" in response.content.decode()
    draft = DecisionDraft.objects.get()
    assert draft.state == "submitted"
    review_url = reverse("signoff:review", args=[draft.pk])
    assert review_url not in client.get(url).content.decode()
    assert client.post(review_url, {"action": "sign"}).status_code == 403

    for who, status in (("registrar", 403), ("supervisor", 403), ("stranger", 404)):
        client.force_login(tree[who])
        assert client.get(reverse("signoff:case", args=[case.pk])).status_code == (200 if status == 403 else 404)
        assert client.post(reverse("signoff:draft", args=[case.pk]), {
            "draft-outcome": "granted", "draft-decided_on": "2026-03-10"}).status_code == status
        assert client.post(review_url, {"action": "return", "review-comment": "x"}).status_code == status
        assert client.post(reverse("signoff:cancel", args=[draft.pk]), {"cancel-reason": "x"}).status_code == status
    client.force_login(tree["supervisor"])
    page = client.get(url).content.decode()
    assert "待审核签发" in page and review_url not in page and "审核签发由本机关审核人员（负责人）办理" in page
    assert DecisionDraft.objects.get().state == "submitted"

    client.force_login(tree["approver"])
    page = client.get(url).content.decode()
    assert review_url in page and "签发</button>" in page
    response = client.post(review_url, {"action": "return", "review-comment": "请引用条款"}, follow=True)
    assert "已退回修改" in response.content.decode()
    client.force_login(tree["handler"])
    page = client.get(url).content.decode()
    assert "请引用条款" in page and "修改拟办" in page


def test_the_approvers_queue_and_the_navigation_count(client, tree):
    draft = drafted(tree)
    drafted(tree, outcome="partial", submit=False)  # still being drafted: not waiting
    client.force_login(tree["approver"])
    home = client.get(reverse("desk:home")).content.decode()
    assert "待签发（1）" in home
    page = client.get(reverse("signoff:queue")).content.decode()
    assert draft.application.number in page and "（三）6.过程性信息" in page and "共 1 件" in page
    client.force_login(tree["other_approver"])
    page = client.get(reverse("signoff:queue")).content.decode()
    assert draft.application.number not in page and "没有等待签发的拟办答复" in page
    assert "待签发</a>" in client.get(reverse("desk:home")).content.decode()
    client.force_login(tree["handler"])
    assert "待签发" not in client.get(reverse("desk:home")).content.decode()
    assert client.get(reverse("signoff:queue")).status_code == 403
    services.sign(tree["approver"], draft)
    client.force_login(tree["approver"])
    assert "待签发（" not in client.get(reverse("desk:home")).content.decode()


def test_signing_through_the_page(client, tree):
    draft = drafted(tree, outcome="partial", reasons="第三人的个人信息已作遮盖处理。")
    client.force_login(tree["approver"])
    url = reverse("signoff:review", args=[draft.pk])
    response = client.post(url, {"action": "sign"})
    assert response.status_code == 400 and "保密审查" in response.content.decode()
    response = client.post(url, {"action": "sign", "review-secrecy_opinion": "不涉及国家秘密，同意公开"}, follow=True)
    letter = IssuedLetter.objects.get()
    assert f"答复告知书 {letter.number} 已生成" in response.content.decode()
    assert reverse("letters:download", args=[letter.pk]) in response.content.decode()
    assert Application.objects.get().outcome == "partial"


def test_the_admin_shows_drafts_and_settings_and_changes_nothing(admin_client, rf, admin_user, tree):
    from django.contrib import admin

    services.sign(tree["approver"], drafted(tree))
    services.configure(tree["approver"], tree["bureau"], ["partial"])
    request = rf.get("/")
    request.user = admin_user
    for model in (DecisionDraft, SignoffSettingsChange, services.SignoffSettings):  # DraftEvent: inline
        model_admin = admin.site._registry[model]
        assert not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                    or model_admin.has_delete_permission(request)), model
        url = reverse(f"admin:signoff_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, model
    draft = DecisionDraft.objects.get()
    page = admin_client.get(reverse("admin:signoff_decisiondraft_change", args=[draft.pk])).content.decode()
    assert "审核签发" in page and REASONS in page


def test_signing_a_decision_that_names_the_agency_holding_the_information_issues_its_letter(tree):
    """An agency that puts 无法提供 under sign-off: a draft naming the agency that holds the
    information (条例 Art. 36(5)) is signed with the 36(5) reply letter, not refused for asking
    for the 36(4) letter that does not fit the case (found by the demo, which signs through here)."""
    services.configure(tree["approver"], tree["bureau"], [*signoff.DEFAULT_SIGNOFF_OUTCOMES, "unable_not_held"])
    case = registered(tree)
    draft = drafted(tree, case, outcome="unable_not_held", reasons="该信息由某县档案馆保存。", other_agency_name="某县档案馆",
                    other_agency_contact="0531-7654321")
    signed = services.sign(tree["approver"], draft)
    assert signed.state == "signed" and signed.letter.kind == "reply_unable_other_agency"
    assert "某县档案馆" in words(signed.letter.content)
    case.refresh_from_db()
    assert (case.state, case.outcome, case.other_agency_name) == ("decided", "unable_not_held", "某县档案馆")
