"""``gongkai-manage purge_personal_data [--dry-run] [--years N] [--date YYYY-MM-DD] [--user USERNAME]``:
erase applicants' personal data of cases past the retention period (``cases.privacy``); prints each
case and a total. Run it daily or monthly from the scheduler (docs/privacy.md)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.cases.privacy import keep_until_year, purge_personal_data, retention_years


class Command(BaseCommand):
    help = "删除保存期限届满的已办结申请中的申请人个人信息（统计数据保留）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要删除的申请，不作修改")
        parser.add_argument("--years", type=int, default=None,
                            help="保存期限（年），默认为设置 GONGKAI_RETENTION_YEARS")
        parser.add_argument("--date", default=None, help="按该日期计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--user", default=None, help="记入办理记录的经办人用户名（默认为系统账号）")

    def handle(self, *args, dry_run=False, years=None, date=None, user=None, **options):
        years = retention_years() if years is None else years
        if years < 1:
            raise CommandError("保存期限至少为1年")
        today = None
        if date:
            try:
                today = _date(date)
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"没有用户名为“{user}”的用户")
        done = purge_personal_data(today=today, years=years, user=person, dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        for item in done:
            a = item.application
            self.stdout.write(f"{verb} {a.agency} {a.number}（{a.get_state_display()}，{item.finished_on:%Y-%m-%d}办结，"
                              f"保存至{keep_until_year(item.finished_on, years)}年底）的申请人个人信息")
        summary = f"保存期限 {years} 年：{verb}{len(done)}件申请的申请人个人信息"
        self.stdout.write(summary + ("（试运行，未作修改）" if dry_run else ""))


def _date(text: str) -> date:
    return date.fromisoformat(text)
