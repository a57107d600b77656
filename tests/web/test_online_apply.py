"""Online applications on the public portal (Django test client): the form of 条例 Art. 29 with
Chinese validation, the registry record it makes, the receipt with its tracking code, the
tracking page (status in words, no personal data, a second factor), the flood limits with 429,
the honeypot, CSRF, and the staff seeing the new case."""

from __future__ import annotations

import hashlib
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application, Attachment, CaseEvent, YearClose
from gongkai.apps.cases.personal import same_id_number_q
from gongkai.apps.cases.services import transition
from gongkai.apps.online import throttle
from gongkai.apps.online.apply_intake import (
    INTAKE_USERNAME,
    disable_online_intake,
    enable_online_intake,
)
from gongkai.apps.online.apply_views import RECEIPT_COOKIE, RECEIPT_SECONDS
from gongkai.apps.online.models import OnlineSubmission, ThrottleCount
from gongkai.apps.online.tracking import CODE_ALPHABET
from gongkai.core.casework.lifecycle import Event

pytestmark = pytest.mark.django_db
User = get_user_model()
Role = Membership.Role
APPLY, RECEIPT, TRACK = "/public/apply/", "/public/apply/receipt/", "/public/track/"
# GB 11643's own example, and numbers whose check digits were worked out by hand from it.
ID_NUMBER, OTHER_ID_NUMBER = "11010519491231002X", "440305199003071236"
CREDIT_CODE = "91350100M000100Y43"  # GB 32100's example


def text(response) -> str:
    return response.content.decode("utf-8")


@pytest.fixture
def world(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    closed = Agency.objects.create(name="某县档案馆", kind=Agency.Kind.DEPARTMENT, parent=county)
    offline = Agency.objects.create(name="某县统计局", kind=Agency.Kind.DEPARTMENT, parent=county)
    enable_online_intake(bureau, contact="0531-12345678（工作日）")
    enable_online_intake(closed)
    disable_online_intake(closed)
    handler = User.objects.create_user("wang", password="pw-wang", last_name="王", first_name="承办")
    Membership.objects.create(user=handler, agency=bureau, role=Role.HANDLER)
    approver = User.objects.create_user("zhao", password="pw-zhao", last_name="赵", first_name="主任")
    Membership.objects.create(user=approver, agency=bureau, role=Role.APPROVER)
    return {"county": county, "bureau": bureau, "closed": closed, "offline": offline, "handler": handler,
            "approver": approver}


def person_form(world, **extra) -> dict:
    data = {
        "agency": str(world["bureau"].pk), "applicant_type": "natural_person", "applicant_name": "张三丰",
        "id_type": "居民身份证", "id_number": ID_NUMBER, "phone": "138 0013 8000", "email": "zhang@example.cn",
        "address": "某县人民路1号", "description": "2025年某县财政局部门预算公开表及其文号", "form_wanted": "电子数据",
        "delivery_wanted": "电子邮件", "truthful": "on", "website": "",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def organisation_form(world, **extra) -> dict:
    return person_form(world, **{"applicant_type": "commercial", "applicant_name": "某某科技有限公司", "id_type": None,
                                 "id_number": None, "credit_code": CREDIT_CODE.lower(), "contact_person": "李经理",
                                 **extra})


def field_block(body: str, name: str) -> str:
    """The HTML of the form field ``name`` when it is marked invalid ("" otherwise)."""
    blocks = [b for b in body.split('<div class="field') if f'name="{name}"' in b]
    return blocks[0] if len(blocks) == 1 and blocks[0].startswith(" invalid") else ""


def submit(client, data, address="10.0.0.1"):
    return client.post(APPLY, data, REMOTE_ADDR=address)


def receipt_code(client) -> str:
    page = text(client.get(RECEIPT))
    match = re.search(r'<p class="tracking-code"><code>([A-Z0-9-]+)</code>', page)
    assert match, page
    return match.group(1)


def track(client, code, factor, address="10.0.0.9"):
    return client.post(TRACK, {"code": code, "factor": factor}, REMOTE_ADDR=address)


def test_the_form_offers_only_agencies_that_accept_online_applications(client, world):
    page = client.get(APPLY)
    body = text(page)
    assert page.status_code == 200 and reverse("online:apply") == APPLY
    assert "某县财政局" in body and "某县档案馆" not in body and "某县统计局" not in body
    assert "csrfmiddlewaretoken" in body and 'enctype="multipart/form-data"' in body
    # Art. 29 fields, the six applicant kinds, no purpose asked, the honeypot hidden from everyone.
    for label in ("申请人姓名或名称", "身份证件号码", "统一社会信用代码", "联系人", "联系电话", "通信地址",
                  "所需政府信息的名称、文号或者便于查询的其他特征性描述", "获取信息的载体形式", "获取信息的方式",
                  "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他组织", "以单位名义申请的", "本人（本单位）承诺"):
        assert label in body, label
    assert "用途" not in body.replace("申请无需说明用途", "")
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">.*name="website"[^>]*tabindex="-1"', body, re.DOTALL)


def test_a_valid_application_lands_in_the_registry_with_a_receipt(client, world):
    response = submit(client, {**person_form(world), "attachments": [
        SimpleUploadedFile("身份证复印件.pdf", b"%PDF-1.4 scan", content_type="application/pdf")]})
    assert response.status_code == 302 and response["Location"] == RECEIPT
    application = Application.objects.get()
    today = timezone.localdate()
    assert (application.agency, application.year, application.serial, application.number) == (
        world["bureau"], today.year, 1, f"{today.year}-0001")
    assert (application.channel, application.received_on, application.state) == ("online", today, "registered")
    assert (application.applicant_type, application.applicant_name, application.id_type, application.id_number) == (
        "natural_person", "张三丰", "居民身份证", ID_NUMBER)
    assert (application.phone, application.email, application.address) == ("13800138000", "zhang@example.cn",
                                                                             "某县人民路1号")
    assert (application.form_wanted, application.delivery_wanted) == ("电子数据", "电子邮件")
    assert application.credit_code == "" and application.contact_person == "" and application.due_on is not None
    intake = User.objects.get(username=INTAKE_USERNAME)
    assert application.registered_by == intake and not intake.is_active and not intake.has_usable_password()
    event = CaseEvent.objects.get(application=application, event="register")
    assert event.user == intake and event.on == today
    attachment = Attachment.objects.get(application=application)
    assert (attachment.name, attachment.sha256) == ("身份证复印件.pdf", hashlib.sha256(b"%PDF-1.4 scan").hexdigest())

    page = client.get(RECEIPT)
    body = text(page)
    code = receipt_code(client)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    assert application.number in body and "某县财政局" in body and "张**" in body and "0531-12345678" in body
    assert "双方确认之日" in body and "本回执是本机关对收到您申请的确认" in body and "1个" in body
    assert ID_NUMBER not in body and "13800138000" not in body and "张三丰" not in body
    # Only the code's hash is kept, and the code is not the serial number.
    stored = OnlineSubmission.objects.get(application=application)
    assert stored.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert code.replace("-", "") not in str(list(OnlineSubmission.objects.values()))

    # The next one gets the next serial and another code.
    other = Client()
    assert submit(other, person_form(world, id_number=OTHER_ID_NUMBER, applicant_name="李四")).status_code == 302
    assert Application.objects.order_by("serial").last().serial == 2 and receipt_code(other) != code


def test_an_organisation_applies_with_its_credit_code_and_contact(client, world):
    assert submit(client, organisation_form(world, delivery_wanted="邮寄", form_wanted="纸质")).status_code == 302
    application = Application.objects.get()
    assert (application.applicant_type, application.credit_code, application.contact_person) == (
        "commercial", CREDIT_CODE, "李经理")
    assert (application.id_type, application.id_number, application.delivery_wanted) == ("", "", "邮寄")


@pytest.mark.parametrize("change, field, message", [
    ({"id_number": "110105194912310021"}, "id_number", "校验位不正确"),
    ({"id_number": "110105194902300020"}, "id_number", "出生日期不存在"),
    ({"id_number": "11010519491231"}, "id_number", "应为18位"),
    ({"id_number": ""}, "id_number", "应填写身份证件号码"),
    ({"applicant_type": "research", "credit_code": "91350100M000100Y44", "contact_person": "王"}, "credit_code",
     "校验位不正确"),
    ({"applicant_type": "social", "credit_code": "", "contact_person": "王"}, "credit_code", "应填写统一社会信用代码"),
    ({"applicant_type": "legal_service", "credit_code": CREDIT_CODE}, "contact_person", "应填写联系人"),
    ({"phone": "12345"}, "phone", "11位手机号码"),
    ({"phone": ""}, "phone", "这个字段是必填项"),
    ({"description": ""}, "description", "这个字段是必填项"),
    ({"description": "预算"}, "description", "请具体描述"),
    ({"truthful": None}, "truthful", "请阅读并勾选承诺"),
    ({"email": ""}, "email", "请填写电子邮箱"),
    ({"delivery_wanted": "邮寄", "address": ""}, "address", "请填写通信地址"),
    ({"form_wanted": "纸质", "delivery_wanted": "网上获取"}, "delivery_wanted", "纸质文本只能邮寄或自行领取"),
    ({"applicant_type": "government"}, "applicant_type", "选择一个有效的选项"),
    ({"agency": "closed"}, "agency", "选择一个有效的选项"),
    ({"agency": "offline"}, "agency", "选择一个有效的选项"),
])
def test_bad_input_gets_a_chinese_error_and_nothing_is_stored(client, world, change, field, message):
    if change.get("agency") in ("closed", "offline"):
        change = {"agency": str(world[change["agency"]].pk)}
    response = submit(client, person_form(world, **change))
    body = text(response)
    assert response.status_code == 400 and "未能保存" in body
    assert message in field_block(body, field), (field, message)
    assert not Application.objects.exists() and not OnlineSubmission.objects.exists()
    # A mistake counts against the address (guessing costs submissions), not against the applicant.
    assert ThrottleCount.objects.filter(key__startswith="apply_ip:").exists()
    assert not ThrottleCount.objects.filter(key__startswith="apply_applicant:").exists()


def test_attachments_are_checked_with_the_registrys_limits(client, world, settings):
    response = submit(client, {**person_form(world), "attachments": [SimpleUploadedFile("run.exe", b"MZ")]})
    assert response.status_code == 400 and "不支持的文件类型：run.exe" in text(response)
    six = [SimpleUploadedFile(f"{i}.pdf", b"%PDF") for i in range(6)]
    response = submit(client, {**person_form(world), "attachments": six})
    assert response.status_code == 400 and "最多上传5个附件" in text(response)
    # The registry's own check (an empty file) is reported on the field too, and nothing is kept.
    response = submit(client, {**person_form(world), "attachments": [SimpleUploadedFile("空.pdf", b"")]})
    assert response.status_code == 400 and "空" in text(response)
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_a_closed_year_is_refused_in_chinese(client, world):
    YearClose.objects.create(agency=world["bureau"], year=timezone.localdate().year, closed_by=world["approver"])
    response = submit(client, person_form(world))
    assert response.status_code == 400 and "已结转" in text(response) and not Application.objects.exists()


def test_without_a_csrf_token_nothing_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(APPLY, person_form(world)).status_code == 403
    assert client.post(TRACK, {"code": "X", "factor": "1234"}).status_code == 403
    assert not Application.objects.exists()


def test_the_honeypot_stops_robots(client, world):
    response = submit(client, person_form(world, website="http://spam.example"))
    assert response.status_code == 400 and "未能受理" in text(response)
    assert not Application.objects.exists() and not OnlineSubmission.objects.exists()


def test_tracking_needs_the_code_and_a_second_factor(client, world):
    submit(client, person_form(world))
    code = receipt_code(client)
    application = Application.objects.get()
    visitor = Client()
    for factor in ("8000", ID_NUMBER[-4:].lower()):  # the phone's or the ID number's last four
        page = track(visitor, code.lower().replace("-", " "), factor)
        body = text(page)
        assert page.status_code == 200 and "已收到" in body and application.number in body, factor
        assert "申请已登记，等待分配承办人员" in body and application.due_on.strftime("%Y年") in body
    generic = "未查到与该查询码和后4位相符的申请"
    wrong_code = "".join("2" if ch != "2" else "3" for ch in code.replace("-", ""))
    for bad_code, factor in ((code, "0000"), (wrong_code, "8000"), ("不是查询码", "8000"), (code, "")):
        page = track(visitor, bad_code, factor)
        body = text(page)
        assert page.status_code == 404 and "办理状态" not in body and application.number not in body
        assert generic in body or "这个字段是必填项" in body


def test_the_tracking_page_shows_no_personal_data(client, world):
    data = person_form(world)
    submit(client, data)
    body = text(track(Client(), receipt_code(client), "8000"))
    assert "办理状态" in body and "张**" in body
    for secret in ("张三丰", ID_NUMBER, "13800138000", "138 0013 8000", "zhang@example.cn", "某县人民路1号",
                   data["description"]):
        assert secret not in body, secret


def test_the_status_follows_the_registry(client, world):
    submit(client, organisation_form(world))
    code, application = receipt_code(client), Application.objects.get()
    handler, approver, day = world["handler"], world["approver"], application.received_on

    def status() -> str:
        return text(track(Client(), code, CREDIT_CODE[-4:]))

    application = transition(handler, application, Event.REQUEST_CORRECTION, day,
                             "请补充所需预算表的年度和具体科目名称。", correction_kind="unclear",
                             correction_items="请补充所需预算表的年度和具体科目名称。")
    body = status()
    assert "待补正" in body and "请补充所需预算表的年度和具体科目名称。" in body and "需要补正的内容" in body
    assert "自收到补正之日起重新计算" in body and "一次性告知补正" in body
    application = transition(handler, application, Event.RECEIVE_CORRECTION, day + timedelta(days=1))
    assert "办理中" in status() and "收到补正" in status()
    application = transition(handler, application, Event.START_CONSULTATION, day + timedelta(days=2), "征求第三方意见")
    body = status()
    assert "征求意见中" in body and "不计算在答复期限内" in body and "征求第三方意见" not in body
    application = transition(handler, application, Event.END_CONSULTATION, day + timedelta(days=3))
    application = transition(approver, application, Event.EXTEND, day + timedelta(days=3), "需调取档案")
    body = status()
    assert "已延期" in body and f"答复期限已延长至{application.due_on.isoformat()}" in body
    application = transition(handler, application, Event.DECIDE, day + timedelta(days=4), outcome="granted")
    assert "已作出答复决定" in status() and "予以公开" in status()
    transition(handler, application, Event.SEND_REPLY, day + timedelta(days=5), reply_channel="email")
    body = status()
    assert "已答复" in body and "以电子邮件方式送达" in body and "某某科技有限公司" not in body


def test_a_fee_notice_and_a_withdrawal_as_the_applicant_sees_them(client, world):
    submit(client, person_form(world))
    code, application = receipt_code(client), Application.objects.get()
    day = application.received_on
    application = transition(world["handler"], application, Event.SEND_FEE_NOTICE, day, fee_method="per_page",
                             fee_yuan=120, fee_explanation="共112页")
    body = text(track(Client(), code, "8000"))
    assert "待缴费" in body and "信息处理费 120 元" in body and "期限暂停计算中" in body
    transition(world["handler"], application, Event.WITHDRAW, day + timedelta(days=1), "申请人来电撤回")
    body = text(track(Client(), code, "8000"))
    assert "已撤回" in body and "申请人来电撤回" not in body and "答复期限</dt><dd>—" in body


def test_the_payment_deadline_the_applicant_sees_runs_from_the_receipt_of_the_notice(client, world):
    """国办函〔2020〕109号: 20 working days from the day after the applicant RECEIVES the fee notice.
    A posted notice received 6 days after sending: the page says the later day, never the day
    counted from the sending; before the receipt is recorded it names no day."""
    from gongkai.core.casework.fees import payment_deadline
    from gongkai.core.casework.workdays import show

    submit(client, person_form(world))
    code, application = receipt_code(client), Application.objects.get()
    sent = application.received_on
    application = transition(world["handler"], application, Event.SEND_FEE_NOTICE, sent, fee_method="per_page",
                             fee_yuan=120, fee_explanation="共112页", fee_notice_channel="post")
    from_sending = show(payment_deadline(sent).due)
    body = text(track(Client(), code, "8000"))
    assert "待缴费" in body and from_sending not in body and "自收到收费通知之日的次日起" in body
    received = sent + timedelta(days=6)
    transition(world["handler"], application, Event.FEE_NOTICE_RECEIVED, received)
    body = text(track(Client(), code, "8000"))
    assert show(payment_deadline(received).due) in body and from_sending not in body


def test_too_many_submissions_from_one_address_get_429(world, settings):
    settings.GONGKAI_THROTTLE_APPLY_IP = (2, 3600)
    numbers = [ID_NUMBER, OTHER_ID_NUMBER, "370102198511220047"]
    statuses = [submit(Client(), person_form(world, id_number=n), address="192.0.2.7").status_code for n in numbers]
    assert statuses == [302, 302, 429] and Application.objects.count() == 2
    page = submit(Client(), person_form(world, id_number=numbers[2]), address="192.0.2.7")
    assert page.status_code == 429 and 0 < int(page["Retry-After"]) <= 3600
    assert "操作过于频繁" in text(page) and "提交申请的次数已达到上限" in text(page)
    assert submit(Client(), person_form(world, id_number=numbers[2]), address="192.0.2.8").status_code == 302
    # The table holds keyed hashes, never the address or the ID number.
    assert not ThrottleCount.objects.filter(key__contains="192.0.2").exists()
    assert not ThrottleCount.objects.filter(key__contains=ID_NUMBER).exists()


def test_an_applicants_extra_applications_are_registered_and_flagged_for_review(world, settings):
    """条例 has no ground to refuse the 6th application of a day: it is registered, with its receipt,
    and flagged for the handler to consider asking for reasons (Art. 35)."""
    settings.GONGKAI_ONLINE_REVIEW_AFTER = 2
    clients = [Client() for _ in range(4)]
    statuses = [submit(c, person_form(world, description=f"第{i}件：某项目的批复文件"), address=f"198.51.100.{i}")
                .status_code for i, c in enumerate(clients)]
    assert statuses == [302, 302, 302, 302] and Application.objects.count() == 4
    flagged = list(Application.objects.order_by("serial").values_list("flagged_for_review", "flag_note"))
    assert flagged == [(False, ""), (False, ""),
                       (True, "该申请人当日向本机关提出的第3件网上申请"), (True, "该申请人当日向本机关提出的第4件网上申请")]
    assert receipt_code(clients[3])  # the receipt as usual
    # Another applicant is not affected; the count holds no ID number.
    assert submit(Client(), person_form(world, id_number=OTHER_ID_NUMBER), address="198.51.100.9").status_code == 302
    assert not Application.objects.get(same_id_number_q(OTHER_ID_NUMBER)).flagged_for_review
    assert not OnlineSubmission.objects.filter(applicant_key__contains=ID_NUMBER).exists()
    # The desk: a work list of online applications awaiting review, and the pointer to Art. 35 on the case.
    staff = Client()
    staff.force_login(world["handler"])
    listed = text(staff.get(reverse("desk:worklist", args=["review"])))
    third, fourth = Application.objects.filter(flagged_for_review=True).order_by("serial")
    assert "共 2 件" in listed and third.number in listed and fourth.number in listed and "待审查" in listed
    case = text(staff.get(reverse("desk:case", args=[third.pk])))
    assert "该申请人当日向本机关提出的第3件网上申请" in case and "第三十五条" in case and "要求说明理由" in case
    # Once decided it leaves the list.
    transition(world["handler"], third, Event.DECIDE, third.received_on, outcome="granted")
    assert "共 1 件" in text(staff.get(reverse("desk:worklist", args=["review"])))


def test_tracking_look_ups_are_limited_per_address_and_per_code(client, world, settings):
    submit(client, person_form(world))
    code = receipt_code(client)
    settings.GONGKAI_THROTTLE_TRACK_IP = (3, 600)
    statuses = [track(Client(), code, f"{i:04d}", address="203.0.113.5").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    # The right answer from the throttled address is refused too; from another address it works.
    assert track(Client(), code, "8000", address="203.0.113.5").status_code == 429
    assert track(Client(), code, "8000", address="203.0.113.6").status_code == 200
    # Guessing one code's second factor from many addresses stops at the per-code limit.
    settings.GONGKAI_THROTTLE_TRACK_CODE = (3, 3600)
    page = track(Client(), code, "9999", address="203.0.113.7")
    assert page.status_code == 429 and "查询同一查询码的次数已达到上限" in text(page) and page["Retry-After"]


def test_throttle_windows_end_and_old_counters_are_deleted(world, settings):
    settings.GONGKAI_THROTTLE_TRACK_IP = (2, 600)
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    assert throttle.hit("GONGKAI_THROTTLE_TRACK_IP", "a", "x", now=start) == 1
    assert throttle.hit("GONGKAI_THROTTLE_TRACK_IP", "a", "x", now=start + timedelta(seconds=10)) == 2
    with pytest.raises(throttle.Throttled) as info:
        throttle.hit("GONGKAI_THROTTLE_TRACK_IP", "a", "x", now=start + timedelta(seconds=100))
    assert info.value.retry_after == 500
    assert throttle.hit("GONGKAI_THROTTLE_TRACK_IP", "b", "x", now=start + timedelta(seconds=100)) == 1
    # The next window starts again at one, and the first window's rows are gone.
    assert throttle.hit("GONGKAI_THROTTLE_TRACK_IP", "a", "x", now=start + timedelta(seconds=600)) == 1
    assert ThrottleCount.objects.count() == 1
    assert throttle.clean_up(now=start + timedelta(seconds=1200)) == 1 and not ThrottleCount.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs this on it)")
def test_concurrent_hits_are_all_counted(settings):
    settings.GONGKAI_THROTTLE_TRACK_IP = (1000, 3600)

    def ten_hits(_):
        try:
            return [throttle.hit("GONGKAI_THROTTLE_TRACK_IP", "192.0.2.1", "x") for _ in range(10)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = [c for hits in pool.map(ten_hits, range(8)) for c in hits]
    assert len(counts) == 80
    assert sum(ThrottleCount.objects.values_list("count", flat=True)) == 80


def test_client_addresses_behind_proxies_and_ipv6_networks(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert throttle.client_address(request) == "10.1.1.1"
    settings.GONGKAI_THROTTLE_PROXY_COUNT = 1
    assert throttle.client_address(request) == "198.51.100.20"
    settings.GONGKAI_THROTTLE_PROXY_COUNT = 0
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    same = rf.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::9")
    assert throttle.client_address(one) == throttle.client_address(same) == "2001:db8:1:2::/64"


def test_the_receipt_shows_only_in_the_submitting_browser_for_an_hour(client, world, monkeypatch):
    submit(client, person_form(world))
    assert client.get(RECEIPT).status_code == 200
    assert Client().get(RECEIPT).status_code == 404
    later = time.time() + RECEIPT_SECONDS + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)  # an hour and a second later
    page = client.get(RECEIPT)
    assert page.status_code == 404 and "回执已不再显示" in text(page) and not client.cookies[RECEIPT_COOKIE].value


def test_the_staff_see_the_online_application_on_their_desk(client, world):
    submit(client, person_form(world))
    application = Application.objects.get()
    staff = Client()
    staff.force_login(world["handler"])
    home = text(staff.get(reverse("desk:home")))
    assert "某县财政局" in home
    worklist = text(staff.get(reverse("desk:worklist", args=["open"])))
    assert application.number in worklist and "张三丰" in worklist
    case = text(staff.get(reverse("desk:case", args=[application.pk])))
    assert "网上申请系统" in case and "网络" in case


def test_no_agency_accepting_online_applications_says_so(client, world):
    disable_online_intake(world["bureau"])
    body = text(client.get(APPLY))
    assert "目前没有接受网上申请的机关" in body and "<form" not in body.split("<main", 1)[1]
