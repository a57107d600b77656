"""The site probed as an attacker and as an unlucky operator would (issue 12): production
defaults (no debug page, a secret key of the installation's own, ``check --deploy`` clean, static
files served), error pages in Chinese that show nothing technical, bad input answered 400, login
lockouts, password rules, idle sessions, oversized bodies refused before they are read, failed
online submissions throttled, tracking codes kept out of the session table, SQLite taking
concurrent writes, applicants' ID numbers never shown in full, the admin unable to rewrite a case.
Django's test client, a live server for the raw-socket probe, and subprocesses for the settings as
a fresh process reads them. Closed years (a published report changes only through an approved
version) are probed through the pages in ``test_report_versions.py``; who sees whose cases at
every level of the tree in ``test_permissions.py``."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path
from django.utils import timezone

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.web import urls as site_urls

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()


def text(response) -> str:
    return response.content.decode("utf-8")


def fresh_process(code: str, data_dir: Path, **env) -> subprocess.CompletedProcess:
    """``code`` run in a new Python with the settings as an installation without any setting reads them."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "GONGKAI_")) and k != "DATABASE_URL"}
    clean.update({"DJANGO_SETTINGS_MODULE": "gongkai.web.settings", "GONGKAI_DATA_DIR": str(data_dir),
                  "PYTHONPATH": str(ROOT / "src"), **env})
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=300,
                          cwd=data_dir)


# ------------------------------------------------------------------ production defaults


def test_debug_is_off_and_a_secret_key_is_made_once_and_kept_private(tmp_path):
    code = "from django.conf import settings as s; import django; django.setup(); print(s.DEBUG, s.SECRET_KEY)"
    first = fresh_process(code, tmp_path)
    assert first.returncode == 0, first.stderr
    debug, key = first.stdout.split()
    assert debug == "False" and len(key) >= 50 and "development" not in key
    kept = tmp_path / "secret_key"
    assert kept.read_text().strip() == key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    second = fresh_process(code, tmp_path)
    assert second.stdout.split()[1] == key  # the same key on every start: sessions survive restarts
    assert fresh_process(code, tmp_path, DJANGO_DEBUG="1").stdout.split()[0] == "True"


def test_workers_starting_together_agree_on_one_key(tmp_path):
    from gongkai.web.secret import load_or_create_secret_key

    keys: list[str] = []
    barrier = threading.Barrier(8)

    def start():
        barrier.wait()
        keys.append(load_or_create_secret_key(tmp_path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_check_deploy_prints_no_warning_with_the_documented_production_settings(tmp_path):
    env = {"GONGKAI_HTTPS": "1", "DJANGO_ALLOWED_HOSTS": "gongkai.example.gov.cn"}
    code = ("import sys; from django.core.management import execute_from_command_line; "
            "execute_from_command_line(['gongkai-manage', 'check', '--deploy', '--fail-level', 'WARNING'])")
    result = fresh_process(code, tmp_path, **env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr and "no issues" in result.stdout
    # The same settings without HTTPS are not production-ready, and check --deploy says so.
    plain = fresh_process(code, tmp_path, DJANGO_ALLOWED_HOSTS="gongkai.example.gov.cn")
    assert plain.returncode != 0 and "security.W004" in plain.stderr


def test_the_stylesheets_are_served_with_debug_off(client, settings, db):
    assert settings.DEBUG is False
    page = client.get("/accounts/login/")
    link = re.search(r'href="(/static/gongkai/base[^"]*\.css)"', text(page))
    assert link, text(page)
    css = client.get(link.group(1))
    assert css.status_code == 200 and b"{" in b"".join(css.streaming_content)
    assert client.get("/static/gongkai/base.css").status_code == 200


# ------------------------------------------------------------------ error pages


def boom(request):
    raise RuntimeError("secret detail: postgres://gongkai:hunter2@db/gongkai")


def forbidden(request):
    raise PermissionDenied("只有本机关的审核人员才能批准")


urlpatterns = [
    path("boom/", boom),
    path("public/boom/", boom),
    path("forbidden/", forbidden),
    *site_urls.urlpatterns,
]
# The site's handlers (Django's defaults where the site has none: the tests then fail, not error).
handler400 = getattr(site_urls, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(site_urls, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(site_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(site_urls, "handler500", "django.views.defaults.server_error")


@pytest.fixture
def erring(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_server_error_shows_a_chinese_page_and_logs_the_traceback(erring, caplog):
    for url, layout in [("/boom/", "返回工作台"), ("/public/boom/", "返回政府信息公开首页")]:
        caplog.clear()
        response = erring.get(url)
        body = text(response)
        assert response.status_code == 500 and "系统出现错误" in body and layout in body
        assert "hunter2" not in body and "Traceback" not in body and "RuntimeError" not in body
        logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
        assert logged and "hunter2" in str(logged[0].exc_info[1])  # the traceback is in the log


@pytest.mark.django_db
def test_not_found_and_forbidden_pages_are_chinese_in_the_right_layout(erring):
    public = erring.get("/public/agencies/987654/")
    assert public.status_code == 404 and "页面不存在" in text(public) and "信息检索" in text(public)
    staff = erring.get("/no-such-page/")
    assert staff.status_code == 404 and "页面不存在" in text(staff) and "返回工作台" in text(staff)
    denied = erring.get("/forbidden/")
    assert denied.status_code == 403 and "只有本机关的审核人员才能批准" in text(denied)


# ------------------------------------------------------------------ bad input


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)


@pytest.mark.parametrize("url, message", [
    ("/public/deadline/?received=9999-12-31", "超出可计算的范围"),
    ("/public/deadline/?received=2026-03-02&corrected=9999-12-31", "超出可计算的范围"),
    ("/public/deadline/?received=9999-12-31&format=json", "超出可计算的范围"),
    ("/public/api/items?page=%C2%B2", "参数 page"),
    ("/public/api/items?page=%D9%A3", "参数 page"),  # an Arabic-Indic three
    ("/public/api/items?page=" + "9" * 5000, "参数 page"),
    ("/public/api/items?page=-1", "参数 page"),
    ("/public/api/items?per_page=%EF%BC%95", "参数 per_page"),  # a full-width five
    ("/public/api/items?agency=%C2%B2", "参数 agency"),
    ("/public/api/categories?agency=%C2%B2", "参数 agency"),
])
def test_bad_parameters_get_400_with_a_chinese_message(client, agency, url, message):
    response = client.get(url)
    assert response.status_code == 400 and message in text(response)


@pytest.mark.parametrize("url", [
    "/public/search/?q=预算&agency=%C2%B2",
    "/public/search/?q=预算&page=%C2%B2",
    "/public/agencies/{agency}/catalogue/?page=%C2%B2",
    "/public/agencies/{agency}/catalogue/?page=" + "9" * 5000,
    "/public/agencies/{agency}/reports/99999999999999999999/",
    "/public/agencies/{agency}/reports/0/",
    "/public/agencies/{agency}/reports/99999/pdf/",
])
def test_public_pages_fall_back_or_say_not_found_but_never_fail(client, agency, url):
    response = client.get(url.format(agency=agency.pk))
    assert response.status_code in (200, 404), text(response)[:500]


@pytest.mark.parametrize("suffix, method", [
    ("99999/", "get"), ("0/", "get"), ("99999/download/docx/", "get"), ("1999/download/pdf/", "get"),
    ("99999/close/", "post"), ("99999/table2/", "post"), ("99999/narrative/", "post"),
])
def test_staff_report_years_out_of_range_are_refused_cleanly(client, agency, suffix, method):
    approver = User.objects.create_user("approver")
    Membership.objects.create(user=approver, agency=agency, role=Membership.Role.APPROVER)
    client.force_login(approver)
    response = getattr(client, method)(f"/reports/{agency.pk}/{suffix}")
    assert response.status_code in (400, 404), text(response)[:500]


# ------------------------------------------------------------------ logins


@pytest.fixture
def staff(db):
    agency = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT)
    user = User.objects.create_user("wang", password="Correct-Horse-9", email="wangxiaoming@example.cn")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.HANDLER)
    return user


def login(client, username, password, address="10.1.1.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_brute_force_on_an_account_is_locked_out_even_with_the_right_password(client, staff):
    for _ in range(4):
        assert login(client, "wang", "wrong-password").status_code == 200
    assert login(client, "wang", "wrong-password").status_code == 429  # the fifth failure locks
    locked = login(client, "wang", "Correct-Horse-9")
    assert locked.status_code == 429 and "登录已暂停" in text(locked) and "15分钟" in text(locked)
    assert "_auth_user_id" not in Client().session  # nobody is signed in
    # From another address too: the account itself is locked.
    assert login(Client(), "wang", "Correct-Horse-9", address="10.2.2.2").status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(client, staff):
    for n in range(5):
        login(client, f"guess{n}", "123456", address="10.3.3.3")
    assert login(client, "wang", "Correct-Horse-9", address="10.3.3.3").status_code == 429
    ok = login(Client(), "wang", "Correct-Horse-9", address="10.4.4.4")
    assert ok.status_code == 302


def test_staff_change_their_password_under_the_password_rules(client, staff):
    client.force_login(staff)
    home = text(client.get("/"))
    assert 'href="/accounts/password/"' in home and "修改密码" in home
    for weak, rule in [("1", "密码长度太短，至少需要10个字符"), ("1234567890", "这个密码太常见了"),
                       ("8405918273", "密码只包含数字"), ("wangxiaoming", "太相似")]:
        refused = client.post("/accounts/password/", {"old_password": "Correct-Horse-9", "new_password1": weak,
                                                      "new_password2": weak})
        assert refused.status_code == 200 and rule in text(refused), weak
    done = client.post("/accounts/password/", {"old_password": "Correct-Horse-9", "new_password1": "Lantern-Orbit-42",
                                                "new_password2": "Lantern-Orbit-42"}, follow=True)
    assert "密码已修改" in text(done)
    staff.refresh_from_db()
    assert staff.check_password("Lantern-Orbit-42")


def test_an_idle_staff_session_ends(client, staff, settings):
    assert login(client, "wang", "Correct-Horse-9").status_code == 302
    assert client.get("/").status_code == 200
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.expire_date <= timezone.now() + timedelta(minutes=30, seconds=5)
    # Half an hour without a request: the session has ended.
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# ------------------------------------------------------------------ oversized bodies


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of an oversized request was read")

    readline = read


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/public/apply/", "/accounts/login/", "/public/track/"])
def test_an_oversized_body_is_refused_from_its_headers(client, url):
    response = client.generic("POST", url, b"", content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(2 * 1024 ** 3), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413 and "提交的内容过大" in text(response)


@pytest.mark.django_db(transaction=True)
def test_the_running_server_answers_413_before_the_body_arrives(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(b"POST /public/apply/ HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\n"
                     b"Content-Length: 2147483648\r\n\r\n--x\r\n")  # 2 GB announced, 5 bytes sent
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")


# ------------------------------------------------------------------ online applications


@pytest.fixture
def intake(db):
    from gongkai.apps.online.apply_intake import enable_online_intake

    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT)
    enable_online_intake(bureau)
    return bureau


def application_form(bureau, **extra) -> dict:
    data = {"agency": str(bureau.pk), "applicant_type": "natural_person", "applicant_name": "张三丰",
            "id_type": "居民身份证", "id_number": "11010519491231002X", "phone": "13800138000",
            "email": "zhang@example.cn", "address": "某县人民路1号", "description": "2025年某县财政局部门预算公开表",
            "form_wanted": "电子数据", "delivery_wanted": "电子邮件", "truthful": "on", "website": ""}
    data.update(extra)
    return data


def test_forms_with_mistakes_count_against_the_address(client, intake, settings):
    settings.GONGKAI_THROTTLE_APPLY_IP = (3, 3600)
    for _ in range(3):
        assert client.post("/public/apply/", application_form(intake, id_number="123"),
                           REMOTE_ADDR="10.5.5.5").status_code == 400
    throttled = client.post("/public/apply/", application_form(intake), REMOTE_ADDR="10.5.5.5")
    assert throttled.status_code == 429


def test_the_tracking_code_never_reaches_the_session_table(client, intake):
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(User.objects.create_user("visitor"))  # a session exists for this browser
    response = client.post("/public/apply/", application_form(intake), REMOTE_ADDR="10.6.6.6")
    assert response.status_code == 302
    page = text(client.get("/public/apply/receipt/"))
    code = re.search(r'<p class="tracking-code"><code>([A-Z0-9-]+)</code>', page).group(1)
    bare = code.replace("-", "")
    stored = [SessionStore().decode(s.session_data) for s in Session.objects.all()]
    assert stored, "the browser has a session"
    dumped = json.dumps(stored, ensure_ascii=False)
    assert bare not in dumped and code not in dumped
    # The receipt still shows the code on a reload, and only in this browser.
    assert code in text(client.get("/public/apply/receipt/"))
    assert Client().get("/public/apply/receipt/").status_code == 404


# ------------------------------------------------------------------ SQLite under concurrent writes


def test_sqlite_takes_eight_concurrent_writers_without_error(tmp_path):
    database = tmp_path / "concurrent.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"PYTHONPATH": str(ROOT / "src"), "GONGKAI_DATA_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "concurrent_writes.py"), "--sqlite",
                             str(database), "--threads", "8", "--applications", "80", "--json"],
                            env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = json.loads(result.stdout)
    assert run["database"] == "sqlite" and run["errors"] == [] and run["registered"] == 80
    assert run["serials"] == list(range(1, 81))  # no number given twice, none skipped


def test_codes_kept_in_sessions_before_the_upgrade_are_removed(db):
    """The migration that takes the tracking codes the old receipts kept out of the session table."""
    import importlib

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore

    old = SessionStore()
    old["portal_online_receipt"] = {"application": 1, "code": "ABCDEFGHJKMN", "until": 0}
    old["other"] = "kept"
    old.create()
    migration = importlib.import_module("gongkai.apps.portal.migrations.0003_forget_receipt_codes_in_sessions")
    migration.forget_codes(apps, None)
    data = SessionStore().decode(Session.objects.get(pk=old.session_key).session_data)
    assert data == {"other": "kept"}


# ------------------------------------------------------------------ applicants' data, the admin


@pytest.fixture
def filed_case(db):
    from gongkai.apps.cases.services import register_application

    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    people = {}
    for name, agency, role in [("registrar", bureau, "registrar"), ("handler", bureau, "handler"),
                               ("supervisor", county, "supervisor")]:
        people[name] = User.objects.create_user(f"probe_{name}", password="x")
        Membership.objects.create(user=people[name], agency=agency, role=role)
    case = register_application(people["registrar"], bureau, applicant_type="natural_person", applicant_name="张三",
                                id_number="110101199003074514", phone="13800000000", channel="letter",
                                received_on=timezone.localdate() - timedelta(days=3), description="某项目的预算")
    return case, people


@pytest.mark.parametrize("who", ["registrar", "handler", "supervisor"])
def test_no_staff_page_shows_an_id_number_in_full(client, filed_case, who):
    from django.urls import reverse

    case, people = filed_case
    client.force_login(people[who])
    for url in (reverse("desk:case", args=[case.pk]), reverse("desk:worklist", args=["open"])):
        page = client.get(url)
        assert page.status_code == 200 and "110101199003074514" not in text(page), (who, url)
        assert page["Cache-Control"].startswith("no-store")
    assert "1101**********4514" in text(client.get(reverse("desk:case", args=[case.pk])))


def test_a_superuser_cannot_rewrite_a_case_through_the_admin(client, filed_case):
    from django.urls import reverse

    case, _ = filed_case
    client.force_login(User.objects.create_superuser("probe_root", password="x"))
    response = client.post(reverse("admin:cases_application_change", args=[case.pk]),
                           {"applicant_name": "李四", "received_on": "2026-01-05"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.applicant_name == "张三" and case.events.count() == 1


def test_every_page_is_in_chinese_whatever_language_the_browser_asks_for(client, db):
    """What people read is in Chinese: a browser set to English still gets 用户名/密码 (Django's
    own forms and the admin included), not "Username"."""
    for language in ("en-US,en;q=0.9", "fr", "zh-TW", ""):
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200 and "用户名" in text(page) and "Username" not in text(page), language
        assert page["Content-Language"] == "zh-hans"
