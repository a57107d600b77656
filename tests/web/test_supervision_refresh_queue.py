"""The region's figures follow the queue (a real Celery worker against Redis, not eager mode):
when a job that reads uploads has done its last item, the worker refreshes the figures of the
years it collected; the refresh job (``Job.Kind.REFRESH``) does the same on demand."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.supervision.figures import queue_refresh
from gongkai.apps.supervision.intake import file_inputs
from gongkai.apps.supervision.jobs import start_job
from gongkai.apps.supervision.models import Job, RegionFigure, RegionYear
from gongkai.core.report.parsing import read_report

from ..conftest import SEEDS
from .queue_worker import celery_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)  # the worker thread sees committed rows only


@pytest.fixture
def region(db):
    region = Agency.objects.create(name="测试区人民政府", kind=Agency.Kind.COUNTY)
    for name in ("西南隅街道办事处", "王因街道办事处", "某某局"):
        Agency.objects.create(name=name, kind=Agency.Kind.DEPARTMENT, parent=region)
    return region


def figures_of(region, years, seconds=60.0):
    """The region's RegionYear rows once the worker has written them (it does after the job closes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = list(RegionYear.objects.filter(region=region, year__in=years).order_by("year"))
        if len(rows) == len(years):
            return rows
        time.sleep(0.2)
    pytest.fail(f"区域统计在 {seconds} 秒内没有更新：{years}")


def test_a_worker_refreshes_the_figures_after_a_bulk_upload_and_on_demand(region, settings, tmp_path):
    user = get_user_model().objects.create_user("zhuguan", password="x" * 12)
    Membership.objects.create(user=user, agency=region, role=Membership.Role.SUPERVISOR)
    paths = []
    for key in ("003", "004"):
        path = tmp_path / SEEDS[key].name
        path.write_bytes(SEEDS[key].read_bytes())
        paths.append(path)
    with celery_worker(settings, tmp_path):
        job, _ = wait_for(start_job(region, Job.Kind.READ, {}, user, file_inputs(paths)))
        assert job.state == Job.State.DONE, job.error
        years = sorted({read_report(SEEDS[k]).year for k in ("003", "004")})  # 2022 and 2023
        rows = figures_of(region, years)
        assert [(r.year, r.agencies, r.reports) for r in rows] == [(years[0], 4, 1), (years[1], 4, 1)]
        wangyin = RegionFigure.objects.get(region=region, year=2023, agency__name="王因街道办事处")
        expected = read_report(SEEDS["004"]).table("applications")
        assert wangyin.has_report and wangyin.received == expected.value("new_received", "total")
        assert not RegionFigure.objects.get(region=region, year=2023, agency__name="某某局").has_report
        # on demand: a refresh job with its progress and the years it did
        RegionFigure.objects.filter(region=region).delete()
        refresh, _ = wait_for(queue_refresh(region, None, user))
        assert refresh.kind == Job.Kind.REFRESH and refresh.state == Job.State.DONE, refresh.error
        assert refresh.summary == {"years": years} and (refresh.done, refresh.total) == (2, 2)
        assert RegionFigure.objects.filter(region=region).count() == 4 * 2
