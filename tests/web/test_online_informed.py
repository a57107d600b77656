"""Applicants kept informed (apps/online: notify, sms, recovery, downloads), with the Django test
client on the real database: a message on each event (receipt, correction, extension, reply) by
e-mail and by SMS, recorded with a masked address; failures recorded and shown, never breaking
the step; the SMS console backend; recovering a tracking code (match, no match, floods); the
downloads of the tracking page (expiry, and never a file of another case)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.cases.services import add_attachment, register_application, release_attachment, transition
from gongkai.apps.letters.models import LetterSettings
from gongkai.apps.letters.services import issue_letter
from gongkai.apps.online import downloads, sms
from gongkai.apps.online.apply_intake import enable_online_intake, submit_online_application
from gongkai.apps.online.models import ApplicantMessage, DownloadRecord
from gongkai.apps.online.tracking import code_hash
from gongkai.core.casework.lifecycle import Event, TransitionError

pytestmark = pytest.mark.django_db
User = get_user_model()
Role = Membership.Role
TRACK, RECOVER = "/public/track/", "/public/track/recover/"
ID_NUMBER = "11010519491231002X"
MOBILE, EMAIL = "13800138000", "Zhang.San@example.cn"


def text(response) -> str:
    return response.content.decode("utf-8")


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.GONGKAI_SMS_BACKEND = "gongkai.apps.online.sms.LocmemBackend"
    settings.GONGKAI_BASE_URL = "https://gongkai.example.gov.cn"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what is sent after the commit (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    other = Agency.objects.create(name="某县统计局", kind=Agency.Kind.DEPARTMENT, parent=county)
    enable_online_intake(bureau, contact="0531-12345678")
    enable_online_intake(other)
    people = {}
    for name, agency, role in [("wang", bureau, Role.HANDLER), ("zhao", bureau, Role.APPROVER),
                               ("qian", bureau, Role.REGISTRAR), ("sun", other, Role.HANDLER)]:
        people[name] = User.objects.create_user(name, password=f"pw-{name}", last_name=name)
        Membership.objects.create(user=people[name], agency=agency, role=role)
    for agency in (bureau, other):
        LetterSettings.objects.create(agency=agency, review_body="某县人民政府", court="某县人民法院",
                                      online_review_channel="某省行政复议网上申请平台 https://fy.example.gov.cn",
                                      updated_by=people["zhao"])
    return {"bureau": bureau, "other": other, **people}


def apply_online(world, commit, agency=None, **fields):
    values = {"applicant_type": "natural_person", "applicant_name": "张三丰", "id_type": "居民身份证",
              "id_number": ID_NUMBER, "phone": MOBILE, "email": EMAIL, "address": "某县人民路1号",
              "description": "2025年部门预算公开表", "form_wanted": "电子数据", "delivery_wanted": "网上获取"}
    values.update(fields)
    with commit():
        receipt = submit_online_application(agency or world["bureau"], **values)
    return receipt.application, receipt.code


def messages_of(application) -> list[tuple[str, str, str, str]]:
    return [(m.kind, m.channel, m.to_masked, m.status) for m in application.applicant_messages.order_by("pk")]


# --- messages on each event ---------------------------------------------------------------------

def test_an_online_application_is_acknowledged_by_email_and_sms(world, commit, sms_outbox):
    application, _ = apply_online(world, commit)
    assert messages_of(application) == [("receipt", "email", "Z***@example.cn", "sent"),
                                        ("receipt", "sms", "138****8000", "sent")]
    [email] = mail.outbox
    assert email.to == [EMAIL] and "某县财政局已收到您的政府信息公开申请" in email.subject
    assert application.number in email.body and f"答复期限为{application.due_on.isoformat()}" in email.body
    assert "https://gongkai.example.gov.cn/public/track/recover/" in email.body
    [short] = sms_outbox
    assert short.phone == MOBILE and short.text.startswith("【某县财政局】已收到您的政府信息公开申请")
    for sent in (email.body, email.subject, short.text):  # nothing beyond what the message is about
        assert "张三丰" not in sent and ID_NUMBER not in sent and "部门预算" not in sent and "人民路" not in sent
    assert all(m.sent_at is not None for m in application.applicant_messages.all())


def test_a_desk_registration_tells_the_contacts_given_and_a_landline_gets_no_sms(world, commit, sms_outbox):
    with commit():
        by_mail = register_application(world["qian"], world["bureau"], applicant_type="natural_person",
                                       applicant_name="李四", phone="0531-87654321", email="li@example.cn",
                                       channel="letter", received_on=_today(), description="某文件")
    assert messages_of(by_mail) == [("receipt", "email", "l***@example.cn", "sent")]
    assert len(mail.outbox) == 1 and sms_outbox == []
    assert "凭查询码" not in mail.outbox[0].body  # a desk case has no tracking code
    with commit():
        silent = register_application(world["qian"], world["bureau"], applicant_type="natural_person",
                                      applicant_name="王五", address="某县某路2号", channel="letter",
                                      received_on=_today(), description="某文件")
    assert messages_of(silent) == [] and len(mail.outbox) == 1


def _today():
    from django.utils import timezone

    return timezone.localdate()


def test_correction_extension_and_reply_are_each_told(world, commit, sms_outbox):
    application, _ = apply_online(world, commit)
    day = application.received_on
    mail.outbox.clear()
    sms_outbox.clear()
    with commit():
        application = transition(world["wang"], application, Event.REQUEST_CORRECTION, day, "描述不明确",
                                 correction_kind="unclear", correction_items="请写明所需预算表的年度和科目。")
    assert "请您补正" in mail.outbox[-1].subject and "请写明所需预算表的年度和科目。" in mail.outbox[-1].body
    assert "需要补正" in sms_outbox[-1].text
    with commit():
        application = transition(world["wang"], application, Event.RECEIVE_CORRECTION, day)
        application = transition(world["zhao"], application, Event.EXTEND, day, "需调取档案")
    assert "延长答复期限" in mail.outbox[-1].subject
    assert f"延长至{application.due_on.isoformat()}" in mail.outbox[-1].body
    assert f"延长至{application.due_on.isoformat()}" in sms_outbox[-1].text
    with commit():
        application = transition(world["wang"], application, Event.DECIDE, day, outcome="granted")
        application = transition(world["wang"], application, Event.SEND_REPLY, day, reply_channel="online")
    until = (day + timedelta(days=90)).isoformat()
    assert "已答复" in mail.outbox[-1].subject and "以网上平台方式送达" in mail.outbox[-1].body
    assert f"下载期限至{until}" in mail.outbox[-1].body and f"期限至{until}" in sms_outbox[-1].text
    kinds = [m[0] for m in messages_of(application)]
    assert kinds == ["receipt", "receipt", "correction", "correction", "extension", "extension", "reply", "reply"]
    # Receiving the correction and the decision itself are not messages of their own.
    assert len(mail.outbox) == 3 and len(sms_outbox) == 3


def test_a_step_rolled_back_sends_nothing(world, commit):
    application, _ = apply_online(world, commit)
    mail.outbox.clear()
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        transition(world["zhao"], application, Event.EXTEND, application.received_on, "需调取档案")
        raise RuntimeError("the rest of the request failed")
    assert mail.outbox == [] and not application.applicant_messages.filter(kind="extension").exists()
    with commit(), pytest.raises(TransitionError):
        transition(world["wang"], application, Event.SEND_REPLY, application.received_on, reply_channel="online")
    assert mail.outbox == []


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("邮件服务器拒绝连接")


def test_a_failed_send_never_breaks_the_step_and_is_shown_on_the_case_page(world, commit, settings, client, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    settings.GONGKAI_SMS_BACKEND = "gongkai.apps.online.sms.DisabledBackend"
    with caplog.at_level(logging.ERROR):
        application, _ = apply_online(world, commit)
    assert Application.objects.filter(pk=application.pk).exists()  # registered all the same
    rows = list(application.applicant_messages.order_by("pk"))
    assert [(m.channel, m.status) for m in rows] == [("email", "failed"), ("sms", "failed")]
    assert "邮件服务器拒绝连接" in rows[0].error and "未配置短信发送" in rows[1].error
    assert "failed" in caplog.text
    client.force_login(world["zhao"])
    with commit():
        response = client.post(reverse("desk:step", args=[application.pk, "extend"]),
                               {"extend-on": application.received_on.isoformat(), "extend-reason": "需调取档案"})
    assert response.status_code == 302  # the step is taken
    assert Application.objects.get(pk=application.pk).extended
    assert application.applicant_messages.filter(kind="extension", status="failed").count() == 2
    page = text(client.get(reverse("desk:case", args=[application.pk])))
    assert "告知申请人" in page and "发送失败" in page and "邮件服务器拒绝连接" in page and "办理步骤本身已经完成" in page


def test_an_approver_extends_on_the_desk_and_the_applicant_is_told(world, commit, client):
    application, _ = apply_online(world, commit)
    mail.outbox.clear()
    client.force_login(world["zhao"])
    with commit():
        response = client.post(reverse("desk:step", args=[application.pk, "extend"]),
                               {"extend-on": application.received_on.isoformat(), "extend-reason": "需调取档案"})
    assert response.status_code == 302, text(response)
    assert len(mail.outbox) == 1 and "延长答复期限" in mail.outbox[0].subject
    page = text(client.get(reverse("desk:case", args=[application.pk])))
    assert "延长答复期限" in page and "Z***@example.cn" in page and "已发送" in page


def test_no_messages_when_switched_off(world, commit, settings, sms_outbox):
    settings.GONGKAI_APPLICANT_MESSAGES = False
    application, _ = apply_online(world, commit)
    assert messages_of(application) == [] and mail.outbox == [] and sms_outbox == []


# --- the SMS senders -----------------------------------------------------------------------------

def test_the_console_sms_backend_writes_to_stdout_and_the_log(capsys, caplog):
    with caplog.at_level(logging.INFO, logger="gongkai.sms"):
        sms.send_sms("+86 138-0013-8000", "【某县财政局】测试短信", backend=sms.ConsoleBackend())
    assert "[短信] 发送至 13800138000：【某县财政局】测试短信" in capsys.readouterr().out
    assert "SMS to 13800138000" in caplog.text


def test_the_configured_sms_backend_is_used_and_bad_numbers_are_refused(settings, sms_outbox):
    settings.GONGKAI_SMS_BACKEND = "gongkai.apps.online.sms.LocmemBackend"
    sms.send_sms("13900001111", "内容")
    assert sms_outbox == [sms.Sent("13900001111", "内容")]
    for bad in ("0531-87654321", "1380013800", "23800138000", ""):
        with pytest.raises(sms.SmsError):
            sms.send_sms(bad, "内容")
    with pytest.raises(sms.SmsError):
        sms.send_sms("13900001111", "长" * (sms.MAX_LENGTH + 1))
    assert len(sms_outbox) == 1


def test_a_provider_plugs_in_through_the_interface(settings, world, commit):
    settings.GONGKAI_SMS_BACKEND = f"{__name__}.Provider"
    Provider.sent.clear()
    application, _ = apply_online(world, commit)
    assert Provider.sent == [(MOBILE, Provider.sent[0][1])] and "编号" in Provider.sent[0][1]


class Provider(sms.SmsBackend):
    sent: list = []

    def send(self, phone, text):
        self.sent.append((phone, text))


# --- recovering the tracking code ----------------------------------------------------------------

def track(client, code, factor="8000", address="10.0.0.9"):
    return client.post(TRACK, {"code": code, "factor": factor}, REMOTE_ADDR=address)


def recover(client, world, address="10.0.0.7", **fields):
    data = {"agency": str(world["bureau"].pk), "number": "", "submitted_on": "", "contact": EMAIL}
    data.update(fields)
    return client.post(RECOVER, data, REMOTE_ADDR=address)


SAME_ANSWER = "如果您填写的信息与本机关登记的网上申请相符，新的查询码已发送到申请时填写的电子邮箱或手机号码"


def new_code_in(body: str) -> str:
    found = re.search(r"新查询码：([A-Z0-9-]{14})|\n    ([A-Z0-9-]{14})\n", body)
    assert found, body
    return found.group(1) or found.group(2)


def test_recovery_by_number_and_email_issues_a_new_code_and_the_old_stops(client, world, commit):
    application, old = apply_online(world, commit)
    mail.outbox.clear()
    with commit():
        response = recover(client, world, number=application.number, contact=" zhang.san@EXAMPLE.cn ")
    assert response.status_code == 200 and SAME_ANSWER in text(response)
    [email] = mail.outbox
    assert email.to == [EMAIL] and "新查询码" in email.subject
    code = new_code_in(email.body)
    assert application.online_submission.__class__.objects.get(application=application).code_hash == code_hash(
        code.replace("-", ""))
    assert "未查到" in text(track(Client(), old)) and "办理状态" in text(track(Client(), code))
    assert messages_of(application)[-1] == ("tracking_code", "email", "Z***@example.cn", "sent")
    assert code.replace("-", "") not in str(list(ApplicantMessage.objects.values()))  # the code is not kept


def test_recovery_by_date_and_mobile_sends_the_code_by_sms(client, world, commit, sms_outbox):
    application, _ = apply_online(world, commit)
    sms_outbox.clear()
    with commit():
        response = recover(client, world, submitted_on=application.received_on.isoformat(), contact="+86 138 0013 8000")
    assert SAME_ANSWER in text(response)
    [short] = sms_outbox
    assert short.phone == MOBILE and "新查询码" in short.text
    code = re.search(r"新查询码：([A-Z0-9-]+)", short.text).group(1)
    assert "办理状态" in text(track(Client(), code))


@pytest.mark.parametrize("fields", [
    {"number": "2099-0001"},  # no such application
    {"contact": "someone.else@example.cn"},  # not the contact given
    {"contact": "13900001111"},  # not the mobile given
    {"agency": "other"},  # another agency
])
def test_recovery_that_matches_nothing_answers_the_same_and_sends_nothing(client, world, commit, sms_outbox, fields):
    application, old = apply_online(world, commit)
    mail.outbox.clear()
    sms_outbox.clear()
    fields = {"number": application.number, **fields}
    if fields.get("agency") == "other":
        fields["agency"] = str(world["other"].pk)
    with commit():
        response = recover(client, world, **fields)
    assert response.status_code == 200 and SAME_ANSWER in text(response)
    assert mail.outbox == [] and sms_outbox == []
    assert "办理状态" in text(track(Client(), old))  # the old code still works


def test_recovery_form_errors_are_in_chinese(client, world):
    response = recover(client, world, number="", submitted_on="")
    assert response.status_code == 400 and "请填写申请编号，或提交申请的日期" in text(response)
    response = recover(client, world, number="第42号")
    assert "申请编号的格式为" in text(response)
    response = recover(client, world, number="2026-0001", contact="0531-87654321")
    assert "固定电话无法接收短信" in text(response)


def test_recovery_floods_are_limited_per_address_and_per_contact(client, world, commit, settings):
    settings.GONGKAI_THROTTLE_RECOVER_IP = (3, 3600)
    settings.GONGKAI_THROTTLE_RECOVER_CONTACT = (2, 86400)
    application, _ = apply_online(world, commit)
    mail.outbox.clear()
    for _ in range(2):
        with commit():
            assert recover(client, world, number=application.number).status_code == 200
    with commit():
        response = recover(client, world, address="10.0.0.8", number=application.number)
    assert response.status_code == 429 and "为同一联系方式找回查询码" in text(response)
    assert len(mail.outbox) == 2  # the third request for this address sent nothing
    for _ in range(2):
        recover(client, world, address="10.0.0.5", number="2099-0001", contact=f"x{_}@example.cn")
    response = recover(client, world, address="10.0.0.5", number="2099-0001", contact="y@example.cn")
    assert response.status_code == 200
    response = recover(client, world, address="10.0.0.5", number="2099-0001", contact="z@example.cn")
    assert response.status_code == 429 and response["Retry-After"]


# --- downloads on the tracking page --------------------------------------------------------------

def replied_online(world, commit, **fields):
    """An online application decided and replied through the platform, with its reply letter and
    one released and one internal file."""
    application, code = apply_online(world, commit, **fields)
    day = application.received_on
    handler = world["wang"] if application.agency == world["bureau"] else world["sun"]
    with commit():
        application = transition(handler, application, Event.DECIDE, day, outcome="granted")
        letter = issue_letter(handler, application, "reply_granted")
        released = add_attachment(handler, application, "2025年部门预算.pdf", b"%PDF-1.4 budget", note="答复提供的信息")
        release_attachment(handler, released, True)
        internal = add_attachment(handler, application, "内部审批单.pdf", b"%PDF-1.4 internal")
        application = transition(handler, application, Event.SEND_REPLY, day, reply_channel="online")
    return application, code, letter, released, internal


def test_the_applicant_downloads_the_reply_letter_and_the_released_documents(client, world, commit):
    application, code, letter, released, internal = replied_online(world, commit)
    page = text(track(client, code, address="10.1.2.3"))
    until = (application.replied_on + timedelta(days=90)).isoformat()
    assert f"以下文件可下载至{until}" in page and "2025年部门预算.pdf" in page and "内部审批单.pdf" not in page
    docx = client.get(reverse("online:download_letter", args=[letter.pk, "docx"]), REMOTE_ADDR="10.1.2.3")
    assert docx.status_code == 200 and docx.content == bytes(letter.content)
    assert docx["Content-Disposition"].startswith("attachment")
    document = client.get(reverse("online:download_document", args=[released.pk]), REMOTE_ADDR="10.1.2.3")
    assert document.status_code == 200 and b"".join(document.streaming_content) == b"%PDF-1.4 budget"
    pdf = client.get(reverse("online:download_letter", args=[letter.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    records = list(DownloadRecord.objects.order_by("pk").values_list("application_id", "kind", "file_name", "address_key"))
    assert [r[:3] for r in records] == [(application.pk, "letter", letter.filename),
                                        (application.pk, "document", "2025年部门预算.pdf"),
                                        (application.pk, "letter", letter.filename.removesuffix(".docx") + ".pdf")]
    assert records[0][3].startswith("download_ip:") and "10.1.2.3" not in records[0][3]
    # Staff see the downloads on the case page.
    staff = Client()
    staff.force_login(world["wang"])
    assert "2025年部门预算.pdf" in text(staff.get(reverse("desk:case", args=[application.pk])))


def test_files_of_another_case_are_never_served(client, world, commit):
    """A security rule: the tracking session of one case opens only its own files."""
    mine, code, my_letter, my_document, my_internal = replied_online(world, commit)
    theirs, _, their_letter, their_document, _ = replied_online(world, commit, applicant_name="李四",
                                                                 email="li@example.cn", phone="13900001111")
    elsewhere, _, far_letter, far_document, _ = replied_online(world, commit, agency=world["other"])
    track(client, code)
    for url in [reverse("online:download_letter", args=[their_letter.pk, "docx"]),
                reverse("online:download_letter", args=[their_letter.pk, "pdf"]),
                reverse("online:download_letter", args=[far_letter.pk, "docx"]),
                reverse("online:download_document", args=[their_document.pk]),
                reverse("online:download_document", args=[far_document.pk]),
                reverse("online:download_document", args=[my_internal.pk]),  # not released
                reverse("online:download_letter", args=[my_letter.pk, "exe"])]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"%PDF" not in response.content and b"PK" not in response.content[:2]
    assert client.get(reverse("online:download_letter", args=[my_letter.pk, "docx"])).status_code == 200
    assert DownloadRecord.objects.exclude(application=mine).count() == 0


def test_without_a_tracking_session_nothing_is_served(world, commit):
    application, code, letter, document, _ = replied_online(world, commit)
    stranger = Client()
    response = stranger.get(reverse("online:download_letter", args=[letter.pk, "docx"]))
    assert response.status_code == 403 and "查询已结束或已超时" in text(response)
    ended = Client()
    track(ended, code)
    ended.post(reverse("online:track_end"))
    assert ended.get(reverse("online:download_document", args=[document.pk])).status_code == 403
    assert not DownloadRecord.objects.exists()


def test_a_recovered_code_ends_the_old_tracking_session(client, world, commit):
    application, code, letter, _, _ = replied_online(world, commit)
    track(client, code)
    assert client.get(reverse("online:download_letter", args=[letter.pk, "docx"])).status_code == 200
    with commit():
        recover(Client(), world, number=application.number)
    response = client.get(reverse("online:download_letter", args=[letter.pk, "docx"]))
    assert response.status_code == 403 and "查询已结束或已超时" in text(response)


def test_downloads_end_after_the_period_with_a_clear_message(client, world, commit, monkeypatch, settings):
    settings.GONGKAI_DOWNLOAD_DAYS = 30
    application, code, letter, document, _ = replied_online(world, commit)
    last = application.replied_on + timedelta(days=30)
    monkeypatch.setattr(downloads, "today", lambda: last)
    track(client, code)
    assert client.get(reverse("online:download_letter", args=[letter.pk, "docx"])).status_code == 200
    monkeypatch.setattr(downloads, "today", lambda: last + timedelta(days=1))
    page = text(client.get(TRACK))
    assert f"下载期限已于{last.isoformat()}届满" in page and "下载 Word" not in page
    for url in [reverse("online:download_letter", args=[letter.pk, "docx"]),
                reverse("online:download_document", args=[document.pk])]:
        response = client.get(url)
        assert response.status_code == 410 and f"下载期限已于{last.isoformat()}届满" in text(response)
    assert DownloadRecord.objects.count() == 1


def test_no_downloads_for_an_applicant_who_did_not_choose_to_get_it_online(client, world, commit):
    application, code, letter, _, _ = replied_online(world, commit, delivery_wanted="电子邮件")
    Application.objects.filter(pk=application.pk).update(reply_channel="email")
    page = text(track(client, code))
    assert "网上获取" not in page and "下载" not in page
    response = client.get(reverse("online:download_letter", args=[letter.pk, "docx"]))
    assert response.status_code == 403 and "未选择网上获取" in text(response)


def test_before_the_reply_the_page_says_when_files_come(client, world, commit):
    application, code = apply_online(world, commit)
    page = text(track(client, code))
    assert "答复送达后，答复书和本机关提供的政府信息将在办理进度页面提供下载" in page


def test_staff_mark_a_file_as_released_on_the_case_page_and_it_is_recorded(client, world, commit):
    application, _ = apply_online(world, commit)
    item = add_attachment(world["wang"], application, "答复附件.pdf", b"%PDF-1.4 x")
    client.force_login(world["wang"])
    url = reverse("desk:release", args=[application.pk, item.pk])
    assert "设为提供给申请人" in text(client.get(reverse("desk:case", args=[application.pk])))
    assert client.post(url, {"released": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.released
    event = CaseEvent.objects.filter(application=application, event="release_attachment").get()
    assert event.user == world["wang"] and event.after == {"attachment": "答复附件.pdf", "released": True}
    registrar = Client()
    registrar.force_login(world["qian"])
    assert registrar.post(url, {"released": "0"}).status_code == 403
    stranger = Client()
    stranger.force_login(world["sun"])
    assert stranger.post(url, {"released": "0"}).status_code == 404
    item.refresh_from_db()
    assert item.released


def test_downloads_are_limited_per_address(client, world, commit, settings):
    settings.GONGKAI_THROTTLE_DOWNLOAD_IP = (2, 600)
    application, code, letter, _, _ = replied_online(world, commit)
    track(client, code)
    url = reverse("online:download_letter", args=[letter.pk, "docx"])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert DownloadRecord.objects.count() == 2


def test_staff_send_a_failed_message_again(world, commit, settings, client):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    application, _ = apply_online(world, commit)
    failed = application.applicant_messages.get(channel="email")
    assert failed.status == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    url = reverse("online_staff:resend", args=[failed.pk])
    registrar = Client()
    registrar.force_login(world["qian"])
    assert registrar.post(url).status_code == 403
    stranger = Client()
    stranger.force_login(world["sun"])
    assert stranger.post(url).status_code == 404
    client.force_login(world["wang"])
    assert "重新发送" in text(client.get(reverse("desk:case", args=[application.pk])))
    with commit():
        response = client.post(url)
    assert response.status_code == 302
    page = text(client.get(response.url))
    assert "已重新发送“收到申请”至 Z***@example.cn" in page and "已发送" in page
    assert [m.to for m in mail.outbox] == [[EMAIL]] and "已收到您的政府信息公开申请" in mail.outbox[0].subject
    assert list(application.applicant_messages.filter(channel="email").values_list("status", flat=True)) == [
        "failed", "sent"]
    sent = application.applicant_messages.filter(channel="email", status="sent").get()
    response = client.post(reverse("online_staff:resend", args=[sent.pk]), follow=True)
    assert "只有发送失败的告知" in text(response) and len(mail.outbox) == 1
