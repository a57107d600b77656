"""Drafted decisions and their review (拟办 → 审核 → 签发), and each agency's rule of which outcomes
need it: the tables.

The rules are the core's (``gongkai.core.casework.signoff``) and every change goes through ``services``;
the database itself refuses a signed draft without its signer, its letter, a second person
(four eyes) and — for a disclosing outcome — the secrecy review (``decision_draft_*``
constraints), as the catalogue refuses a published item without its two approvals.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import OUTCOME_CHOICES, Application
from gongkai.apps.letters.models import IssuedLetter
from gongkai.apps.records import ChangeRecord
from gongkai.core.casework import signoff
from gongkai.core.casework.signoff import Action, DraftState

STATE_CHOICES = [(s.value, s.label) for s in DraftState]
ACTION_CHOICES = [(a.value, a.label) for a in Action]
OPEN_STATES = [s.value for s in DraftState if s in signoff.OPEN_DRAFT_STATES]  # in a fixed order (migrations)
DISCLOSING = sorted(signoff.DISCLOSING_OUTCOMES)
# The decision a draft states, named as on Application (transition's decide step stores them there).
DECISION_FIELDS = ("outcome", "decided_on", "decision_reasons", "prohibiting_law", "other_agency_name",
                   "other_agency_contact")


class DecisionDraft(models.Model):
    """One drafted decision of a case and its review; one open draft per case at a time."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT,
                                    related_name="decision_drafts")
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=DraftState.DRAFTING.value)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES)
    decided_on = models.DateField("答复决定日期")
    decision_reasons = models.TextField("答复理由", blank=True,
                                        help_text="不予公开、部分公开等决定须说明理由（《条例》第三十六条第（三）项、第三十七条）")
    prohibiting_law = models.CharField("禁止公开的法律、行政法规", max_length=200, blank=True,
                                       help_text="以法律、行政法规禁止公开为由不予公开的，写明该法律、行政法规及条款")
    other_agency_name = models.CharField("负责公开该信息的机关", max_length=200, blank=True,
                                         help_text="《条例》第三十六条第（五）项：能够确定负责公开该信息的机关的，告知其名称")
    other_agency_contact = models.CharField("该机关的联系方式", max_length=200, blank=True)
    letter_note = models.TextField("告知书补充说明", blank=True, help_text="可不填；填写的，印在答复告知书的说明段")
    revision = models.PositiveIntegerField("稿次", default=1)

    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拟办人", on_delete=models.PROTECT,
                                   related_name="+")
    drafted_at = models.DateTimeField("拟办时间", auto_now_add=True)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.PROTECT,
                                   related_name="+")
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)

    # The secrecy review of 条例 Art. 17 (保密审查), recorded by the signing approver.
    secrecy_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="保密审查人", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    secrecy_reviewed_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    secrecy_opinion = models.TextField("保密审查意见", blank=True)

    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    letter = models.OneToOneField(IssuedLetter, verbose_name="答复告知书", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="signed_draft")

    class Meta:
        verbose_name = "拟办答复"
        verbose_name_plural = "拟办答复"
        ordering = ["application", "-drafted_at", "-pk"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="decision_draft_queue")]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(state__in=OPEN_STATES),
                                    name="decision_draft_one_open"),
            # Signed: by someone, with the reply letter issued.
            models.CheckConstraint(
                condition=~Q(state="signed") | Q(signed_by__isnull=False, signed_at__isnull=False, letter__isnull=False),
                name="decision_draft_signed_complete"),
            # Four eyes: neither the drafter nor the last reviser signs.
            models.CheckConstraint(
                condition=~Q(state="signed") | (~Q(signed_by=F("drafted_by")) & ~Q(signed_by=F("revised_by"))),
                name="decision_draft_four_eyes"),
            # Never disclosed without the secrecy review (条例 Art. 17).
            models.CheckConstraint(
                condition=~Q(state="signed") | ~Q(outcome__in=DISCLOSING)
                | (Q(secrecy_reviewed_by__isnull=False, secrecy_reviewed_at__isnull=False) & ~Q(secrecy_opinion="")),
                name="decision_draft_secrecy_reviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} 拟办答复（第{self.revision}稿，{self.get_state_display()}）"

    @property
    def draft_state(self) -> DraftState:
        return DraftState(self.state)

    @property
    def is_open(self) -> bool:
        return self.draft_state in signoff.OPEN_DRAFT_STATES

    @property
    def needs_secrecy_review(self) -> bool:
        return signoff.needs_secrecy_review(self.outcome)

    def delete(self, *args, **kwargs):
        raise ValidationError("拟办答复及其审核记录不能删除；不再需要的请撤销")


class DraftEvent(ChangeRecord):
    """Every action on a draft: who, when, the comment, the draft before and after. Never deleted."""

    draft = models.ForeignKey(DecisionDraft, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("事项", max_length=20, choices=ACTION_CHOICES)
    recorded_model = DecisionDraft

    class Meta:
        verbose_name = "拟办审核记录"
        verbose_name_plural = "拟办审核记录"
        ordering = ["draft", "at", "pk"]


class SignoffSettings(models.Model):
    """Which outcomes an agency decides only through sign-off (no row: the core's default)."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.PROTECT,
                                  related_name="signoff_settings")
    outcomes = models.JSONField("须经审核签发的办理结果", default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "审核签发设置"
        verbose_name_plural = "审核签发设置"

    def __str__(self) -> str:
        return f"{self.agency} 审核签发设置"


class SignoffSettingsChange(ChangeRecord):
    """Every change of an agency's sign-off setting: who, when, why, before and after."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    recorded_model = SignoffSettings

    class Meta:
        verbose_name = "审核签发设置变更"
        verbose_name_plural = "审核签发设置变更"
        ordering = ["agency", "at", "pk"]
