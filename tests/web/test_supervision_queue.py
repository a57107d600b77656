"""The supervising office's jobs on a real task queue: a Celery worker consuming from Redis (not
eager mode) reads a bulk upload (a ZIP of the seed reports, a broken file and a duplicate) and
collects reports from a local HTTP server (reports in several formats, a 404, a file too big, a
server too slow, an address robots.txt forbids, a server that fails once and is tried again);
the job's progress and every item's result are kept."""

from __future__ import annotations

import http.server
import io
import threading
import time
import zipfile

import pytest
from django.contrib.auth import get_user_model

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.supervision import collecting
from gongkai.apps.supervision.intake import file_inputs, match_agency, recheck_inputs
from gongkai.apps.supervision.jobs import Input, start_job
from gongkai.apps.supervision.models import CollectedReport, Job, JobItem
from gongkai.core.report.parsing import read_report
from gongkai.core.report.render import build_document, render

from ..conftest import SEEDS
from .queue_worker import celery_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)  # the worker thread sees committed rows only

# The agencies of the test region named as in the seeds (the reports add the place before them).
AGENCIES = ["兴隆庄街道", "小孟镇人民政府", "王因街道办事处"]


@pytest.fixture
def region(db):
    region = Agency.objects.create(name="测试市人民政府", kind=Agency.Kind.COUNTY)
    for name in AGENCIES:
        Agency.objects.create(name=name, kind=Agency.Kind.TOWNSHIP, parent=region)
    return region


@pytest.fixture
def supervisor(region):
    user = get_user_model().objects.create_user("zhuguan", password="x" * 12)
    Membership.objects.create(user=user, agency=region, role=Membership.Role.SUPERVISOR)
    return user


@pytest.fixture
def worker(settings, tmp_path):
    with celery_worker(settings, tmp_path) as app:
        yield app


def seed_zip(tmp_path):
    """The five seeds, a copy of seed 000 under another name, a broken PDF and a note that is not
    a report format (skipped by the expansion)."""
    path = tmp_path / "reports.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for key, seed in SEEDS.items():
            zf.write(seed, f"报告/{seed.name}")
        zf.write(SEEDS["000"], "报告/副本/兴隆庄-重复.txt")
        zf.writestr("报告/损坏.pdf", b"%PDF-1.7\n this is not a PDF at all \x00\x01\x02")
        zf.writestr("报告/说明.jpg", b"\xff\xd8\xff not a report")
    return path


def test_a_bulk_upload_is_read_checked_matched_and_deduplicated_by_a_worker(region, supervisor, worker, tmp_path,
                                                                            client):
    job = start_job(region, Job.Kind.READ, {}, supervisor, file_inputs([seed_zip(tmp_path)]))
    assert job.total == 7 and job.state == Job.State.QUEUED
    job, seen = wait_for(job)
    assert job.state == Job.State.DONE, job.error
    assert (job.done, job.total, job.failed) == (7, 7, 1)
    assert all(done <= total for done, total in seen) and seen == sorted(seen)  # progress only grows
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    items = {item.source.rsplit("/", 1)[-1]: item for item in job.items.all()}
    statuses = {name: item.status for name, item in items.items()}
    assert statuses == {
        SEEDS["000"].name: "ok", SEEDS["001"].name: "unmatched", SEEDS["002"].name: "ok",
        SEEDS["003"].name: "unmatched", SEEDS["004"].name: "ok", "兴隆庄-重复.txt": "duplicate", "损坏.pdf": "error",
    }
    assert job.summary == {"items": {"ok": 3, "unmatched": 2, "duplicate": 1, "error": 1}}
    broken = items["损坏.pdf"]
    assert broken.code == "broken_file" and "损坏" in broken.message
    assert items["兴隆庄-重复.txt"].collected_id == items[SEEDS["000"].name].collected_id
    assert all(item.data is None for item in items.values())  # the inputs' bytes live on in the reports only
    assert all(item.attempts == 1 for item in items.values())
    # The collected reports: one per content, matched to the region's agencies, with the year,
    # the findings of the checks and the file itself.
    reports = CollectedReport.objects.filter(region=region)
    assert reports.count() == 6
    by_agency = {r.agency.name: r for r in reports.filter(agency__isnull=False)}
    assert set(by_agency) == set(AGENCIES)
    assert by_agency["小孟镇人民政府"].agency_name == "济宁市兖州区小孟镇人民政府"
    assert {r.year for r in by_agency.values()} == {2022, 2023}
    for seed in SEEDS.values():
        row = reports.get(source__endswith=seed.name)
        expected = read_report(seed)
        assert row.status == "read" and row.origin == "uploaded" and bytes(row.data) == seed.read_bytes()
        assert row.year == expected.year and row.report["agency"] == expected.agency
        assert row.received_by == supervisor and row.job == job
    unreadable = reports.get(status="unreadable")
    assert unreadable.error_code == "broken_file" and unreadable.agency is None
    # What the supervisor sees: the finished progress, each item's result, the region's list.
    client.force_login(supervisor)
    page = client.get(f"/supervision/jobs/{job.pk}/").content.decode()
    assert '<progress id="job-progress" value="7" max="7">' in page and "已完成" in page
    assert "内容与已收取的报告" in page and "未匹配到机关" in page and "文件已损坏或格式不正确" in page
    listing = client.get(f"/supervision/{region.pk}/reports/").content.decode()
    assert all(name in listing for name in AGENCIES) and listing.count('href="/supervision/reports/') == 6
    xiaomeng = by_agency["小孟镇人民政府"]
    report_page = client.get(f"/supervision/reports/{xiaomeng.pk}/").content.decode()
    assert xiaomeng.sha256 in report_page and "<table" in report_page and "济宁市兖州区小孟镇人民政府" in report_page
    assert all(f["message"] in report_page for f in xiaomeng.findings if "<" not in f["message"] and "&" not in f["message"])
    # The same archive again: every readable content is already there.
    again, _ = wait_for(start_job(region, Job.Kind.READ, {}, supervisor, file_inputs([seed_zip(tmp_path)])))
    assert again.summary == {"items": {"duplicate": 7}} and again.failed == 0
    assert CollectedReport.objects.filter(region=region).count() == 6


def test_recheck_reads_every_collected_report_of_the_region_again(region, supervisor, worker, tmp_path):
    wait_for(start_job(region, Job.Kind.READ, {}, supervisor, file_inputs([SEEDS["002"], SEEDS["001"]])))
    row = CollectedReport.objects.get(region=region, agency__isnull=False)
    CollectedReport.objects.filter(pk=row.pk).update(findings=[], report=None)
    unmatched = CollectedReport.objects.get(region=region, agency__isnull=True)
    Agency.objects.create(name="王府街道办事处", kind=Agency.Kind.TOWNSHIP, parent=region)  # the region grows
    job, _ = wait_for(start_job(region, Job.Kind.RECHECK, {}, supervisor, recheck_inputs(region)))
    assert job.summary == {"items": {"ok": 2}}
    row.refresh_from_db()
    unmatched.refresh_from_db()
    assert row.report["agency"] == "济宁市兖州区小孟镇人民政府" and row.findings == [
        f.to_json() for f in __import__("gongkai.core.report.checking", fromlist=["x"]).check_report(
            read_report(SEEDS["002"]))]
    assert unmatched.agency.name == "王府街道办事处"


# ----------------------------------------------------------------------------- collection


class Site:
    """A local web site of reports: what it serves, and every request it saw (path, User-Agent)."""

    def __init__(self, tmp_path):
        self.seen: list[tuple[str, str, float]] = []
        self.flaky_failures = 1
        docx = render(build_document(read_report(SEEDS["004"])), "docx")
        html = render(build_document(read_report(SEEDS["000"])), "html")
        self.pages = {
            "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
            "/reports/xiaomeng.txt": (200, "text/plain; charset=utf-8", SEEDS["002"].read_bytes()),
            "/reports/wangyin": (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx),
            "/reports/xinglongzhuang.html": (200, "text/html; charset=utf-8", html),
            "/reports/copy-of-xiaomeng.txt": (200, "text/plain", SEEDS["002"].read_bytes()),
            "/reports/huge.txt": (200, "text/plain", b"x" * 300_000),
            "/private/secret.txt": (200, "text/plain", SEEDS["001"].read_bytes()),
            "/reports/flaky.txt": (200, "text/plain", SEEDS["003"].read_bytes()),
        }
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                site.seen.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
                if self.path == "/reports/slow.txt":
                    time.sleep(3)
                if self.path == "/reports/flaky.txt" and site.flaky_failures:
                    site.flaky_failures -= 1
                    self.send_error(503)
                    return
                if self.path not in site.pages:
                    self.send_error(404)
                    return
                status, kind, body = site.pages[self.path]
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site(tmp_path):
    s = Site(tmp_path)
    yield s
    s.close()


@pytest.fixture
def collect_settings(settings):
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = True  # the local test site is on the loopback
    settings.GONGKAI_COLLECT_TIMEOUT = 1
    settings.GONGKAI_COLLECT_MAX_BYTES = 200_000
    settings.GONGKAI_COLLECT_DELAY_MS = 150
    return settings


def test_collecting_from_web_addresses_politely_with_limits_and_retries(region, supervisor, collect_settings,
                                                                         worker, site):
    paths = ["/reports/xiaomeng.txt", "/reports/wangyin", "/reports/xinglongzhuang.html",
             "/reports/copy-of-xiaomeng.txt", "/reports/missing.txt", "/reports/huge.txt", "/reports/slow.txt",
             "/private/secret.txt", "/reports/flaky.txt", "ftp://example.invalid/a.txt"]
    urls = [p if "://" in p else site.base + p for p in paths]
    job = start_job(region, Job.Kind.COLLECT, {}, supervisor, [Input(u) for u in urls])
    job, seen = wait_for(job)
    assert job.state == Job.State.DONE and (job.done, job.total) == (10, 10)
    assert seen == sorted(seen)
    items = {item.source.replace(site.base, ""): item for item in job.items.all()}
    assert {k: (v.status, v.code) for k, v in items.items()} == {
        "/reports/xiaomeng.txt": ("ok", ""),
        "/reports/wangyin": ("ok", ""),
        "/reports/xinglongzhuang.html": ("ok", ""),
        "/reports/copy-of-xiaomeng.txt": ("duplicate", "duplicate"),
        "/reports/missing.txt": ("error", "http_error"),
        "/reports/huge.txt": ("error", "too_large"),
        "/reports/slow.txt": ("error", "fetch_timeout"),
        "/private/secret.txt": ("error", "robots_disallowed"),
        "/reports/flaky.txt": ("unmatched", "unmatched"),
        "ftp://example.invalid/a.txt": ("error", "bad_address"),
    }
    assert job.failed == 5
    assert "404" in items["/reports/missing.txt"].message and "下载超时" in items["/reports/slow.txt"].message
    assert "robots.txt" in items["/private/secret.txt"].message and "文件太大" in items["/reports/huge.txt"].message
    assert items["/reports/flaky.txt"].attempts == 2  # a 503, then the report on the retry
    rows = {r.source.replace(site.base, ""): r for r in CollectedReport.objects.filter(region=region)}
    assert set(rows) == {"/reports/xiaomeng.txt", "/reports/wangyin", "/reports/xinglongzhuang.html",
                         "/reports/flaky.txt"}
    assert rows["/reports/wangyin"].agency.name == "王因街道办事处" and rows["/reports/wangyin"].fmt == "docx"
    assert rows["/reports/xinglongzhuang.html"].agency.name == "兴隆庄街道"
    assert rows["/reports/xiaomeng.txt"].agency.name == "小孟镇人民政府"
    assert all(r.origin == "collected" and r.status == "read" for r in rows.values())
    # Polite: robots.txt asked once, the private page never, every request named Gongkai, one
    # request at a time with the delay between the end of one and the start of the next.
    asked = [path for path, _, _ in site.seen]
    assert asked.count("/robots.txt") == 1 and asked[0] == "/robots.txt" and "/private/secret.txt" not in asked
    assert all("Gongkai" in agent for _, agent, _ in site.seen)
    starts = [t for _, _, t in site.seen]
    assert all(later - earlier >= 0.15 for earlier, later in zip(starts, starts[1:]))


def test_a_loopback_address_is_refused_unless_the_setting_allows_it(settings, worker, site):
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = False
    settings.GONGKAI_LINK_CHECK_PRIVATE_HOSTS = []
    with pytest.raises(collecting.FetchError) as refused:
        collecting.fetch(site.base + "/reports/xiaomeng.txt")
    assert refused.value.code == "refused_address" and "内网" in refused.value.message
    assert site.seen == []


def test_agency_names_match_by_the_name_the_report_ends_with(region):
    agencies = list(region.subtree())
    assert match_agency("济宁市兖州区小孟镇人民政府", agencies).name == "小孟镇人民政府"
    assert match_agency("  兴隆庄 街道 ", agencies).name == "兴隆庄街道"
    assert match_agency("济宁高新区王因街道办事处", agencies).name == "王因街道办事处"
    assert match_agency("青州市王府街道办事处", agencies) is None
    assert match_agency("", agencies) is None


def test_the_command_line_queues_a_job_and_follows_it_to_the_end(region, worker, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    folder = tmp_path / "报告"
    folder.mkdir()
    for key in ("000", "002"):
        (folder / SEEDS[key].name).write_bytes(SEEDS[key].read_bytes())
    call_command("collect_reports", "--region", "测试市人民政府", str(folder), stdout=out)
    text = out.getvalue()
    job = Job.objects.get()
    assert f"已登记任务 #{job.pk}：2 项" in text and "已收取 2" in text and "2/2" in text
    assert job.state == Job.State.DONE and job.created_by is None
    assert set(CollectedReport.objects.values_list("agency__name", flat=True)) == {"兴隆庄街道", "小孟镇人民政府"}
    status = io.StringIO()
    call_command("job_status", str(job.pk), "--no-wait", stdout=status)
    assert f"任务 #{job.pk}（读取上传的报告，测试市人民政府）：已完成，已处理 2/2，失败 0" in status.getvalue()
    queued = io.StringIO()
    call_command("recheck_reports", "--region", str(region.pk), "--no-wait", stdout=queued)
    assert "已登记任务" in queued.getvalue() and "2 份报告" in queued.getvalue()
    with pytest.raises(CommandError, match="没有编号、统一社会信用代码或名称为“某县”的机关"):
        call_command("collect_reports", "--region", "某县", str(folder))
    with pytest.raises(CommandError, match="网址和文件请分两次提交"):
        call_command("collect_reports", "--region", str(region.pk), str(folder), "https://example.gov.cn/a.pdf")
