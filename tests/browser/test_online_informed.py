"""An online applicant kept informed, in a real browser (chromium; the citizen without JavaScript):
the citizen applies choosing 网上获取, the office decides, uploads the information provided, marks
it for the applicant, generates the reply letter and delivers it through the platform; the
citizen, who lost the tracking code, recovers it by the e-mail address given (the code read from
the mail outbox), opens the tracking page and downloads the reply letter and the document.
Screenshots of the recovery page, its answer and the tracking page with downloads at 1280 and
390 px go to the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from docx import Document
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.letters.models import LetterSettings
from gongkai.apps.online.apply_intake import enable_online_intake
from gongkai.apps.online.models import ApplicantMessage, DownloadRecord
from gongkai.apps.signoff.services import configure as configure_signoff
from tests.browser.conftest import shoot_both

from .test_workflow import log_in, take_step

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "zhang@example.cn"


@pytest.fixture
def office(transactional_db, django_user_model, settings):
    settings.GONGKAI_SMS_BACKEND = "gongkai.apps.online.sms.LocmemBackend"
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    enable_online_intake(bureau, contact="0531-12345678（工作日 9:00–17:00）")
    handler = django_user_model.objects.create_user("wang", password="wang-pw", last_name="王", first_name="承办")
    Membership.objects.create(user=handler, agency=bureau, role=Membership.Role.HANDLER)
    approver = django_user_model.objects.create_user("zhao", password="zhao-pw", last_name="赵", first_name="主任")
    Membership.objects.create(user=approver, agency=bureau, role=Membership.Role.APPROVER)
    LetterSettings.objects.create(agency=bureau, review_body="某县人民政府", court="某县人民法院",
                                  online_review_channel="某省行政复议网上申请平台 https://fy.example.gov.cn",
                                  updated_by=approver)
    configure_signoff(approver, bureau, [], "本机关直接作出答复决定")
    return bureau


def shoot(page: Page, screenshots, name: str) -> None:
    shoot_both(page, screenshots, f"informed-{name}")


def test_an_applicant_recovers_the_code_by_email_and_downloads_the_reply(
        citizen: Page, page: Page, live_server, office, screenshots, tmp_path):
    base = live_server.url
    # The citizen applies, asking to get the information online.
    citizen.goto(base + "/public/apply/")
    citizen.get_by_label("受理机关").select_option(label="某县财政局")
    citizen.get_by_label("申请人姓名或名称").fill("张三丰")
    citizen.get_by_label("身份证件号码").fill("11010519491231002X")
    citizen.get_by_label("联系电话").fill("0531-87654321")
    citizen.get_by_label("电子邮箱").fill(EMAIL)
    citizen.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill("2025年某县财政局部门预算")
    citizen.get_by_label("电子数据").check()
    citizen.get_by_label("网上获取", exact=True).check()
    citizen.get_by_label(re.compile("^本人（本单位）承诺")).check()
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_role("heading", name="申请已提交")).to_be_visible()
    application = Application.objects.get()
    lost_code = citizen.locator(".tracking-code").inner_text().strip()
    [receipt_mail] = mail.outbox  # acknowledged by e-mail (a landline gets no SMS)
    assert receipt_mail.to == [EMAIL] and application.number in receipt_mail.body

    # The office decides, provides the document, generates the reply letter, delivers it online.
    log_in(page, base, "wang", "wang-pw")
    page.goto(f"{base}/cases/{application.pk}/")
    take_step(page, "作出答复决定", **{"办理结果（表三）": "granted"})
    document = tmp_path / "2025年部门预算表.pdf"
    document.write_bytes(b"%PDF-1.4 the budget tables")
    page.locator("input[type=file]").set_input_files(str(document))
    page.get_by_role("button", name="上传附件").click()
    expect(page.locator(".message.success")).to_contain_text("已上传附件")
    page.get_by_role("button", name="设为提供给申请人").click()
    expect(page.locator(".message.success")).to_contain_text("已设为提供给申请人")
    with page.expect_download():
        page.get_by_role("button", name=re.compile("^生成政府信息公开申请答复告知书")).click()
    page.goto(f"{base}/cases/{application.pk}/")
    take_step(page, "送达答复", 送达方式="online")
    application.refresh_from_db()
    assert (application.state, application.reply_channel) == ("replied", "online")
    panel = page.locator(".applicant-panel")
    expect(panel).to_contain_text("送达答复")
    expect(panel).to_contain_text("z***@example.cn")
    page.screenshot(path=str(screenshots / "informed-00-case-panel.png"), full_page=True)
    reply_mail = mail.outbox[-1]
    assert "已答复" in reply_mail.subject and "下载期限至" in reply_mail.body

    # The citizen lost the code: recovers it by the e-mail address given.
    citizen.goto(base + "/public/track/")
    citizen.get_by_role("link", name="凭申请时填写的电子邮箱或手机号码找回").click()
    expect(citizen.get_by_role("heading", name="找回查询码")).to_be_visible()
    citizen.get_by_label("受理机关").select_option(label="某县财政局")
    citizen.get_by_label("提交申请的日期").fill(application.received_on.isoformat())
    citizen.get_by_label("申请时填写的电子邮箱或手机号码").fill(EMAIL.upper())
    shoot(citizen, screenshots, "01-recover")
    citizen.get_by_role("button", name="发送新的查询码").click()
    expect(citizen.get_by_role("status")).to_contain_text("新的查询码已发送到申请时填写的电子邮箱或手机号码")
    shoot(citizen, screenshots, "02-recover-sent")
    code_mail = mail.outbox[-1]
    assert code_mail.to == [EMAIL] and "新查询码" in code_mail.subject
    code = re.search(r"\n\s+([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\n", code_mail.body).group(1)
    assert code != lost_code

    # The old code no longer opens anything; the new one does, with the downloads.
    def follow(value: str) -> None:
        citizen.goto(base + "/public/track/")
        citizen.get_by_label("查询码").fill(value)
        citizen.get_by_label("联系电话或证件号码的后4位").fill("4321")
        citizen.get_by_role("button", name="查询", exact=True).click()

    follow(lost_code)
    expect(citizen.get_by_role("alert")).to_contain_text("未查到与该查询码和后4位相符的申请")
    follow(code)
    result = citizen.locator(".result")
    expect(result.locator(".tag")).to_have_text("已答复")
    downloads = result.locator(".downloads")
    expect(downloads).to_contain_text("以下文件可下载至")
    expect(downloads).to_contain_text("2025年部门预算表.pdf")
    shoot(citizen, screenshots, "03-track-downloads")
    with citizen.expect_download() as got:
        downloads.get_by_role("link", name="下载 Word").first.click()
    letter = tmp_path / "reply.docx"
    got.value.save_as(letter)
    words = "\n".join(p.text for p in Document(str(letter)).paragraphs)
    assert "政府信息公开申请答复告知书" in words or "予以公开" in words
    with citizen.expect_download() as got:
        downloads.get_by_role("link", name="2025年部门预算表.pdf").click()
    assert open(got.value.path(), "rb").read() == b"%PDF-1.4 the budget tables"
    assert list(DownloadRecord.objects.order_by("pk").values_list("kind", flat=True)) == ["letter", "document"]
    assert ApplicantMessage.objects.filter(kind="tracking_code", status="sent").count() == 1
    for secret in ("张三丰", "11010519491231002X", "0531-87654321", EMAIL, "2025年某县财政局部门预算"):
        expect(citizen.locator("main")).not_to_contain_text(secret)
