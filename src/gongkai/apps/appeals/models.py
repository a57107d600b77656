"""Administrative reviews (行政复议) and lawsuits (行政诉讼) against disclosure decisions.

One table of appeals, so that table 4 is one aggregate query: ``kind`` is the row of table 4
it counts in (``review``, ``litigation_direct``, ``litigation_after_review``) and ``result`` one
of its columns (``upheld``, ``corrected``, ``other``, ``pending``; see
``gongkai.core.standard.REVIEW_LITIGATION``). ``Review`` and ``Lawsuit`` are the two faces of it
that people work with. Every change is kept in ``AppealEvent`` (who, when, why, before, after);
nothing is deleted.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongkai.apps.cases.models import Application
from gongkai.apps.records import ChangeRecord
from gongkai.apps.records import snapshot as record_snapshot
from gongkai.core import standard
from gongkai.core.lifecycle import State

# The states of an application that has a disclosure decision (something to appeal against).
DECIDED_STATES = frozenset({State.DECIDED.value, State.REPLIED.value, State.CLOSED.value})
RESULT_CHOICES = [(c.key, c.label) for c in standard.REVIEW_COLUMNS if c.key in standard.REVIEW_PART_KEYS]
PENDING = "pending"


class Kind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


LAWSUIT_KINDS = (Kind.LITIGATION_DIRECT, Kind.LITIGATION_AFTER_REVIEW)


class Appeal(models.Model):
    application = models.ForeignKey(Application, verbose_name="政府信息公开申请", on_delete=models.PROTECT,
                                    related_name="appeals")
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    review = models.ForeignKey("self", verbose_name="所涉行政复议", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="lawsuits", help_text="复议后起诉的，选择所涉行政复议")
    case_number = models.CharField("案号", max_length=100)
    body = models.CharField("复议机关或人民法院", max_length=100)
    filed_on = models.DateField("申请复议或起诉日期")
    result = models.CharField("结果", max_length=20, choices=RESULT_CHOICES, default=PENDING)
    concluded_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政复议或行政诉讼"
        verbose_name_plural = "行政复议和行政诉讼"
        ordering = ["filed_on", "pk"]
        indexes = [models.Index(fields=["filed_on"], name="appeal_filed")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}"

    @property
    def is_review(self) -> bool:
        return self.kind == Kind.REVIEW

    @property
    def body_label(self) -> str:
        return "复议机关" if self.is_review else "人民法院"

    def clean(self) -> None:
        """The rules of an appeal, in Chinese; ``today`` is the day it is recorded."""
        errors: dict[str, str] = {}
        today = date.today()
        application = self.application
        if application.state not in DECIDED_STATES or application.decided_on is None:
            errors["application"] = (
                f"申请 {application.number} 尚未作出答复决定（当前状态：{application.get_state_display()}），"
                "只能对已作出的答复决定申请行政复议或提起行政诉讼"
            )
        if self.filed_on:
            if self.filed_on > today:
                errors["filed_on"] = f"申请复议或起诉日期 {self.filed_on.isoformat()} 晚于今天"
            elif application.decided_on and self.filed_on < application.decided_on:
                errors["filed_on"] = (f"申请复议或起诉日期 {self.filed_on.isoformat()} 早于答复决定日期 "
                                      f"{application.decided_on.isoformat()}")
        if self.result == PENDING:
            if self.concluded_on is not None:
                errors["concluded_on"] = "尚未审结的，不应填写审结日期；已审结的，请选择结果（维持、纠正或其他）"
        else:
            if self.concluded_on is None:
                errors["concluded_on"] = "已有结果的，请填写审结日期"
            elif self.concluded_on > today:
                errors["concluded_on"] = f"审结日期 {self.concluded_on.isoformat()} 晚于今天"
            elif self.filed_on and self.concluded_on < self.filed_on:
                errors["concluded_on"] = f"审结日期 {self.concluded_on.isoformat()} 早于申请复议或起诉日期"
        if self.kind == Kind.LITIGATION_AFTER_REVIEW:
            review = self.review
            if review is None:
                errors["review"] = "复议后起诉的，请选择所涉行政复议"
            elif review.kind != Kind.REVIEW or review.application_id != self.application_id:
                errors["review"] = "所涉行政复议须是针对同一申请的行政复议"
            elif self.filed_on and self.filed_on < review.filed_on:
                errors["filed_on"] = f"起诉日期早于所涉行政复议的申请日期 {review.filed_on.isoformat()}"
            elif self.filed_on and review.concluded_on and self.filed_on < review.concluded_on:
                errors["filed_on"] = f"复议后起诉的，起诉日期不能早于复议审结日期 {review.concluded_on.isoformat()}"
        elif self.review_id is not None:
            errors["review"] = "只有复议后起诉的行政诉讼才关联行政复议"
        for name in ("case_number", "body"):
            setattr(self, name, (getattr(self, name) or "").strip())
        if not self.case_number and "case_number" not in errors:
            errors["case_number"] = "请填写案号"
        if not self.body:
            errors["body"] = f"请填写{self.body_label}"
        if errors:
            raise ValidationError(errors)


class ReviewManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.REVIEW)


class LawsuitManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind__in=LAWSUIT_KINDS)


class Review(Appeal):
    """行政复议 against a disclosure decision."""

    objects = ReviewManager()

    class Meta:
        proxy = True
        verbose_name = "行政复议"
        verbose_name_plural = "行政复议"


class Lawsuit(Appeal):
    """行政诉讼: directly (未经复议直接起诉) or after a review (复议后起诉, linked to it)."""

    objects = LawsuitManager()

    class Meta:
        proxy = True
        verbose_name = "行政诉讼"
        verbose_name_plural = "行政诉讼"


FIELDS = ("kind", "review_id", "case_number", "body", "filed_on", "result", "concluded_on", "note")


class AppealEvent(ChangeRecord):
    """Every change to an appeal: who, when, why, before and after. Never deleted."""

    class Action(models.TextChoices):
        CREATE = "create", "登记"
        EDIT = "edit", "修改"

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("事项", max_length=20, choices=Action.choices)
    recorded_model = Appeal

    class Meta:
        verbose_name = "复议诉讼记录"
        verbose_name_plural = "复议诉讼记录"
        ordering = ["appeal", "at", "pk"]


def snapshot(appeal: Appeal) -> dict:
    return record_snapshot(appeal, FIELDS)
