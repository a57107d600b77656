"""The admin: every app's models are registered and their lists open in Chinese; what the apps keep
(histories, issued letters, reviewed items, applications) is never deleted or changed there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

KEPT = ["cases.application", "appeals.appeal", "reports.annualreport", "catalogue.item", "letters.issuedletter",
        "letters.lettertemplate", "online.onlinesubmission", "online.applicantmessage", "online.downloadrecord"]
READ_ONLY = ["cases.application", "letters.lettersettings", "appeals.appeal", "reports.annualreport", "catalogue.item", "letters.lettertemplate",
             "online.onlinesubmission", "online.applicantmessage", "online.downloadrecord"]


def test_every_app_registers_its_models():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert set(KEPT) <= registered
    for label in ("holidays", "agencies", "cases", "appeals", "letters", "reports", "catalogue", "online"):
        assert any(name.startswith(f"{label}.") for name in registered), label


@pytest.mark.django_db
def test_lists_open_and_kept_records_cannot_be_deleted_or_changed(admin_client, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        name = f"{model._meta.app_label}.{model._meta.model_name}"
        response = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        assert response.status_code == 200, name
        if name in KEPT:
            assert not model_admin.has_delete_permission(request), name
        if name in READ_ONLY:
            assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request), name


@pytest.mark.django_db
def test_a_superuser_cannot_rewrite_an_application_in_the_admin(admin_client, admin_user):
    """Issue 12 item 4: the registry owns the case; the admin shows it and changes nothing (no
    name, ID, receipt date, agency or handler changed without history and a recomputed due date)."""
    from datetime import date

    from gongkai.apps.agencies.models import Agency, Membership
    from gongkai.apps.cases.models import Application, CaseEvent
    from gongkai.apps.cases.services import register_application

    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    other = Agency.objects.create(name="某县民政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    Membership.objects.create(user=admin_user, agency=bureau, role=Membership.Role.REGISTRAR)
    case = register_application(admin_user, bureau, applicant_type="natural_person", applicant_name="张三",
                                id_number="110101199003074514", phone="13800000000", channel="letter",
                                received_on=date(2026, 3, 2), description="2025年某项目的预算")
    url = reverse("admin:cases_application_change", args=[case.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "张三" in page.content.decode()
    response = admin_client.post(url, {"agency": other.pk, "applicant_name": "李四", "received_on": "2026-01-05",
                                       "applicant_type": "natural_person", "channel": "letter",
                                       "description": "x", "id_number": "1"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.agency_id, case.applicant_name, case.received_on) == (bureau.pk, "张三", date(2026, 3, 2))
    assert list(CaseEvent.objects.filter(application=case).values_list("event", flat=True)) == ["register"]
    assert admin_client.post(reverse("admin:cases_application_add"), {}).status_code == 403
    assert Application.objects.count() == 1
