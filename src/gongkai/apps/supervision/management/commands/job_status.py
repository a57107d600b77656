"""``gongkai-manage job_status ID [--no-wait]``: a job's progress (followed until it is finished
unless ``--no-wait``) and its result."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.supervision.models import Job

from ._follow import follow, show_result


class Command(BaseCommand):
    help = "查看后台任务的进度和结果"

    def add_arguments(self, parser):
        parser.add_argument("job", type=int, help="任务编号")
        parser.add_argument("--no-wait", action="store_true", help="只显示当前进度，不等待完成")

    def handle(self, *args, job: int, no_wait: bool, **options):
        found = Job.objects.select_related("region").filter(pk=job).first()
        if found is None:
            raise CommandError(f"没有编号为 {job} 的任务")
        if not no_wait:
            found = follow(found, self.stdout)
        show_result(found, self.stdout)
