"""The holiday table that staff edit, read into ``gongkai.core.casework.workdays.WorkCalendar``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal

from gongkai.core.casework.workdays import DayRule, WorkCalendar


class NoticeYear(models.Model):
    """A year whose holiday notice staff entered in full: its days decide that year."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    notice = models.CharField("通知文号或标题", max_length=200, blank=True, help_text="例如：国办发明电〔2026〕X号")
    complete = models.BooleanField(
        "已完整录入", default=False, help_text="勾选后，该年未录入的日期一律按周一至周五为工作日计算，期限不再标注为暂定"
    )
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日通知年度"
        verbose_name_plural = "节假日通知年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class HolidayDay(models.Model):
    """One day of a notice: a holiday, or a weekend day that is worked (调休上班)."""

    day = models.DateField("日期", unique=True)
    workday = models.BooleanField("上班", default=False, help_text="勾选：调休上班日；不勾选：放假")
    name = models.CharField("节日名称", max_length=40, blank=True, help_text="例如：春节、国庆节")
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日或调休日"
        verbose_name_plural = "节假日和调休日"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {'上班' if self.workday else '放假'} {self.name}".strip()

    def clean(self) -> None:
        if self.workday and self.day.weekday() < 5:
            raise ValidationError({"workday": "周一至周五本来就是工作日；调休上班日应为周六或周日"})


def work_calendar() -> WorkCalendar:
    """The working-day calendar: chinese-calendar, with the days and years staff entered."""
    rules = [DayRule(d.day, d.workday, d.name) for d in HolidayDay.objects.all()]
    complete = NoticeYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar(rules, complete)


# Sent (once per transaction) after staff changed the holiday table: stored due dates follow.
calendar_changed = Signal()


def announce_calendar_change() -> None:
    """Tell the registry that working days changed, once the change is committed."""
    transaction.on_commit(lambda: calendar_changed.send(sender=HolidayDay))
