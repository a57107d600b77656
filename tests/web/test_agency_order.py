"""Agencies in the order an office expects: the government, then its departments, then its
townships and streets, each group as created or as the office sets — never the text order of
their ids ("/1/10/" before "/1/2/")."""

from __future__ import annotations

import pytest

from gongkai.apps.agencies.models import Agency
from gongkai.apps.portal.published import portal_agencies

pytestmark = pytest.mark.django_db
FIRST_ID = 999_995


def _county():
    government = Agency.objects.create(name="青山县人民政府", kind=Agency.Kind.COUNTY)
    township = Agency.objects.create(name="城关镇人民政府", kind=Agency.Kind.TOWNSHIP, parent=government)
    # Ids that gain a digit among the departments (999,999 → 1,000,000), as a real table's ids do
    # past 9, 99 …, on any database whatever its sequence has reached (far above it, so no
    # automatic id of the test meets them).
    departments = [Agency.objects.create(pk=FIRST_ID + i, name=f"部门{i + 1:02d}", kind=Agency.Kind.DEPARTMENT,
                                         parent=government)
                   for i in range(12)]
    return government, township, departments


def test_departments_come_before_townships_and_in_creation_order_past_ten():
    government, township, departments = _county()
    names = list(Agency.objects.values_list("name", flat=True))
    assert names == [government.name, *(d.name for d in departments), township.name]
    # The id path alone would sort "/1/12/" before "/1/3/": the order path does not.
    assert sorted(a.path for a in departments) != [a.path for a in departments]


def test_the_office_sets_the_order_and_children_follow_their_parent():
    government, township, departments = _county()
    office = Agency.objects.create(name="某科", kind=Agency.Kind.DEPARTMENT, parent=departments[5])
    moved = departments[5]
    moved.position = 1
    moved.save()
    names = list(government.subtree().order_by("order_path").values_list("name", flat=True))
    assert names[:3] == [government.name, moved.name, office.name]
    assert names[-1] == township.name
    # A township the office puts first stands first, its order kept after a rename.
    township.position = 0
    township.name = "城关街道办事处"
    township.save()
    assert list(Agency.objects.values_list("name", flat=True))[:2] == [government.name, "城关街道办事处"]


def test_the_public_home_lists_agencies_in_that_order():
    government, township, departments = _county()
    assert [a.name for a in portal_agencies()] == [government.name, *(d.name for d in departments), township.name]
