"""The login page while the demo serves: the accounts guide beside the form, readable on a
desktop and a phone, and the account it names for the handler logs in with the password it
shows. Screenshots at 1280 and 390 px go to the ``screenshots`` folder."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gongkai.apps.demo import accounts
from gongkai.apps.demo import county as demo


@pytest.fixture
def demo_county(transactional_db, settings):
    county = demo.create_county(seed=5)
    settings.DEMO_ACCOUNTS = accounts.as_setting(county)
    return county


def test_the_demo_login_page_shows_the_accounts_and_they_log_in(page: Page, live_server, demo_county, screenshots):
    page.goto(f"{live_server.url}/accounts/login/")
    guide = page.get_by_role("region", name="演示账号")
    expect(guide).to_be_visible()
    for use in accounts.guide(demo_county):
        expect(guide.get_by_role("row").filter(has_text=use.task)).to_contain_text(use.username)
    page.screenshot(path=str(screenshots / "demo-login-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "demo-login-390.png"), full_page=True)
    # On a phone the page itself does not scroll sideways (the table scrolls in its box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    handler = demo_county.staff[demo_county.government.pk].handler.username
    page.get_by_label("用户名").fill(handler)
    page.get_by_label("密码").fill(guide.locator("code").first.inner_text())
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
