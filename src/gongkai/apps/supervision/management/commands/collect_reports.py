"""``gongkai-manage collect_reports --region CODE [--year Y] [--agency ID] [--no-wait] FILES|URLS...``:
queue a job that reads report files (files, folders, ZIP archives, ``@list.txt``) or collects
reports from web addresses for a region, then show its progress until it is finished."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.supervision.collecting import valid_address
from gongkai.apps.supervision.intake import file_inputs
from gongkai.apps.supervision.jobs import Input, start_job
from gongkai.apps.supervision.models import Job

from ._follow import find_region, follow, show_result


class Command(BaseCommand):
    help = "收集年度报告：读取文件、文件夹、ZIP 压缩包，或从网址采集，交后台任务队列处理并显示进度"

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", help="报告文件、文件夹、ZIP 压缩包、@清单文件，或 http(s) 网址")
        parser.add_argument("--region", required=True, help="地区（本级机关）的编号、统一社会信用代码或名称")
        parser.add_argument("--year", type=int, help="报告中读不出年度时采用的年度")
        parser.add_argument("--agency", type=int, help="报告中的机关名称对不上时采用的机关（编号）")
        parser.add_argument("--no-wait", action="store_true", help="只登记任务，不等待完成")

    def handle(self, *args, inputs: list[str], region: str, year: int | None, agency: int | None, no_wait: bool,
               **options):
        place = find_region(region)
        if agency is not None and not place.subtree().filter(pk=agency).exists():
            raise CommandError(f"编号为 {agency} 的机关不在{place}的范围内")
        addresses = [i for i in inputs if "://" in i]
        if addresses and len(addresses) != len(inputs):
            raise CommandError("网址和文件请分两次提交")
        hints = {k: v for k, v in (("year", year), ("agency", agency)) if v}
        if addresses:
            bad = [a for a in addresses if not valid_address(a)]
            if bad:
                raise CommandError(f"不是有效的 http:// 或 https:// 网址：{'、'.join(bad[:5])}")
            job = start_job(place, Job.Kind.COLLECT, hints, None, [Input(a.strip()) for a in dict.fromkeys(addresses)])
        else:
            job = start_job(place, Job.Kind.READ, hints, None, file_inputs(inputs))
        if job.total == 0:
            raise CommandError("没有找到可读取的报告文件")
        self.stdout.write(f"已登记任务 #{job.pk}：{job.total} 项")
        if job.error:
            raise CommandError(job.error)
        if no_wait:
            self.stdout.write(f"查看进度：gongkai-manage job_status {job.pk}")
            return
        show_result(follow(job, self.stdout), self.stdout)
