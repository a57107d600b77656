"""Agencies, roles and the registry of applications: access per role, serial numbers."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from gongkai.apps.agencies.models import Agency, Membership, visible_agencies, writable_agencies
from gongkai.apps.cases.models import Application, register_application

User = get_user_model()


def person(**extra):
    fields = dict(
        applicant_type="natural_person", applicant_name="张三", id_type="居民身份证", id_number="370000199001011234",
        phone="13800000000", channel="online", received_on=date(2026, 3, 2), description="2025年本街道低保发放名单",
    )
    fields.update(extra)
    return fields


@pytest.fixture
def tree(db):
    city = Agency.objects.create(name="某市人民政府", kind=Agency.Kind.CITY)
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY, parent=city)
    street = Agency.objects.create(name="某街道办事处", kind=Agency.Kind.TOWNSHIP, parent=county)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    other = Agency.objects.create(name="另一县人民政府", kind=Agency.Kind.COUNTY, parent=city)
    users = {}
    for name, agency, role in [
        ("street_registrar", street, Membership.Role.REGISTRAR),
        ("bureau_handler", bureau, Membership.Role.HANDLER),
        ("bureau_approver", bureau, Membership.Role.APPROVER),
        ("county_supervisor", county, Membership.Role.SUPERVISOR),
    ]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    return {"city": city, "county": county, "street": street, "bureau": bureau, "other": other, **users}


def test_subtree_by_path(tree):
    assert set(tree["county"].subtree()) == {tree["county"], tree["street"], tree["bureau"]}
    # Moving an agency moves its subtree.
    tree["county"].parent = tree["other"]
    tree["county"].save()
    tree["street"].refresh_from_db()
    assert tree["street"].path.startswith(tree["other"].path) and tree["street"] in tree["other"].subtree()


def test_each_role_sees_and_changes_only_its_own(tree):
    assert set(visible_agencies(tree["street_registrar"])) == {tree["street"]}
    assert set(writable_agencies(tree["street_registrar"])) == {tree["street"]}
    assert set(visible_agencies(tree["bureau_handler"])) == {tree["bureau"]}
    # The supervisor sees the whole county, and changes nothing.
    assert set(visible_agencies(tree["county_supervisor"])) == {tree["county"], tree["street"], tree["bureau"]}
    assert not writable_agencies(tree["county_supervisor"]).exists()


def test_registration_is_refused_outside_ones_agency(tree):
    with pytest.raises(PermissionDenied, match="不能登记"):
        register_application(tree["street_registrar"], tree["bureau"], **person())
    with pytest.raises(PermissionDenied):
        register_application(tree["county_supervisor"], tree["street"], **person())
    with pytest.raises(PermissionDenied):
        register_application(tree["bureau_approver"], tree["bureau"], **person())  # approvers do not register
    assert not Application.objects.exists()


def test_serial_numbers_per_agency_and_year(tree):
    a = register_application(tree["street_registrar"], tree["street"], **person())
    b = register_application(tree["street_registrar"], tree["street"], **person())
    c = register_application(tree["bureau_handler"], tree["bureau"], **person())
    d = register_application(tree["street_registrar"], tree["street"], **person(received_on=date(2027, 1, 4)))
    assert [a.number, b.number, c.number, d.number] == ["2026-0001", "2026-0002", "2026-0001", "2027-0001"]


@pytest.mark.parametrize(
    "fields,field",
    [
        (person(id_number=""), "id_number"),
        (person(applicant_type="commercial", applicant_name="某公司", credit_code="123"), "credit_code"),
        (person(applicant_type="commercial", applicant_name="某公司", contact_person=""), "contact_person"),
        (person(phone=""), "phone"),
        (person(applicant_type="alien"), "applicant_type"),
    ],
)
def test_invalid_applications_are_refused_and_nothing_is_stored(tree, fields, field):
    with pytest.raises(ValidationError) as info:
        register_application(tree["street_registrar"], tree["street"], **fields)
    assert field in info.value.message_dict
    assert not Application.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs this on it)")
def test_concurrent_registration_never_duplicates_a_serial_number(tree):
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(10):
                register_application(tree["street_registrar"], tree["street"], **person())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(Application.objects.filter(agency=tree["street"]).values_list("serial", flat=True))
    assert serials == list(range(1, 81))
