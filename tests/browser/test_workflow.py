"""A case from registration to the reply letter in a real browser (chromium), and the public
deadline page. Screenshots go to the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import reply_deadline
from gongkai.apps.holidays.models import work_calendar
from gongkai.apps.letters.models import LetterSettings
from gongkai.apps.signoff.services import configure as configure_signoff

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role


def test_chromium_is_installed():
    # scripts/setup installs it; the browser tests must not pass quietly without a browser.
    assert Path("/usr/bin/chromium").exists(), "浏览器测试需要 /usr/bin/chromium：请运行 ./scripts/setup"


@pytest.fixture
def staff(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    handler = django_user_model.objects.create_user("wang", password="wang-pw", last_name="王", first_name="承办")
    Membership.objects.create(user=handler, agency=bureau, role=Role.REGISTRAR)
    Membership.objects.create(user=handler, agency=bureau, role=Role.HANDLER)
    approver = django_user_model.objects.create_user("zhao", password="zhao-pw", last_name="赵", first_name="主任")
    Membership.objects.create(user=approver, agency=bureau, role=Role.APPROVER)
    # What the approver fills in on the letters' settings page (remedies printed in every reply).
    LetterSettings.objects.create(agency=bureau, review_body="某县人民政府", court="某县人民法院", updated_by=approver)
    configure_signoff(approver, bureau, [], "本机关直接作出答复决定")  # sign-off: tests/browser/test_signoff.py
    return bureau


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def take_step(page: Page, label: str, **fill) -> None:
    """Open the step's form on the case page, fill it, submit it, and see it succeed."""
    step = page.locator("details.step").filter(has=page.locator("summary", has_text=re.compile("^" + label + "$")))
    step.locator("summary").click()
    for name, value in fill.items():
        field = step.get_by_label(name, exact=True)
        if value is True:  # a radio button or a check box, named by its label
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    step.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_contain_text(label)


def test_a_case_from_registration_to_the_reply_letter(page: Page, live_server, staff, screenshots, tmp_path):
    base = live_server.url
    log_in(page, base, "wang", "wang-pw")

    page.get_by_role("link", name="登记申请").first.click()
    expect(page.get_by_role("heading", name="登记政府信息公开申请")).to_be_visible()
    page.get_by_label("申请人姓名或名称").fill("张三")
    page.get_by_label("身份证件号码").fill("370000199001011233")
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_label("通信地址").fill("某县人民路1号")
    page.get_by_label("申请方式").select_option("letter")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill("2025年本县低保资金发放情况")
    # Organisation fields are hidden for a natural person (CSS only, no script).
    expect(page.get_by_label("联系人")).to_be_hidden()
    page.screenshot(path=str(screenshots / "01-register.png"), full_page=True)
    page.get_by_role("button", name="登记").click()

    expect(page.locator(".message.success")).to_contain_text("申请已登记，编号 ")
    application = Application.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.number)
    deadline = reply_deadline(application, work_calendar())
    expect(page.locator(".due")).to_contain_text(deadline.due.isoformat())

    take_step(page, "一次性告知补正", 理由或说明="申请内容不明确", 所需信息的描述不明确=True,
              补正事项="请写明所需信息的具体年份和地区")
    expect(page.locator(".tag").first).to_have_text("待申请人补正")
    take_step(page, "收到补正")
    log_out(page)

    log_in(page, base, "zhao", "zhao-pw")
    page.goto(f"{base}/cases/{application.pk}/")
    take_step(page, "延长答复期限", 延期理由="需调取档案，经负责人批准")
    application.refresh_from_db()
    assert application.extended
    expect(page.locator(".due")).to_contain_text("已延长")
    log_out(page)

    log_in(page, base, "wang", "wang-pw")
    page.goto(f"{base}/cases/{application.pk}/")
    take_step(page, "作出答复决定", **{"办理结果（表三）": "partial", "理由或说明": "部分涉及个人隐私",
                                    "答复理由": "所需会议纪要中有一段涉及个人隐私，已作区分处理"})
    take_step(page, "送达答复", 送达方式="post", 送达凭证="EMS 1190001234")
    application.refresh_from_db()
    assert (application.state, application.outcome, application.reply_channel) == ("replied", "partial", "post")
    expect(page.locator("table.history")).to_contain_text("赵主任")
    page.screenshot(path=str(screenshots / "02-case.png"), full_page=True)
    # The case printed (its 打印 link): the facts and the history, without navigation or actions.
    expect(page.get_by_role("link", name="打印")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("table.history")).to_be_visible()
    expect(page.get_by_role("link", name="打印")).to_be_hidden()
    expect(page.locator("header.site nav")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("^生成政府信息公开申请答复告知书"))).to_be_hidden()
    page.screenshot(path=str(screenshots / "02-case-print.png"), full_page=True)
    page.emulate_media(media="screen")

    reply_button = page.get_by_role("button", name=re.compile("^生成政府信息公开申请答复告知书"))
    with page.expect_download() as download_info:
        reply_button.click()
    letter = tmp_path / "reply.docx"
    download_info.value.save_as(letter)
    document = Document(str(letter))
    words = "\n".join([p.text for p in document.paragraphs]
                      + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "张三" in words

    page.get_by_role("link", name="工作台").first.click()
    recent = page.locator("table.recent")
    expect(recent).to_contain_text(application.number)
    expect(recent).to_contain_text("张三")
    expect(recent).to_contain_text("（二）部分公开")
    page.screenshot(path=str(screenshots / "03-dashboard.png"), full_page=True)


def test_the_public_deadline_page(page: Page, live_server, screenshots):
    page.goto(live_server.url + "/public/deadline/")
    expect(page.get_by_role("heading", name="依申请公开答复期限计算")).to_be_visible()
    page.get_by_label("收到申请日期").fill("2026-09-10")
    page.get_by_label("征求意见等暂停期间（如有）").fill("2026-09-14:2026-09-18")
    page.get_by_label("已经批准延长答复期限").check()
    page.get_by_role("button", name="计算").click()
    result = page.locator(".result")
    expect(result).to_contain_text("2026-11-18（星期三）")
    expect(result).to_contain_text("原答复期限 2026-10-21（星期三）")
    expect(result).to_contain_text("跳过法定节假日（国庆节）7 天")
    page.screenshot(path=str(screenshots / "04-deadline.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.get_by_label("收到申请日期").fill("2026-12-21")
    page.get_by_label("征求意见等暂停期间（如有）").fill("")
    page.get_by_label("已经批准延长答复期限").uncheck()
    page.get_by_role("button", name="计算").click()
    expect(page.locator(".result .tag.provisional")).to_have_text("暂定")
    page.screenshot(path=str(screenshots / "05-deadline-phone.png"), full_page=True)

    page.get_by_label("收到申请日期").fill("")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写收到申请的日期")
    assert date.today()  # the page needs no login: no redirect happened
    assert "/accounts/login/" not in page.url
