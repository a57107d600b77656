"""The disclosure column in a real browser (chromium) at desktop and phone width: every public
page shows exactly one header (banner landmark) holding the column's navigation; an item page
shows its 信息索引 block and the link to apply. A screenshot of each page at both widths goes to
the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.web.test_portal_catalogue import fresh_cache, publish  # noqa: F401 - fixture
from tests.web.test_portal_column import COLUMN, public_pages

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def data(transactional_db):
    from tests.web.test_portal_catalogue import build_portal_data

    data = build_portal_data()
    policy = data["items"]["normative"]
    data["reading"] = publish(data["bureau"], "policy", "《某县临时救助实施办法》政策解读", "解读办法的主要内容。",
                              topic="16", written_on=policy.made_on, interprets=policy)
    return data


def name_of(url: str) -> str:
    return url.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_public_page_has_one_header_with_the_column(page: Page, live_server, data, screenshots, width):
    page.set_viewport_size(WIDTHS[width])
    urls = [url for url, _, _ in public_pages(data)]
    urls += [reverse("portal:item", args=[data["reading"].pk]), reverse("portal:region_section", args=["catalogue"])]
    for url in urls:
        page.goto(live_server.url + url)
        expect(page.get_by_role("banner")).to_have_count(1)
        expect(page.locator("header")).to_have_count(1)
        column = page.get_by_role("banner").get_by_role("navigation", name="政府信息公开栏目")
        for label in COLUMN:
            expect(column.get_by_role("link", name=label, exact=True)).to_be_visible()
        expect(page.get_by_role("navigation", name="位置")).to_be_visible()
        # Nothing wider than the screen: the page does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (url, width)
        page.screenshot(path=str(screenshots / f"column-{name_of(url)}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_item_page_shows_its_index_block_and_the_apply_link(page: Page, live_server, data, width):
    page.set_viewport_size(WIDTHS[width])
    reading = data["reading"]
    page.goto(live_server.url + reverse("portal:item", args=[reading.pk]))
    index = page.get_by_role("region", name="信息索引")
    expect(index).to_be_visible()
    for term, value in (("索引号", reading.index_number), ("主题分类", "民政、扶贫、救灾"),
                        ("发布机构", "某县民政局"), ("成文日期", reading.written_on.isoformat()),
                        ("发布日期", reading.published_on.isoformat()), ("文号", "—"), ("有效性", "—")):
        expect(index.locator("div", has=page.locator("dt", has_text=term)).first.locator("dd")).to_have_text(value)
    # Interpretation → policy, and back.
    page.get_by_role("link", name="某县临时救助实施办法", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("某县临时救助实施办法")
    expect(page.get_by_role("region", name="政策解读")).to_contain_text("《某县临时救助实施办法》政策解读")
    apply = page.get_by_role("link", name="申请公开与本信息相关的政府信息")
    expect(apply).to_be_visible()
    apply.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网上申请政府信息公开")
    expect(page.locator("header")).to_have_count(1)
