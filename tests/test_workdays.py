"""Working days and deadlines, from the State Council's holiday notices of 2024, 2025 and 2026
(国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号), with corrections, pauses and extensions."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from gongkai.core.casework.workdays import (
    DEFAULT_CALENDAR,
    DayRule,
    DeadlineError,
    Pause,
    WorkCalendar,
    correction_request_deadline,
    count_working_days,
    load_day_rules,
    parse_pause,
    reply_deadline,
)

D = date.fromisoformat

# Spring Festival and National Day as the notices set them: days off, and weekend days worked.
NOTICES = {
    2024: {
        "off": [("2024-02-10", "2024-02-17"), ("2024-10-01", "2024-10-07")],
        "worked": ["2024-02-04", "2024-02-18", "2024-09-29", "2024-10-12"],
    },
    2025: {
        "off": [("2025-01-28", "2025-02-04"), ("2025-10-01", "2025-10-08")],
        "worked": ["2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "off": [("2026-02-15", "2026-02-23"), ("2026-09-25", "2026-09-27"), ("2026-10-01", "2026-10-07")],
        "worked": ["2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"],
    },
}


def days(a: str, b: str):
    d = D(a)
    while d <= D(b):
        yield d
        d += timedelta(days=1)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_the_calendar_follows_the_notices(year):
    for a, b in NOTICES[year]["off"]:
        for d in days(a, b):
            info = DEFAULT_CALENDAR.info(d)
            assert not info.workday and info.kind == "holiday", d
            assert info.name in ("春节", "国庆节", "中秋节"), (d, info.name)
    for text in NOTICES[year]["worked"]:
        info = DEFAULT_CALENDAR.info(D(text))
        assert D(text).weekday() >= 5 and info.workday and info.kind == "makeup", text
    assert DEFAULT_CALENDAR.info(D(f"{year}-03-07") + timedelta(days=(5 - D(f"{year}-03-07").weekday()) % 7)).kind == "weekend"


@pytest.mark.parametrize(
    "received,corrected,pauses,extended,due,original",
    [
        # Spring Festival 2024: Sunday 4 and Sunday 18 February are worked, 10-17 are off.
        ("2024-01-25", None, [], False, "2024-02-27", None),
        # National Day 2025 (eight days with Mid-autumn), Sunday 28 Sep and Saturday 11 Oct worked.
        ("2025-09-20", None, [], False, "2025-10-23", None),
        # A correction restarts the count from the day it arrives (Spring Festival 2025).
        ("2025-01-10", "2025-01-20", [], False, "2025-02-21", None),
        # A third-party consultation of five working days, then an extension (Mid-autumn and
        # National Day 2026: 25-27 Sep and 1-7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked).
        ("2026-09-10", None, [("2026-09-14", "2026-09-18")], True, "2026-11-18", "2026-10-21"),
        ("2026-01-20", None, [], False, "2026-02-24", None),
    ],
)
def test_reply_deadlines(received, corrected, pauses, extended, due, original):
    deadline = reply_deadline(
        D(received), D(corrected) if corrected else None, [Pause(D(a), D(b)) for a, b in pauses], extended
    )
    assert deadline.due == D(due)
    assert deadline.original_due == (D(original) if original else None)
    assert not deadline.provisional
    text = "\n".join(deadline.explanation)
    assert "当日不计入" in text and "调休上班日" in text


def test_explanation_names_what_was_skipped_and_counted():
    deadline = reply_deadline(D("2026-09-10"), pauses=[Pause(D("2026-09-14"), D("2026-09-18"))], extended=True)
    text = "\n".join(deadline.explanation)
    assert "跳过法定节假日（国庆节）7 天：2026-10-01（星期四）至2026-10-07（星期三）" in text
    assert "跳过法定节假日（中秋节）3 天：2026-09-25（星期五）至2026-09-27（星期日）" in text
    assert "2026-09-20（星期日）为国庆节调休上班日，计为工作日" in text
    assert "征求意见期间的 5 个工作日不计入期限：2026-09-14（星期一）至2026-09-18（星期五）" in text
    assert "经批准延长答复期限" in text
    data = deadline.to_json()
    assert data["due"] == "2026-11-18" and data["provisional"] is False
    assert {"date": "2026-10-10", "kind": "makeup", "name": "国庆节"} in data["makeup_workdays"]
    assert len(data["paused_workdays"]) == 5


def test_correction_request_deadline():
    assert correction_request_deadline(D("2024-02-08")).due == D("2024-02-23")


def test_a_year_without_a_notice_is_provisional_and_says_so():
    deadline = reply_deadline(D("2026-12-15"))
    assert deadline.provisional and deadline.provisional_years == [2027]
    assert "尚未录入2027年国务院办公厅节假日安排" in "\n".join(deadline.explanation)
    # Staff enter the 2027 New Year from the notice: the deadline is no longer provisional.
    calendar = WorkCalendar(load_day_rules("2027-01-01 休 元旦\n# 2027年元旦\n"))
    entered = reply_deadline(D("2026-12-15"), calendar=calendar)
    assert not entered.provisional
    # 1 January 2027 (a Friday) no longer counts: the due date moves one working day later.
    assert entered.due == count_working_days(deadline.due, 1, calendar).due
    assert "跳过法定节假日（元旦）1 天：2027-01-01（星期五）" in "\n".join(entered.explanation)


def test_staff_table_corrects_a_known_year():
    # A day the library calls a working day, made a holiday by a (hypothetical) later notice.
    calendar = WorkCalendar([DayRule(D("2026-02-24"), False, "春节（延长）")])
    assert reply_deadline(D("2026-01-20"), calendar=calendar).due == D("2026-02-25")
    assert calendar.known_year(2026) and not calendar.known_year(2027)


@pytest.mark.parametrize(
    "call",
    [
        lambda: reply_deadline(D("2026-03-10"), corrected=D("2026-03-01")),
        lambda: reply_deadline(D("2026-03-10"), pauses=[Pause(D("2026-03-20"), D("2026-03-12"))]),
        lambda: reply_deadline(D("2026-03-10"), pauses=[Pause(D("2026-03-01"), D("2026-03-12"))]),
        lambda: parse_pause("2026-03-01"),
        lambda: parse_pause("2026-02-30:2026-03-02"),
        lambda: load_day_rules("2027-01-01 maybe"),
    ],
)
def test_bad_dates_get_a_chinese_error(call):
    with pytest.raises(DeadlineError) as info:
        call()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai", "deadline", *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "120"})


def test_deadline_command(tmp_path):
    result = run("--received", "2026-09-10", "--pause", "2026-09-14:2026-09-18", "--extended", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["due"], data["provisional"], data["original_due"]) == ("2026-11-18", False, "2026-10-21")
    assert isinstance(data["explanation"], list) and data["explanation"]
    people = run("--received", "2024-01-25")
    assert people.returncode == 0 and "2024-02-27" in people.stdout and "春节" in people.stdout
    table = tmp_path / "2027.txt"
    table.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    provisional = json.loads(run("--received", "2026-12-15", "--json").stdout)
    entered = json.loads(run("--received", "2026-12-15", "--holidays", str(table), "--json").stdout)
    assert provisional["provisional"] is True and entered["provisional"] is False
    bad = run("--received", "2026-02-30")
    assert bad.returncode == 2 and "不是有效日期" in bad.stderr and "Traceback" not in bad.stderr
