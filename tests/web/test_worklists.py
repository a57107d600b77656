"""Work lists: which cases are due today, within 3 working days (on the real holiday calendar),
overdue, waiting; search, agency filter, pagination; through the functions and the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.apps.cases.services import transition
from gongkai.apps.desk.worklists import WORKLISTS, soon_limit, worklist_cases
from gongkai.apps.holidays.models import HolidayDay, work_calendar
from gongkai.core.casework.lifecycle import Event
from gongkai.core.casework.workdays import count_working_days

from tests.web.test_desk import as_user, fixed_day, register, text, tree, world  # noqa: F401 - shared fixtures

NATIONAL_DAY_EVE = date(2026, 9, 30)  # a Wednesday; 10-01..10-07 holidays, 10-10 (Saturday) worked


@pytest.fixture
def cases(world):
    """Cases around National Day 2026, named by where they belong on 2026-09-30."""
    made = {
        "overdue": register(world, received_on=date(2026, 9, 1), applicant_name="逾期者"),  # due 09-29
        "due_today": register(world, received_on=date(2026, 9, 2), applicant_name="今日者"),  # due 09-30
        "soon_first": register(world, received_on=date(2026, 9, 3), applicant_name="节后一日者"),  # due 10-08
        "soon_makeup": register(world, received_on=date(2026, 9, 7), applicant_name="调休日者"),  # due 10-10 (Sat)
        "later": register(world, received_on=date(2026, 9, 8), applicant_name="节后较晚者"),  # due 10-12
        "waiting": register(world, received_on=date(2026, 8, 31), applicant_name="待补正者"),  # due 09-28, waiting
        "consulting": register(world, received_on=date(2026, 8, 31), applicant_name="征求意见者"),
        "decided": register(world, received_on=date(2026, 9, 1), applicant_name="已决定者"),
    }
    transition(world.handler, made["waiting"], Event.REQUEST_CORRECTION, date(2026, 9, 2), correction_kind="unclear", correction_items="请写明所需信息的名称、文号或形成时间")
    transition(world.handler, made["consulting"], Event.START_CONSULTATION, date(2026, 9, 2))
    transition(world.handler, made["decided"], Event.DECIDE, date(2026, 9, 20), outcome="granted")
    for case in made.values():
        case.refresh_from_db()
    return made


def members(key, agencies, day=NATIONAL_DAY_EVE, search=""):
    return {c.applicant_name for c in worklist_cases(WORKLISTS[key], agencies, day, work_calendar(), search)}


def test_the_stored_due_dates_are_those_of_the_calendar(cases):
    assert [cases[k].due_on for k in ("overdue", "due_today", "soon_first", "soon_makeup", "later")] == [
        date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 10), date(2026, 10, 12)]


def test_within_three_working_days_crosses_national_day(cases, world):
    # The 3rd working day after 09-30 is the make-up Saturday 10-10, ten calendar days later.
    assert soon_limit(NATIONAL_DAY_EVE, work_calendar()) == date(2026, 10, 10)
    agencies = [world.bureau]
    assert members("due_today", agencies) == {"今日者"}
    assert members("due_soon", agencies) == {"节后一日者", "调休日者"}
    assert members("overdue", agencies) == {"逾期者"}  # not the waiting or paused ones, though past due
    assert members("waiting", agencies) == {"待补正者"}
    assert members("open", agencies) == {"逾期者", "今日者", "节后一日者", "调休日者", "节后较晚者", "待补正者", "征求意见者"}
    assert members("closed", agencies) == {"已决定者"}
    # During the holiday nothing moves: the limit is still the make-up Saturday.
    assert members("due_soon", agencies, day=date(2026, 10, 3)) == {"节后一日者", "调休日者"}
    # On the first working day after it, the limit is 10-12 and yesterday's due dates are overdue.
    assert soon_limit(date(2026, 10, 8), work_calendar()) == date(2026, 10, 12)
    assert members("due_today", agencies, day=date(2026, 10, 8)) == {"节后一日者"}
    assert members("due_soon", agencies, day=date(2026, 10, 8)) == {"调休日者", "节后较晚者"}
    assert members("overdue", agencies, day=date(2026, 10, 8)) == {"逾期者", "今日者"}


def test_staff_holiday_table_changes_the_lists(cases, world):
    # Staff declare 10-08 a holiday too (a correction of the notice): the limit moves to 10-12.
    HolidayDay.objects.create(day=date(2026, 10, 8), workday=False, name="国庆节")
    assert count_working_days(NATIONAL_DAY_EVE, 3, work_calendar()).due == date(2026, 10, 12)
    assert "节后较晚者" in members("due_soon", [world.bureau])


def test_the_page_shows_the_lists_with_links(client, world, cases, fixed_day):
    fixed_day(NATIONAL_DAY_EVE)
    as_user(client, world.handler)
    page = text(client.get(reverse("desk:worklist", args=["due_soon"])))
    assert "节后一日者" in page and "调休日者" in page and "节后较晚者" not in page and "今日者" not in page
    assert "2026-10-10" in page and reverse("desk:case", args=[cases["soon_first"].pk]) in page
    assert 'aria-current="page"' in page
    page = text(client.get(reverse("desk:worklist", args=["overdue"])))
    assert "逾期者" in page and "待补正者" not in page and "征求意见者" not in page
    page = text(client.get(reverse("desk:worklist", args=["waiting"])))
    assert "待补正者" in page and "共 1 件" in page
    assert client.get(reverse("desk:worklist", args=["nonsense"])).status_code == 404


def test_provisional_due_dates_are_marked(client, world, fixed_day):
    fixed_day(date(2026, 12, 21))
    register(world, received_on=date(2026, 12, 21), applicant_name="跨年者")
    page = text(as_user(client, world.handler).get(reverse("desk:worklist", args=["open"])))
    assert "跨年者" in page and ">暂定</span>" in page


def test_search_by_number_name_and_description(client, world, cases, fixed_day):
    fixed_day(NATIONAL_DAY_EVE)
    register(world, received_on=date(2026, 9, 8), applicant_name="某某", description="关于棚户区改造补偿标准的文件")
    assert members("open", [world.bureau], search="棚户区") == {"某某"}
    assert members("open", [world.bureau], search="调休日") == {"调休日者"}
    number = cases["later"].number
    assert members("open", [world.bureau], search=number) == {"节后较晚者"}
    page = text(as_user(client, world.handler).get(reverse("desk:worklist", args=["open"]), {"q": number}))
    assert "节后较晚者" in page and "共 1 件" in page


def test_supervisor_filters_by_agency_and_outsiders_see_nothing(client, world, cases, fixed_day):
    fixed_day(NATIONAL_DAY_EVE)
    register(world, agency=world.street, user=world.street_handler, received_on=date(2026, 9, 2), applicant_name="街道者")
    as_user(client, world.supervisor)
    page = text(client.get(reverse("desk:worklist", args=["due_today"])))
    assert "今日者" in page and "街道者" in page and "某街道办事处" in page
    page = text(client.get(reverse("desk:worklist", args=["due_today"]), {"agency": world.street.pk}))
    assert "街道者" in page and "今日者" not in page
    # An agency outside the user's subtree is not a choice, and shows nothing.
    response = client.get(reverse("desk:worklist", args=["due_today"]), {"agency": world.other.pk})
    assert "选择一个有效的选项" in text(response) and "今日者" not in text(response)
    as_user(client, world.outsider)
    for key in WORKLISTS:
        page = text(client.get(reverse("desk:worklist", args=[key])))
        assert "共 0 件" in page and "今日者" not in page and "街道者" not in page


def test_pagination_and_a_bounded_number_of_queries(client, world, fixed_day, django_assert_max_num_queries):
    fixed_day(NATIONAL_DAY_EVE)
    for n in range(53):
        register(world, received_on=date(2026, 9, 2), applicant_name=f"申请人{n:02d}")
    as_user(client, world.handler)
    url = reverse("desk:worklist", args=["due_today"])
    with django_assert_max_num_queries(13):  # session, user, agencies, holidays, count, the navigation (roles,
        # the sign-off queue), one page: not per case
        first = text(client.get(url, {"q": "申请人"}))
    assert "共 53 件，第 1/2 页" in first and "下一页" in first and "q=%E7%94%B3" in first
    second = text(client.get(url, {"q": "申请人", "page": 2}))
    assert second.count('<th scope="row"><a href="/cases/') == 3 and "上一页" in second


def test_dashboard_figures_equal_the_lists(client, world, cases, fixed_day):
    fixed_day(NATIONAL_DAY_EVE)
    from gongkai.apps.desk.dashboard import build_dashboard

    dashboard = build_dashboard(world.handler, NATIONAL_DAY_EVE, work_calendar())
    counts = dashboard.rows[0].counts
    for key in ("open", "due_today", "due_soon", "overdue", "waiting"):
        assert counts[key] == len(members(key, [world.bureau])), key
