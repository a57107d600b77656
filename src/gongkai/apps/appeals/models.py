"""Administrative reviews (行政复议) and lawsuits (行政诉讼) about government information disclosure.

What an appeal is about (``subject``):

- ``decision``: the agency's reply to an application (the applicant contests the decision);
- ``inaction``: an application not answered, or answered late (不作为; the application exists and
  was undecided when the appeal was filed, or was decided after its due date);
- ``third_party``: a third party contests a decision to disclose (granted or partial) information
  that concerns it (条例 Art. 32); ``appellant`` names it;
- ``active``: active disclosure (主动公开: something not published, or published wrongly); no
  application, optionally a catalogue item.

Each counts in table 4 of the agency (``agency``) in the year it was filed, whatever its subject.

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

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application
from gongkai.apps.records import ChangeRecord
from gongkai.apps.records import snapshot as record_snapshot
from gongkai.core import standard
from gongkai.core.casework.lifecycle import State

# The states of an application that has a disclosure decision (something to appeal against).
DECIDED_STATES = frozenset({State.DECIDED.value, State.REPLIED.value, State.CLOSED.value})
RESULT_CHOICES = [(c.key, c.label) for c in standard.REVIEW_COLUMNS if c.key in standard.REVIEW_PART_KEYS]
PENDING = "pending"


class Subject(models.TextChoices):
    DECISION = "decision", "不服答复决定"
    INACTION = "inaction", "未答复或逾期答复（不作为）"
    THIRD_PARTY = "third_party", "第三方不服公开决定"
    ACTIVE = "active", "主动公开"


APPLICATION_SUBJECTS = (Subject.DECISION, Subject.INACTION, Subject.THIRD_PARTY)
# The outcomes that disclose something a third party may contest.
DISCLOSING_OUTCOMES = frozenset({"granted", "partial"})


class Kind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


LAWSUIT_KINDS = (Kind.LITIGATION_DIRECT, Kind.LITIGATION_AFTER_REVIEW)


class Appeal(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="被申请人（被告）机关", on_delete=models.PROTECT,
                               related_name="appeals")
    subject = models.CharField("事由", max_length=20, choices=Subject.choices, default=Subject.DECISION)
    application = models.ForeignKey(Application, verbose_name="政府信息公开申请", on_delete=models.PROTECT,
                                    related_name="appeals", null=True, blank=True)
    catalogue_item = models.ForeignKey("catalogue.Item", verbose_name="所涉主动公开信息", on_delete=models.PROTECT,
                                       related_name="appeals", null=True, blank=True,
                                       help_text="针对主动公开的，可选择目录中的信息（可不选，在说明中写明）")
    appellant = models.CharField("复议申请人或原告", max_length=200, blank=True,
                                 help_text="第三方不服公开决定的，填写该第三方的名称")
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
        indexes = [models.Index(fields=["filed_on"], name="appeal_filed"),
                   models.Index(fields=["agency", "filed_on"], name="appeal_agency_filed")]

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
        application = self.application if self.application_id else None
        if application is not None:
            self.agency = application.agency  # an appeal about an application is against its agency
        errors.update(self._subject_errors(application))
        if self.filed_on and self.filed_on > today:
            errors["filed_on"] = f"申请复议或起诉日期 {self.filed_on.isoformat()} 晚于今天"
        elif self.filed_on and application is not None and "application" not in errors:
            if self.subject in (Subject.DECISION, Subject.THIRD_PARTY) and self.filed_on < application.decided_on:
                errors["filed_on"] = (f"申请复议或起诉日期 {self.filed_on.isoformat()} 早于答复决定日期 "
                                      f"{application.decided_on.isoformat()}")
            elif self.subject == Subject.INACTION and self.filed_on < application.received_on:
                errors["filed_on"] = (f"申请复议或起诉日期 {self.filed_on.isoformat()} 早于收到申请日期 "
                                      f"{application.received_on.isoformat()}")
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
            elif (review.kind != Kind.REVIEW or review.application_id != self.application_id
                  or review.agency_id != self.agency_id or review.subject != self.subject):
                errors["review"] = "所涉行政复议须是针对同一申请（或同一机关的同一主动公开事项）、同一事由的行政复议"
            elif self.filed_on and self.filed_on < review.filed_on:
                errors["filed_on"] = f"起诉日期早于所涉行政复议的申请日期 {review.filed_on.isoformat()}"
            elif self.filed_on and review.concluded_on and self.filed_on < review.concluded_on:
                errors["filed_on"] = f"复议后起诉的，起诉日期不能早于复议审结日期 {review.concluded_on.isoformat()}"
        elif self.review_id is not None:
            errors["review"] = "只有复议后起诉的行政诉讼才关联行政复议"
        for name in ("case_number", "body", "appellant"):
            setattr(self, name, (getattr(self, name) or "").strip())
        if not self.case_number and "case_number" not in errors:
            errors["case_number"] = "请填写案号"
        if not self.body:
            errors["body"] = f"请填写{self.body_label}"
        if self.subject == Subject.THIRD_PARTY and not self.appellant:
            errors["appellant"] = "第三方不服公开决定的，请填写该第三方的名称"
        if errors:
            raise ValidationError(errors)

    def _subject_errors(self, application) -> dict[str, str]:
        """What the subject requires of the application (or of its absence)."""
        if self.subject not in Subject.values:
            return {"subject": "请选择事由：不服答复决定、不作为、第三方不服公开决定或主动公开"}
        if self.subject == Subject.ACTIVE:
            errors = {}
            if application is not None:
                errors["application"] = "针对主动公开的行政复议或诉讼不关联政府信息公开申请；针对申请的，请选择其他事由"
            if not self.agency_id:
                errors["agency"] = "请选择被申请人（被告）机关"
            if self.catalogue_item_id and self.agency_id and self.catalogue_item.agency_id != self.agency_id:
                errors["catalogue_item"] = "所涉信息须是本机关目录中的信息"
            if not self.catalogue_item_id and not (self.note or "").strip():
                errors["note"] = "针对主动公开的，请选择所涉信息或在说明中写明所涉事项"
            return errors
        if application is None:
            return {"application": "请选择所针对的政府信息公开申请"}
        if self.catalogue_item_id:
            return {"catalogue_item": "只有针对主动公开的才关联目录中的信息"}
        decided = application.state in DECIDED_STATES and application.decided_on is not None
        if self.subject == Subject.DECISION and not decided:
            return {"application": (
                f"申请 {application.number} 尚未作出答复决定（当前状态：{application.get_state_display()}），"
                "不能对答复决定申请复议或起诉；申请人对未答复不服的，事由请选择“未答复或逾期答复（不作为）”")}
        if self.subject == Subject.THIRD_PARTY and not (decided and application.outcome in DISCLOSING_OUTCOMES):
            return {"application": (f"申请 {application.number} 没有予以公开或部分公开的决定，"
                                    "第三方不服公开决定的复议或诉讼须针对公开的决定")}
        return {}


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


FIELDS = ("agency_id", "subject", "application_id", "catalogue_item_id", "appellant", "kind", "review_id", "case_number", "body", "filed_on", "result", "concluded_on", "note")


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
