"""A notification (站内通知) to one member of staff about one case: who, what kind, the text, when,
and when it was read. Made by the registry's own steps (``services``); never edited but to mark it read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "指定承办"
        NEW_ONLINE = "new_online", "新的网上申请"
        SIGNOFF = "signoff", "待审核签发"
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    application = models.ForeignKey("cases.Application", verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="notifications")
    text = models.CharField("内容", max_length=300)
    created = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # What makes a notice the same one again (e.g. "overdue:<case>:<due date>"): the reminder run
    # of every day notifies a case once per due date, not once per day. Empty: always a new notice.
    key = models.CharField("去重键", max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                               name="notification_once_per_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text}"

    @property
    def read(self) -> bool:
        return self.read_at is not None
