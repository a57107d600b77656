"""Jobs on the task queue: start one, run it in chunks on any worker, keep its progress.

``start_job(region, kind, params, user, inputs=...)`` records a ``Job`` (and one ``JobItem`` per
input) and queues it once the transaction commits. A worker's ``run_job`` task then either

- splits the items into chunks (``GONGKAI_QUEUE_CHUNK`` items each; for collection, the
  addresses of one host stay together so that one worker talks to a host at a time) and queues
  one ``run_chunk`` task per chunk — a Celery group that any number of workers share; each item
  done adds to ``Job.done`` (and ``Job.failed``), and the item that completes the count closes
  the job with a summary; or
- for a kind without items (e.g. ``refresh``), calls the runner registered for it with
  ``@runner(kind)``: a function ``(job) -> summary dict`` that may call ``progress(job, done,
  total)`` as it goes.

A runner that raises fails the job with its message; an item's failure is that item's result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from .models import Job, JobItem

log = logging.getLogger(__name__)

# kind -> function(job) -> summary; for jobs whose work is not a list of inputs.
RUNNERS: dict[str, Callable[[Job], dict | None]] = {}


def runner(kind: str):
    """Register the function that does a job of ``kind`` (one without items)."""

    def register(fn: Callable[[Job], dict | None]) -> Callable[[Job], dict | None]:
        RUNNERS[str(kind)] = fn
        return fn

    return register


@dataclass(frozen=True)
class Input:
    """One input of a job: a name (file name, archive member, web address), and for an upload its
    bytes, or the problem found before it was queued (code and Chinese message), or the collected
    report to check again."""

    source: str
    data: bytes | None = None
    code: str = ""
    message: str = ""
    collected_id: int | None = None


def start_job(region, kind: str, params: dict | None = None, user=None, inputs: Iterable[Input] = ()) -> Job:
    """Record a job of ``region`` (an ``Agency``) with its inputs and queue it when the current
    transaction commits. Inputs already known to be unusable are recorded as failed items."""
    with transaction.atomic():
        job = Job.objects.create(region=region, kind=kind, params=params or {},
                                 created_by=user if getattr(user, "is_authenticated", False) else None)
        batch: list[JobItem] = []
        total = failed = 0
        for position, item in enumerate(inputs, start=1):
            total += 1
            status = JobItem.Status.ERROR if item.code else JobItem.Status.PENDING
            failed += bool(item.code)
            batch.append(JobItem(job=job, position=position, source=item.source[:1000], status=status,
                                 code=item.code, message=item.message, data=item.data,
                                 collected_id=item.collected_id))
            if len(batch) >= 200:
                JobItem.objects.bulk_create(batch)
                batch = []
        JobItem.objects.bulk_create(batch)
        Job.objects.filter(pk=job.pk).update(total=total, done=failed, failed=failed)
        job.total, job.done, job.failed = total, failed, failed
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    """Send the job to the queue (after its rows are committed)."""
    from .tasks import run_job

    try:
        result = run_job.delay(job_id)
    except Exception as exc:  # the broker does not answer: the job stays recorded, and says why
        log.exception("job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id).update(error=f"任务已登记，但任务队列（Redis）没有应答，尚未开始：{exc}"[:2000])
        return
    Job.objects.filter(pk=job_id).update(queue_id=result.id or "", error="")


def requeue(job: Job) -> bool:
    """Queue an unfinished job again (its message was never sent, or Redis lost it): the chunks are
    planned anew from the items still pending, so nothing done is done again."""
    if job.state not in (Job.State.QUEUED, Job.State.RUNNING):
        return False
    dispatch(job.pk)
    job.refresh_from_db()
    return True


def progress(job: Job, done: int, total: int | None = None) -> None:
    """For runners: how far the job has come."""
    fields = {"done": done} if total is None else {"done": done, "total": total}
    Job.objects.filter(pk=job.pk).update(**fields)


def mark_running(job_id: int) -> Job | None:
    """The job, now running (None if it is gone or already finished)."""
    updated = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(state=Job.State.RUNNING,
                                                                           started_at=timezone.now())
    job = Job.objects.filter(pk=job_id).first()
    if job is None or (not updated and job.state != Job.State.RUNNING):
        return None
    return job


def close_if_complete(job_id: int) -> bool:
    """Mark the job done if every item is finished (only one caller wins) and keep its summary."""
    closed = Job.objects.filter(pk=job_id, state=Job.State.RUNNING, done__gte=F("total")).update(
        state=Job.State.DONE, finished_at=timezone.now())
    if closed:
        Job.objects.filter(pk=job_id).update(summary=item_summary(job_id))
    return bool(closed)


def item_summary(job_id: int) -> dict:
    """How many items ended in each status."""
    rows = JobItem.objects.filter(job_id=job_id).order_by().values("status").annotate(n=Count("pk"))
    return {"items": {row["status"]: row["n"] for row in rows}}


def fail(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, error=message[:2000], finished_at=timezone.now())


def finish(job_id: int, summary: dict | None) -> None:
    Job.objects.filter(pk=job_id).update(state=Job.State.DONE, summary=summary or {}, finished_at=timezone.now())
