"""Agencies, roles and the registry of applications: access per role, serial numbers."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.agencies.permissions import visible_agencies, writable_agencies
from gongkai.apps.cases.models import INCOMPLETE, Application
from gongkai.apps.cases.services import NeedsConfirmation, register_application
from gongkai.core.casework.lifecycle import TransitionError

User = get_user_model()


def person(**extra):
    fields = dict(
        applicant_type="natural_person", applicant_name="张三", id_type="居民身份证", id_number="370000199001011233",
        phone="13800000000", channel="online", received_on=date(2026, 3, 2), description="2025年本街道低保发放名单",
    )
    fields.update(extra)
    return fields


@pytest.fixture
def tree(db):
    city = Agency.objects.create(name="某市人民政府", kind=Agency.Kind.CITY)
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY, parent=city)
    street = Agency.objects.create(name="某街道办事处", kind=Agency.Kind.TOWNSHIP, parent=county)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    other = Agency.objects.create(name="另一县人民政府", kind=Agency.Kind.COUNTY, parent=city)
    users = {}
    for name, agency, role in [
        ("street_registrar", street, Membership.Role.REGISTRAR),
        ("bureau_handler", bureau, Membership.Role.HANDLER),
        ("bureau_approver", bureau, Membership.Role.APPROVER),
        ("county_supervisor", county, Membership.Role.SUPERVISOR),
    ]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    return {"city": city, "county": county, "street": street, "bureau": bureau, "other": other, **users}


def test_subtree_by_path(tree):
    assert set(tree["county"].subtree()) == {tree["county"], tree["street"], tree["bureau"]}
    # Moving an agency moves its subtree.
    tree["county"].parent = tree["other"]
    tree["county"].save()
    tree["street"].refresh_from_db()
    assert tree["street"].path.startswith(tree["other"].path) and tree["street"] in tree["other"].subtree()


def test_each_role_sees_and_changes_only_its_own(tree):
    assert set(visible_agencies(tree["street_registrar"])) == {tree["street"]}
    assert set(writable_agencies(tree["street_registrar"])) == {tree["street"]}
    assert set(visible_agencies(tree["bureau_handler"])) == {tree["bureau"]}
    # The supervisor sees the whole county, and changes nothing.
    assert set(visible_agencies(tree["county_supervisor"])) == {tree["county"], tree["street"], tree["bureau"]}
    assert not writable_agencies(tree["county_supervisor"]).exists()


def test_registration_is_refused_outside_ones_agency(tree):
    with pytest.raises(PermissionDenied, match="不能登记"):
        register_application(tree["street_registrar"], tree["bureau"], **person())
    with pytest.raises(PermissionDenied):
        register_application(tree["county_supervisor"], tree["street"], **person())
    with pytest.raises(PermissionDenied):
        register_application(tree["bureau_approver"], tree["bureau"], **person())  # approvers do not register
    assert not Application.objects.exists()


def test_serial_numbers_per_agency_and_year(tree):
    a = register_application(tree["street_registrar"], tree["street"], **person())
    b = register_application(tree["street_registrar"], tree["street"], **person())
    c = register_application(tree["bureau_handler"], tree["bureau"], **person())
    d = register_application(tree["street_registrar"], tree["street"], **person(received_on=date(2025, 12, 31)))
    assert [a.number, b.number, c.number, d.number] == ["2026-0001", "2026-0002", "2026-0001", "2025-0001"]


@pytest.fixture
def on_day(monkeypatch):
    """Set the registry's today (no application is received after it)."""
    def set_day(day: date):
        monkeypatch.setattr("gongkai.apps.cases.models.today", lambda: day)
        return day
    return set_day


@pytest.mark.parametrize(
    "fields,field",
    [
        (person(applicant_type="alien"), "applicant_type"),
        (person(received_on=date(2026, 3, 3)), "received_on"),  # the day after "today"
        (person(received_on=date(9999, 12, 31)), "received_on"),
        (person(received_on=date(1, 1, 1)), "received_on"),
        (person(applicant_type="commercial", applicant_name="某公司", credit_code="1234567890123456789"), "credit_code"),
    ],
)
def test_invalid_applications_are_refused_and_nothing_is_stored(tree, on_day, fields, field):
    on_day(date(2026, 3, 2))
    with pytest.raises(ValidationError) as info:
        register_application(tree["street_registrar"], tree["street"], **fields)
    assert field in info.value.message_dict
    if field == "received_on":
        message = str(info.value.message_dict["received_on"])
        assert "晚于今天（2026-03-02）" in message or "早于《政府信息公开条例》施行之日（2008-05-01）" in message
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "fields,missing",
    [
        (person(id_number=""), ["申请人的身份证明（身份证件号码）"]),
        (person(phone=""), ["联系方式（联系电话、电子邮箱或通信地址）"]),
        (person(id_number="", phone=""), ["申请人的身份证明（身份证件号码）", "联系方式（联系电话、电子邮箱或通信地址）"]),
        (person(applicant_type="commercial", applicant_name="某公司", contact_person=""), ["法人或其他组织的联系人"]),
    ],
)
def test_an_incomplete_application_is_registered_and_marked(tree, fields, missing):
    """条例 Art. 30: the correction clock runs from receipt, so the application is registered."""
    case = register_application(tree["street_registrar"], tree["street"], **fields)
    assert case.pk and case.number == "2026-0001" and case.due_on is not None
    assert case.missing_items == missing and case.is_incomplete and case.needs_correction
    assert Application.objects.filter(INCOMPLETE).get() == case
    complete = register_application(tree["street_registrar"], tree["street"], **person(description="另一件"))
    assert not complete.is_incomplete and not Application.objects.filter(INCOMPLETE, pk=complete.pk).exists()


def test_an_edit_cannot_move_the_receipt_after_today(tree, on_day):
    from gongkai.apps.cases.services import edit_application

    case = register_application(tree["street_registrar"], tree["street"], **person())
    on_day(date(2026, 3, 10))
    for day in (date(2026, 3, 11), date(2026, 12, 31)):
        with pytest.raises(ValidationError) as info:
            edit_application(tree["street_registrar"], case, "笔误", received_on=day)
        assert "晚于今天（2026-03-10）" in str(info.value.message_dict["received_on"])
    case.refresh_from_db()
    assert case.received_on == date(2026, 3, 2) and case.events.count() == 1


def test_check_digit_mismatches_warn_and_need_confirmation(tree):
    bad_id = person(id_number="370000199001011234")  # the check character is 3
    with pytest.raises(NeedsConfirmation) as info:
        register_application(tree["street_registrar"], tree["street"], confirmed=[], **bad_id)
    assert [w.message for w in info.value.warnings] == ["居民身份证号码校验位不正确（GB 11643-1999），请核对是否输错"]
    assert not Application.objects.exists()
    keys = [w.key for w in info.value.warnings]
    case = register_application(tree["street_registrar"], tree["street"], confirmed=keys, **bad_id)
    assert case.identity_problems == [info.value.warnings[0].message]
    event = case.events.get()
    assert event.reason.startswith("登记时的提示（登记人确认仍然登记）") and "校验位不正确" in event.reason
    organisation = person(applicant_type="commercial", applicant_name="某公司", contact_person="李四",
                          credit_code="91350100M000100Y44", id_number="")
    with pytest.raises(NeedsConfirmation, match="GB 32100-2015"):
        register_application(tree["street_registrar"], tree["street"], confirmed=[], **organisation)
    # A program registering (confirmed=None) is not asked; the warning is still kept in the history.
    kept = register_application(tree["street_registrar"], tree["street"], **organisation)
    assert "GB 32100-2015" in kept.events.get().reason
    # A 15-digit number of a first-generation card has no check character; a passport is not checked.
    for fields in (person(id_number="370000900101123"), person(id_type="护照", id_number="E12345678")):
        assert register_application(tree["street_registrar"], tree["street"], confirmed=[],
                                    **dict(fields, description=fields["id_number"])).identity_problems == []


def test_a_likely_duplicate_warns_with_the_earlier_case(tree):
    first = register_application(tree["street_registrar"], tree["street"],
                                 **person(description="2025年某某项目征收补偿方案"))
    again = person(received_on=date(2026, 3, 20), description="某某项目的征收补偿方案（2025年）")
    with pytest.raises(NeedsConfirmation) as info:
        register_application(tree["street_registrar"], tree["street"], confirmed=[], **again)
    (warning,) = info.value.warnings
    assert warning.earlier == (first,) and "2026-0001" in warning.message and "30日内" in warning.message
    second = register_application(tree["street_registrar"], tree["street"], confirmed=[warning.key], **again)
    assert "2026-0001" in second.events.get().reason
    # Not a duplicate: another request, another applicant, another agency, more than 30 days later.
    for fields, agency in [
        (person(received_on=date(2026, 3, 20), description="某某项目环评报告"), "street"),
        (person(received_on=date(2026, 3, 20), applicant_name="李四", id_number="", phone="13900000000",
                description="2025年某某项目征收补偿方案"), "street"),
        (person(received_on=date(2026, 3, 20), description="2025年某某项目征收补偿方案"), "bureau"),
        (person(received_on=date(2026, 4, 20), description="2025年某某项目征收补偿方案"), "street"),
    ]:
        user = tree["street_registrar"] if agency == "street" else tree["bureau_handler"]
        assert register_application(user, tree[agency], confirmed=[], **fields).pk
    # The same name and phone (no ID number given) is the same applicant too.
    with pytest.raises(NeedsConfirmation):
        register_application(tree["street_registrar"], tree["street"], confirmed=[],
                             **person(id_number="", received_on=date(2026, 3, 21), description="某某项目征收补偿方案"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs this on it)")
def test_concurrent_registration_never_duplicates_a_serial_number(tree):
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(10):
                register_application(tree["street_registrar"], tree["street"], **person())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(Application.objects.filter(agency=tree["street"]).values_list("serial", flat=True))
    assert serials == list(range(1, 81))


def test_lifecycle_steps_are_recorded_with_who_when_why_before_after(tree):
    from gongkai.apps.cases.models import CaseEvent
    from gongkai.apps.cases.services import reply_deadline, transition
    from gongkai.apps.signoff.services import configure as configure_signoff
    from gongkai.core.casework.lifecycle import Event

    handler, approver = tree["bureau_handler"], tree["bureau_approver"]
    case = register_application(handler, tree["bureau"], **person(received_on=date(2026, 9, 1)))
    case = transition(handler, case, Event.REQUEST_CORRECTION, date(2026, 9, 3), "申请内容不明确，请说明年份",
                      correction_kind="unclear", correction_items="申请内容不明确，请说明年份")
    case = transition(handler, case, Event.RECEIVE_CORRECTION, date(2026, 9, 10))
    case = transition(handler, case, Event.START_CONSULTATION, date(2026, 9, 14), "涉及第三方商业秘密")
    case = transition(handler, case, Event.END_CONSULTATION, date(2026, 9, 18))
    with pytest.raises(PermissionDenied, match="审核人"):
        transition(handler, case, Event.EXTEND, date(2026, 10, 9))
    case = transition(approver, case, Event.EXTEND, date(2026, 10, 9), "需调取档案")
    deadline = reply_deadline(case)
    assert (deadline.original_due, deadline.due) == (date(2026, 10, 21), date(2026, 11, 18))
    configure_signoff(approver, tree["bureau"], [], "本机关直接作出答复决定")  # no sign-off (docs/signoff.md)
    case = transition(handler, case, Event.DECIDE, date(2026, 11, 2), outcome="partial",
                      decision_reasons="部分内容涉及个人隐私")
    events = list(CaseEvent.objects.filter(application=case))
    assert [e.event for e in events] == ["register", "request_correction", "receive_correction", "start_consultation",
                                         "end_consultation", "extend", "decide"]
    events = events[1:]
    assert events[0].user == handler and events[0].reason == "申请内容不明确，请说明年份"
    assert (events[0].before["state"], events[0].after["state"]) == ("registered", "awaiting_correction")
    assert events[-1].after["outcome"] == "partial"


def test_illegal_steps_store_nothing_and_supervisors_change_nothing(tree):
    from gongkai.apps.cases.models import CaseEvent
    from gongkai.apps.cases.services import transition
    from gongkai.core.casework.lifecycle import Event, TransitionError

    case = register_application(tree["street_registrar"], tree["street"], **person())
    with pytest.raises(PermissionDenied):
        transition(tree["county_supervisor"], case, Event.DECIDE, date(2026, 3, 5), outcome="granted")
    with pytest.raises(PermissionDenied):
        transition(tree["bureau_handler"], case, Event.DECIDE, date(2026, 3, 5), outcome="granted")
    Membership.objects.create(user=tree["street_registrar"], agency=tree["street"], role=Membership.Role.HANDLER)
    with pytest.raises(TransitionError, match="不能送达答复"):
        transition(tree["street_registrar"], case, Event.SEND_REPLY, date(2026, 3, 5))
    case.refresh_from_db()
    assert case.state == "registered" and list(CaseEvent.objects.values_list("event", flat=True)) == ["register"]


def test_no_correction_only_after_the_agencys_correction_period(tree):
    from gongkai.apps.cases.models import CaseEvent
    from gongkai.apps.cases.services import transition
    from gongkai.core.casework.lifecycle import Event

    bureau, handler = tree["bureau"], tree["bureau_handler"]
    bureau.correction_working_days = 20
    bureau.save()
    case = register_application(handler, bureau, **person())
    case = transition(handler, case, Event.REQUEST_CORRECTION, date(2026, 3, 4), "请说明所需信息的年份",
                      correction_kind="unclear", correction_items="请说明所需信息的年份")
    # The default 15 working days would end on 2026-03-25; this agency gives 20: to 2026-04-01.
    with pytest.raises(TransitionError, match="补正期限至 2026-04-01 届满"):
        transition(handler, case, Event.CORRECTION_LAPSED, date(2026, 3, 26), "逾期未补正")
    case.refresh_from_db()
    assert case.state == "awaiting_correction" and case.outcome in ("", None)
    case = transition(handler, case, Event.CORRECTION_LAPSED, date(2026, 4, 2), "逾期未补正")
    assert (case.state, case.outcome) == ("decided", "other_no_correction")
    assert CaseEvent.objects.filter(application=case, event="correction_lapsed").count() == 1


def test_the_stored_due_date_follows_every_step(tree):
    from gongkai.apps.cases.services import transition
    from gongkai.core.casework.lifecycle import Event

    handler, approver = tree["bureau_handler"], tree["bureau_approver"]
    case = register_application(handler, tree["bureau"], **person(received_on=date(2026, 9, 1)))
    assert case.due_on == date(2026, 9, 29) and not case.due_provisional
    case = transition(handler, case, Event.REQUEST_CORRECTION, date(2026, 9, 3), correction_kind="unclear", correction_items="请写明所需信息的名称、文号或形成时间")
    case = transition(handler, case, Event.RECEIVE_CORRECTION, date(2026, 9, 10))
    assert case.due_on == date(2026, 10, 14)  # the 20th working day after 09-10, over National Day
    case = transition(handler, case, Event.SEND_FEE_NOTICE, date(2026, 9, 14), fee_method="per_page", fee_yuan=150)
    assert case.state == "awaiting_payment" and case.fee_notice_on == date(2026, 9, 14)
    case = transition(handler, case, Event.RECEIVE_PAYMENT, date(2026, 9, 18))
    assert case.fee_paid_on == date(2026, 9, 18) and case.due_on == date(2026, 10, 21)
    assert list(case.pauses.values_list("kind", flat=True)) == ["fee"]
    case = transition(approver, case, Event.EXTEND, date(2026, 10, 9))
    assert case.due_on == date(2026, 11, 18)
    case = transition(handler, case, Event.DECIDE, date(2026, 10, 12), outcome="granted")
    assert case.due_on is None
    with pytest.raises(TransitionError, match="送达方式"):
        transition(handler, case, Event.SEND_REPLY, date(2026, 10, 13))
    case = transition(handler, case, Event.SEND_REPLY, date(2026, 10, 13), reply_channel="post", delivery_proof="EMS 1234")
    assert (case.state, case.reply_channel, case.delivery_proof) == ("replied", "post", "EMS 1234")


def test_a_provisional_due_date_is_stored_as_such(tree, on_day):
    on_day(date(2026, 12, 21))
    case = register_application(tree["bureau_handler"], tree["bureau"], **person(received_on=date(2026, 12, 21)))
    assert case.due_provisional and case.due_on.year == 2027


def test_merging_a_duplicate_registration(tree):
    from gongkai.apps.cases.services import transition
    from gongkai.core.casework.lifecycle import Event

    handler = tree["bureau_handler"]
    first = register_application(handler, tree["bureau"], **person())
    second = register_application(handler, tree["bureau"], **person(channel="letter"))
    other = register_application(tree["street_registrar"], tree["street"], **person())
    with pytest.raises(TransitionError, match="另一件申请"):
        transition(handler, second, Event.MERGE, date(2026, 3, 3), merged_into=other)
    second = transition(handler, second, Event.MERGE, date(2026, 3, 3), "同一申请重复登记", merged_into=first)
    assert (second.state, second.merged_into, second.outcome, second.due_on) == ("merged", first, "", None)


def test_edits_of_the_registration_are_kept_with_before_and_after(tree):
    from gongkai.apps.cases.models import CaseEvent
    from gongkai.apps.cases.services import edit_application

    handler = tree["bureau_handler"]
    case = register_application(handler, tree["bureau"], **person())
    with pytest.raises(ValidationError, match="理由"):
        edit_application(handler, case, "", applicant_name="张珊")
    with pytest.raises(PermissionDenied):
        edit_application(tree["county_supervisor"], case, "错别字", applicant_name="张珊")
    case = edit_application(handler, case, "姓名录入错误", applicant_name="张珊", received_on=date(2026, 3, 3))
    edit = CaseEvent.objects.get(application=case, event="edit")
    assert ("申请人姓名或名称", "张三", "张珊") in edit.changes
    assert ("答复期限", "2026-03-30", "2026-03-31") in edit.changes
    with pytest.raises(ValidationError, match="其他年度"):
        edit_application(handler, case, "录错年份", received_on=date(2025, 12, 30))


def test_a_closed_year_takes_no_more_changes(tree):
    from gongkai.apps.cases.models import YearClose
    from gongkai.apps.cases.services import transition
    from gongkai.core.casework.lifecycle import Event

    handler = tree["bureau_handler"]
    case = register_application(handler, tree["bureau"], **person(received_on=date(2025, 12, 29)))
    YearClose.objects.create(agency=tree["bureau"], year=2025, closed_by=handler)
    with pytest.raises(TransitionError, match="2025年度的台账已结转"):
        transition(handler, case, Event.DECIDE, date(2025, 12, 31), outcome="granted")
    with pytest.raises(TransitionError, match="已结转"):
        register_application(handler, tree["bureau"], **person(received_on=date(2025, 12, 30)))
    duplicate = register_application(handler, tree["bureau"], **person(received_on=date(2026, 1, 5)))
    with pytest.raises(TransitionError, match="已结转"):  # it was counted in 2025's carried_forward
        transition(handler, case, Event.MERGE, date(2026, 1, 5), merged_into=duplicate)
    case = transition(handler, case, Event.DECIDE, date(2026, 1, 5), outcome="granted")  # carried over, decided in 2026
    assert case.state == "decided"


def test_entering_next_years_notice_updates_stored_due_dates(tree, on_day, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    on_day(date(2026, 12, 21))
    case = register_application(tree["bureau_handler"], tree["bureau"], **person(received_on=date(2026, 12, 21)))
    assert case.due_provisional and case.due_on == date(2027, 1, 18)  # Monday to Friday only
    notice = tmp_path / "2027.txt"
    notice.write_text("2027-01-01 休 元旦\n2027-01-04 休 假想的调休\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_holidays", str(notice), "--year", "2027", "--complete")
    case.refresh_from_db()
    assert not case.due_provisional and case.due_on == date(2027, 1, 20)


def test_attachments_are_kept_with_their_checksum_and_checked(tree, settings, tmp_path):
    from gongkai.apps.cases.models import Attachment, CaseEvent
    from gongkai.apps.cases.services import add_attachment

    settings.MEDIA_ROOT = tmp_path
    handler = tree["bureau_handler"]
    case = register_application(handler, tree["bureau"], **person())
    scan = b"%PDF-1.4 application letter scan"
    attachment = add_attachment(handler, case, "../../申请书.pdf", scan, "申请书原件扫描件")
    assert attachment.name == "申请书.pdf" and attachment.file.read() == scan
    assert "申请书" not in attachment.file.name and attachment.file.name.startswith(f"attachments/{tree['bureau'].pk}/")
    assert CaseEvent.objects.filter(application=case, event="attach").count() == 1
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        add_attachment(handler, case, "run.exe", b"MZ")
    with pytest.raises(ValidationError, match="是空的"):
        add_attachment(handler, case, "empty.pdf", b"")
    with pytest.raises(PermissionDenied):
        add_attachment(tree["county_supervisor"], case, "x.pdf", scan)
    assert Attachment.objects.count() == 1
