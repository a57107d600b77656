"""Staff in a real browser (chromium): a handler drafts a catalogue item and submits it, the
section head approves it with the secrecy statement, the leader approves and publishes it.
Screenshots go to the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.catalogue.models import Item
from gongkai.apps.catalogue.categories import load_preset

from tests.browser.test_workflow import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role


@pytest.fixture
def bureau(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county,
                                   credit_code="11370000MB28123456")
    for username, last, first, role in [("wang", "王", "承办", Role.HANDLER), ("li", "李", "科长", Role.APPROVER),
                                        ("zhao", "赵", "局长", Role.APPROVER)]:
        user = django_user_model.objects.create_user(username, password=f"{username}-pw", last_name=last,
                                                     first_name=first)
        Membership.objects.create(user=user, agency=bureau, role=role)
    load_preset(bureau, "national")
    return bureau


def approve(page: Page, base: str, title: str, statement: str, button: str) -> None:
    page.goto(base + "/catalogue/queue/")
    expect(page.get_by_role("heading", name="待我审核")).to_be_visible()
    page.get_by_role("link", name=title).click()
    page.get_by_label("保密审查意见").fill(statement)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".message.success")).to_be_visible()


def test_staff_draft_review_and_publish_an_item(page: Page, live_server, bureau, screenshots):
    base = live_server.url
    made = date.today() - timedelta(days=2)
    log_in(page, base, "wang", "wang-pw")
    page.goto(base + "/catalogue/new/")
    expect(page.get_by_role("heading", name="起草主动公开信息")).to_be_visible()
    page.get_by_label("目录分类").select_option(label="\u3000行政规范性文件")
    page.get_by_label("标题").fill("某县财政局关于规范县级财政资金管理的通知")
    page.get_by_label("文号").fill("某财规〔2026〕3号")
    page.get_by_label("信息类别").select_option("normative_documents")
    page.get_by_label("生成日期").fill(made.isoformat())
    page.get_by_label("施行日期").fill(made.isoformat())
    page.get_by_label("内容概述").fill("规范县级财政资金的拨付、使用和监督。")
    page.get_by_label("正文").fill("一、总体要求\n二、资金拨付\n三、监督检查")
    page.get_by_label("政府公报").check()
    page.screenshot(path=str(screenshots / "catalogue-draft.png"), full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".message.success")).to_contain_text("已保存草稿，索引号 11370000MB28123456/")
    page.get_by_role("link", name="检查并提交审核").click()
    expect(page.get_by_text("未发现错误表述或敏感词。")).to_be_visible()
    page.screenshot(path=str(screenshots / "catalogue-submit.png"), full_page=True)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".message.success")).to_contain_text("已提交科室负责人审核")
    log_out(page)

    title = "某县财政局关于规范县级财政资金管理的通知"
    log_in(page, base, "li", "li-pw")
    approve(page, base, title, "经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开。", "审核同意")
    expect(page.get_by_text("您已作科室负责人审核，须由另一位审核人审签发布。")).to_be_visible()
    log_out(page)

    log_in(page, base, "zhao", "zhao-pw")
    approve(page, base, title, "同意发布。", "审签并发布")
    expect(page.locator(".message.success")).to_contain_text("信息已发布")
    expect(page.locator(".case-head .tag")).to_have_text("已发布")
    page.screenshot(path=str(screenshots / "catalogue-item-published.png"), full_page=True)
    page.goto(base + "/catalogue/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    page.screenshot(path=str(screenshots / "catalogue-list.png"), full_page=True)

    item = Item.objects.get(title=title)
    assert item.state == Item.State.PUBLISHED and item.published_on == date.today()
    assert [r.user.username for r in item.reviews.order_by("pk")] == ["li", "zhao"]
    assert item.channels == ["portal", "gazette"] and item.validity == "in_force"
