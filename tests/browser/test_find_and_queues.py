"""Finding a case in a real browser (chromium): part of its number in the home page's search box,
a filter and a sortable column, a saved filter; then batch assignment and the handler's
notifications. Screenshots of every page at 1280 and 390 px go to the ``screenshots`` folder."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import ASSIGN_EVENT, Application, CaseEvent
from gongkai.apps.cases.services import register_application
from gongkai.apps.desk.models import SavedFilter

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def registry(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县人力资源和社会保障局", kind=Agency.Kind.DEPARTMENT, parent=county)
    people = {}
    for username, last, first, role in [("wang", "王", "承办", Role.HANDLER), ("zhao", "赵", "主任", Role.APPROVER),
                                        ("li", "李", "登记", Role.REGISTRAR)]:
        people[username] = django_user_model.objects.create_user(username, password=f"{username}-pw",
                                                                 last_name=last, first_name=first)
        Membership.objects.create(user=people[username], agency=bureau, role=role)
    for n in range(14):  # 2026-0001 … 2026-0014; letters and online applications, received in November
        register_application(people["li"], bureau, applicant_type="natural_person", applicant_name=f"申请人{n + 1:02d}",
                             id_type="居民身份证", id_number="110101199003077777" if n in (3, 12) else "",
                             phone=f"1390000{n:04d}", channel="letter" if n % 2 else "online",
                             received_on=date(2026, 11, 2 + (n * 5) % 23),
                             description=f"关于2026年度就业补助资金第{n + 1}批拨付情况的文件及其文号")
    return people


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(f"{username}-pw")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def shoot(page: Page, screenshots, name: str) -> None:
    """The page at 1280 px, then at a phone's 390 px (nothing wider than the screen), then back."""
    page.screenshot(path=str(screenshots / f"queues-{name}-1280.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, name
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshots / f"queues-{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size({"width": 1280, "height": 900})


def numbers(page: Page) -> list[str]:
    return page.locator("table.cases tbody th[scope=row] a").all_inner_texts()


def test_find_a_case_by_part_of_its_number_filter_sort_save_and_assign(page: Page, live_server, registry, screenshots):
    base = live_server.url
    log_in(page, base, "zhao")
    expect(page.locator("nav[aria-label=主导航]")).to_contain_text("新网上申请 7")
    shoot(page, screenshots, "home")
    # Part of a number: "2026-001" is 2026-0010 … 2026-0014, and 2026-0001 ("2026年1号")
    page.get_by_role("searchbox", name="查找申请").fill("2026-001")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_role("heading", name="全部申请")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("共 6 件")
    assert sorted(numbers(page)) == ["2026-0001", *(f"2026-00{n}" for n in range(10, 15))]
    # A filter: the letters among them (the even serials were sent by letter)
    page.locator("summary", has_text="更多筛选").click()
    page.get_by_label("申请方式").select_option(label="信函")
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("共 3 件")
    assert sorted(numbers(page)) == ["2026-0010", "2026-0012", "2026-0014"]
    # A sort: by the date received, ascending, then descending (the header's second click)
    page.get_by_role("link", name="收到日期").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("收到日期")
    expected = list(Application.objects.filter(serial__in=(10, 12, 14)).order_by("received_on", "pk"))
    assert numbers(page) == [a.number for a in expected]
    page.get_by_role("link", name="收到日期").click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("收到日期")
    assert numbers(page) == [a.number for a in reversed(expected)]
    assert re.search(r"sort=-received", page.url) and "channel=letter" in page.url
    # Saved as a filter, shown on the list, and it brings the same list back
    page.get_by_label("保存当前查询为").fill("十号以后的信函")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已保存常用查询")
    assert SavedFilter.objects.get(name="十号以后的信函").query == "q=2026-001&channel=letter&sort=-received"
    page.goto(base + "/lists/due_today/")
    page.get_by_role("link", name="十号以后的信函").click()
    assert numbers(page) == [a.number for a in reversed(expected)]
    shoot(page, screenshots, "filtered-sorted")
    # Batch assignment of two of them to the handler
    page.get_by_label(f"选择 {expected[0].number}").check()
    page.get_by_label(f"选择 {expected[1].number}").check()
    page.get_by_label("将勾选的申请交由").select_option(label="王承办")
    page.get_by_role("button", name="批量分派").click()
    expect(page.locator(".messages")).to_contain_text("已将 2 件申请")
    assert CaseEvent.objects.filter(event=ASSIGN_EVENT, user=registry["zhao"]).count() == 2
    shoot(page, screenshots, "after-batch")
    # The handler sees the notices in the navigation, opens one, lands on the case
    page.get_by_role("button", name="退出").click()
    log_in(page, base, "wang")
    bell = page.get_by_role("link", name=re.compile("通知，2 条未读"))
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("heading", name="通知")).to_be_visible()
    shoot(page, screenshots, "notices")
    page.get_by_role("button", name=re.compile(f"将申请 {expected[0].number}")).click()
    expect(page.get_by_role("heading", name=re.compile(f"申请 {expected[0].number}"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("通知，1 条未读"))).to_be_visible()
    # My queue holds the two
    page.goto(base + "/lists/mine/")
    assert sorted(numbers(page)) == sorted(a.number for a in expected[:2])
    shoot(page, screenshots, "mine")
    # The case page lists the applicant's other application (same ID number: 2026-0004 and 2026-0013)
    case = Application.objects.get(serial=4)
    page.goto(base + f"/cases/{case.pk}/")
    expect(page.locator("#same-applicant")).to_contain_text("2026-0013")
    shoot(page, screenshots, "case")
