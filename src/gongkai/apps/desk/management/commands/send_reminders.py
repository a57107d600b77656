"""``gongkai-manage send_reminders [--date YYYY-MM-DD] [--base-url URL]``: the daily reminder e-mails.

Exit 0 when every e-mail was sent; 1 when some failed (the others were sent; each failure is
printed and logged)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.desk.reminders import send_reminders
from gongkai.apps.desk.worklists import today
from gongkai.core.casework.workdays import DeadlineError, parse_day


class Command(BaseCommand):
    help = "向各机关承办人和审核人发送今日到期、3个工作日内到期和已逾期申请的提醒邮件"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天提醒（YYYY-MM-DD），默认今天")
        parser.add_argument("--base-url", help="邮件中链接的网址前缀，默认取设置 GONGKAI_BASE_URL")

    def handle(self, *args, **options):
        try:
            day = parse_day(options["date"], "提醒日期") if options["date"] else today()
        except DeadlineError as error:
            raise CommandError(str(error)) from error
        outcome = send_reminders(day, options["base_url"])
        if outcome.sent or outcome.failed:
            self.stdout.write(f"{day.isoformat()}：已发送提醒邮件 {outcome.sent} 封")
        else:
            self.stdout.write(f"{day.isoformat()}：未发送邮件（没有需要提醒的申请，或有关承办、审核人员未填写电子邮箱）")
        if outcome.failed:
            for address, error in outcome.failed:
                self.stderr.write(f"发送失败：{address!r}：{error}")
            raise CommandError(f"{len(outcome.failed)} 封提醒邮件发送失败（其余 {outcome.sent} 封已发送），详见日志")
