"""An approver of a county government, in a real browser (chromium): adds a handler account to a
department below it, sees the newcomer sent to the password page at first login, and moves a
township above a department in the agencies' order. Screenshots at desktop and phone width go
to the ``screenshots`` folder."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Qingshan-Start-2027"


@pytest.fixture
def county(transactional_db):
    government = Agency.objects.create(name="青山县人民政府", kind=Agency.Kind.COUNTY)
    finance = Agency.objects.create(name="青山县财政局", kind=Agency.Kind.DEPARTMENT, parent=government)
    town = Agency.objects.create(name="城关镇人民政府", kind=Agency.Kind.TOWNSHIP, parent=government)
    approver = get_user_model().objects.create_user("zhao", password="zhao-password-1", first_name="赵敏")
    Membership.objects.create(user=approver, agency=government, role=Membership.Role.APPROVER)
    return {"government": government, "finance": finance, "town": town}


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_an_approver_adds_a_handler_and_reorders_two_agencies(page: Page, live_server, county, screenshots):
    base = live_server.url
    log_in(page, base, "zhao", "zhao-password-1")
    page.get_by_role("link", name="管理", exact=True).click()
    expect(page.get_by_role("heading", name="管理", exact=True)).to_be_visible()
    page.screenshot(path=screenshots / "admin-hub-1280.png", full_page=True)
    page.get_by_role("link", name="人员和角色").click()
    page.get_by_role("link", name="青山县财政局").click()
    page.get_by_role("link", name="新建账号").first.click()
    page.get_by_label("用户名").fill("xiaoli")
    page.get_by_label("姓名").fill("李小丽")
    page.get_by_label("电子邮箱").fill("li@example.cn")
    page.get_by_label("初始密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入初始密码").fill(PASSWORD)
    expect(page.get_by_label("承办")).to_be_checked()
    expect(page.get_by_label("上级主管（只读）")).to_have_count(0)  # not the approver's to give
    page.get_by_role("button", name="新建账号").click()
    expect(page.get_by_text("已新建账号“xiaoli”")).to_be_visible()
    page.screenshot(path=screenshots / "admin-account-1280.png", full_page=True)
    account = get_user_model().objects.get(username="xiaoli")
    assert set(account.memberships.values_list("agency__name", "role")) == {("青山县财政局", "handler")}

    # Two agencies: the township moved above the department.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="管理").click()
    page.get_by_role("link", name="机关的排列顺序和名称").click()
    rows = page.locator("table.agencies tbody th")
    expect(rows).to_have_text(["青山县人民政府", "青山县财政局", "城关镇人民政府"])
    page.get_by_role("button", name="上移 城关镇人民政府").click()
    expect(page.get_by_text("已将“城关镇人民政府”上移一位")).to_be_visible()
    expect(rows).to_have_text(["青山县人民政府", "城关镇人民政府", "青山县财政局"])
    page.screenshot(path=screenshots / "admin-agencies-1280.png", full_page=True)
    names = list(county["government"].subtree().order_by("order_path").values_list("name", flat=True))
    assert names == ["青山县人民政府", "城关镇人民政府", "青山县财政局"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "admin-agencies-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The new handler's first login goes to the password page.
    page.get_by_role("button", name="退出").click()
    log_in(page, base, "xiaoli", PASSWORD)
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text("请先修改密码")).to_be_visible()
    page.screenshot(path=screenshots / "admin-first-login-390.png", full_page=True)
