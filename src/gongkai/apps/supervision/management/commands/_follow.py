"""Following a job from the command line: a rich progress bar until the job is finished, then
the count of each item status (and the items that failed)."""

from __future__ import annotations

import time

from django.core.management.base import CommandError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gongkai.apps.agencies.models import Agency
from gongkai.apps.supervision.models import Job, JobItem


def find_region(code: str) -> Agency:
    """The region (an agency and its subtree) named by its number, its 统一社会信用代码, or its
    name."""
    code = code.strip()
    found = Agency.objects.none()
    if code.isdigit() and len(code) < 18:
        found = Agency.objects.filter(pk=int(code))
    if not found.exists():
        found = Agency.objects.filter(credit_code__iexact=code) if code else found
    if not found.exists():
        found = Agency.objects.filter(name=code)
    matches = list(found[:2])
    if not matches:
        raise CommandError(f"没有编号、统一社会信用代码或名称为“{code}”的机关")
    if len(matches) > 1:
        raise CommandError(f"名称为“{code}”的机关不止一个，请用编号指定")
    return matches[0]


def follow(job: Job, stdout, interval: float = 0.5) -> Job:
    """Show the job's progress until it is finished; the job as it ended."""
    console = Console(file=stdout, highlight=False)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("失败 {task.fields[failed]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task(f"{job.get_kind_display()} #{job.pk}", total=job.total or None, completed=job.done,
                                failed=job.failed)
        while True:
            job.refresh_from_db()
            progress.update(bar, total=job.total or None, completed=job.done, failed=job.failed)
            if job.state in (Job.State.DONE, Job.State.FAILED) or (job.state == Job.State.QUEUED and job.error):
                break  # finished, or never queued (the broker did not answer: the job says so)
            time.sleep(interval)
    return job


def show_result(job: Job, stdout) -> None:
    console = Console(file=stdout, highlight=False)
    console.print(f"任务 #{job.pk}（{job.get_kind_display()}，{job.region}）：{job.get_state_display()}，"
                  f"已处理 {job.done}/{job.total}，失败 {job.failed}")
    if job.error:
        console.print(f"[red]{escape(job.error)}[/]")
    labels = dict(JobItem.Status.choices)
    counts = (job.summary or {}).get("items") or {}
    if not counts:
        counts = {s: job.items.filter(status=s).count() for s in labels}
    console.print("；".join(f"{labels.get(s, s)} {n}" for s, n in counts.items() if n))
    for item in job.items.filter(status__in=[JobItem.Status.ERROR, JobItem.Status.UNMATCHED]).order_by("position")[:50]:
        console.print(f"  {escape(item.source)}：{escape(item.message)}")
