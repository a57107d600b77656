"""The demo commands as a new user runs them: ``gongkai-manage demo --no-serve`` on an empty
SQLite database, then ``load_demo`` refusing a database that has cases."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher

MANAGE = Path(sys.executable).parent / "gongkai-manage"


def run(args, data_dir: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(MANAGE), *args], env=env, capture_output=True, text=True, timeout=600)


def test_demo_command_migrates_loads_prints_the_accounts_and_refuses_to_load_twice(tmp_path):
    result = run(["demo", "--no-serve", "--cases", "400"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "http://127.0.0.1:8000/" in out and "演示账号的密码均为：gongkai-demo" in out
    assert "zhuguan" in out and "xzf_chengban" in out and "xzf_shenhe" in out and "xzf_lingdao" in out
    # which account for what: registrar, handler, approver, catalogue reviewers, supervisor
    for use in ("登记申请", "承办申请", "审核签发", "目录信息初审", "目录信息发布审核", "上级主管"):
        assert use in out, use
    db = sqlite3.connect(tmp_path / "gongkai.sqlite3")
    (agencies,) = db.execute("select count(*) from agencies_agency").fetchone()
    (cases,) = db.execute("select count(*) from cases_application").fetchone()
    (closed,) = db.execute("select count(distinct agency_id) from cases_yearclose where year = ?",
                           (date.today().year - 1,)).fetchone()
    (events,) = db.execute("select count(*) from cases_caseevent").fetchone()
    assert agencies == 50 and cases == 400 and closed == 50 and events > 3 * cases
    # every case went through the services: registered and assigned, refusals signed with their letter
    (registered,) = db.execute("select count(*) from cases_caseevent where event = 'register'").fetchone()
    (assigned,) = db.execute("select count(*) from cases_caseevent where event = 'assign'").fetchone()
    assert registered == assigned == cases
    (unsigned,) = db.execute("select count(*) from cases_application a where (a.outcome like 'denied_%' or "
                             "a.outcome = 'partial') and not exists (select 1 from signoff_decisiondraft d where "
                             "d.application_id = a.id and d.state = 'signed' and d.letter_id is not null)").fetchone()
    assert unsigned == 0
    (settings,) = db.execute("select count(*) from letters_lettersettings").fetchone()
    assert settings == 50  # every demo agency's letters can be generated
    # the applicants are made up: no e-mail or SMS was sent or queued for them (online.notify)
    assert db.execute("select count(*) from online_applicantmessage").fetchone() == (0,)
    assert "[短信]" not in result.stdout  # no SMS printed by the console sender (online.sms)
    (online,) = db.execute("select count(*) from portal_onlineintake where enabled").fetchone()
    assert online == 50  # the portal's application form offers every demo agency
    (published,) = db.execute("select count(*) from catalogue_item where state = 'published'").fetchone()
    (indexed,) = db.execute("select count(*) from search_searchentry").fetchone()
    assert published == indexed == 60  # the portal, its search and feeds have content
    # The county's 政务公开办 holds the reports of the two years before the registry's, read by a
    # job of the queue, with the faults placed on purpose (apps/demo/reports.py).
    last = date.today().year - 1
    years = dict(db.execute("select year, count(*) from supervision_collectedreport where agency_id is not null "
                            "and status = 'read' group by year").fetchall())
    assert years[last - 2] == 49 and years[last - 1] == 50  # 档案馆 sent nothing for the earliest year
    # last year's reports came through the system: accepted, 3 awaiting review, 1 returned
    submitted = dict(db.execute("select state, count(*) from supervision_submission group by state").fetchall())
    assert submitted.get("submitted") == 3 and submitted.get("returned") == 1
    assert years.get(last) == submitted["accepted"] >= 40
    (job_state,) = db.execute("select state from supervision_job").fetchone()
    assert job_state == "done"
    cross = " ".join(c for (c,) in db.execute("select cross_findings from supervision_collectedreport"))
    assert '"X-copied"' in cross and '"X-in-force"' in cross
    assert '"X-carry-over"' not in cross  # the numbers chain from year to year
    (figures,) = db.execute("select count(*) from supervision_regionfigure").fetchone()
    assert figures == 50 * 3
    # The password printed works.
    (password,) = db.execute("select password from auth_user where username = 'zhuguan'").fetchone()
    assert PBKDF2PasswordHasher().verify("gongkai-demo", password)  # the production hasher
    db.close()
    again = run(["demo", "--no-serve"], tmp_path)
    assert again.returncode == 0 and "已有申请，不再载入" in again.stdout and "zhuguan" in again.stdout
    assert "xzf_lingdao" in again.stdout  # the second run lists the same accounts
    refused = run(["load_demo", "--cases", "10"], tmp_path)
    assert refused.returncode != 0 and "已有申请" in refused.stderr
    forced = run(["load_demo", "--cases", "200", "--force"], tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "绿水县" in forced.stdout and "lvshui_zhuguan" in forced.stdout
    db = sqlite3.connect(tmp_path / "gongkai.sqlite3")
    assert db.execute("select count(*) from cases_application").fetchone() == (600,)
    assert db.execute("select count(*) from agencies_agency").fetchone() == (100,)


def test_the_demo_starts_redis_and_a_worker_beside_the_web_server_and_stops_them(tmp_path):
    """With no Redis answering at GONGKAI_QUEUE_URL, ``demo`` starts a private redis-server and a
    Celery worker; a job queued from another command is done by that worker; Ctrl+C stops both."""
    import signal
    import socket
    import time

    from gongkai.apps.supervision.services import redis_answers

    from ..conftest import SEEDS

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_QUEUE_URL="redis://127.0.0.1:1/0", PYTHONUNBUFFERED="1")
    demo = subprocess.Popen([str(MANAGE), "demo", "--cases", "200", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        for line in demo.stdout:
            lines.append(line)
            if "按 Ctrl+C 停止" in line:
                break
        text = "".join(lines)
        assert "redis://127.0.0.1:1/0 没有应答，已在本机启动 Redis" in text, text
        url = text.split("任务队列：", 1)[1].split()[0]
        assert url.startswith("redis://127.0.0.1:") and redis_answers(url)
        worker_pid = int(text.split("后台任务进程已启动（进程号 ", 1)[1].split("）", 1)[0])
        env["GONGKAI_QUEUE_URL"] = url
        queued = subprocess.run([str(MANAGE), "collect_reports", "--region", "青山县人民政府", str(SEEDS["000"])],
                                env=env, capture_output=True, text=True, timeout=300)
        assert queued.returncode == 0, queued.stderr
        assert "已完成，已处理 1/1，失败 0" in queued.stdout and "未匹配到机关 1" in queued.stdout
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=60)
    assert not redis_answers(url)
    for _ in range(100):
        try:
            os.kill(worker_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the demo's worker is still running")
