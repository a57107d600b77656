"""The admin: every app's models are registered and their lists open in Chinese; what the apps keep
(histories, issued letters, reviewed items, applications) is never deleted or changed there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

KEPT = ["cases.application", "appeals.appeal", "reports.annualreport", "catalogue.item", "letters.issuedletter",
        "letters.lettertemplate", "portal.onlinesubmission"]
READ_ONLY = ["appeals.appeal", "reports.annualreport", "catalogue.item", "letters.lettertemplate",
             "portal.onlinesubmission"]


def test_every_app_registers_its_models():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert set(KEPT) <= registered
    for label in ("holidays", "agencies", "cases", "appeals", "letters", "reports", "catalogue", "portal"):
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
