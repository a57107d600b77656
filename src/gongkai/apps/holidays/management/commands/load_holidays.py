"""``gongkai-manage load_holidays FILE --year 2027 [--notice …] [--complete]``: enter a year's
notice from a text file (lines ``2027-01-01 休 元旦`` / ``2027-02-06 班 春节``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongkai.apps.holidays.models import HolidayDay, NoticeYear, announce_calendar_change
from gongkai.core.casework.workdays import DeadlineError, load_day_rules


class Command(BaseCommand):
    help = "录入国务院办公厅节假日安排（每行“日期 休/班 名称”）"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="通知所属年度")
        parser.add_argument("--notice", default="", help="通知文号或标题")
        parser.add_argument("--complete", action="store_true", help="该年安排已完整录入")

    def handle(self, *args, file: Path, year: int, notice: str, complete: bool, **options):
        try:
            rules = load_day_rules(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取 {file}：{exc}") from exc
        except DeadlineError as exc:
            raise CommandError(str(exc)) from exc
        wrong = [r.day.isoformat() for r in rules if r.day.year not in (year, year - 1, year + 1)]
        if wrong:
            raise CommandError(f"以下日期不在 {year} 年前后：{'、'.join(wrong)}")
        with transaction.atomic():
            for rule in rules:
                HolidayDay.objects.update_or_create(day=rule.day, defaults={"workday": rule.workday, "name": rule.name})
            NoticeYear.objects.update_or_create(year=year, defaults={"notice": notice, "complete": complete})
            announce_calendar_change()
        self.stdout.write(f"已录入 {year} 年节假日安排 {len(rules)} 天" + ("（已完整录入）" if complete else ""))
