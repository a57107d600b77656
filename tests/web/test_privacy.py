"""Applicants' personal data (issue 12 item 7; 个人信息保护法): ID numbers encrypted at rest with keys
outside the database, masked on every page and in the history, revealed in full only to the
case's handler or an approver and recorded, staff pages not cached, and personal data erased after
the retention period while table 3 keeps its counts."""

from __future__ import annotations

import json
import stat
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from gongkai.apps.agencies.models import Membership
from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.cases.services import assign_handler, edit_application, transition
from gongkai.core.casework.lifecycle import Event

from tests.web.test_desk import as_user, register, text, world  # noqa: F401 - fixtures
from tests.web.test_registry import tree  # noqa: F401 - the fixture ``world`` builds on

NUMBER = "370000199001011233"  # the number of tests.web.test_registry.person
MASKED = "3700**********1233"
OTHER = "110105194912310021"


def raw_column(application: Application, column: str = "id_number") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_application WHERE id = %s", [application.pk])
        return cursor.fetchone()[0]


def every_history_value() -> str:
    return json.dumps([[e.before, e.after, e.reason] for e in CaseEvent.objects.all()], ensure_ascii=False)


# --- 1. encrypted at rest ------------------------------------------------------------------------

def test_id_numbers_are_stored_encrypted_and_read_back(world):
    case = register(world)
    stored = raw_column(case)
    assert stored and NUMBER not in stored and NUMBER[6:14] not in stored
    assert Application.objects.get(pk=case.pk).id_number == NUMBER


def test_equality_goes_through_the_keyed_digest(world):
    from django.core.exceptions import FieldError

    from gongkai.apps.cases.personal import id_digest, same_id_number_q

    first = register(world)
    register(world, id_number=OTHER)
    assert raw_column(first, "id_number_digest") == id_digest(NUMBER) != id_digest(OTHER)
    assert NUMBER not in raw_column(first, "id_number_digest")
    # Written with spaces, full-width digits or a lower-case x, it is still the same number.
    same = list(Application.objects.filter(same_id_number_q(" ３７0000 19900101 1233 ")))
    assert same == [first]
    assert not Application.objects.filter(same_id_number_q("")).exists()
    with pytest.raises(FieldError):  # a ciphertext never equals anything: refused, not silently empty
        list(Application.objects.filter(id_number=NUMBER))


def test_the_key_comes_from_the_environment_and_rotates(world, settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEYS = [old]
    case = register(world)
    assert Fernet(old).decrypt(raw_column(case).encode()).decode() == NUMBER
    settings.GONGKAI_FIELD_KEYS = [new, old]  # rotation: the new key encrypts, the old still decrypts
    case = Application.objects.get(pk=case.pk)
    assert case.id_number == NUMBER
    case.save()
    assert Fernet(new).decrypt(raw_column(case).encode()).decode() == NUMBER
    settings.SECRET_KEY = "another-secret-key"  # not derived from SECRET_KEY
    assert Application.objects.get(pk=case.pk).id_number == NUMBER


def test_a_wrong_key_is_an_error_not_a_ciphertext_shown(world, settings):
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured

    case = register(world)
    settings.GONGKAI_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="无法解密"):
        Application.objects.get(pk=case.pk)
    settings.GONGKAI_FIELD_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="不是|无效"):
        register(world)


def test_without_a_configured_key_one_is_made_in_the_data_folder_0600(world, settings, tmp_path):
    from cryptography.fernet import Fernet

    settings.GONGKAI_FIELD_KEYS, settings.GONGKAI_ID_DIGEST_KEY, settings.DATA_DIR = [], "", tmp_path
    case = register(world)
    key_file, digest_file = tmp_path / "field-key", tmp_path / "id-digest-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and stat.S_IMODE(digest_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert Fernet(key).decrypt(raw_column(case).encode()).decode() == NUMBER
    assert digest_file.read_text().strip() != key
    register(world, id_number=OTHER)  # the second use reads the same file
    assert key_file.read_text().strip() == key


# --- 2. masked everywhere, revealed only to the handler and approvers, recorded ----------------

def test_the_case_page_shows_the_number_masked_to_every_role(client, world):
    case = register(world, user=world.registrar)
    for user in (world.registrar, world.handler, world.approver, world.supervisor):
        page = text(as_user(client, user).get(reverse("desk:case", args=[case.pk])))
        assert MASKED in page and NUMBER not in page, user.username
    edit_page = text(as_user(client, world.handler).get(reverse("desk:edit", args=[case.pk])))
    assert NUMBER not in edit_page and MASKED in edit_page


def test_only_the_assigned_handler_and_approvers_may_reveal_and_it_is_recorded(client, world):
    case = register(world, user=world.registrar)
    url = reverse("desk:reveal_id", args=[case.pk])
    button = "查看完整号码"
    # Not yet assigned: the bureau's handler has no button and is refused.
    assert button not in text(as_user(client, world.handler).get(reverse("desk:case", args=[case.pk])))
    assert as_user(client, world.handler).post(url).status_code == 403
    for user in (world.registrar, world.supervisor):
        assert button not in text(as_user(client, user).get(reverse("desk:case", args=[case.pk])))
        assert as_user(client, user).post(url).status_code == 403
    assert as_user(client, world.outsider).post(url).status_code == 404
    assert as_user(client, world.approver).get(url).status_code == 405
    assert not CaseEvent.objects.filter(event="reveal_id").exists()

    assign_handler(world.approver, case, world.handler)
    for user in (world.handler, world.approver):
        assert button in text(as_user(client, user).get(reverse("desk:case", args=[case.pk])))
        page = as_user(client, user).post(url, {"reason": "邮寄答复书核对身份"})
        assert page.status_code == 200 and NUMBER in text(page)
    reveals = CaseEvent.objects.filter(application=case, event="reveal_id").order_by("pk")
    assert [(e.user, e.reason, e.before, e.after) for e in reveals] == [
        (world.handler, "邮寄答复书核对身份", {}, {}), (world.approver, "邮寄答复书核对身份", {}, {})]
    assert NUMBER not in every_history_value()
    history = text(as_user(client, world.supervisor).get(reverse("desk:case", args=[case.pk])))
    assert "查看完整身份证件号码" in history and NUMBER not in history


def test_the_admin_shows_the_number_masked(admin_client, world):
    case = register(world)
    page = admin_client.get(reverse("admin:cases_application_change", args=[case.pk])).content.decode()
    assert MASKED in page and NUMBER not in page


# --- 3. the history keeps masked numbers only ---------------------------------------------------

def test_history_keeps_only_masked_numbers(client, world):
    case = register(world)
    edit_application(world.handler, case, "登记时号码录错", id_number=OTHER)
    edit_application(world.handler, case, "再次更正", id_number="110105194901010021")  # same first and last 4
    events = list(CaseEvent.objects.filter(application=case, event="edit").order_by("pk"))
    assert events[0].before["id_number"] == MASKED and events[0].after["id_number"] == "1101**********0021"
    assert events[1].after["id_number"].startswith("1101**********0021") and events[1].changes
    history = every_history_value()
    assert NUMBER not in history and OTHER not in history and "110105194901010021" not in history
    page = text(as_user(client, world.approver).get(reverse("desk:case", args=[case.pk])))
    assert MASKED in page and NUMBER not in page and OTHER not in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_numbers_and_masks_existing_history():
    from django.db.migrations.executor import MigrationExecutor

    from gongkai.apps.cases.personal import id_digest, is_token

    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0004_legal_fields")])
    old = executor.loader.project_state([("cases", "0004_legal_fields")]).apps
    from django.contrib.auth import get_user_model

    from gongkai.apps.agencies.models import Agency

    agency = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT)  # tables of other apps are current
    user = get_user_model().objects.create(username="old-registrar")
    OldApplication = old.get_model("cases", "Application")
    person = OldApplication.objects.create(
        agency_id=agency.pk, year=2025, serial=1, applicant_type="natural_person", applicant_name="张三", id_number=NUMBER,
        channel="letter", received_on=date(2025, 3, 2), description="某项目", registered_by_id=user.pk)
    company = OldApplication.objects.create(
        agency_id=agency.pk, year=2025, serial=2, applicant_type="commercial", applicant_name="某公司", credit_code="x",
        channel="letter", received_on=date(2025, 3, 2), description="某项目", registered_by_id=user.pk)
    old.get_model("cases", "CaseEvent").objects.create(
        application=person, event="edit", on=date(2025, 3, 3), user_id=user.pk, reason="更正",
        before={"id_number": OTHER, "phone": "1"}, after={"id_number": NUMBER, "phone": "1"})

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_digest FROM cases_application WHERE id = %s", [person.pk])
        stored, digest = cursor.fetchone()
    assert is_token(stored) and NUMBER not in stored and digest == id_digest(NUMBER)
    assert Application.objects.get(pk=person.pk).id_number == NUMBER
    assert Application.objects.get(pk=company.pk).id_number == ""
    event = CaseEvent.objects.get(application_id=person.pk)
    assert (event.before, event.after) == ({"id_number": "1101**********0021", "phone": "1"},
                                           {"id_number": MASKED, "phone": "1"})


# --- 4. staff pages are not cached --------------------------------------------------------------

def test_staff_pages_say_no_store_and_public_pages_do_not(client, world):
    case = register(world)
    as_user(client, world.handler)
    for url in ["/", reverse("desk:case", args=[case.pk]), reverse("desk:worklist", args=["open"]),
                reverse("desk:edit", args=[case.pk]), "/accounts/login/", "/admin/"]:
        response = client.get(url)
        assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache", url
    public = client.get(reverse("online:deadline"))
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")
    assert "Pragma" not in public


# --- 5. retention -------------------------------------------------------------------------------

def finished(world, received: date, replied: date, **extra) -> Application:
    case = register(world, received_on=received, **extra)
    transition(world.handler, case, Event.DECIDE, received.replace(day=received.day + 10), outcome="granted")
    return transition(world.handler, case, Event.SEND_REPLY, replied, reply_channel="post", delivery_proof="挂号信")


def test_purge_erases_personal_data_after_the_retention_period_and_keeps_the_counts(world):
    from gongkai.apps.appeals.services import file_review
    from gongkai.apps.reports.tables import table3
    from gongkai.core.report.model import table_values

    old = finished(world, date(2014, 3, 3), date(2015, 12, 30), email="zhang@example.cn", address="某路1号")
    edit_application(world.handler, old, "更正地址", address="某路2号")
    company = finished(world, date(2014, 4, 1), date(2014, 4, 20), applicant_type="commercial",
                       applicant_name="某科技有限公司", id_type="", id_number="", contact_person="李经理",
                       credit_code="91370000MA3C000000")
    recent = finished(world, date(2014, 5, 5), date(2016, 1, 4))  # finished in 2016: kept to the end of 2026
    still_open = register(world, received_on=date(2014, 6, 2))
    appealed = finished(world, date(2014, 7, 1), date(2014, 7, 20))
    file_review(world.handler, appealed, case_number="某政复〔2015〕1号", body="某县人民政府",
                filed_on=date(2014, 8, 1))
    counts = {year: table_values(table3(world.bureau, year)) for year in (2014, 2015, 2016)}
    before = {a.pk: (Application.objects.get(pk=a.pk).applicant_name, CaseEvent.objects.filter(application=a).count())
              for a in (old, company, recent, still_open, appealed)}

    out = StringIO()
    call_command("purge_personal_data", "--dry-run", "--date", "2026-03-01", stdout=out)
    assert f"将删除 某县财政局 {old.number}" in out.getvalue() and "将删除2件" in out.getvalue()
    assert {a.pk: (Application.objects.get(pk=a.pk).applicant_name, CaseEvent.objects.filter(application=a).count())
            for a in (old, company, recent, still_open, appealed)} == before

    out = StringIO()
    call_command("purge_personal_data", "--date", "2026-03-01", stdout=out)
    assert "已删除2件" in out.getvalue() and old.number in out.getvalue() and company.number in out.getvalue()
    old, company = Application.objects.get(pk=old.pk), Application.objects.get(pk=company.pk)
    assert (old.applicant_name, old.id_type, old.id_number, old.phone, old.email, old.address) == (
        "（已删除）", "", "", "", "", "")
    assert raw_column(old) == "" and raw_column(old, "id_number_digest") == ""
    assert (company.applicant_name, company.credit_code, company.contact_person, company.phone) == (
        "某科技有限公司", "91370000MA3C000000", "", "")
    history = json.dumps([[e.before, e.after] for e in CaseEvent.objects.filter(application=old)], ensure_ascii=False)
    assert "某路1号" not in history and "某路2号" not in history and "13800000000" not in history
    purge = CaseEvent.objects.get(application=old, event="purge_personal")
    assert purge.user.username == "personal-data-retention" and not purge.user.is_active and "10年" in purge.reason
    for kept in (recent, still_open, appealed):
        assert Application.objects.get(pk=kept.pk).applicant_name == "张三"
    assert {year: table_values(table3(world.bureau, year)) for year in (2014, 2015, 2016)} == counts

    out = StringIO()  # running it again finds nothing more
    call_command("purge_personal_data", "--date", "2026-03-01", stdout=out)
    assert "已删除0件" in out.getvalue()
    assert CaseEvent.objects.filter(event="purge_personal").count() == 2


def test_the_retention_period_is_a_setting(world, settings):
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management.base import CommandError

    case = finished(world, date(2020, 3, 2), date(2020, 3, 30))
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", "--date", "2026-03-01", stdout=out)
    assert "将删除0件" in out.getvalue()
    settings.GONGKAI_RETENTION_YEARS = "5"
    out = StringIO()
    call_command("purge_personal_data", "--date", "2026-03-01", stdout=out)
    assert "保存期限 5 年" in out.getvalue() and "已删除1件" in out.getvalue()
    assert Application.objects.get(pk=case.pk).applicant_name == "（已删除）"
    settings.GONGKAI_RETENTION_YEARS = "十年"
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_RETENTION_YEARS"):
        call_command("purge_personal_data", "--dry-run")
    with pytest.raises(CommandError, match="日期"):
        call_command("purge_personal_data", "--years", "5", "--date", "2026-13-01")


def test_purge_can_be_recorded_under_a_named_user(world):
    case = finished(world, date(2010, 3, 2), date(2010, 3, 30))
    Membership.objects.get_or_create(user=world.approver, agency=world.bureau, role=Membership.Role.APPROVER)
    call_command("purge_personal_data", "--date", "2026-03-01", "--user", world.approver.username, stdout=StringIO())
    assert CaseEvent.objects.get(application=case, event="purge_personal").user == world.approver


def test_reencrypt_after_a_key_rotation_leaves_the_old_key_unneeded(world, settings):
    from cryptography.fernet import Fernet

    from gongkai.apps.cases.personal import id_digest

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEYS = [old]
    cases = [register(world), register(world, id_number=OTHER), register(world, applicant_type="commercial",
                                                                        id_type="", id_number="",
                                                                        contact_person="李经理")]
    settings.GONGKAI_FIELD_KEYS, settings.GONGKAI_ID_DIGEST_KEY = [new, old], "a-new-digest-key"
    out = StringIO()
    call_command("reencrypt_id_numbers", stdout=out)
    assert "已重新加密2个" in out.getvalue()
    settings.GONGKAI_FIELD_KEYS = [new]
    assert [Application.objects.get(pk=c.pk).id_number for c in cases] == [NUMBER, OTHER, ""]
    assert raw_column(cases[0], "id_number_digest") == id_digest(NUMBER)
    assert raw_column(cases[2]) == ""


def test_the_online_form_tells_applicants_what_is_kept_and_for_how_long(client, db, settings):
    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.online.apply_intake import enable_online_intake

    enable_online_intake(Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT))
    settings.GONGKAI_RETENTION_YEARS = "30"
    page = text(client.get(reverse("online:apply")))
    assert "个人信息告知" in page and "个人信息保护法" in page and "保存30年" in page and "加密保存" in page
