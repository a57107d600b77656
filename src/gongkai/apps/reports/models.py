"""The annual report an agency's office writes: table 2 (主动公开, entered by hand) and the
narrative of the six sections; tables 3 and 4 are counted from the registry
(``gongkai.apps.reports.tables``). Every change is kept in ``ReportRevision``; nothing is deleted."""

from __future__ import annotations

from django.conf import settings
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


class ReportVersion(models.Model):
    """A published version of a report: what the public sees, as an approver approved it. The
    first is published when the year is closed (or later by an approver, once the report has no
    errors); a change to a published report is a new version, approved with its reason. The
    content is kept whole — table 2, the text, the signature date and contacts, the fee and the
    frozen tables 3 and 4 — so that a version reads the same for ever. Never deleted or changed."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    content = models.JSONField("发布内容")
    reason = models.TextField("修订说明", blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告发布版本"
        verbose_name_plural = "年度报告发布版本"
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"


class ReportFile(models.Model):
    """A published version rendered (DOCX, PDF): rendered once, on the first request."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    fmt = models.CharField("格式", max_length=10)
    data = models.BinaryField("文件")
    rendered_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告文件"
        verbose_name_plural = "年度报告文件"
        constraints = [models.UniqueConstraint(fields=["version", "fmt"], name="report_file_unique")]
