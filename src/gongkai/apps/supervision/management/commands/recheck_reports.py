"""``gongkai-manage recheck_reports --region CODE [--no-wait]``: read and check every collected
report of a region again with today's readers and rules, on the task queue."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.apps.supervision.intake import recheck_inputs
from gongkai.apps.supervision.jobs import start_job
from gongkai.apps.supervision.models import Job

from ._follow import find_region, follow, show_result


class Command(BaseCommand):
    help = "按现行规则重新读取、核对一个地区已收取的全部年度报告"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="地区（本级机关）的编号、统一社会信用代码或名称")
        parser.add_argument("--no-wait", action="store_true", help="只登记任务，不等待完成")

    def handle(self, *args, region: str, no_wait: bool, **options):
        place = find_region(region)
        job = start_job(place, Job.Kind.RECHECK, {}, None, recheck_inputs(place))
        self.stdout.write(f"已登记任务 #{job.pk}：{job.total} 份报告")
        if not no_wait:
            job = follow(job, self.stdout)
        show_result(job, self.stdout)
