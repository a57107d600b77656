"""The supervising office's tables.

- ``CollectedReport``: one annual report of one agency of a region as it arrived (submitted
  through the system, uploaded, or collected from a web address), its file kept, read into the
  report model and checked. Deduplicated by content (SHA-256) within a region. Never deleted: a
  later file for the same agency and year is another row, and the newest readable one is current.
- ``Job`` and ``JobItem``: bulk work on the task queue (reading uploads, collecting addresses,
  re-checking a region), with its progress, its retries and one result per input, kept.
- ``Submission``: an agency's annual report submitted to the supervising office through the
  system (报送), the whole report frozen as it was sent, returned with comments or accepted.
  Accepting records it as a ``CollectedReport`` (origin ``submitted``), so both routes end in
  one place. Never deleted: every submission of a report is kept.
- ``SupervisionNotice``: a 督办 of the supervising office about an agency's overdue application,
  open until the agency answers, closed by the office. Never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.apps.agencies.models import Agency


class Job(models.Model):
    """One piece of bulk work of a region on the task queue; its items are its inputs."""

    class Kind(models.TextChoices):
        READ = "read", "读取上传的报告"
        COLLECT = "collect", "从网址采集报告"
        RECHECK = "recheck", "重新核对全区报告"
        REFRESH = "refresh", "更新统计数据"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    region = models.ForeignKey(Agency, verbose_name="监督范围（本级机关）", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("任务类型", max_length=20, choices=Kind.choices)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    params = models.JSONField("参数", default=dict, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    summary = models.JSONField("结果摘要", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    queue_id = models.CharField("队列任务号", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class CollectedReport(models.Model):
    """An annual report of an agency of the region, as received, read and checked."""

    class Origin(models.TextChoices):
        SUBMITTED = "submitted", "系统内报送"
        UPLOADED = "uploaded", "上传"
        COLLECTED = "collected", "网上采集"

    class Status(models.TextChoices):
        READ = "read", "已读取"
        UNREADABLE = "unreadable", "无法读取"

    region = models.ForeignKey(Agency, verbose_name="监督范围（本级机关）", on_delete=models.PROTECT, related_name="+")
    # The agency of the region the report is matched to; empty while no agency of the region matches.
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="collected_reports")
    agency_name = models.CharField("报告中的机关名称", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("报告年度", null=True, blank=True)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    source = models.CharField("文件名或网址", max_length=1000)
    sha256 = models.CharField("内容校验值（SHA-256）", max_length=64)
    fmt = models.CharField("格式", max_length=10, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    data = models.BinaryField("文件")
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    error_code = models.CharField("错误代码", max_length=50, blank=True)
    error_message = models.TextField("错误说明", blank=True)
    report = models.JSONField("读取结果（报告 JSON）", null=True, blank=True)
    findings = models.JSONField("单份报告核对结果", default=list, blank=True)
    # Found against the region's other reports (core/report/checking/cross.py): carry-over and
    # in-force across years, copied passages, lateness by the agency's kind. Kept by the figures'
    # refresh (figures.refresh_region), which sees every year and agency at once.
    cross_findings = models.JSONField("跨报告核对结果", default=list, blank=True)
    published_on = models.DateField("发布（落款）日期", null=True, blank=True)
    job = models.ForeignKey(Job, verbose_name="所属任务", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="reports")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="收取人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    received_at = models.DateTimeField("收取时间", auto_now_add=True)

    class Meta:
        verbose_name = "收集的年度报告"
        verbose_name_plural = "收集的年度报告"
        ordering = ["region", "agency", "-year", "-received_at"]
        constraints = [models.UniqueConstraint(fields=["region", "sha256"], name="collected_report_unique_content")]
        indexes = [models.Index(fields=["region", "year", "agency"], name="collected_region_year")]

    def __str__(self) -> str:
        return f"{self.agency or self.agency_name or self.source} {self.year or ''}"


class JobItem(models.Model):
    """One input of a job (a file, an archive member, a web address) and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        OK = "ok", "已收取"
        DUPLICATE = "duplicate", "重复（内容已收取）"
        UNMATCHED = "unmatched", "未匹配到机关"
        ERROR = "error", "出错"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    source = models.CharField("文件名或网址", max_length=1000)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    code = models.CharField("错误代码", max_length=50, blank=True)
    message = models.TextField("说明", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    # An uploaded input's bytes, kept until the item is done (a worker on another machine reads
    # them from the database); the file itself is then kept by the collected report.
    data = models.BinaryField("待读取的文件", null=True, blank=True, editable=False)
    seconds = models.FloatField("处理用时（秒）", null=True, blank=True)
    collected = models.ForeignKey(CollectedReport, verbose_name="收取的报告", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "任务条目"
        verbose_name_plural = "任务条目"
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="job_item_unique_position")]


class Submission(models.Model):
    """One submission of an agency's annual report to the supervising office (报送)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已报送，待审查"
        RETURNED = "returned", "已退回修改"
        ACCEPTED = "accepted", "已通过"

    report = models.ForeignKey("reports.AnnualReport", verbose_name="年度报告", on_delete=models.PROTECT,
                               related_name="submissions")
    number = models.PositiveSmallIntegerField("报送次数")
    # The report as submitted, in the shape of ``ReportVersion.content`` (reports.services.frozen_content).
    content = models.JSONField("报送内容")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("审查时间", null=True, blank=True)
    comments = models.TextField("审查意见", blank=True)
    collected = models.ForeignKey(CollectedReport, verbose_name="收取的报告", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "年度报告报送"
        verbose_name_plural = "年度报告报送"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="submission_unique_number"),
            # One submission of a report awaits review at a time.
            models.UniqueConstraint(fields=["report"], condition=models.Q(state="submitted"),
                                    name="submission_one_pending"),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="submission_queue")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}次报送"


class SupervisionNotice(models.Model):
    """A 督办 (supervision notice) about one overdue application of an agency of the region."""

    class State(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已办结"

    region = models.ForeignKey(Agency, verbose_name="监督范围（本级机关）", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name="被督办机关", on_delete=models.PROTECT,
                               related_name="supervision_notices")
    application = models.ForeignKey("cases.Application", verbose_name="逾期的申请", on_delete=models.PROTECT,
                                    related_name="supervision_notices")
    text = models.TextField("督办事项")
    answer_due_on = models.DateField("答复期限")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField("督办时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # One notice about a case is running (open or answered) at a time; closed ones stay.
            models.UniqueConstraint(fields=["application"], condition=~models.Q(state="closed"),
                                    name="notice_one_running"),
        ]
        indexes = [models.Index(fields=["agency", "state"], name="notice_agency_state")]

    def __str__(self) -> str:
        return f"督办 {self.application.number}"


class RegionYear(models.Model):
    """A region's year, pre-computed by ``figures.refresh_region``: counts of agencies (on time,
    late, failing), tables 2–4 summed over the agencies' reports, the medians the outlier rule
    used and how many agencies fail each rule. The region page reads it; nothing is summed per
    request."""

    region = models.ForeignKey(Agency, verbose_name="监督范围（本级机关）", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    agencies = models.PositiveIntegerField("机关数", default=0)
    reports = models.PositiveIntegerField("已收报告数", default=0)
    on_time = models.PositiveIntegerField("按期发布", default=0)
    late = models.PositiveIntegerField("逾期发布", default=0)
    undated = models.PositiveIntegerField("未写明日期", default=0)
    failing = models.PositiveIntegerField("有错误的报告", default=0)
    outliers = models.PositiveIntegerField("有异常指标的机关", default=0)
    totals = models.JSONField("表二至表四合计（各机关报告之和）", default=dict)
    indicators = models.JSONField("按合计计算的全区指标", default=dict)
    bands = models.JSONField("中位数规则所用的中位数和范围", default=dict)
    rule_agencies = models.JSONField("各核对规则未通过的机关数", default=dict)
    refreshed_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "全区年度统计"
        verbose_name_plural = "全区年度统计"
        ordering = ["region", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="region_year_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class RegionFigure(models.Model):
    """One agency's year in a region, pre-computed from its current collected report: the
    indicators (also as columns, so the page sorts in SQL), year-over-year changes, ranks,
    findings by rule, timeliness and the outliers the visible rules flagged. An agency with no
    report for the year has a row too (``has_report`` false)."""

    region = models.ForeignKey(Agency, verbose_name="监督范围（本级机关）", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    report = models.ForeignKey(CollectedReport, verbose_name="所用报告", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    has_report = models.BooleanField("已收到报告", default=False)
    received = models.IntegerField("本年新收申请数", null=True)
    decided = models.IntegerField("本年办结申请数", null=True)
    disclosure_rate = models.FloatField("公开率", null=True)
    refusal_rate = models.FloatField("不予公开率", null=True)
    not_held_share = models.FloatField("不掌握占比", null=True)
    carried_forward_rate = models.FloatField("结转率", null=True)
    reviews_per_100 = models.FloatField("每百件申请复议数", null=True)
    lawsuits_per_100 = models.FloatField("每百件申请诉讼数", null=True)
    correction_rate = models.FloatField("纠错率", null=True)
    info_fee = models.FloatField("信息处理费（元）", null=True)
    indicators = models.JSONField("指标（含分子分母）", default=dict)
    shown = models.JSONField("显示值（指标的显示文字，及新收申请与上年相比）", default=dict)
    changes = models.JSONField("与上年相比", default=dict)
    ranks = models.JSONField("排名", default=dict)
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    rule_counts = models.JSONField("各规则的问题数", default=dict)
    published_on = models.DateField("发布日期", null=True)
    deadline = models.DateField("法定期限", null=True)
    on_time = models.BooleanField("按期发布", null=True)
    days_late = models.PositiveIntegerField("逾期天数", null=True)
    outliers = models.JSONField("异常指标", default=list)
    outlier_count = models.PositiveSmallIntegerField("异常指标数", default=0)

    class Meta:
        verbose_name = "机关年度统计"
        verbose_name_plural = "机关年度统计"
        ordering = ["region", "year", "agency"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "agency"], name="region_figure_unique")]
        indexes = [models.Index(fields=["agency", "year"], name="region_figure_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"
