"""The annual report's deadline by kind of agency (条例 Art. 49; issue 11 item 13): a people's
government at county level or above publishes by 31 March, a department by 31 January, and a
township or street office, in practice, by 31 January too — in the public guide and on the
staff year page."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.reports.services import report_deadline

YEAR = date.today().year - 1


@pytest.fixture
def agencies(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    return {
        "county": county,
        "city": Agency.objects.create(name="某市人民政府", kind=Agency.Kind.CITY),
        "bureau": Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county),
        "tax": Agency.objects.create(name="某县税务局", kind=Agency.Kind.DEPARTMENT, parent=county, vertical=True),
        "street": Agency.objects.create(name="某街道办事处", kind=Agency.Kind.TOWNSHIP, parent=county),
    }


@pytest.mark.parametrize("key, deadline", [("county", (3, 31)), ("city", (3, 31)), ("bureau", (1, 31)),
                                           ("tax", (1, 31)), ("street", (1, 31))])
def test_the_deadline_follows_the_kind_of_agency(agencies, key, deadline):
    due = report_deadline(agencies[key], YEAR)
    assert (due.on.month, due.on.day) == deadline and due.on.year == YEAR + 1
    assert "第四十九条" in due.basis


def test_the_public_guide_states_the_deadline_of_the_agencys_kind(agencies, client):
    county = client.get(reverse("portal:guide", args=[agencies["county"].pk])).content.decode()
    assert "每年3月31日前" in county and "每年1月31日前" not in county
    assert "县级以上地方人民政府" in county
    bureau = client.get(reverse("portal:guide", args=[agencies["bureau"].pk])).content.decode()
    assert "每年1月31日前" in bureau and "每年3月31日前" not in bureau
    street = client.get(reverse("portal:guide", args=[agencies["street"].pk])).content.decode()
    assert "每年1月31日前" in street and "乡镇人民政府、街道办事处" in street


def test_the_staff_year_page_states_the_deadline(agencies, client):
    user = get_user_model().objects.create_user("handler", password="x")
    Membership.objects.create(user=user, agency=agencies["county"], role=Membership.Role.HANDLER)
    client.force_login(user)
    page = client.get(reverse("reports:year", args=[agencies["county"].pk, YEAR])).content.decode()
    assert f"应于{YEAR + 1}年3月31日前" in page
