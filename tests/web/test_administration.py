"""Administration in the staff pages (管理): staff accounts and roles, the agencies' order and
names, online applications — and every way of giving more than one holds, refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.apps.administration.models import StaffAccount, StaffChange
from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import register_application
from gongkai.apps.online.models import OnlineIntake

pytestmark = pytest.mark.django_db
User = get_user_model()
Role = Membership.Role
GOOD = "Qingshan-Start-2027"


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def county(db):
    government = Agency.objects.create(name="青山县人民政府", kind=Agency.Kind.COUNTY)
    finance = Agency.objects.create(name="青山县财政局", kind=Agency.Kind.DEPARTMENT, parent=government)
    health = Agency.objects.create(name="青山县卫生健康局", kind=Agency.Kind.DEPARTMENT, parent=government)
    town = Agency.objects.create(name="城关镇人民政府", kind=Agency.Kind.TOWNSHIP, parent=government)
    other = Agency.objects.create(name="白水县人民政府", kind=Agency.Kind.COUNTY)
    people = {}
    for username, agency, roles in (
            ("gov_approver", government, [Role.APPROVER]), ("fin_approver", finance, [Role.APPROVER]),
            ("fin_handler", finance, [Role.HANDLER]), ("fin_registrar", finance, [Role.REGISTRAR]),
            ("office", government, [Role.SUPERVISOR]), ("other_approver", other, [Role.APPROVER]),
            ("gov_chief", government, [Role.APPROVER, Role.SUPERVISOR])):
        user = User.objects.create_user(username, password="old-password-1", first_name=username)
        for role in roles:
            Membership.objects.create(user=user, agency=agency, role=role)
        people[username] = user
    people["root"] = User.objects.create_superuser("root", password="root-password-1")
    return {"government": government, "finance": finance, "health": health, "town": town, "other": other, **people}


def as_user(client, user) -> Client:
    client.force_login(user)
    return client


def new_account(client, agency, username="xiaoli", roles=("handler",), password=GOOD):
    return client.post(f"/manage/staff/agency/{agency.pk}/new/", {
        "username": username, "name": "李小丽", "email": "li@example.cn", "password": password,
        "password2": password, "roles": list(roles)})


def logs_in(client, username, password) -> bool:
    """A real login through the login page (the lockout backend needs the request)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def roles_of(user, agency) -> set[str]:
    return set(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))


# ------------------------------------------------------------------ the hub and who reaches it

def test_the_hub_lists_the_settings_for_an_approver_and_the_navigation_links_it(client, county):
    page = as_user(client, county["fin_approver"]).get("/manage/")
    body = text(page)
    assert page.status_code == 200
    for href in ("/manage/staff/", "/manage/agencies/", "/holidays/", "/search/synonyms/", "/catalogue/setup/",
                 "/manage/intake/", f"/letters/agency/{county['finance'].pk}/settings/",
                 f"/signoff/agency/{county['finance'].pk}/settings/"):
        assert f'href="{href}"' in body, href
    assert 'href="/manage/"' in text(client.get("/"))


def test_a_system_administrator_reaches_every_agency_but_not_the_approvers_own_settings(client, county):
    page = text(as_user(client, county["root"]).get("/manage/"))
    for href in ("/manage/staff/", "/manage/agencies/", "/holidays/", "/search/synonyms/", "/manage/intake/"):
        assert f'href="{href}"' in page, href
    assert "/letters/agency/" not in page  # each agency's letters are its approvers'
    staff = text(client.get("/manage/staff/"))
    assert "白水县人民政府" in staff and "青山县财政局" in staff
    assert new_account(client, county["other"], roles=("approver", "supervisor")).status_code == 302
    assert roles_of(User.objects.get(username="xiaoli"), county["other"]) == {"approver", "supervisor"}


@pytest.mark.parametrize("who", ["fin_handler", "fin_registrar", "office"])
def test_staff_without_the_approver_role_reach_no_administration_page(client, county, who):
    as_user(client, county[who])
    assert 'href="/manage/"' not in text(client.get("/"))
    for url in ("/manage/", "/manage/staff/", f"/manage/staff/agency/{county['finance'].pk}/", "/manage/agencies/",
                f"/manage/agencies/{county['finance'].pk}/", "/manage/intake/"):
        assert client.get(url).status_code == 403, url
    assert new_account(client, county["finance"]).status_code == 403
    assert not User.objects.filter(username="xiaoli").exists()


# ------------------------------------------------------------------ accounts

def test_an_approver_lists_the_agency_staff_and_adds_a_handler_who_must_change_the_password(client, county):
    as_user(client, county["fin_approver"])
    listing = text(client.get(f"/manage/staff/agency/{county['finance'].pk}/"))
    assert "fin_handler" in listing and "fin_registrar" in listing and "gov_approver" not in listing
    response = new_account(client, county["finance"])
    account = User.objects.get(username="xiaoli")
    assert response.status_code == 302 and response["Location"] == f"/manage/staff/{account.pk}/"
    assert "已新建账号" in text(client.get(response["Location"]))
    assert roles_of(account, county["finance"]) == {"handler"} and account.first_name == "李小丽"
    assert account.staff_account.agency == county["finance"] and account.staff_account.must_change_password
    assert StaffChange.objects.filter(account=account, kind="created", by=county["fin_approver"]).exists()

    # First login: every page sends the new handler to the password page until it is changed.
    newcomer = Client()
    assert logs_in(newcomer, "xiaoli", GOOD)
    first = newcomer.get("/")
    assert first.status_code == 302 and first["Location"] == "/accounts/password/"
    assert newcomer.get(f"/manage/staff/{account.pk}/").status_code == 302
    changed = newcomer.post("/accounts/password/", {"old_password": GOOD, "new_password1": "Mine-Only-Pass-42",
                                                    "new_password2": "Mine-Only-Pass-42"})
    assert changed.status_code == 302
    assert not StaffAccount.objects.get(user=account).must_change_password
    assert newcomer.get("/").status_code == 200


def test_a_new_account_is_refused_with_reasons_in_chinese_and_nothing_stored(client, county):
    as_user(client, county["fin_approver"])
    weak = new_account(client, county["finance"], password="12345678")
    assert weak.status_code == 200 and "密码长度太短" in text(weak) and "账号没有建立" in text(weak)
    taken = new_account(client, county["finance"], username="FIN_handler")
    assert taken.status_code == 200 and "已被使用" in text(taken)
    mismatch = client.post(f"/manage/staff/agency/{county['finance'].pk}/new/", {
        "username": "xiaoli", "name": "李小丽", "password": GOOD, "password2": GOOD + "x", "roles": ["handler"]})
    assert "两次输入的密码不一致" in text(mismatch)
    assert not User.objects.filter(username="xiaoli").exists()


def test_an_approver_cannot_create_accounts_outside_the_subtree_or_with_the_supervisor_role(client, county):
    as_user(client, county["fin_approver"])
    assert new_account(client, county["government"]).status_code == 403  # above
    assert new_account(client, county["health"]).status_code == 403      # beside
    assert new_account(client, county["other"]).status_code == 403       # another county
    response = new_account(client, county["finance"], roles=("handler", "supervisor"))
    assert response.status_code == 200 and not User.objects.filter(username="xiaoli").exists()
    # The government's approver manages the departments below it, still without the supervisor role.
    as_user(client, county["gov_approver"])
    assert new_account(client, county["health"], username="wanghealth").status_code == 302
    assert roles_of(User.objects.get(username="wanghealth"), county["health"]) == {"handler"}
    new_account(client, county["town"], username="towntop", roles=("supervisor",))
    assert not User.objects.filter(username="towntop").exists()


def test_roles_change_within_what_the_approver_holds_and_never_beyond(client, county):
    handler = county["fin_handler"]
    as_user(client, county["fin_approver"])
    url = f"/manage/staff/{handler.pk}/roles/"
    done = client.post(url, {"agency": county["finance"].pk, "roles": ["handler", "approver"]})
    assert done.status_code == 302 and roles_of(handler, county["finance"]) == {"handler", "approver"}
    assert "已修改" in text(client.get(done["Location"]))
    # Escalations: the supervisor's role, an agency above or beside, the approver's own roles.
    assert client.post(url, {"agency": county["finance"].pk, "roles": ["handler", "supervisor"]}).status_code == 403
    assert client.post(url, {"agency": county["government"].pk, "roles": ["approver"]}).status_code == 403
    assert client.post(url, {"agency": county["health"].pk, "roles": ["approver"]}).status_code == 403
    own = county["fin_approver"]
    assert client.post(f"/manage/staff/{own.pk}/roles/", {"agency": county["finance"].pk,
                                                          "roles": ["approver", "handler"]}).status_code == 403
    assert client.post(url, {"agency": county["finance"].pk, "roles": ["superuser"]}).status_code == 403
    assert roles_of(handler, county["finance"]) == {"handler", "approver"}
    assert roles_of(handler, county["government"]) == set() and roles_of(own, county["finance"]) == {"approver"}
    assert not Membership.objects.filter(role=Role.SUPERVISOR, agency=county["finance"]).exists()


def test_accounts_of_other_agencies_and_wider_accounts_are_out_of_reach(client, county):
    as_user(client, county["fin_approver"])
    for who in ("gov_approver", "other_approver", "office", "root"):
        target = county[who]
        assert client.get(f"/manage/staff/{target.pk}/").status_code == 403, who
        assert client.post(f"/manage/staff/{target.pk}/password/", {"password": GOOD, "password2": GOOD}).status_code == 403
        assert client.post(f"/manage/staff/{target.pk}/active/", {"active": "0"}).status_code == 403
        assert client.post(f"/manage/staff/{target.pk}/roles/", {"agency": county["finance"].pk,
                                                                 "roles": ["handler"]}).status_code == 403
    # A handler of finance who is also an approver elsewhere: finance's approver cannot take the account over.
    county["fin_handler"].memberships.create(agency=county["other"], role=Role.APPROVER)
    handler = county["fin_handler"]
    assert client.get(f"/manage/staff/{handler.pk}/").status_code == 200  # seen: a role in finance
    assert client.post(f"/manage/staff/{handler.pk}/password/", {"password": GOOD, "password2": GOOD}).status_code == 403
    assert client.post(f"/manage/staff/{handler.pk}/active/", {"active": "0"}).status_code == 403
    handler.refresh_from_db()
    assert handler.check_password("old-password-1") and handler.is_active
    # The government's approver is no supervisor: it cannot reset the supervising office's account,
    # which the government's chief (approver and supervisor) can.
    as_user(client, county["gov_approver"])
    assert client.post(f"/manage/staff/{county['office'].pk}/password/", {"password": GOOD, "password2": GOOD}).status_code == 403
    as_user(client, county["gov_chief"])
    assert client.post(f"/manage/staff/{county['office'].pk}/password/", {"password": GOOD, "password2": GOOD}).status_code == 302
    # A Django admin account is a system administrator's to manage.
    county["fin_registrar"].is_staff = True
    county["fin_registrar"].save()
    as_user(client, county["fin_approver"])
    assert client.post(f"/manage/staff/{county['fin_registrar'].pk}/password/",
                       {"password": GOOD, "password2": GOOD}).status_code == 403


def test_own_account_is_not_managed_here(client, county):
    own = county["fin_approver"]
    as_user(client, own)
    assert client.post(f"/manage/staff/{own.pk}/active/", {"active": "0"}).status_code == 403
    assert client.post(f"/manage/staff/{own.pk}/password/", {"password": GOOD, "password2": GOOD}).status_code == 403
    own.refresh_from_db()
    assert own.is_active


def test_deactivating_keeps_the_account_and_its_cases_and_ends_its_session(client, county):
    handler = county["fin_handler"]
    case = register_application(
        county["fin_registrar"], county["finance"], applicant_type="natural_person", applicant_name="张三",
        channel="letter", received_on=date(2026, 12, 1), description="2026年本县低保发放名单")
    Application.objects.filter(pk=case.pk).update(handler=handler)
    session = Client()
    session.force_login(handler)
    assert session.get("/").status_code == 200
    as_user(client, county["fin_approver"])
    done = client.post(f"/manage/staff/{handler.pk}/active/", {"active": "0", "reason": "调离本机关"})
    assert done.status_code == 302 and "已停用" in text(client.get(done["Location"]))
    handler.refresh_from_db()
    assert not handler.is_active and roles_of(handler, county["finance"]) == {"handler"}
    assert Application.objects.get(pk=case.pk).handler == handler
    assert session.get("/").status_code == 302  # signed out at the next request
    assert not logs_in(Client(), "fin_handler", "old-password-1")
    assert StaffChange.objects.get(account=handler, kind="deactivated").detail == "调离本机关"
    assert "已停用" in text(client.get(f"/manage/staff/agency/{county['finance'].pk}/"))
    client.post(f"/manage/staff/{handler.pk}/active/", {"active": "1"})
    assert logs_in(Client(), "fin_handler", "old-password-1")


def test_a_password_reset_lifts_the_lockout_and_must_be_changed(client, county):
    handler = county["fin_handler"]
    outsider = Client()
    for _ in range(5):
        outsider.post("/accounts/login/", {"username": "fin_handler", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    locked = Client().post("/accounts/login/", {"username": "fin_handler", "password": "old-password-1"},
                           REMOTE_ADDR="10.8.8.8")
    assert locked.status_code == 429
    as_user(client, county["fin_approver"])
    short = client.post(f"/manage/staff/{handler.pk}/password/", {"password": "short", "password2": "short"})
    assert short.status_code == 400 and "密码长度太短" in text(short) and "密码没有重置" in text(short)
    done = client.post(f"/manage/staff/{handler.pk}/password/", {"password": GOOD, "password2": GOOD})
    assert done.status_code == 302
    back = Client()
    response = back.post("/accounts/login/", {"username": "fin_handler", "password": GOOD}, REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 302
    assert back.get("/")["Location"] == "/accounts/password/"
    assert StaffChange.objects.filter(account=handler, kind="password_reset").exists()


def test_name_and_email_are_changed_and_recorded(client, county):
    handler = county["fin_handler"]
    as_user(client, county["fin_approver"])
    bad = client.post(f"/manage/staff/{handler.pk}/details/", {"name": "王五", "email": "not-an-address"})
    assert bad.status_code == 400 and "有效的 Email 地址" in text(bad)
    assert client.post(f"/manage/staff/{handler.pk}/details/", {"name": "王五", "email": "w@example.cn"}).status_code == 302
    handler.refresh_from_db()
    assert (handler.first_name, handler.email) == ("王五", "w@example.cn")
    assert StaffChange.objects.filter(account=handler, kind="details").exists()


# ------------------------------------------------------------------ agencies: order, names, kinds

def order(parent) -> list[str]:
    return list(Agency.objects.filter(parent=parent).order_by("order_path").values_list("name", flat=True))


def test_the_government_approver_reorders_its_agencies_and_the_order_paths_follow(client, county):
    government = county["government"]
    office = Agency.objects.create(name="预算科", kind=Agency.Kind.DEPARTMENT, parent=county["town"])
    assert order(government) == ["青山县财政局", "青山县卫生健康局", "城关镇人民政府"]
    as_user(client, county["gov_approver"])
    page = text(client.get("/manage/agencies/"))
    assert page.index("青山县财政局") < page.index("城关镇人民政府") and "白水县" not in page
    done = client.post(f"/manage/agencies/{county['town'].pk}/move/", {"direction": "up"})
    assert done.status_code == 302 and "上移" in text(client.get("/manage/agencies/"))
    assert order(government) == ["青山县财政局", "城关镇人民政府", "青山县卫生健康局"]
    client.post(f"/manage/agencies/{county['town'].pk}/move/", {"direction": "up"})
    assert order(government) == ["城关镇人民政府", "青山县财政局", "青山县卫生健康局"]
    first = client.post(f"/manage/agencies/{county['town'].pk}/move/", {"direction": "up"})
    assert first.status_code == 302 and "已在最前" in text(client.get("/manage/agencies/"))
    # The whole subtree in order, children right after their parent.
    names = list(government.subtree().order_by("order_path").values_list("name", flat=True))
    assert names == ["青山县人民政府", "城关镇人民政府", "预算科", "青山县财政局", "青山县卫生健康局"]
    office.refresh_from_db()
    town = Agency.objects.get(pk=county["town"].pk)
    assert office.order_path.startswith(town.order_path)
    # Setting a position directly.
    response = client.post(f"/manage/agencies/{county['health'].pk}/", {
        "name": "青山县卫生健康局", "kind": "department", "credit_code": "", "position": "0"})
    assert response.status_code == 302
    assert order(government)[0] == "青山县卫生健康局"


def test_an_agency_is_renamed_and_its_kind_set_within_the_subtree_only(client, county):
    as_user(client, county["fin_approver"])
    finance = county["finance"]
    edit = client.get(f"/manage/agencies/{finance.pk}/")
    assert edit.status_code == 200 and 'name="position"' not in text(edit)  # its siblings are not its to order
    assert client.post(f"/manage/agencies/{finance.pk}/move/", {"direction": "up"}).status_code == 403
    done = client.post(f"/manage/agencies/{finance.pk}/", {"name": "青山县财政局（国资办）", "kind": "department",
                                                          "credit_code": "11370000MB0000000X", "vertical": ""})
    assert done.status_code == 302
    finance.refresh_from_db()
    assert finance.name == "青山县财政局（国资办）" and finance.credit_code == "11370000MB0000000X"
    for target in ("government", "health", "other"):
        assert client.post(f"/manage/agencies/{county[target].pk}/", {"name": "改名", "kind": "county"}).status_code == 403
    assert not Agency.objects.filter(name="改名").exists()
    as_user(client, county["gov_approver"])
    clash = client.post(f"/manage/agencies/{county['health'].pk}/", {"name": "城关镇人民政府", "kind": "department",
                                                                     "position": "5"})
    assert clash.status_code == 200 and "同一上级机关下已有" in text(clash)
    kind = client.post(f"/manage/agencies/{county['town'].pk}/", {"name": "城关街道办事处", "kind": "township",
                                                                  "position": "2000"})
    assert kind.status_code == 302 and Agency.objects.get(pk=county["town"].pk).name == "城关街道办事处"


def test_a_system_administrator_reorders_top_level_agencies(client, county):
    as_user(client, county["root"])
    assert client.post(f"/manage/agencies/{county['other'].pk}/move/", {"direction": "up"}).status_code == 302
    assert order(None) == ["白水县人民政府", "青山县人民政府"]
    as_user(client, county["gov_approver"])
    assert client.post(f"/manage/agencies/{county['government'].pk}/move/", {"direction": "down"}).status_code == 403


# ------------------------------------------------------------------ online applications

def test_an_approver_switches_online_applications_on_and_off(client, county):
    finance = county["finance"]
    as_user(client, county["fin_approver"])
    assert client.get(f"/manage/intake/{county['health'].pk}/").status_code == 404
    on = client.post(f"/manage/intake/{finance.pk}/", {"enabled": "on", "contact": "0531-1234567", "notice": ""})
    assert on.status_code == 302 and "已接受网上申请" in text(client.get("/manage/intake/"))
    assert OnlineIntake.objects.get(agency=finance).enabled
    assert Membership.objects.filter(user__username="online-intake", agency=finance, role=Role.REGISTRAR).exists()
    off = client.post(f"/manage/intake/{finance.pk}/", {"contact": "0531-1234567"})
    assert off.status_code == 302 and not OnlineIntake.objects.get(agency=finance).enabled
    assert not Membership.objects.filter(user__username="online-intake", agency=finance).exists()


def test_the_online_intake_account_is_not_managed_here(client, county):
    from gongkai.apps.online.apply_intake import enable_online_intake, intake_account

    enable_online_intake(county["finance"])
    intake = intake_account()
    as_user(client, county["fin_approver"])
    assert "网上申请系统" in text(client.get(f"/manage/staff/agency/{county['finance'].pk}/"))
    assert client.post(f"/manage/staff/{intake.pk}/active/", {"active": "1"}).status_code == 403
    assert client.post(f"/manage/staff/{intake.pk}/password/", {"password": GOOD, "password2": GOOD}).status_code == 403
    assert client.post(f"/manage/staff/{intake.pk}/roles/", {"agency": county["finance"].pk,
                                                             "roles": ["approver"]}).status_code == 403
    intake.refresh_from_db()
    assert not intake.is_active and not intake.has_usable_password()
    assert roles_of(intake, county["finance"]) == {"registrar"}
