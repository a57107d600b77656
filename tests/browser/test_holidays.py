"""An approver enters the 2027 holiday notice in a real browser (chromium) and sees the reply due
date of an open application move: provisional before, fixed after, one working day later for
New Year's Day. Screenshots at desktop and phone width go to the ``screenshots`` folder."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import register_application

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月14日（周日）、2月20日（周六）上班。"""


@pytest.fixture
def case(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    registrar = django_user_model.objects.create_user("li", password="li-pw")
    Membership.objects.create(user=registrar, agency=bureau, role=Membership.Role.REGISTRAR)
    approver = django_user_model.objects.create_user("zhao", password="zhao-pw")
    Membership.objects.create(user=approver, agency=bureau, role=Membership.Role.APPROVER)
    return register_application(
        registrar, bureau, applicant_type="natural_person", applicant_name="张三", id_type="居民身份证",
        id_number="370000199001011233", phone="13800000000", channel="online", received_on=date(2026, 12, 4),
        description="2026年本县低保发放名单")


def test_an_approver_enters_the_2027_notice_and_sees_the_due_date_move(page: Page, live_server, case, screenshots):
    base = live_server.url
    assert case.due_on == date(2027, 1, 1) and case.due_provisional
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("zhao")
    page.get_by_label("密码").fill("zhao-pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="管理", exact=True).click()
    page.get_by_role("link", name="节假日安排").click()
    expect(page.get_by_role("heading", name="节假日安排")).to_be_visible()
    page.get_by_role("link", name="录入年度通知").first.click()
    page.get_by_label("年度").fill("2027")
    page.get_by_label("通知文号或标题").fill("国办发明电〔2026〕X号")
    page.get_by_label("通知正文").fill(NOTICE_2027)
    page.get_by_role("button", name="读取并预览").click()
    expect(page.get_by_role("heading", name="读取结果：2027年")).to_be_visible()
    row = page.locator("tr", has_text=case.number)
    expect(row).to_contain_text("2027年1月1日（暂定）")
    expect(row).to_contain_text("2027年1月4日")
    page.screenshot(path=str(screenshots / "holidays-preview-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "holidays-preview-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="确认录入并重新计算期限").click()
    expect(page.get_by_role("heading", name="2027年节假日安排已录入")).to_be_visible()
    expect(page.locator(".message.success")).to_contain_text("1件在办申请的答复期限已重新计算")
    case = Application.objects.get(pk=case.pk)
    assert case.due_on == date(2027, 1, 4) and not case.due_provisional
    page.get_by_role("link", name=case.number).click()
    expect(page.locator("time[datetime=\"2027-01-04\"]").first).to_be_visible()
