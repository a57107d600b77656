"""The annual report an agency's office writes: table 2 (主动公开, entered by hand) and the
narrative of the six sections; tables 3 and 4 are counted from the registry
(``gongkai.apps.reports.tables``). Every change is kept in ``ReportRevision``; nothing is deleted."""

from __future__ import annotations

from django.db import models

from gongkai.apps.agencies.models import Agency
from gongkai.apps.records import ChangeRecord


class AnnualReport(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("报告年度")
    # row -> column -> number, keyed as standard.ACTIVE; the 万元 amount kept as a decimal string.
    table2 = models.JSONField("表二 主动公开政府信息情况", default=dict, blank=True)
    # section key (standard.SECTIONS) -> text
    sections = models.JSONField("正文", default=dict, blank=True)
    published_on = models.DateField("落款日期", null=True, blank=True)
    website = models.CharField("报告发布网址", max_length=200, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    telephone = models.CharField("联系电话", max_length=50, blank=True)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_report_unique")]

    def __str__(self) -> str:
        return f"{self.agency}{self.year}年度报告"


class ReportRevision(ChangeRecord):
    """One saved change of a report: who, when, which part, before and after. Never deleted."""

    class Part(models.TextChoices):
        TABLE2 = "table2", "表二"
        NARRATIVE = "narrative", "正文和落款"

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="revisions")
    part = models.CharField("修改部分", max_length=20, choices=Part.choices)
    recorded_model = AnnualReport

    class Meta:
        verbose_name = "年度报告修改记录"
        verbose_name_plural = "年度报告修改记录"
        ordering = ["report", "-at", "-pk"]
