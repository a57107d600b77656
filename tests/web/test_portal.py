"""The public deadline page (no login): the same computation as ``gongkai deadline``, on the
holiday calendar staff keep; HTML and ``?format=json``; Chinese errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from django.urls import reverse

from gongkai.apps.holidays.models import HolidayDay, NoticeYear

pytestmark = pytest.mark.django_db
URL = "/public/deadline/"


def text(response) -> str:
    return response.content.decode("utf-8")


def cli_json(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "gongkai", "deadline", *args, "--json"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_url_and_an_empty_form_without_login(client):
    assert reverse("online:deadline") == URL
    page = client.get(URL)
    body = text(page)
    assert page.status_code == 200 and "收到申请日期" in body and "暂停期间" in body and "无法计算" not in body
    assert '<label for="received">' in body and "答复期限：" not in body


def test_json_equals_the_command_line(client):
    query = {"received": "2026-09-10", "pause": "2026-09-14:2026-09-18", "extended": "1", "format": "json"}
    response = client.get(URL, query)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data == cli_json("--received", "2026-09-10", "--pause", "2026-09-14:2026-09-18", "--extended")
    assert (data["due"], data["provisional"], data["original_due"]) == ("2026-11-18", False, "2026-10-21")
    assert any("国庆节" in line for line in data["explanation"])


def test_the_page_shows_due_date_and_full_explanation(client):
    page = text(client.get(URL, {"received": "2026-09-01", "corrected": "2026-09-10"}))
    expected = cli_json("--received", "2026-09-01", "--corrected", "2026-09-10")
    assert "2026-10-14（星期三）" in page and expected["due"] == "2026-10-14"
    assert all(line in page for line in expected["explanation"])
    assert 'class="tag provisional"' not in page


def test_several_pauses_as_lines_or_repeated_fields(client):
    lines = client.get(URL, {"received": "2026-03-02", "pause": "2026-03-04:2026-03-05\n2026-03-10:2026-03-11",
                             "format": "json"}).json()
    repeated = client.get(URL + "?received=2026-03-02&pause=2026-03-04:2026-03-05&pause=2026-03-10:2026-03-11"
                          "&format=json").json()
    expected = cli_json("--received", "2026-03-02", "--pause", "2026-03-04:2026-03-05", "--pause",
                        "2026-03-10:2026-03-11")
    assert lines == repeated == expected and len(expected["paused_workdays"]) == 4


def test_provisional_until_staff_enter_the_year(client):
    page = text(client.get(URL, {"received": "2026-12-21"}))
    assert 'class="tag provisional">暂定</span>' in page and "2027年" in page
    assert client.get(URL, {"received": "2026-12-21", "format": "json"}).json()["provisional"] is True
    # Staff enter the 2027 notice (here: 01-01 off) in the holiday table: no longer provisional.
    HolidayDay.objects.create(day=date(2027, 1, 1), workday=False, name="元旦")
    NoticeYear.objects.create(year=2027, complete=True)
    data = client.get(URL, {"received": "2026-12-21", "format": "json"}).json()
    assert data["provisional"] is False and any("元旦" in line for line in data["explanation"])


@pytest.mark.parametrize("query,code,message", [
    ({"received": "2026-02-30"}, "invalid_dates", "收到申请日期“2026-02-30”不是有效日期"),
    ({"received": "2026-03-02", "corrected": "2026-03-01"}, "invalid_dates", "早于收到申请的日期"),
    ({"received": "2026-03-02", "pause": "2026-03-10"}, "invalid_dates", "应写作 YYYY-MM-DD:YYYY-MM-DD"),
    ({"received": "2026-03-02", "pause": "2026-03-10:2026-03-09"}, "invalid_dates", "结束日早于开始日"),
    ({"received": ""}, "missing_received", "请填写收到申请的日期"),
])
def test_bad_input_is_a_chinese_error(client, query, code, message):
    page = client.get(URL, query)
    assert page.status_code == 400 and message in text(page) and "无法计算" in text(page)
    response = client.get(URL, {**query, "format": "json"})
    assert response.status_code == 400 and response.json() == {"error": code, "message": response.json()["message"]}
    assert message in response.json()["message"]
