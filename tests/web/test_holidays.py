"""The holiday table staff edit (Django, on SQLite and on PostgreSQL), feeding the deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from gongkai.apps.holidays.models import HolidayDay, NoticeYear, work_calendar
from gongkai.core.casework.workdays import reply_deadline

pytestmark = pytest.mark.django_db


def test_a_year_entered_by_staff_is_no_longer_provisional(tmp_path):
    assert reply_deadline(date(2026, 12, 15), calendar=work_calendar()).provisional
    notice = tmp_path / "2027.txt"
    notice.write_text("# 2027年元旦\n2027-01-01 休 元旦\n", encoding="utf-8")
    call_command("load_holidays", str(notice), "--year", "2027", "--notice", "国办发明电〔2026〕X号", "--complete")
    assert HolidayDay.objects.get(day=date(2027, 1, 1)).name == "元旦"
    deadline = reply_deadline(date(2026, 12, 15), calendar=work_calendar())
    assert not deadline.provisional
    assert "跳过法定节假日（元旦）1 天：2027-01-01（星期五）" in "\n".join(deadline.explanation)
    # Loading again updates, never duplicates.
    call_command("load_holidays", str(notice), "--year", "2027", "--complete")
    assert HolidayDay.objects.count() == 1 and NoticeYear.objects.get(year=2027).complete


def test_bad_table_gets_a_chinese_error_and_stores_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-01-01 休 元旦\n2027-02-30 休 春节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("load_holidays", str(bad), "--year", "2027")
    assert not HolidayDay.objects.exists()


def test_a_worked_day_must_be_a_weekend_day():
    with pytest.raises(ValidationError):
        HolidayDay(day=date(2027, 2, 3), workday=True, name="春节").full_clean()
    HolidayDay(day=date(2027, 2, 6), workday=True, name="春节").full_clean()


def test_admin_lists_the_table_in_chinese(admin_client):
    HolidayDay.objects.create(day=date(2027, 1, 1), workday=False, name="元旦")
    page = admin_client.get("/admin/holidays/holidayday/")
    assert page.status_code == 200
    text = page.content.decode("utf-8")
    assert "节假日和调休日" in text and "元旦" in text


def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_new_user_migrates_and_loads_a_notice_from_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "GONGKAI_DATA_DIR": str(tmp_path / "var")}  # a folder that does not exist yet
    manage = [sys.executable, "-m", "gongkai.web.manage"]
    migrate = subprocess.run([*manage, "migrate", "-v", "0"], capture_output=True, text=True, env=env, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    notice = tmp_path / "2027.txt"
    notice.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    load = subprocess.run([*manage, "load_holidays", str(notice), "--year", "2027", "--complete"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert load.returncode == 0, load.stderr
    assert "已录入 2027 年节假日安排 1 天" in load.stdout
    assert os.path.exists(tmp_path / "var" / "gongkai.sqlite3")
