"""Entering a year's holiday notice in the staff pages: read, previewed with the due dates it
moves, confirmed, and every stored due date recomputed — or refused with the line at fault."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import register_application
from gongkai.apps.holidays.models import HolidayDay, NoticeYear

pytestmark = pytest.mark.django_db
User = get_user_model()

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月14日（周日）、2月20日（周六）上班。
"""


@pytest.fixture
def office(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    users = {}
    for name, role in (("registrar", Membership.Role.REGISTRAR), ("approver", Membership.Role.APPROVER)):
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=bureau, role=role)
    case = register_application(
        users["registrar"], bureau, applicant_type="natural_person", applicant_name="张三", id_type="居民身份证",
        id_number="370000199001011233", phone="13800000000", channel="online", received_on=date(2026, 12, 4),
        description="2026年本县低保发放名单")
    return {"bureau": bureau, "case": case, **users}


def test_an_approver_enters_the_2027_notice_and_the_due_dates_move(client, office, django_capture_on_commit_callbacks):
    case = Application.objects.get(pk=office["case"].pk)
    before = case.due_on
    assert case.due_provisional  # 2027 is not in chinese-calendar: counted Monday to Friday, provisional
    client.force_login(office["approver"])
    form = {"year": "2027", "title": "国办发明电〔2026〕X号", "text": NOTICE_2027}
    preview = client.post("/holidays/notice/", {**form, "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "放假 10 天，调休上班 2 天" in text
    assert case.number in text and "暂定" in text
    assert not HolidayDay.objects.exists()  # a preview stores nothing

    with django_capture_on_commit_callbacks(execute=True):
        entered = client.post("/holidays/notice/", {**form, "confirm": "1"})
    assert entered.status_code == 200
    assert "1件在办申请的答复期限已重新计算" in entered.content.decode()
    case.refresh_from_db()
    assert not case.due_provisional
    assert case.due_on > before  # New Year's Day 2027 is a holiday now
    assert NoticeYear.objects.get(year=2027).complete
    assert HolidayDay.objects.filter(day__year=2027).count() == 12
    # The page of the year lists the days; removing one recomputes again.
    page = client.get("/holidays/2027/")
    assert "2027年2月14日" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/holidays/2027/", {"remove": "2027-01-01"})
    case.refresh_from_db()
    assert case.due_on == before  # 1 January a working day again: the first due date


def test_a_notice_that_does_not_add_up_is_refused_and_nothing_is_stored(client, office):
    client.force_login(office["approver"])
    broken = NOTICE_2027.replace("共7天", "共6天")
    page = client.post("/holidays/notice/", {"year": "2027", "title": "", "text": broken, "confirm": "1"})
    assert page.status_code == 200
    assert "第3行" in page.content.decode() and "共6天" in page.content.decode()
    assert not HolidayDay.objects.exists() and not NoticeYear.objects.exists()


def test_only_approvers_and_administrators_reach_the_holiday_table(client, office):
    client.force_login(office["registrar"])
    assert client.get("/holidays/").status_code == 403
    assert client.post("/holidays/notice/", {"year": "2027", "text": NOTICE_2027, "confirm": "1"}).status_code == 403
    client.force_login(office["approver"])
    page = client.get("/holidays/")
    assert page.status_code == 200 and "2027年" in page.content.decode() and "暂定" in page.content.decode()
    assert 'href="/manage/"' in client.get("/").content.decode()
    assert 'href="/holidays/"' in client.get("/manage/").content.decode()


def test_a_make_up_day_on_a_weekday_is_refused_by_the_day_form(client, office):
    client.force_login(office["approver"])
    page = client.post("/holidays/2027/", {"day": "2027-02-03", "workday": "1", "name": "春节"})
    assert page.status_code == 200 and "调休上班日应为周六或周日" in page.content.decode()
    assert not HolidayDay.objects.exists()
