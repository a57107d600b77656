"""A citizen applies online in a real browser (chromium, JavaScript switched off), gets the
tracking code on the receipt and follows the application with it; the office asks for a
correction and the citizen sees what to correct. Screenshots at desktop and phone width go to the
folder the ``screenshots`` fixture prints."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import transition
from gongkai.apps.online.apply_intake import enable_online_intake
from gongkai.core.casework.lifecycle import Event
from tests.browser.conftest import shoot_both

pytestmark = pytest.mark.django_db(transaction=True)
CORRECTION = "请写明所需预算表的年度（如2025年）和具体科目名称。"


@pytest.fixture
def office(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    enable_online_intake(county)
    enable_online_intake(bureau, contact="0531-12345678（工作日 9:00–17:00）")
    handler = django_user_model.objects.create_user("wang", password="wang-pw", last_name="王", first_name="承办")
    Membership.objects.create(user=handler, agency=bureau, role=Membership.Role.HANDLER)
    return bureau, handler


def shoot(page: Page, screenshots, name: str) -> None:
    shoot_both(page, screenshots, f"apply-{name}")


def follow(page: Page, base: str, code: str, factor: str) -> None:
    page.goto(base + "/public/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("联系电话或证件号码的后4位").fill(factor)
    page.get_by_role("button", name="查询", exact=True).click()


def test_a_citizen_applies_and_follows_the_application(citizen: Page, live_server, office, screenshots, tmp_path):
    bureau, handler = office
    base, page = live_server.url, citizen
    page.goto(base + "/public/apply/")
    expect(page.get_by_role("heading", name="网上申请政府信息公开")).to_be_visible()
    page.get_by_label("受理机关").select_option(label="某县财政局")
    expect(page.get_by_label("自然人", exact=True)).to_be_checked()
    page.get_by_label("申请人姓名或名称").fill("张三丰")
    page.get_by_label("身份证件号码").fill("11010519491231002x")
    # Organisation fields are hidden for a natural person (CSS only, no script).
    expect(page.get_by_label("统一社会信用代码")).to_be_hidden()
    page.get_by_label("联系电话").fill("138-0013-8000")
    page.get_by_label("电子邮箱").fill("zhang@example.cn")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill("某县财政局部门预算")
    page.get_by_label("电子数据").check()
    page.get_by_label("电子邮件", exact=True).check()
    scan = tmp_path / "身份证复印件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    page.get_by_label("附件（可选）").set_input_files(str(scan))
    shoot(page, screenshots, "01-form")

    # Forgetting the pledge: a Chinese error, the answers kept.
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert")).to_contain_text("请按下方提示修改")
    expect(page.get_by_text("请阅读并勾选承诺后再提交")).to_be_visible()
    expect(page.get_by_label("申请人姓名或名称")).to_have_value("张三丰")
    assert not Application.objects.exists()
    page.get_by_label("附件（可选）").set_input_files(str(scan))
    page.get_by_label(re.compile("^本人（本单位）承诺")).check()
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    application = Application.objects.get()
    assert (application.channel, application.agency, application.id_number) == ("online", bureau, "11010519491231002X")
    assert application.attachments.count() == 1
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    receipt = page.locator("section.panel")
    expect(receipt).to_contain_text(application.number)
    expect(receipt).to_contain_text("张**")
    expect(receipt).to_contain_text("双方确认之日")
    expect(receipt).not_to_contain_text("11010519491231002X")
    shoot(page, screenshots, "02-receipt")

    page.get_by_role("link", name="查询办理进度").last.click()
    expect(page.get_by_role("heading", name="查询申请办理进度")).to_be_visible()
    follow(page, base, code.lower(), "8000")
    result = page.locator(".result")
    expect(result).to_contain_text("已收到")
    expect(result).to_contain_text(application.number)
    expect(result).to_contain_text(application.due_on.strftime("%Y年%-m月%-d日"))

    # A wrong second factor says nothing about the application.
    follow(page, base, code, "0000")
    expect(page.get_by_role("alert")).to_contain_text("未查到与该查询码和后4位相符的申请")
    expect(page.locator(".result")).to_have_count(0)

    # The office asks for a correction; the citizen sees what to correct.
    transition(handler, application, Event.REQUEST_CORRECTION, application.received_on, CORRECTION,
               correction_kind="unclear", correction_items=CORRECTION)
    follow(page, base, code, "002X")
    result = page.locator(".result")
    expect(result.locator(".tag")).to_have_text("待补正")
    expect(result.locator(".correction")).to_contain_text(CORRECTION)
    expect(result).to_contain_text("自收到补正之日起重新计算")
    for secret in ("张三丰", "11010519491231002X", "13800138000", "zhang@example.cn", "某县财政局部门预算"):
        expect(page.locator("main")).not_to_contain_text(secret)
    shoot(page, screenshots, "03-track")
