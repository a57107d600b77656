"""The State Council's holiday notice, pasted as published, read into calendar days — checked
against chinese-calendar's own table for the years it has."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkai.core.casework.holiday_notice import NoticeError, read_festivals, read_notice

# 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）, the days part as published.
NOTICE_2025 = """国务院办公厅关于2025年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。
"""


def _calendar_days(year: int) -> tuple[set[date], set[date]]:
    """chinese-calendar's holidays (those with a festival name) and make-up working days of ``year``."""
    holidays, workdays = set(), set()
    day = date(year, 1, 1)
    while day.year == year:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if is_holiday and name:
            holidays.add(day)
        if day.weekday() >= 5 and chinese_calendar.is_workday(day):
            workdays.add(day)
        day += timedelta(days=1)
    return holidays, workdays


def test_the_2025_notice_gives_exactly_chinese_calendars_days():
    rules = read_notice(NOTICE_2025, 2025)
    holidays = {r.day for r in rules if not r.workday}
    workdays = {r.day for r in rules if r.workday}
    expected_holidays, expected_workdays = _calendar_days(2025)
    assert holidays == expected_holidays
    assert workdays == expected_workdays
    names = {f.name for f in read_festivals(NOTICE_2025, 2025)}
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"}


def test_a_wrong_total_is_refused_with_its_line():
    broken = NOTICE_2025.replace("共8天。1月26日", "共7天。1月26日")
    with pytest.raises(NoticeError) as caught:
        read_notice(broken, 2025)
    assert caught.value.line == 5
    assert "共7天" in caught.value.problem


def test_a_weekday_named_as_make_up_day_is_refused():
    broken = NOTICE_2025.replace("4月27日（周日）上班", "4月28日（周一）上班")
    with pytest.raises(NoticeError) as caught:
        read_notice(broken, 2025)
    assert "不是调休上班的周末" in caught.value.problem


def test_a_range_across_new_year_and_a_month_change():
    text = "一、元旦：2026年12月31日（周四）至2027年1月2日（周六）放假，共3天。\n二、端午节：5月31日至6月2日放假，共3天。"
    rules = read_notice(text, 2027)
    assert [r.day for r in rules] == [date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2),
                                      date(2027, 5, 31), date(2027, 6, 1), date(2027, 6, 2)]


def test_text_without_any_holiday_is_refused():
    with pytest.raises(NoticeError):
        read_notice("国务院办公厅关于2027年部分节假日安排的通知", 2027)
    with pytest.raises(NoticeError) as caught:
        read_notice("一、春节：2月30日至3月2日放假，共3天。", 2027)
    assert "不是有效日期" in caught.value.problem
