"""The region dashboard in a real browser (chromium): the supervisor signs in, opens the region
page from the navigation, and the ECharts charts draw (SVG inside each chart box) beside the
tables that carry the same numbers; the late and failing agencies are named in words; a
comparison of two ticked agencies opens. Screenshots go to the ``screenshots`` folder."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_supervision_dashboard import build_county

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboard_draws_charts_beside_their_tables(page: Page, live_server, screenshots, transactional_db):
    agencies, users, _ = build_county()
    users["supervisor"].set_password("sup-pw")
    users["supervisor"].save()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill("sup-pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="区域监督").click()
    expect(page.get_by_role("heading", name="示例县人民政府 · 年度报告区域统计")).to_be_visible()
    # the charts are drawn: an <svg> in each chart box, with the ARIA description ECharts writes
    for chart_id in ("chart-trend-counts", "chart-trend-rates", "chart-matrix"):
        box = page.locator(f'figure[data-chart="{chart_id}"] .chart')
        expect(box.locator("svg").first).to_be_attached()
        expect(box).to_be_visible()
    # ... and the table alternatives are there with the same numbers
    trend = page.locator("#trend-table")
    expect(trend.get_by_role("rowheader", name="2024年")).to_be_visible()
    expect(page.get_by_role("table", name="本页机关 × 规则（格中为问题数，“—”为无）")).to_be_visible()
    expect(page.get_by_text("逾期10天")).to_be_visible()
    expect(page.locator("span.status.failing").first).to_contain_text("错误")
    page.screenshot(path=str(screenshots / "supervision-region.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshots / "supervision-region-print.png"), full_page=True)
    page.emulate_media(media="screen")
    # tick two agencies and compare them side by side
    page.get_by_label("选择示例县教育局进行对比").check()
    page.get_by_label("选择示例县公安局进行对比").check()
    page.get_by_role("button", name="对比所选机关（最多12个）").click()
    expect(page.get_by_role("heading", name="2024年度 · 2个机关并列对比")).to_be_visible()
    expect(page.locator('figure[data-chart="chart-side-rates"] .chart svg').first).to_be_attached()
    expect(page.get_by_role("cell", name="90.0%")).to_be_visible()
    page.screenshot(path=str(screenshots / "supervision-compare.png"), full_page=True)
