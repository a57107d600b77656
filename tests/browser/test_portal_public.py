"""The public portal in a real browser (chromium) as a citizen: find an item by a two-character
word and open it; open an annual report. A screenshot of each public page at desktop and phone
width goes to the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import Page, expect

from gongkai.apps.search.models import Synonym

from tests.web.test_portal_catalogue import LAST_YEAR, build_portal_data, fresh_cache  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def data(transactional_db):
    # The preset synonyms come from a data migration; a browser test before this one flushed the
    # tables (transactional tests empty them afterwards), so they are put back as the migration
    # puts them (tests/web/test_search.py tests the preset itself).
    preset = importlib.import_module("gongkai.apps.search.migrations.0003_synonyms").PRESET
    Synonym.objects.bulk_create([Synonym(term=t, expansion=e) for t, e in preset], ignore_conflicts=True)
    return build_portal_data()


def shoot(page: Page, screenshots, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(screenshots / f"portal-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_citizen_finds_an_item_by_a_two_character_word_and_opens_it(page: Page, live_server, data, screenshots):
    bureau = data["bureau"].agency
    page.goto(live_server.url + "/public/")
    expect(page.get_by_role("heading", level=1, name="政府信息公开")).to_be_visible()
    shoot(page, screenshots, "home")
    page.get_by_role("link", name="某县民政局").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("某县民政局政府信息公开")
    shoot(page, screenshots, "agency")

    page.get_by_role("searchbox", name="检索本机关的公开信息").fill("低保")
    page.get_by_role("button", name="检索").last.click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("“低保”的检索结果：1条")
    result = page.locator("ol.items li")
    expect(result).to_have_count(1)
    # the query and its synonym (search/0003: 低保 → 最低生活保障) are both marked
    expect(result.locator("mark", has_text="低保").first).to_be_visible()
    expect(result.locator("mark", has_text="最低生活保障").first).to_be_visible()
    shoot(page, screenshots, "search")
    result.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("关于调整城乡居民最低生活保障标准的通知")
    expect(page.get_by_role("region", name="信息索引")).to_contain_text("某民发〔2026〕3号")
    shoot(page, screenshots, "item")
    # The draft with the same word is nowhere.
    page.goto(live_server.url + f"/public/search/?q=低保&agency={bureau.pk}")
    expect(page.locator("ol.items li")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("内部草稿")

    page.goto(live_server.url + f"/public/agencies/{bureau.pk}/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("政府信息公开目录")
    shoot(page, screenshots, "catalogue")
    page.get_by_role("navigation", name="政府信息公开栏目").get_by_role("link", name="政府信息公开指南").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("某县民政局政府信息公开指南")
    shoot(page, screenshots, "guide")


def test_citizen_opens_an_annual_report(page: Page, live_server, data, screenshots):
    bureau = data["bureau"].agency
    page.goto(live_server.url + f"/public/agencies/{bureau.pk}/")
    page.get_by_role("navigation", name="政府信息公开栏目").get_by_role("link", name="政府信息公开年报").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("某县民政局政府信息公开工作年度报告")
    shoot(page, screenshots, "reports")
    page.get_by_role("link", name=f"某县民政局{LAST_YEAR}年政府信息公开工作年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{LAST_YEAR}年")
    expect(page.locator("table caption")).to_have_count(3)
    expect(page.get_by_role("heading", name="一、总体情况")).to_be_visible()
    expect(page.locator("main")).to_contain_text("本年度本机关坚持以公开为常态")
    shoot(page, screenshots, "report")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word").click()
    assert info.value.suggested_filename == f"某县民政局{LAST_YEAR}年政府信息公开工作年度报告.docx"
