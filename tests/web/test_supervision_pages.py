"""The supervising office's collection pages: only a supervisor of the region's agency; the
upload and collection forms answer mistakes in Chinese and record a job with its items; the
job, list and report pages show what was kept. (The work of the queue itself, with a real
worker, is in test_supervision_queue.py.)"""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.supervision.models import CollectedReport, Job, JobItem

from ..conftest import SEEDS

PASSWORD = "correct horse battery"


@pytest.fixture
def region(db):
    region = Agency.objects.create(name="测试市人民政府", kind=Agency.Kind.COUNTY)
    Agency.objects.create(name="小孟镇人民政府", kind=Agency.Kind.TOWNSHIP, parent=region)
    return region


def person(username, agency, role):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def supervisor(region):
    return person("zhuguan", region, Membership.Role.SUPERVISOR)


@pytest.fixture
def stored(region, supervisor):
    """A finished job with one collected report, as a worker leaves them."""
    data = SEEDS["002"].read_bytes()
    job = Job.objects.create(region=region, kind=Job.Kind.READ, state=Job.State.DONE, total=1, done=1,
                             created_by=supervisor)
    row = CollectedReport.objects.create(region=region, agency=region.children.get(), agency_name="济宁市兖州区小孟镇人民政府",
                                         year=2022, origin="uploaded", source="报告/小孟镇.txt",
                                         sha256=hashlib.sha256(data).hexdigest(), fmt="txt", size=len(data),
                                         data=data, status="read", report=None,
                                         findings=[{"rule": "T3-total", "severity": "error", "title": "合计",
                                                    "message": "合计不等于各项之和"}], job=job)
    JobItem.objects.create(job=job, position=1, source="报告/小孟镇.txt", status="ok", collected=row, attempts=1)
    return job, row


def pages(job, row, region):
    return [f"/supervision/{region.pk}/reports/", f"/supervision/{region.pk}/upload/",
            f"/supervision/{region.pk}/collect/", f"/supervision/jobs/{job.pk}/", f"/supervision/reports/{row.pk}/",
            f"/supervision/reports/{row.pk}/file/"]


def test_only_a_supervisor_of_the_region_sees_the_pages(client, region, supervisor, stored):
    job, row = stored
    township = region.children.get()
    handler = person("chengban", region, Membership.Role.HANDLER)
    approver = person("shenhe", region, Membership.Role.APPROVER)
    below = person("xiaji", township, Membership.Role.SUPERVISOR)  # a supervisor of an agency of the region
    other = Agency.objects.create(name="别的县人民政府", kind=Agency.Kind.COUNTY)
    elsewhere = person("bieren", other, Membership.Role.SUPERVISOR)
    for user in (handler, approver, below, elsewhere):
        client.force_login(user)
        for url in pages(job, row, region):
            response = client.get(url)
            assert response.status_code == 403, (user.username, url)
        assert "上级主管" in client.get(pages(job, row, region)[0]).content.decode()
        assert client.post(f"/supervision/{region.pk}/recheck/").status_code == 403
    client.force_login(handler)
    assert client.get("/supervision/").status_code == 403
    assert "区域监督" not in client.get("/").content.decode()
    client.logout()
    assert client.get(pages(job, row, region)[0]).status_code == 302  # to the login page
    client.force_login(supervisor)
    for url in pages(job, row, region):
        assert client.get(url).status_code == 200, url
    assert client.get("/supervision/").url == f"/supervision/{region.pk}/"  # the region's dashboard
    assert "区域监督" in client.get("/").content.decode()


def test_the_upload_form_answers_mistakes_in_chinese(client, region, supervisor):
    client.force_login(supervisor)
    url = f"/supervision/{region.pk}/upload/"
    empty = client.post(url, {})
    assert empty.status_code == 400 and "请选择要上传的报告文件或 ZIP 压缩包" in empty.content.decode()
    bad_year = client.post(url, {"files": SimpleUploadedFile("a.txt", b"x"), "year": "1999"})
    assert bad_year.status_code == 400 and "年度不能早于 2008 年" in bad_year.content.decode()
    other = Agency.objects.create(name="别的县人民政府", kind=Agency.Kind.COUNTY)
    foreign = client.post(url, {"files": SimpleUploadedFile("a.txt", b"x"), "agency": other.pk})
    assert foreign.status_code == 400 and "所选机关不在本地区" in foreign.content.decode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("照片.jpg", b"\xff\xd8")
    nothing = client.post(url, {"files": SimpleUploadedFile("photos.zip", archive.getvalue())})
    assert nothing.status_code == 400 and "压缩包中没有可读取的报告文件" in nothing.content.decode()
    assert not Job.objects.exists()


def test_an_upload_records_a_job_with_one_item_per_file_and_archive_member(client, region, supervisor):
    client.force_login(supervisor)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SEEDS["000"], "a/000.txt")
        zf.write(SEEDS["001"], "a/001.txt")
    files = [SimpleUploadedFile("002.txt", SEEDS["002"].read_bytes()), SimpleUploadedFile("reports.zip", archive.getvalue()),
             SimpleUploadedFile("broken.zip", b"PK\x03\x04 not a zip")]
    response = client.post(f"/supervision/{region.pk}/upload/", {"files": files, "year": "2022"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/supervision/jobs/{job.pk}/"
    assert (job.kind, job.region, job.created_by, job.params) == ("read", region, supervisor, {"year": 2022})
    items = list(job.items.order_by("position"))
    assert [i.source for i in items] == ["002.txt", "reports.zip!a/000.txt", "reports.zip!a/001.txt", "broken.zip"]
    assert bytes(items[1].data) == SEEDS["000"].read_bytes() and items[1].status == "pending"
    assert items[3].status == "error" and items[3].code == "broken_file" and "ZIP" in items[3].message
    assert (job.total, job.done, job.failed) == (4, 1, 1)
    page = client.get(response.url).content.decode()
    assert '<progress id="job-progress" value="1" max="4">' in page and 'http-equiv="refresh"' in page
    assert "不是有效的 ZIP 压缩包" in page and "排队中" in page


def test_the_collection_form_checks_every_address(client, region, supervisor):
    client.force_login(supervisor)
    url = f"/supervision/{region.pk}/collect/"
    bad = client.post(url, {"addresses": "https://example.gov.cn/a.pdf\nfile:///etc/passwd\n\nnot an address"})
    assert bad.status_code == 400 and "第 2、4 行不是有效的 http:// 或 https:// 网址" in bad.content.decode()
    assert "请填写要采集的网址" in client.post(url, {"addresses": "  \n"}).content.decode()
    good = client.post(url, {"addresses": "https://example.gov.cn/a.pdf\n# a comment\nhttps://example.gov.cn/a.pdf\n"
                                          "http://example.gov.cn/b.html"})
    job = Job.objects.get()
    assert good.status_code == 302 and job.kind == "collect"
    assert list(job.items.values_list("source", flat=True)) == ["https://example.gov.cn/a.pdf",
                                                                "http://example.gov.cn/b.html"]


def test_the_pages_show_the_collected_report_and_its_file(client, region, supervisor, stored):
    job, row = stored
    client.force_login(supervisor)
    listing = client.get(f"/supervision/{region.pk}/reports/").content.decode()
    assert "小孟镇人民政府" in listing and "2022" in listing and "上传" in listing
    assert f'href="/supervision/reports/{row.pk}/"' in listing
    page = client.get(f"/supervision/reports/{row.pk}/").content.decode()
    assert "合计不等于各项之和" in page and row.sha256 in page and "错误 1 处" in page
    job_page = client.get(f"/supervision/jobs/{job.pk}/").content.decode()
    assert '<progress id="job-progress" value="1" max="1">' in job_page and 'http-equiv="refresh"' not in job_page
    download = client.get(f"/supervision/reports/{row.pk}/file/")
    assert download.content == SEEDS["002"].read_bytes()
    assert "attachment" in download["Content-Disposition"] and download["Content-Type"].startswith("text/plain")


def test_the_office_assigns_an_unmatched_report_to_an_agency(client, region, supervisor, stored):
    _, row = stored
    CollectedReport.objects.filter(pk=row.pk).update(agency=None, year=None)
    client.force_login(supervisor)
    listing = client.get(f"/supervision/{region.pk}/reports/?status=unmatched").content.decode()
    assert "（未匹配）" in listing
    refused = client.post(f"/supervision/reports/{row.pk}/", {"agency": "", "year": ""})
    assert refused.status_code == 400 and "请选择机关" in refused.content.decode() and "请填写报告年度" in refused.content.decode()
    township = region.children.get()
    done = client.post(f"/supervision/reports/{row.pk}/", {"agency": township.pk, "year": "2022"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.agency == township and row.year == 2022


def test_a_job_queued_while_redis_does_not_answer_says_so_and_can_be_queued_again(
        client, region, supervisor, settings, django_capture_on_commit_callbacks):
    from .queue_worker import broker

    client.force_login(supervisor)
    with broker(settings, "redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/supervision/{region.pk}/collect/", {"addresses": "https://example.gov.cn/a.pdf"})
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == "queued" and job.items.count() == 1
    assert job.error.startswith("任务已登记，但任务队列（Redis）没有应答，尚未开始")
    page = client.get(f"/supervision/jobs/{job.pk}/").content.decode()
    assert "任务队列（Redis）没有应答" in page and "重新排队" in page
    with broker(settings, "redis://127.0.0.1:1/0"):
        again = client.post(f"/supervision/jobs/{job.pk}/requeue/", follow=True)
    assert "没有应答" in again.content.decode()
    assert client.get(f"/supervision/jobs/{job.pk}/requeue/").status_code == 405
