"""What online applications (网上申请) keep.

- ``OnlineIntake``: an agency accepts applications through the portal (staff switch it on per
  agency; only those agencies are offered on the form).
- ``OnlineSubmission``: the portal's side of an application submitted online — the tracking
  code, kept only as its SHA-256 (unique index), the applicant as a keyed hash (to count their
  applications of a day) and the day it came in. The application itself
  is in the registry (``gongkai.apps.cases.models.Application``, channel "online").
- ``ThrottleCount``: fixed-window counters of the flood limits (``throttle.py``), in the
  database so that every gunicorn worker sees the same counts on SQLite and PostgreSQL alike.

The tables keep the names they had when these models lived in ``portal`` (``db_table``;
migration ``online.0001`` moved them without touching the data).
"""

from __future__ import annotations

from django.db import models

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application


class OnlineIntake(models.Model):
    """An agency that accepts online applications, and what the public is told about it."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="online_intake")
    enabled = models.BooleanField("接受网上申请", default=True)
    contact = models.CharField("咨询电话或联系方式", max_length=200, blank=True,
                               help_text="显示在回执和办理进度页面上，例如“0531-12345678（工作日 9:00–17:00）”")
    notice = models.TextField("申请须知", blank=True, help_text="选择本机关时显示在申请表上方（可不填）")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        db_table = "portal_onlineintake"
        verbose_name = "网上申请受理机关"
        verbose_name_plural = "网上申请受理机关"
        ordering = ["agency__order_path"]

    def __str__(self) -> str:
        return f"{self.agency}（{'接受' if self.enabled else '暂停'}网上申请）"


class OnlineSubmission(models.Model):
    """An application that came in through the portal, with the hash of its tracking code."""

    application = models.OneToOneField(Application, verbose_name="申请", on_delete=models.PROTECT,
                                       related_name="online_submission")
    code_hash = models.CharField("查询码摘要（SHA-256）", max_length=64, unique=True, editable=False)
    # Who applied, as a keyed hash of the ID number or credit code (``throttle.keyed``), never the
    # number itself: to count an applicant's online applications of a day (``apply_intake``).
    applicant_key = models.CharField("申请人摘要", max_length=100, blank=True, editable=False)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        db_table = "portal_onlinesubmission"
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["applicant_key"], name="online_submission_applicant")]

    def __str__(self) -> str:
        return f"{self.application.agency} {self.application.number}"


class ThrottleCount(models.Model):
    """How many times ``key`` (a purpose and a keyed hash of an address or an applicant, never the
    address or the number itself) was counted in the window starting at ``window_start``."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "portal_throttlecount"
        verbose_name = "访问频率计数"
        verbose_name_plural = "访问频率计数"
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="throttle_count_unique")]


class ApplicantMessage(models.Model):
    """One message to an applicant (``notify``): which case, which event, which channel, to a masked
    address, and whether it went out. The text is not kept (it may carry a new tracking code);
    it is rebuilt from the case by ``notify.compose`` when needed."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "收到申请"
        CORRECTION = "correction", "告知补正"
        EXTENSION = "extension", "延长答复期限"
        REPLY = "reply", "送达答复"
        TRACKING_CODE = "tracking_code", "补发查询码"

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT,
                                    related_name="applicant_messages")
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    to_masked = models.CharField("发送至（部分隐藏）", max_length=100)
    status = models.CharField("结果", max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "告知申请人记录"
        verbose_name_plural = "告知申请人记录"
        ordering = ["application", "created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="applicant_message_status")]

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_kind_display()} {self.get_channel_display()} {self.get_status_display()}"


class DownloadRecord(models.Model):
    """A file an applicant downloaded from the tracking page: the case (whose tracking code opened
    the page), when, which file, and the client address as a keyed hash (never the address)."""

    class Kind(models.TextChoices):
        LETTER = "letter", "答复书"
        DOCUMENT = "document", "提供的政府信息"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT,
                                    related_name="applicant_downloads")
    kind = models.CharField("文件类别", max_length=10, choices=Kind.choices)
    letter = models.ForeignKey("letters.IssuedLetter", verbose_name="文书", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    attachment = models.ForeignKey("cases.Attachment", verbose_name="附件", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=200)
    address_key = models.CharField("来源地址摘要", max_length=100)
    at = models.DateTimeField("下载时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人下载记录"
        verbose_name_plural = "申请人下载记录"
        ordering = ["application", "at", "pk"]
