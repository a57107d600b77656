"""The review and sign-off of a refusal in a real browser (chromium): a handler drafts it, an
approver returns it with a comment, the handler revises, the approver signs; the reply letter is
listed on the case page and its DOCX carries the reasons, its number and the remedy. Screenshots of
the panel at desktop and phone width go to the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.services import register_application
from gongkai.apps.letters.models import IssuedLetter, LetterSettings
from gongkai.apps.signoff.models import DecisionDraft

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role
FIRST_REASONS = "所申请的会议纪要属于过程性信息。"
REASONS = "所申请的局长办公会议纪要记录的是内部讨论过程，尚未形成最终决定，属于过程性信息，依法不予公开。"
COMMENT = "请写明该纪要为何属于过程性信息（是否已形成最终决定）。"


@pytest.fixture
def staff(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    handler = django_user_model.objects.create_user("wang", password="wang-pw", last_name="王", first_name="承办")
    Membership.objects.create(user=handler, agency=bureau, role=Role.REGISTRAR)
    Membership.objects.create(user=handler, agency=bureau, role=Role.HANDLER)
    approver = django_user_model.objects.create_user("zhao", password="zhao-pw", last_name="赵", first_name="主任")
    Membership.objects.create(user=approver, agency=bureau, role=Role.APPROVER)
    LetterSettings.objects.create(agency=bureau, review_body="某县人民政府", court="某县人民法院",
                                  number_prefix="某财信公开告字", updated_by=approver)
    return register_application(
        handler, bureau, applicant_type="natural_person", applicant_name="张三", id_type="居民身份证",
        id_number="370000199001011234", phone="13800000000", channel="letter",
        received_on=timezone.localdate() - timedelta(days=7), description="2026年第3次局长办公会议纪要")


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def panel(page: Page):
    return page.locator("section.signoff")


def test_a_refusal_drafted_returned_revised_and_signed(page: Page, live_server, staff, screenshots, tmp_path):
    base, case = live_server.url, staff
    log_in(page, base, "wang", "wang-pw")
    page.goto(f"{base}/cases/{case.pk}/")
    signoff = panel(page)
    expect(signoff.get_by_role("heading", name="答复审核签发")).to_be_visible()
    # Deciding the refusal directly is refused, pointing to the draft.
    step = page.locator("details.step").filter(has=page.locator("summary", has_text=re.compile("^作出答复决定$")))
    step.locator("summary").click()
    step.get_by_label("办理结果（表三）").select_option("denied_process_info")
    step.locator("button[type=submit]").click()
    expect(page.get_by_role("alert").first).to_contain_text("本机关规定该类答复须经审核签发")

    page.goto(f"{base}/cases/{case.pk}/")
    signoff = panel(page)
    signoff.locator("summary", has_text="拟办答复").click()
    signoff.get_by_label("办理结果（表三）").select_option("denied_process_info")
    signoff.get_by_label("答复理由").fill(FIRST_REASONS)
    signoff.get_by_role("button", name="保存并提交审核").click()
    expect(page.locator(".message.success")).to_contain_text("已提交审核签发")
    expect(panel(page).locator(".tag").first).to_have_text("待审核签发")
    log_out(page)

    log_in(page, base, "zhao", "zhao-pw")
    page.get_by_role("link", name="待签发（1）").click()
    expect(page.get_by_role("heading", name="待签发")).to_be_visible()
    page.get_by_role("link", name=case.number).click()
    signoff = panel(page)
    signoff.get_by_label("审核意见").fill(COMMENT)
    signoff.get_by_role("button", name="退回修改").click()
    expect(page.locator(".message.success")).to_contain_text("已退回修改")
    log_out(page)

    log_in(page, base, "wang", "wang-pw")
    page.goto(f"{base}/cases/{case.pk}/")
    signoff = panel(page)
    expect(signoff.locator(".notice")).to_contain_text(COMMENT)
    signoff.get_by_label("答复理由").fill(REASONS)
    signoff.get_by_label("修改说明").fill("按审核意见补充理由")
    signoff.get_by_role("button", name="保存并提交审核").click()
    expect(page.locator(".message.success")).to_contain_text("第2稿")
    log_out(page)

    log_in(page, base, "zhao", "zhao-pw")
    page.goto(f"{base}/cases/{case.pk}/")
    signoff = panel(page)
    expect(signoff.locator(".signoff-history")).to_contain_text(COMMENT)
    signoff.get_by_label("审核意见").fill("同意")
    signoff.screenshot(path=str(screenshots / "signoff-panel-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    signoff.screenshot(path=str(screenshots / "signoff-panel-phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.set_viewport_size({"width": 1280, "height": 900})
    signoff.get_by_role("button", name="签发", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("已签发")
    expect(page.locator(".tag").first).to_contain_text("已作出答复决定")

    draft = DecisionDraft.objects.get()
    assert draft.state == "signed" and draft.signed_by.username == "zhao" and draft.drafted_by.username == "wang"
    letter = IssuedLetter.objects.get()
    # Its own 文号 from the agency's reply series (letters' number patterns, docs/letters.md).
    assert re.fullmatch(r"某财信公开告字复〔\d{4}〕1号", letter.number), letter.number
    letters = page.locator("section.letters-panel")
    expect(letters).to_contain_text(letter.number)
    with page.expect_download() as download_info:
        letters.get_by_role("link", name=re.compile("^下载 ")).click()
    path = tmp_path / "reply.docx"
    download_info.value.save_as(path)
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    text = "\n".join(paragraphs)
    assert REASONS in text and "张三" in text and letter.number in text
    # A refusal: review first (行政复议法 Art. 23(1)(4)), before the county government.
    remedy = next(p for p in paragraphs if "行政复议" in p)
    assert "应当自收到本告知书之日起60日内先向某县人民政府申请行政复议" in remedy
    assert "第二十三条第一款第（四）项" in remedy and "也可以" not in remedy
    page.screenshot(path=str(screenshots / "signoff-case-signed.png"), full_page=True)
