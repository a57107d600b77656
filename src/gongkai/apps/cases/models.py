"""Applications for disclosure, their history, pauses, attachments and year closes: the tables.

The applicant is one of the six applicant columns of table 3 (``gongkai.core.standard``), so
that table 3 can be counted from the cases. What changes a case — registration, lifecycle
steps, edits, assignment — lives in ``gongkai.apps.cases.services``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.personal import DigestField, EncryptedCharField
from gongkai.apps.files import MAX_BYTES, SUFFIXES, KeptFile, check_file, kept_file_path
from gongkai.apps.records import ChangeRecord
from gongkai.core.casework import identity, lifecycle
from gongkai.core import standard
from gongkai.core.casework.fees import FeeMethod
from gongkai.core.casework.lifecycle import Event, State, TransitionError
from gongkai.core.casework.workdays import FEE_PAUSE_REASON, Pause

APPLICANT_CHOICES = [(c.key, c.label) for c in standard.APPLICANT_COLUMNS]
STATE_CHOICES = [(s.value, s.label) for s in State]
EVENT_CHOICES = [(e.value, e.label) for e in Event]
OUTCOME_CHOICES = [(k, standard.APPLICATIONS.row(k).short_label) for k in lifecycle.OUTCOMES]
CREDIT_CODE = identity.CREDIT_SHAPE
RESIDENT_ID = "居民身份证"


class CorrectionKind(models.TextChoices):
    UNCLEAR = "unclear", "所需信息的描述不明确"
    INCOMPLETE = "incomplete", "申请人身份或联系方式等内容不完整"
    OTHER = "other", "其他需要补正的内容"


class Channel(models.TextChoices):
    ONLINE = "online", "网络"
    LETTER = "letter", "信函"
    FAX = "fax", "传真"
    IN_PERSON = "in_person", "当面"
    OTHER = "other", "其他"


class ReplyChannel(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上平台"
    IN_PERSON = "in_person", "当面领取"
    FAX = "fax", "传真"
    OTHER = "other", "其他"


FEE_METHOD_CHOICES = [(m.value, m.label) for m in FeeMethod]


# The day the 条例 took effect (国务院令第492号, 2008-05-01): no application is received before it.
REGULATION_IN_FORCE = date(2008, 5, 1)


def today():
    """Today in the configured time zone (Asia/Shanghai): no application is received after it."""
    return timezone.localdate()


class SerialCounter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="serial_counter_unique")]


class Application(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="applications")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")

    applicant_type = models.CharField("申请人类别", max_length=20, choices=APPLICANT_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    id_type = models.CharField("身份证件类型", max_length=20, blank=True)
    id_number = EncryptedCharField("身份证件号码", max_length=40, blank=True)  # encrypted at rest (personal.py)
    id_number_digest = DigestField("身份证件号码摘要", source="id_number", db_index=True)  # HMAC, for look-ups
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact_person = models.CharField("联系人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)

    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    received_on = models.DateField(
        "收到申请日期",
        help_text="《条例》第三十一条：当面提交的为提交之日；邮寄的为签收之日；网络或传真提交的为双方确认之日",
    )
    description = models.TextField("所需政府信息的名称、文号或者便于查询的其他特征性描述")
    form_wanted = models.CharField("获取信息的载体形式", max_length=40, blank=True)
    delivery_wanted = models.CharField("获取信息的方式", max_length=40, blank=True)

    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField("登记时间", auto_now_add=True)

    # The lifecycle (gongkai.core.casework.lifecycle); changed only through ``transition``.
    state = models.CharField("状态", max_length=30, choices=STATE_CHOICES, default=State.REGISTERED.value)
    correction_requested_on = models.DateField("告知补正日期", null=True, blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)
    consultation_started_on = models.DateField("征求意见开始日期", null=True, blank=True)
    extended = models.BooleanField("已延长答复期限", default=False)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True)
    decided_on = models.DateField("答复决定日期", null=True, blank=True)
    replied_on = models.DateField("送达日期", null=True, blank=True)
    reply_channel = models.CharField("送达方式", max_length=20, choices=ReplyChannel.choices, blank=True)
    delivery_proof = models.CharField("送达凭证", max_length=200, blank=True,
                                      help_text="如邮件回执号、挂号信编号、签收人")
    merged_into = models.ForeignKey("self", verbose_name="合并至", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="duplicates")
    # The fee (国办函〔2020〕109号), by one method only; the notice starts a pause of the period.
    fee_method = models.CharField("收费方式", max_length=20, choices=FEE_METHOD_CHOICES, blank=True)
    fee_yuan = models.PositiveIntegerField("收费金额（元）", null=True, blank=True)
    fee_explanation = models.TextField("收费计算说明", blank=True)
    fee_notice_on = models.DateField("收费通知日期", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # What the law requires each step and decision to state (条例 Art. 30, 32, 35, 36, 37; 国办函〔2020〕109号).
    correction_kind = models.CharField("补正原因", max_length=20, choices=CorrectionKind.choices, blank=True)
    correction_items = models.TextField("补正事项", blank=True, help_text="一次性告知申请人需要补正的事项（《条例》第三十条）")
    fee_notice_channel = models.CharField(
        "收费通知送达方式", max_length=20, choices=ReplyChannel.choices, blank=True,
        help_text="当面、电子邮件、网上平台、传真送达的，未登记收到日期时以发出之日为收到之日；邮寄的须登记收到日期")
    fee_notice_received_on = models.DateField(
        "申请人收到收费通知日期", null=True, blank=True,
        help_text="缴费期限自申请人收到收费通知的次日起计算20个工作日（国办函〔2020〕109号）")
    consultation_party = models.CharField("被征求意见的第三方或机关", max_length=200, blank=True)
    consultation_due_on = models.DateField("第三方提出意见期限", null=True, blank=True,
                                           help_text="自第三方收到征求意见书之日起15个工作日（《条例》第三十二条）")
    reasons_requested_on = models.DateField("要求说明理由日期", null=True, blank=True,
                                            help_text="申请数量、频次明显超过合理范围，要求申请人说明理由（《条例》第三十五条）")
    reasons_received_on = models.DateField("收到申请人说明理由日期", null=True, blank=True)
    reasons_reasonable = models.BooleanField("申请理由是否合理", null=True, blank=True,
                                             help_text="《条例》第三十五条：不合理的告知不予处理；合理的可以确定延迟答复的合理期限")
    later_due_on = models.DateField("确定的延迟答复期限", null=True, blank=True,
                                    help_text="申请理由合理但无法按期答复的，确定的延迟答复的合理期限（《条例》第三十五条）")
    decision_reasons = models.TextField("答复理由", blank=True,
                                        help_text="不予公开、部分公开等决定须说明理由（《条例》第三十六条第（三）项、第三十七条）")
    prohibiting_law = models.CharField("禁止公开的法律、行政法规", max_length=200, blank=True,
                                       help_text="以法律、行政法规禁止公开为由不予公开的，写明该法律、行政法规及条款")
    other_agency_name = models.CharField("负责公开该信息的机关", max_length=200, blank=True,
                                         help_text="《条例》第三十六条第（五）项：能够确定负责公开该信息的机关的，告知其名称")
    other_agency_contact = models.CharField("该机关的联系方式", max_length=200, blank=True)
    flagged_for_review = models.BooleanField("待审查（申请数量、频次异常）", default=False,
                                             help_text="网上申请超过单日次数等情形，登记后提示承办人审查是否适用《条例》第三十五条")
    flag_note = models.CharField("待审查说明", max_length=200, blank=True)

    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handled_applications")
    # The reply's due date, kept current by every step (and by ``refresh_due_dates`` when the
    # holiday table changes), so that work lists are one indexed query.
    due_on = models.DateField("答复期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限为暂定", default=False,
                                          help_text="期限跨越尚未录入国务院放假安排的年度，按周一至周五暂计")

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["agency", "-year", "-serial"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "serial"], name="application_unique_serial")]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="application_worklist"),
            models.Index(fields=["agency", "decided_on"], name="application_decided"),
            models.Index(fields=["agency", "received_on"], name="application_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    @property
    def number(self) -> str:
        return f"{self.year}-{self.serial:04d}"

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "id_number" in update_fields:  # the digest follows the number
            update_fields = {*update_fields, "id_number_digest"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def clean(self) -> None:
        """Refuse only what cannot be true; what the applicant left out is a matter for a correction
        request (条例 Art. 30), so an incomplete application is registered (``missing_items``)."""
        errors: dict[str, str] = {}
        day = today()
        if self.received_on and self.received_on > day:
            errors["received_on"] = (f"收到申请日期 {self.received_on.isoformat()} 晚于今天（{day.isoformat()}），"
                                     "请按实际收到申请的日期登记（《条例》第三十一条）")
        elif self.received_on and self.received_on < REGULATION_IN_FORCE:
            errors["received_on"] = (f"收到申请日期 {self.received_on.isoformat()} 早于《政府信息公开条例》施行之日"
                                     f"（{REGULATION_IN_FORCE.isoformat()}），请核对")
        if errors:
            raise ValidationError(errors)

    @property
    def missing_items(self) -> list[str]:
        """What an application lacks of the contents of 条例 Art. 29 (identity, contact): a correction
        request may ask for these within 7 working days of receipt (Art. 30)."""
        missing = []
        if self.applicant_type == "natural_person":
            if not self.id_number:
                missing.append("申请人的身份证明（身份证件号码）")
        elif not self.contact_person:
            missing.append("法人或其他组织的联系人")
        if not (self.phone or self.email or self.address):
            missing.append("联系方式（联系电话、电子邮箱或通信地址）")
        return missing

    @property
    def is_incomplete(self) -> bool:
        return bool(self.missing_items)

    @property
    def needs_correction(self) -> bool:
        """Incomplete and not yet asked to correct: the registry shows it until a request is sent."""
        return self.is_incomplete and self.state == State.REGISTERED.value and self.correction_requested_on is None

    @property
    def awaiting_review(self) -> bool:
        """Flagged for review (e.g. an applicant's extra online application of the day), still open
        and not yet asked for reasons (条例 Art. 35)."""
        return (self.flagged_for_review and self.reasons_requested_on is None
                and State(self.state) in lifecycle.OPEN_STATES)

    @property
    def identity_problems(self) -> list[str]:
        """Check-digit mismatches of the ID number or the credit code (warnings, not refusals)."""
        problems = []
        if self.applicant_type == "natural_person" and self.id_number and self.id_type in ("", RESIDENT_ID):
            problem = identity.id_number_problem(self.id_number, today())
            if problem:
                problems.append(problem)
        if self.applicant_type != "natural_person" and self.credit_code:
            problem = identity.credit_code_problem(self.credit_code)
            if problem:
                problems.append(problem)
        return problems


# The applications that ``Application.needs_correction`` and ``Application.awaiting_review`` name,
# as queries (their work lists).
_OPEN = Q(state__in=sorted(s.value for s in lifecycle.OPEN_STATES))
INCOMPLETE = Q(state=State.REGISTERED.value, correction_requested_on__isnull=True) & (Q(applicant_type="natural_person", id_number_digest="")
                      | (~Q(applicant_type="natural_person") & Q(contact_person=""))
                      | Q(phone="", email="", address=""))
AWAITING_REVIEW = _OPEN & Q(flagged_for_review=True, reasons_requested_on__isnull=True)


class ConsultationPause(models.Model):
    """A finished pause of the reply period — a consultation (第三方或其他机关意见) or the days from a
    fee notice to the payment: its working days do not count."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", Pause.reason
        FEE = "fee", FEE_PAUSE_REASON

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.CONSULTATION)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = "征求意见期间"
        verbose_name_plural = "征求意见期间"
        ordering = ["start"]


ATTACHMENT_MAX_BYTES, ATTACHMENT_SUFFIXES = MAX_BYTES, SUFFIXES
check_attachment = check_file
_attachment_path = kept_file_path  # named by migration 0003


class Attachment(KeptFile):
    """A file that came with an application (the letter, a scan of the ID, a proof); never deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    note = models.CharField("说明", max_length=200, blank=True)
    # Staff mark the files that are the information provided in the reply (条例 Art. 36, 40): an
    # applicant who asked to get it online downloads them on the tracking page (apps/online).
    released = models.BooleanField("提供给申请人", default=False,
                                   help_text="答复提供的政府信息：选择网上获取的申请人可在办理进度页面下载")

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"
        ordering = ["application", "uploaded_at", "pk"]

    def storage_folder(self) -> str:
        return f"attachments/{self.application.agency_id}/{self.application.year}"


REGISTER_EVENT = "register"
EDIT_EVENT = "edit"
ASSIGN_EVENT = "assign"
ATTACH_EVENT = "attach"
REVEAL_EVENT = "reveal_id"
PURGE_EVENT = "purge_personal"
RELEASE_EVENT = "release_attachment"
RECORD_EVENTS = [(REGISTER_EVENT, "登记申请"), (EDIT_EVENT, "修改登记信息"), (ASSIGN_EVENT, "指定承办人"),
                 (ATTACH_EVENT, "上传附件"), (REVEAL_EVENT, "查看完整身份证件号码"),
                 (PURGE_EVENT, "保存期限届满，删除申请人个人信息"),
                 (RELEASE_EVENT, "设置附件是否提供给申请人")]
# The review and sign-off of a decision (apps/signoff): 拟办, 提交审核, 退回修改, 签发, 撤销拟办.
SIGNOFF_EVENTS = [("draft_decision", "拟办答复"), ("submit_decision", "提交审核签发"), ("return_decision", "退回修改"),
                  ("sign_decision", "审核签发"), ("cancel_decision", "撤销拟办")]
RECORD_EVENTS += SIGNOFF_EVENTS


class CaseEvent(ChangeRecord):
    """Every change to a case: who, when, why, and the case before and after. Never deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    event = models.CharField("事项", max_length=30, choices=RECORD_EVENTS + EVENT_CHOICES)
    on = models.DateField("日期")
    recorded_model = Application

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["application", "at", "pk"]


class YearClose(models.Model):
    """An agency's year closed: open cases carried forward, tables 3 and 4 frozen as computed."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="year_closes")
    year = models.PositiveSmallIntegerField("年度")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结转人", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("结转时间", auto_now_add=True)
    tables = models.JSONField("结转时的表三、表四", default=dict)

    class Meta:
        verbose_name = "年度结转"
        verbose_name_plural = "年度结转"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="year_close_unique")]


__all__ = ["Application", "Attachment", "CaseEvent", "ConsultationPause", "SerialCounter", "YearClose", "Channel",
           "ReplyChannel", "CorrectionKind", "TransitionError", "check_attachment", "REGISTER_EVENT", "EDIT_EVENT", "ASSIGN_EVENT",
           "ATTACH_EVENT", "RELEASE_EVENT", "INCOMPLETE", "AWAITING_REVIEW", "RESIDENT_ID"]
