"""A step refused for want of a setting says where it is set, with a link: the holiday table when
a period runs into a year whose holiday notice has not been entered."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import register_application, transition
from gongkai.apps.desk import views as desk_views
from gongkai.core.casework.lifecycle import Event, State

pytestmark = pytest.mark.django_db


def test_a_lapse_on_a_provisional_date_links_to_the_holiday_notice_page(client, monkeypatch):
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, correction_working_days=30)
    handler = get_user_model().objects.create_user("handler", password="x")
    Membership.objects.create(user=handler, agency=bureau, role=Membership.Role.HANDLER)
    case = register_application(handler, bureau, applicant_type="natural_person", applicant_name="张三",
                                phone="13800000000", channel="letter", received_on=date(2026, 12, 4),
                                description="某项目的审批文件")
    # The correction period (30 working days from 2026-12-08) runs into 2027, whose notice is not entered.
    case = transition(handler, case, Event.REQUEST_CORRECTION, date(2026, 12, 7), "请写明项目名称",
                      correction_kind="unclear", correction_items="请写明项目名称")
    monkeypatch.setattr(desk_views, "today", lambda: date(2027, 2, 26))
    client.force_login(handler)
    response = client.post(reverse("desk:step", args=[case.pk, "correction_lapsed"]),
                           {"correction_lapsed-on": "2027-02-26", "correction_lapsed-reason": "未补正"})
    page = response.content.decode()
    assert response.status_code == 400 and "暂定日期" in page
    assert f'<a href="{reverse("holidays:notice")}">节假日表</a>' in page
    assert Application.objects.get(pk=case.pk).state == State.AWAITING_CORRECTION
