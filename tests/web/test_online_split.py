"""Online applications moved from ``portal`` to their own app ``online``: a database migrated
before the move keeps every row of the three tables, and the models read them afterwards."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

BEFORE = [("portal", "0005_order_by_agency_order"), ("online", None)]


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_move_keeps_its_rows():
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.cases.models import Application

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([BEFORE[0]]).apps
    assert old.get_model("portal", "OnlineSubmission")._meta.db_table == "portal_onlinesubmission"
    ContentType.objects.clear_cache()
    ContentType.objects.get_or_create(app_label="portal", model="onlinesubmission")
    ContentType.objects.filter(app_label="online").delete()

    agency = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT)
    user = get_user_model().objects.create(username="old-intake")
    application = Application.objects.create(  # the registry's tables are current
        agency_id=agency.pk, year=2025, serial=1, applicant_type="natural_person", applicant_name="张三",
        channel="online", received_on=date(2025, 3, 2), description="某项目", registered_by_id=user.pk)
    old.get_model("portal", "OnlineIntake").objects.create(agency_id=agency.pk, contact="0531-1234", notice="须知")
    old.get_model("portal", "OnlineSubmission").objects.create(application_id=application.pk, code_hash="a" * 64,
                                                               applicant_key="online_applicant:x")
    window = datetime(2026, 1, 1, tzinfo=UTC)
    old.get_model("portal", "ThrottleCount").objects.create(key="apply_ip:y", window_start=window,
                                                            expires_at=window, count=7)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    from gongkai.apps.online.models import OnlineIntake, OnlineSubmission, ThrottleCount

    intake = OnlineIntake.objects.get()
    assert (intake.agency_id, intake.contact, intake.notice) == (agency.pk, "0531-1234", "须知")
    submission = OnlineSubmission.objects.get()
    assert (submission.application_id, submission.code_hash, submission.applicant_key) == (
        application.pk, "a" * 64, "online_applicant:x")
    assert ThrottleCount.objects.get().count == 7
    moved = ContentType.objects.get(app_label="online", model="onlinesubmission")
    assert moved.model_class() is OnlineSubmission
    assert not ContentType.objects.filter(app_label="portal", model="onlinesubmission").exists()


def test_the_public_paths_stay_under_the_online_namespace():
    assert reverse("online:apply") == "/public/apply/"
    assert reverse("online:apply_receipt") == "/public/apply/receipt/"
    assert reverse("online:track") == "/public/track/"
    assert reverse("online:deadline") == "/public/deadline/"
