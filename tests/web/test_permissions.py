"""Who sees and changes which cases, per role, at every level of the agency tree (issue 12 item 14).

A registrar, handler or approver works in their own agency only: an agency with children (a
county government above its departments and townships, a city above its counties) gives its
staff no view of the children's cases. Only a supervisor (上级主管) sees its agency's whole
subtree, and changes nothing in it. Each rule is checked through the real pages.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.agencies.permissions import visible_agencies, writable_agencies
from gongkai.apps.cases.services import register_application

ROLES = [r.value for r in Membership.Role]
LEVELS = ["city", "county", "bureau", "township"]


@pytest.fixture
def world(db):
    """A city above a county; the county above a bureau and a township; one case in each agency,
    and one person per role per agency."""
    city = Agency.objects.create(name="某市人民政府", kind=Agency.Kind.CITY)
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY, parent=city)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    township = Agency.objects.create(name="某镇人民政府", kind=Agency.Kind.TOWNSHIP, parent=county)
    agencies = {"city": city, "county": county, "bureau": bureau, "township": township}
    User = get_user_model()
    people, cases = {}, {}
    for level, agency in agencies.items():
        for role in ROLES:
            user = User.objects.create_user(f"{level}_{role}", password="x")
            Membership.objects.create(user=user, agency=agency, role=role)
            people[level, role] = user
        cases[level] = register_application(
            people[level, "registrar"], agency, applicant_type="natural_person", applicant_name=f"{level}申请人",
            id_number="110101199003074514", phone="13800000000", channel="letter", received_on=date(2026, 3, 2),
            description="某项目的预算")
    return agencies, people, cases


def below_or_same(upper: Agency, lower: Agency) -> bool:
    return lower.path.startswith(upper.path)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("level", LEVELS)
def test_each_role_sees_exactly_what_its_rule_allows(world, client, level, role):
    agencies, people, cases = world
    user = people[level, role]
    home = agencies[level]
    expected_visible = {name for name, agency in agencies.items()
                        if agency == home or (role == "supervisor" and below_or_same(home, agency))}
    assert {a.pk for a in visible_agencies(user)} == {agencies[n].pk for n in expected_visible}
    expected_writable = {level} if role != "supervisor" else set()
    assert {a.pk for a in writable_agencies(user)} == {agencies[n].pk for n in expected_writable}
    client.force_login(user)
    for name, case in cases.items():
        response = client.get(reverse("desk:case", args=[case.pk]))
        assert response.status_code == (200 if name in expected_visible else 404), (level, role, name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("level", ["city", "county"])
def test_staff_of_a_parent_agency_change_nothing_below_it(world, client, level, role):
    """Editing, assigning and taking steps on a child agency's case is refused to every role of
    the parent, supervisors included; the case is unchanged."""
    agencies, people, cases = world
    client.force_login(people[level, role])
    child_case = cases["bureau"]
    edit = client.post(reverse("desk:edit", args=[child_case.pk]),
                       {"applicant_name": "改名", "reason": "测试", "applicant_type": "natural_person"})
    step = client.post(reverse("desk:step", args=[child_case.pk, "request_correction"]),
                       {"on": "2026-03-04", "reason": "请写明年份"})
    assert edit.status_code in (403, 404) and step.status_code in (403, 404), (level, role)
    child_case.refresh_from_db()
    assert child_case.applicant_name == "bureau申请人" and child_case.state == "registered"


# The rule table of apps/agencies/permissions.py, written out again here on purpose: a change of
# a rule must be a change of this table too.
EXPECTED = {
    "register": {"registrar", "handler"},
    "record": {"registrar", "handler", "approver"},
    "act": {"handler", "approver"},
    "approve": {"approver"},
    "submit": {"approver"},
    "answer": {"handler", "approver"},
    "supervise": {"supervisor"},
}


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("level", LEVELS)
def test_every_action_per_role_at_every_level_of_the_tree(world, level, action):
    """Each role may take exactly its actions, in its own agency only: never in a parent's, a
    child's or a sibling's, supervisors included."""
    from gongkai.apps.agencies.permissions import Action, agencies_where, may

    agencies, people, _ = world
    for role in ROLES:
        user = people[level, role]
        for name, agency in agencies.items():
            expected = role in EXPECTED[action] and name == level
            assert may(user, agency, Action(action)) is expected, (level, role, action, name)
        where = {a.pk for a in agencies_where(user, Action(action))}
        assert where == ({agencies[level].pk} if role in EXPECTED[action] else set()), (level, role, action)


def test_no_module_but_permissions_lists_the_roles():
    """One module holds the rules: a role named anywhere else in the application code is a second
    rule waiting to disagree with the first (the demo, which creates staff, and the online intake's
    own account excepted)."""
    import re
    from pathlib import Path

    import gongkai

    root = Path(gongkai.__file__).parent / "apps"
    allowed = {"agencies/permissions.py", "agencies/models.py", "demo/county.py", "demo/catalogue.py",
               "online/apply_intake.py"}
    pattern = re.compile(r"Role\.(REGISTRAR|HANDLER|APPROVER|SUPERVISOR)\b|_ROLES\s*=")
    offenders = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py") if "migrations" not in path.parts
                 and str(path.relative_to(root)) not in allowed
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []
