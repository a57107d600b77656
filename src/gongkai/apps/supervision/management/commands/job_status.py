"""``gongkai-manage job_status ID [--no-wait]``: a job's progress (followed until it is finished
unless ``--no-wait``) and its result."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.supervision import jobs
from gongkai.apps.supervision.models import Job

from ._follow import follow, show_result


class Command(BaseCommand):
    help = "查看后台任务的进度和结果"

    def add_arguments(self, parser):
        parser.add_argument("job", type=int, help="任务编号")
        parser.add_argument("--no-wait", action="store_true", help="只显示当前进度，不等待完成")
        parser.add_argument("--requeue", action="store_true",
                            help="重新排队未完成的任务（任务队列曾无应答或丢失了消息时；已处理的条目不会重做）")

    def handle(self, *args, job: int, no_wait: bool, requeue: bool, **options):
        found = Job.objects.select_related("region").filter(pk=job).first()
        if found is None:
            raise CommandError(f"没有编号为 {job} 的任务")
        if requeue:
            if not jobs.requeue(found):
                raise CommandError(f"任务 #{job} 已{found.get_state_display()}，无需重新排队")
            if found.error:
                raise CommandError(found.error)
            self.stdout.write(f"任务 #{job} 已重新排队")
        if not no_wait:
            found = follow(found, self.stdout)
        show_result(found, self.stdout)
