"""The supervising office's tasks on the queue (``gongkai.web.queue``): ``run_job`` plans a job
and queues its chunks as a group; ``run_chunk`` does the items of one chunk (read an upload,
collect an address, check a collected report again). A chunk only takes items still pending, so
a chunk run again (a retry, or a worker lost mid-task) never does an item twice."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from pathlib import PurePosixPath

from celery import group
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F

from gongkai.web.queue import app

from . import collecting, figures, intake, jobs
from .models import CollectedReport, Job, JobItem

log = logging.getLogger(__name__)

ITEM_KINDS = {Job.Kind.READ, Job.Kind.COLLECT, Job.Kind.RECHECK}
HOST_CHUNK = 200  # a host's addresses per chunk (one worker at a host at a time anyway)


@app.task(name="supervision.run_job")
def run_job(job_id: int) -> None:
    job = jobs.mark_running(job_id)
    if job is None:
        return
    if job.kind not in ITEM_KINDS:
        work = jobs.RUNNERS.get(job.kind)
        if work is None:
            jobs.fail(job_id, f"没有处理“{job.get_kind_display()}”任务的程序")
            return
        try:
            summary = work(job)
        except Exception as exc:
            log.exception("job %s failed", job_id)
            jobs.fail(job_id, f"任务出错：{type(exc).__name__}: {exc}")
            return
        jobs.finish(job_id, summary)
        return
    chunks = plan_chunks(job)
    if not chunks:
        jobs.close_if_complete(job_id)
        return
    group(run_chunk.si(job_id, positions) for positions in chunks).apply_async()


def plan_chunks(job: Job) -> list[list[int]]:
    """The pending items' positions in chunks: runs of ``GONGKAI_QUEUE_CHUNK``; for collection,
    one host's addresses together."""
    pending = JobItem.objects.filter(job=job, status=JobItem.Status.PENDING).order_by("position")
    size = max(1, int(settings.GONGKAI_QUEUE_CHUNK))
    if job.kind == Job.Kind.COLLECT:
        by_host: dict[str, list[int]] = defaultdict(list)
        for position, source in pending.values_list("position", "source"):
            by_host[collecting.host_of(source)].append(position)
        return [positions[i:i + HOST_CHUNK] for positions in by_host.values()
                for i in range(0, len(positions), HOST_CHUNK)]
    positions = list(pending.values_list("position", flat=True))
    return [positions[i:i + size] for i in range(0, len(positions), size)]


@app.task(bind=True, name="supervision.run_chunk", autoretry_for=(collecting.Transient, OperationalError),
          retry_backoff=True, retry_backoff_max=120, retry_jitter=True, max_retries=settings.GONGKAI_QUEUE_RETRIES)
def run_chunk(self, job_id: int, positions: list[int]) -> None:
    job = Job.objects.select_related("region").filter(pk=job_id).first()
    if job is None or job.state != Job.State.RUNNING:
        return
    agencies = intake.region_agencies(job.region)
    last_try = self.request.retries >= (self.max_retries or 0)
    again: collecting.Transient | None = None
    items = JobItem.objects.filter(job_id=job_id, position__in=positions, status=JobItem.Status.PENDING)
    for item in items.select_related("collected").order_by("position"):
        start = time.perf_counter()
        try:
            outcome = process(job, item, agencies)
        except collecting.Transient as exc:
            if not last_try:
                JobItem.objects.filter(pk=item.pk).update(attempts=F("attempts") + 1, code=exc.code,
                                                          message=f"{exc.message}（稍后重试）")
                again = exc
                continue
            outcome = intake.Outcome(JobItem.Status.ERROR, None, exc.code,
                                     f"{exc.message}（已尝试 {self.request.retries + 1} 次）")
        except Exception as exc:  # a bug or a library failure on a hostile input: this item only
            log.exception("item %s of job %s", item.position, job_id)
            outcome = intake.Outcome(JobItem.Status.ERROR, None, "internal_error",
                                     f"处理该条目时发生内部错误（{type(exc).__name__}）")
        record(job, item, outcome, time.perf_counter() - start)
    if again is not None:
        raise again


def process(job: Job, item: JobItem, agencies) -> intake.Outcome:
    """What becomes of one item (nothing saved yet, except a re-checked report's new reading)."""
    if job.kind == Job.Kind.READ:
        suffix = PurePosixPath(item.source.rsplit("!", 1)[-1]).suffix.lower()
        return intake.take(job, item, bytes(item.data or b""), suffix, CollectedReport.Origin.UPLOADED, agencies)
    if job.kind == Job.Kind.COLLECT:
        try:
            fetched = collecting.fetch(item.source)
        except collecting.FetchError as error:
            return intake.Outcome(JobItem.Status.ERROR, None, error.code, error.message)
        return intake.take(job, item, fetched.data, fetched.suffix, CollectedReport.Origin.COLLECTED, agencies)
    return intake.recheck(job, item, agencies)


def record(job: Job, item: JobItem, outcome: intake.Outcome, seconds: float | None = None) -> None:
    """Keep the outcome and count the item, in one transaction; close the job after its last."""
    failed = outcome.status == JobItem.Status.ERROR
    with transaction.atomic():
        outcome = intake.keep(job, outcome)
        updated = JobItem.objects.filter(pk=item.pk, status=JobItem.Status.PENDING).update(
            status=outcome.status, code=outcome.code[:50], message=outcome.message, attempts=F("attempts") + 1,
            collected=outcome.collected, data=None, seconds=seconds)
        if updated:
            Job.objects.filter(pk=job.pk).update(done=F("done") + 1, failed=F("failed") + (1 if failed else 0))
    if updated and jobs.close_if_complete(job.pk):
        # the job's last item: the region's figures follow the reports it kept (once per job)
        try:
            figures.refresh_after_job(job)
        except Exception:  # the job's own results stand; a refresh job can be run again
            log.exception("refreshing the figures after job %s", job.pk)
