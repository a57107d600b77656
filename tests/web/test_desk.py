"""The staff workspace through its pages (Django test client): login, dashboard, registration,
the case page and every step form, per role; outsiders see nothing and change nothing."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.apps.agencies.models import Membership
from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.cases.services import register_application, reply_deadline, transition
from gongkai.apps.holidays.models import work_calendar
from gongkai.apps.signoff.services import configure as configure_signoff
from gongkai.core.casework import fees
from gongkai.core.casework.lifecycle import Event

from tests.web.test_registry import person as registry_person
from tests.web.test_registry import tree  # noqa: F401 - the fixture ``world`` builds on

User = get_user_model()
Role = Membership.Role


def person(**extra):
    return registry_person(**{"received_on": date(2026, 9, 1), **extra})


@pytest.fixture
def world(tree):
    """test_registry's tree (a city; a county with a bureau and a street; another county) with a
    registrar of the bureau, a handler of the street and an outsider (a handler of the other
    county) added; everyone with a Chinese name, an e-mail address and the password pw-<username>."""
    people = {"handler": tree["bureau_handler"], "approver": tree["bureau_approver"],
              "supervisor": tree["county_supervisor"]}
    for key, username, agency, role in [("registrar", "bureau_registrar", "bureau", Role.REGISTRAR),
                                        ("street_handler", "street_handler", "street", Role.HANDLER),
                                        ("outsider", "other_handler", "other", Role.HANDLER)]:
        people[key] = User.objects.create_user(username)
        Membership.objects.create(user=people[key], agency=tree[agency], role=role)
    names = {"registrar": "李登记", "handler": "王承办", "approver": "赵主任", "supervisor": "钱主管",
             "street_handler": "孙街道", "outsider": "周外县"}
    for key, user in people.items():
        user.last_name, user.first_name = names[key][0], names[key][1:]
        user.email = f"{user.username}@example.cn"
        user.set_password(f"pw-{user.username}")
        user.save()
    agencies = {key: tree[key] for key in ("city", "county", "bureau", "street", "other")}
    return SimpleNamespace(**agencies, **people)


def register(world, agency=None, user=None, **extra) -> Application:
    return register_application(user or world.handler, agency or world.bureau, **person(**extra))


def as_user(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode("utf-8")


def snapshot(application: Application) -> tuple:
    """Everything a forbidden or failed request must leave unchanged."""
    application.refresh_from_db()
    fields = [f.attname for f in Application._meta.fields]
    return (tuple(getattr(application, f) for f in fields), CaseEvent.objects.count(), application.pauses.count())


@pytest.fixture
def fixed_day(monkeypatch):
    """Set the workspace's today."""
    def set_day(day: date):
        monkeypatch.setattr("gongkai.apps.desk.views.today", lambda: day)
        monkeypatch.setattr("gongkai.apps.cases.models.today", lambda: day)
        return day
    return set_day


# --- login --------------------------------------------------------------------------------------

def test_every_desk_page_requires_login(client, world):
    case = register(world)
    for url in [reverse("desk:home"), reverse("desk:worklist", args=["open"]), reverse("desk:register"),
                reverse("desk:case", args=[case.pk]), reverse("desk:edit", args=[case.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url
    response = client.post(reverse("desk:step", args=[case.pk, "decide"]), {"decide-on": "2026-09-10"})
    assert response.status_code == 302
    assert snapshot(case)[1] == 1


def test_login_page_is_chinese_and_logs_in(client, world):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "登录" in text(page) and 'lang="zh-Hans"' in text(page)
    wrong = client.post("/accounts/login/", {"username": "bureau_handler", "password": "wrong"})
    assert wrong.status_code == 200 and "请输入一个正确的" in text(wrong)
    right = client.post("/accounts/login/", {"username": "bureau_handler", "password": "pw-bureau_handler"})
    assert right.status_code == 302 and right["Location"] == "/"
    assert "工作台" in text(client.get("/"))


# --- dashboard ----------------------------------------------------------------------------------

def test_dashboard_counts_per_agency_and_role(client, world, fixed_day):
    fixed_day(date(2026, 9, 30))
    due_today = register(world, received_on=date(2026, 9, 2))  # due 09-30
    register(world, received_on=date(2026, 9, 3))  # due 10-08: within 3 working days over National Day
    overdue = register(world, received_on=date(2026, 9, 1))  # due 09-29
    waiting = register(world, received_on=date(2026, 8, 31))
    transition(world.handler, waiting, Event.REQUEST_CORRECTION, date(2026, 9, 2), correction_kind="unclear", correction_items="请写明所需信息的名称、文号或形成时间")
    decided = register(world, received_on=date(2026, 9, 4), applicant_name="已决定的申请人")
    transition(world.handler, decided, Event.DECIDE, date(2026, 9, 28), outcome="granted")
    register(world, agency=world.street, user=world.street_handler, received_on=date(2026, 9, 2))
    register(world, agency=world.other, user=world.outsider, applicant_name="外县申请人", received_on=date(2026, 9, 2))

    handler_page = text(as_user(client, world.handler).get("/"))
    # One agency: the cards. 4 open, 1 due today, 1 soon, 1 overdue, 1 waiting, 5 received, 1 decided.
    figures = {label: value for label, value in _cards(handler_page)}
    # The decided case is not yet delivered: it stays counted (待送达) until send_reply.
    assert figures == {"在办": 4, "今日到期": 1, "3个工作日内到期": 1, "已逾期": 1, "待申请人补正或缴费": 1,
                       "征求意见逾期": 0, "待送达": 1, "本年收到": 5, "本年已决定": 1}
    assert "已决定的申请人" in handler_page and decided.number in handler_page  # recently decided
    assert "外县申请人" not in handler_page and "2026-10-10" in handler_page  # the 3rd working day

    supervisor_page = text(as_user(client, world.supervisor).get("/"))
    assert "某县财政局" in supervisor_page and "某街道办事处" in supervisor_page and "合计" in supervisor_page
    assert "另一县人民政府" not in supervisor_page
    assert f'?agency={world.street.pk}' in supervisor_page
    # The total: bureau's 2 due today-or-overdue... in the footer row, received 5 + 1.
    footer = supervisor_page.split("<tfoot>")[1].split("</tfoot>")[0]
    assert [int(v) for v in _numbers(footer)] == [5, 2, 1, 1, 1, 0, 1, 6, 1]

    outsider_page = text(as_user(client, world.outsider).get("/"))
    assert "某县财政局" not in outsider_page and "已决定的申请人" not in outsider_page


def _cards(page: str):
    import re

    return [(label, int(value)) for label, value in
            re.findall(r'<span class="label">([^<]+)</span> <span class="value">(\d+)</span>', page)]


def _numbers(fragment: str):
    import re

    return re.findall(r'<td class="num[^"]*">(?:<a [^>]*>)?(\d+)', fragment)


def test_a_user_without_agency_sees_a_chinese_notice(client, db):
    lonely = User.objects.create_user("lonely", password="x")
    assert "尚未被分配到任何机关" in text(as_user(client, lonely).get("/"))


# --- registration -------------------------------------------------------------------------------

def form_data(**extra):
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in person().items()}
    data.update(extra)
    return data


def test_registrar_registers_through_the_form(client, world):
    as_user(client, world.registrar)
    page = client.get(reverse("desk:register"))
    assert page.status_code == 200
    body = text(page)
    assert "自然人填写" in body and "法人或其他组织填写" in body and "第三十一条" in body
    response = client.post(reverse("desk:register"), form_data(agency=world.bureau.pk), follow=True)
    application = Application.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:case", args=[application.pk])
    assert f"申请已登记，编号 {application.number}" in text(response)
    assert application.registered_by == world.registrar and application.due_on == date(2026, 9, 29)


def test_registration_errors_are_chinese_and_store_nothing(client, world, fixed_day):
    fixed_day(date(2026, 9, 10))
    as_user(client, world.registrar)
    response = client.post(reverse("desk:register"), form_data(agency=world.bureau.pk, received_on="2026-02-30"))
    assert response.status_code == 400 and "有效的日期" in text(response)
    # A receipt date after today, or an absurd one, is a form error (never a 500).
    for day in ("2026-09-11", "9999-12-31"):
        response = client.post(reverse("desk:register"), form_data(agency=world.bureau.pk, received_on=day))
        assert response.status_code == 400 and f"收到申请日期 {day} 晚于今天（2026-09-10）" in text(response)
    response = client.post(reverse("desk:register"), form_data(agency=world.bureau.pk, received_on="0001-01-01"))
    assert response.status_code == 400 and "早于《政府信息公开条例》施行之日" in text(response)
    # An agency the registrar does not belong to is not a choice.
    response = client.post(reverse("desk:register"), form_data(agency=world.other.pk))
    assert response.status_code == 400 and "选择一个有效的选项" in text(response)
    assert not Application.objects.exists()


def test_an_incomplete_application_is_registered_and_marked_for_correction(client, world, fixed_day):
    fixed_day(date(2026, 9, 10))
    as_user(client, world.registrar)
    response = client.post(reverse("desk:register"), form_data(
        agency=world.bureau.pk, applicant_type="commercial", applicant_name="某公司", contact_person="", phone="",
        received_on="2026-09-10"), follow=True)
    application = Application.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:case", args=[application.pk])
    body = text(response)
    assert "缺少法人或其他组织的联系人、联系方式（联系电话、电子邮箱或通信地址）" in body
    assert "信息不完整，需要补正" in body and "请在 2026-09-20 前一次性告知" in body  # 7th working day (a make-up Sunday)
    listed = text(as_user(client, world.handler).get(reverse("desk:worklist", args=["incomplete"])))
    assert application.number in listed and "信息不完整" in listed
    transition(world.handler, application, Event.REQUEST_CORRECTION, date(2026, 9, 11), "缺少联系人",
               correction_kind="incomplete", correction_items="请补充联系人及其联系电话")
    listed = text(client.get(reverse("desk:worklist", args=["incomplete"])))
    assert application.number not in listed
    assert "信息不完整，需要补正" not in text(client.get(reverse("desk:case", args=[application.pk])))


def test_warnings_need_the_registrars_confirmation(client, world):
    as_user(client, world.registrar)
    data = form_data(agency=world.bureau.pk, id_number="370000199001011234")
    response = client.post(reverse("desk:register"), data)
    body = text(response)
    assert response.status_code == 200 and "校验位不正确" in body and "仍然登记" in body
    assert not Application.objects.exists()
    # Submitting again without ticking the box asks again.
    keys = re.search(r'name="warning_keys" value="([^"]*)"', body).group(1)
    assert client.post(reverse("desk:register"), {**data, "warning_keys": keys}).status_code == 200
    assert not Application.objects.exists()
    response = client.post(reverse("desk:register"), {**data, "warning_keys": keys, "confirm_warnings": "on"},
                           follow=True)
    first = Application.objects.get()
    assert "校验位不正确" in text(response)  # the case page keeps saying it
    # The same applicant asks much the same again: a warning with a link to the earlier case.
    again = {**data, "id_number": "370000199001011233", "description": data["description"] + "（再次申请）"}
    again["email"] = ""
    response = client.post(reverse("desk:register"), {**again, "phone": first.phone})
    body = text(response)
    assert "内容相近的申请" in body and reverse("desk:case", args=[first.pk]) in body
    keys = re.search(r'name="warning_keys" value="([^"]*)"', body).group(1)
    client.post(reverse("desk:register"), {**again, "phone": first.phone, "warning_keys": keys,
                                           "confirm_warnings": "on"})
    assert Application.objects.count() == 2


@pytest.mark.parametrize("who", ["approver", "supervisor"])
def test_who_may_not_register_gets_a_chinese_403(client, world, who):
    response = as_user(client, getattr(world, who)).post(reverse("desk:register"), form_data(agency=world.bureau.pk))
    assert response.status_code == 403 and "不能登记申请" in text(response)
    assert not Application.objects.exists()


# --- the case page per role ---------------------------------------------------------------------

def test_case_page_per_role(client, world):
    case = register(world)
    url = reverse("desk:case", args=[case.pk])
    registrar = text(as_user(client, world.registrar).get(url))
    assert "修改登记信息" in registrar and "<summary>作出答复决定" not in registrar and "只有查看权限" not in registrar
    handler = text(as_user(client, world.handler).get(url))
    assert "<summary>作出答复决定" in handler and "<summary>一次性告知补正" in handler
    assert "<summary>延长答复期限" not in handler and "指定承办人" in handler
    approver = text(as_user(client, world.approver).get(url))
    assert "<summary>延长答复期限" in approver
    supervisor = as_user(client, world.supervisor).get(url)
    body = text(supervisor)
    assert supervisor.status_code == 200 and "只有查看权限" in body and case.applicant_name in body
    assert "<form method=\"post\" action=\"/cases/" not in body and "修改登记信息</a>" not in body
    assert as_user(client, world.outsider).get(url).status_code == 404
    assert as_user(client, world.street_handler).get(url).status_code == 404


def test_case_page_shows_the_due_date_with_its_explanation(client, world, fixed_day):
    case = register(world, received_on=date(2026, 9, 10))
    body = text(as_user(client, world.handler).get(reverse("desk:case", args=[case.pk])))
    explanation = reply_deadline(case, work_calendar()).explanation
    assert "2026-10-14" in body and all(line in body for line in explanation)
    assert "跳过法定节假日（国庆节）" in body
    fixed_day(date(2026, 12, 21))
    late = register(world, received_on=date(2026, 12, 21))
    body = text(client.get(reverse("desk:case", args=[late.pk])))
    assert "暂定" in body and "尚未录入2027年国务院办公厅节假日安排" in body


# --- the steps through the view -----------------------------------------------------------------

def step(client, case, event, **fields):
    data = {f"{event}-{k}": (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()}
    return client.post(reverse("desk:step", args=[case.pk, event]), data)


def test_correction_consultation_extension_decision_reply_close(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    response = step(client, case, "request_correction", on=date(2026, 9, 3), reason="请说明所需信息的年份")
    assert response.status_code == 400 and "补正事项" in text(response)  # what to correct must be said
    response = step(client, case, "request_correction", on=date(2026, 9, 3), reason="请说明所需信息的年份",
                    correction_kind="unclear", correction_items="请说明所需信息的年份")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "awaiting_correction" and case.correction_requested_on == date(2026, 9, 3)
    step(client, case, "receive_correction", on=date(2026, 9, 10))
    step(client, case, "start_consultation", on=date(2026, 9, 14), reason="涉及第三方", consultation_party="某公司")
    step(client, case, "end_consultation", on=date(2026, 9, 18))
    case.refresh_from_db()
    assert case.state == "registered" and case.due_on == date(2026, 10, 21)
    assert list(case.pauses.values_list("start", "end")) == [(date(2026, 9, 14), date(2026, 9, 18))]

    # Only the approver extends; the handler's attempt is a 403 and changes nothing.
    before = snapshot(case)
    response = step(client, case, "extend", on=date(2026, 10, 9), reason="需调取档案")
    assert response.status_code == 403 and "审核人（负责人）" in text(response)
    assert snapshot(case) == before
    as_user(client, world.approver)
    response = step(client, case, "extend", on=date(2026, 10, 9), reason="")
    assert response.status_code == 400 and "这个字段是必填项" in text(response)
    assert snapshot(case) == before
    assert step(client, case, "extend", on=date(2026, 10, 9), reason="需调取档案").status_code == 302
    case.refresh_from_db()
    assert case.extended and case.due_on == date(2026, 11, 18)

    as_user(client, world.handler)
    configure_signoff(world.approver, world.bureau, [], "本机关直接作出答复决定")  # no sign-off (docs/signoff.md)
    response = step(client, case, "decide", on=date(2026, 10, 12), outcome_key="granted_wrongly")
    assert response.status_code == 400 and "选择一个有效的选项" in text(response)
    response = step(client, case, "decide", on=date(2026, 10, 12), outcome_key="partial", reason="部分涉及个人隐私")
    assert response.status_code == 400 and "须说明理由" in text(response)  # the reasons of Art. 37
    step(client, case, "decide", on=date(2026, 10, 12), outcome_key="partial", reason="部分涉及个人隐私",
         decision_reasons="部分内容涉及个人隐私，不予公开（《条例》第十五条）")
    case.refresh_from_db()
    assert (case.state, case.outcome, case.decided_on) == ("decided", "partial", date(2026, 10, 12))
    response = step(client, case, "send_reply", on=date(2026, 10, 13), reply_channel="", delivery_proof="")
    assert response.status_code == 400 and "送达方式" in text(response)
    step(client, case, "send_reply", on=date(2026, 10, 13), reply_channel="post", delivery_proof="EMS 1234")
    step(client, case, "close", on=date(2026, 10, 20))
    case.refresh_from_db()
    assert (case.state, case.reply_channel, case.delivery_proof, case.replied_on) == (
        "closed", "post", "EMS 1234", date(2026, 10, 13))
    body = text(client.get(reverse("desk:case", args=[case.pk])))
    # The history: who, step, reason, and the changed fields in words.
    for expected in ["一次性告知补正", "请说明所需信息的年份", "赵主任", "需调取档案", "王承办",
                     "状态：办理中 → 待申请人补正", "已延长答复期限：否 → 是", "办理结果：（空） → （二）部分公开",
                     "送达凭证：（空） → EMS 1234", "（二）部分公开"]:
        assert expected in body, expected


def test_illegal_step_shows_the_lifecycle_reason_and_stores_nothing(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    before = snapshot(case)
    response = step(client, case, "request_correction", on=date(2026, 9, 30),  # after the 7 working days
                    correction_kind="unclear", correction_items="请写明文号")
    assert response.status_code == 400 and "补正告知应在收到申请之日起7个工作日内作出" in text(response)
    response = step(client, case, "decide", on=date(2026, 8, 20), outcome_key="granted")
    assert response.status_code == 400 and "早于上一步的日期" in text(response)
    response = step(client, case, "send_reply", on=date(2026, 9, 5), reply_channel="post")
    assert response.status_code == 400 and "不能送达答复" in text(response)
    response = step(client, case, "no_such_step", on=date(2026, 9, 5))
    assert response.status_code == 404
    assert snapshot(case) == before


def test_fee_notice_shows_the_computation_then_confirms(client, world):
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.handler)
    before = snapshot(case)
    preview = step(client, case, "send_fee_notice", on=date(2026, 9, 3), fee_notice_channel="post", fee_method="per_page", pages=150)
    body = text(preview)
    expected = fees.per_page(150)
    assert preview.status_code == 200 and f"应收 {expected.yuan} 元" in body
    assert all(line in body for line in expected.explanation)
    assert snapshot(case) == before  # a preview stores nothing
    # Confirming an amount that no longer matches the measure only shows the new computation.
    step(client, case, "send_fee_notice", on=date(2026, 9, 3), fee_notice_channel="post", fee_method="per_page", pages=160, confirmed_yuan=expected.yuan)
    assert snapshot(case) == before
    response = step(client, case, "send_fee_notice", on=date(2026, 9, 3), fee_notice_channel="post", fee_method="per_page", pages=150,
                    confirmed_yuan=expected.yuan)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.fee_method, case.fee_yuan) == ("awaiting_payment", "per_page", expected.yuan)
    assert case.fee_explanation == "\n".join(expected.explanation)
    step(client, case, "receive_payment", on=date(2026, 9, 8))
    case.refresh_from_db()
    assert case.state == "registered" and case.fee_paid_on == date(2026, 9, 8)


def test_fee_notice_refuses_a_free_request_and_a_missing_measure(client, world):
    case = register(world)
    as_user(client, world.handler)
    before = snapshot(case)
    response = step(client, case, "send_fee_notice", on=date(2026, 9, 3), fee_notice_channel="post", fee_method="per_application", nth_in_month=5)
    assert "应收 0 元，无需发出收费通知" in text(response)
    response = step(client, case, "send_fee_notice", on=date(2026, 9, 3), fee_notice_channel="post", fee_method="per_page")
    assert "按量计收需要页数" in text(response)
    preview = step(client, case, "send_fee_notice", on=date(2026, 9, 3), fee_notice_channel="post", fee_method="per_application", nth_in_month=12)
    assert "应收 100 元" in text(preview)
    assert snapshot(case) == before


def test_merge_by_number_and_withdraw(client, world):
    kept = register(world)
    duplicate = register(world)
    as_user(client, world.handler)
    response = step(client, duplicate, "merge", on=date(2026, 9, 2), target="2026-9999")
    assert response.status_code == 400 and "本机关没有编号为 2026-9999 的申请" in text(response)
    street_cases = [register(world, agency=world.street, user=world.street_handler) for _ in range(3)]
    response = step(client, duplicate, "merge", on=date(2026, 9, 2), target=street_cases[-1].number)
    assert response.status_code == 400 and "本机关没有编号为 2026-0003 的申请" in text(response)  # another agency's
    step(client, duplicate, "merge", on=date(2026, 9, 2), target=kept.number)
    duplicate.refresh_from_db()
    assert duplicate.state == "merged" and duplicate.merged_into == kept
    assert duplicate.number in text(client.get(reverse("desk:case", args=[kept.pk])))
    third = register(world)
    step(client, third, "withdraw", on=date(2026, 9, 4), reason="申请人书面撤回")
    third.refresh_from_db()
    assert (third.state, third.outcome) == ("withdrawn", "other_other")


@pytest.mark.parametrize("who,status", [("outsider", 404), ("street_handler", 404), ("supervisor", 403),
                                        ("registrar", 403)])
def test_steps_by_who_may_not_take_them_change_nothing(client, world, who, status):
    case = register(world)
    before = snapshot(case)
    as_user(client, getattr(world, who))
    response = step(client, case, "decide", on=date(2026, 9, 10), outcome_key="granted")
    assert response.status_code == status
    if status == 403:
        assert "不能修改" in text(response) or "才能作出答复决定" in text(response)
    assert snapshot(case) == before


# --- edit and assign ----------------------------------------------------------------------------

def edit_data(case, **extra):
    data = {f: getattr(case, f) for f in ["applicant_type", "applicant_name", "id_type", "id_number", "credit_code",
                                          "contact_person", "phone", "email", "address", "channel", "received_on",
                                          "description", "form_wanted", "delivery_wanted"]}
    data["received_on"] = case.received_on.isoformat()
    data.update(extra)
    return data


def test_edit_registration_needs_a_reason_and_is_recorded(client, world, fixed_day):
    fixed_day(date(2026, 9, 10))
    case = register(world, received_on=date(2026, 9, 1))
    as_user(client, world.registrar)
    assert client.get(reverse("desk:edit", args=[case.pk])).status_code == 200
    before = snapshot(case)
    response = client.post(reverse("desk:edit", args=[case.pk]), edit_data(case, applicant_name="张三丰"))
    assert response.status_code == 400 and "这个字段是必填项" in text(response)
    response = client.post(reverse("desk:edit", args=[case.pk]), edit_data(case, received_on="2027-01-04", reason="笔误"))
    assert response.status_code == 400 and "不能改到其他年度" in text(response)
    for day in ("2026-09-11", "9999-12-31"):  # after today: a form error, never a 500
        response = client.post(reverse("desk:edit", args=[case.pk]), edit_data(case, received_on=day, reason="笔误"))
        assert response.status_code == 400 and ("晚于今天（2026-09-10）" in text(response) or "不能改到其他年度" in text(response))
    assert snapshot(case) == before
    response = client.post(reverse("desk:edit", args=[case.pk]),
                           edit_data(case, applicant_name="张三丰", received_on="2026-09-02", reason="登记笔误"), follow=True)
    case.refresh_from_db()
    assert case.applicant_name == "张三丰" and case.due_on == date(2026, 9, 30)
    body = text(response)
    assert "登记信息已修改" in body and "申请人姓名或名称：张三 → 张三丰" in body and "登记笔误" in body


@pytest.mark.parametrize("who,status", [("outsider", 404), ("supervisor", 403)])
def test_edit_by_who_may_not_changes_nothing(client, world, who, status):
    case = register(world)
    before = snapshot(case)
    as_user(client, getattr(world, who))
    assert client.get(reverse("desk:edit", args=[case.pk])).status_code == status
    response = client.post(reverse("desk:edit", args=[case.pk]), edit_data(case, applicant_name="某某", reason="x"))
    assert response.status_code == status
    assert snapshot(case) == before


def test_assign_handler(client, world):
    case = register(world)
    as_user(client, world.approver)
    response = client.post(reverse("desk:assign", args=[case.pk]), {"handler": world.handler.pk}, follow=True)
    case.refresh_from_db()
    assert case.handler == world.handler and "承办人已改为 王承办" in text(response)
    assert "承办人：（空） → bureau_handler" in text(response)
    # Someone who is not a handler of the agency cannot be chosen.
    client.post(reverse("desk:assign", args=[case.pk]), {"handler": world.outsider.pk})
    case.refresh_from_db()
    assert case.handler == world.handler
    before = snapshot(case)
    for who, status in [("supervisor", 403), ("registrar", 403), ("outsider", 404)]:
        response = as_user(client, getattr(world, who)).post(reverse("desk:assign", args=[case.pk]),
                                                            {"handler": world.approver.pk})
        assert response.status_code == status, who
    assert snapshot(case) == before


@pytest.mark.parametrize("who,register_link,letters_link", [
    ("registrar", True, False), ("handler", True, False), ("approver", False, True), ("supervisor", False, False),
])
def test_the_navigation_offers_what_the_role_may_do(client, world, who, register_link, letters_link):
    as_user(client, getattr(world, who))
    page = client.get(reverse("desk:home")).content.decode()
    assert (f'href="{reverse("desk:register")}"' in page) is register_link
    assert (f'href="{reverse("letters:index")}"' in page) is letters_link
    assert f'href="{reverse("reports:index")}"' in page


def test_attachments_upload_and_download_per_role(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    application = register(world)
    url = reverse("desk:attach", args=[application.pk])
    scan = "申请书扫描件".encode() * 50
    as_user(client, world.registrar)
    response = client.post(url, {"file": SimpleUploadedFile("申请书.pdf", scan), "note": "原件"}, follow=True)
    assert "已上传附件 申请书.pdf" in text(response)
    item = application.attachments.get()
    download = reverse("desk:attachment", args=[application.pk, item.pk])
    assert "申请书.pdf" in text(client.get(reverse("desk:case", args=[application.pk])))
    response = client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert "不支持的文件类型" in text(response) and application.attachments.count() == 1
    # The supervisor reads the file; it may not add one; an outsider sees neither.
    as_user(client, world.supervisor)
    assert b"".join(client.get(download).streaming_content) == scan
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}).status_code == 403
    as_user(client, world.outsider)
    assert client.get(download).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}).status_code == 404
    assert application.attachments.count() == 1
