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

