"""The registry as an Excel ledger (台账) and the search box: a filtered work list exported with
the office's columns (ID numbers masked, formulas kept as text, the due date and 是否按期 after
the decision), and a case found by part of its number or by a letter's 文号."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from gongkai.apps.cases.services import transition
from gongkai.apps.letters.models import IssuedLetter
from gongkai.core.casework.lifecycle import Event
from tests.web.test_desk import as_user, register, text, world  # noqa: F401 - fixtures
from tests.web.test_registry import tree  # noqa: F401 - the fixture ``world`` builds on

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    rows = list(book["台账"].iter_rows(values_only=True))
    header = rows[1]
    return [dict(zip(header, row)) for row in rows[2:]], rows[0][0]


def test_a_filtered_list_exports_as_the_office_ledger(client, world):
    late = register(world, received_on=date(2026, 8, 3), applicant_name="=HYPERLINK(\"http://x\",\"点击\")")
    transition(world.handler, late, Event.DECIDE, date(2026, 9, 28), outcome="granted")  # due 08-31: late
    on_time = register(world, received_on=date(2026, 9, 4), applicant_name="李四", description="2025年低保名单")
    transition(world.handler, on_time, Event.DECIDE, date(2026, 9, 10), outcome="unable_not_held")
    register(world, received_on=date(2026, 9, 7), applicant_name="王五")  # open: not in the closed list
    register(world, agency=world.other, user=world.outsider, applicant_name="外县申请人")

    rows, title = _sheet(as_user(client, world.handler).get("/lists/closed/ledger.xlsx"))
    assert "已决定或办结" in title
    assert [r["编号"] for r in rows] == [on_time.number, late.number]  # the list's order, no other agency
    by_name = {r["申请人"]: r for r in rows}
    assert set(by_name) == {"李四", "'=HYPERLINK(\"http://x\",\"点击\")"}  # a formula stays text
    li = by_name["李四"]
    assert li["证件号码（隐去部分）"] == "3700**********1233"
    assert li["办理结果"] == "（四）1.不掌握" and li["答复日期"].date() == date(2026, 9, 10)
    assert li["答复期限"].date() == date(2026, 10, 9) and li["是否按期"] == "是"
    assert by_name["'=HYPERLINK(\"http://x\",\"点击\")"]["是否按期"] == "否"

    # The same filters as the page: the search narrows the export too.
    rows, title = _sheet(client.get("/lists/closed/ledger.xlsx", {"q": "低保名单"}))
    assert [r["编号"] for r in rows] == [on_time.number] and "低保名单" in title
    page = text(client.get("/lists/closed/", {"q": "低保名单"}))
    assert "导出台账（Excel）" in page and "/lists/closed/ledger.xlsx?q=" in page


def test_the_search_box_finds_a_case_by_part_of_its_number_or_a_letters_number(client, world):
    cases = [register(world, applicant_name=f"申请人{i}", received_on=date(2026, 9, 1)) for i in range(12)]
    as_user(client, world.handler)
    # "2026-001" is the start of 2026-0010 to 2026-0012 (and exactly 2026-0001).
    found = text(client.get("/lists/open/", {"q": "2026-001"}))
    shown = {c.number for c in cases if c.number in found}
    assert shown == {"2026-0001", "2026-0010", "2026-0011", "2026-0012"}
    found = text(client.get("/lists/open/", {"q": "0012"}))
    assert "2026-0012" in found and "2026-0011" not in found
    IssuedLetter.objects.create(application=cases[4], kind="reply", title="答复告知书", number="某财信公开告字〔2026〕17号",
                                agency=world.bureau, content=b"x", sha256="0" * 64, issued_by=world.handler,
                                recipient="申请人4", letter_date=date(2026, 9, 2), filename="x.docx")
    found = text(client.get("/lists/open/", {"q": "告字〔2026〕17"}))
    assert cases[4].number in found and cases[3].number not in found


def test_nobody_exports_what_they_may_not_see(client, world):
    register(world, applicant_name="本局申请人")
    rows, _ = _sheet(as_user(client, world.outsider).get("/lists/open/ledger.xlsx"))
    assert rows == []
    assert client.get("/lists/nonsense/ledger.xlsx").status_code == 404
    client.logout()
    assert client.get("/lists/open/ledger.xlsx").status_code == 302
