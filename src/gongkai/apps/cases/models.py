"""Applications for disclosure and their serial numbers.

The applicant is one of the six applicant columns of table 3 (``gongkai.core.standard``), so
that table 3 can be counted from the cases. Each agency numbers its applications per year
("2026-0042"); the number is drawn from a per-agency, per-year counter row locked for the
transaction, so concurrent registrations never get the same number.
"""

from __future__ import annotations

import re
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from gongkai.apps.agencies.models import WRITE_ROLES, Agency, Membership, has_role
from gongkai.apps.counters import next_number
from gongkai.apps.files import MAX_BYTES, SUFFIXES, KeptFile, check_file, kept_file_path
from gongkai.apps.records import ChangeRecord, snapshot
from gongkai.core import lifecycle, standard
from gongkai.core.fees import FeeMethod
from gongkai.core.lifecycle import Case, Event, State, TransitionError
from gongkai.core.workdays import CORRECTION_PERIOD_WORKING_DAYS, FEE_PAUSE_REASON, Pause

APPLICANT_CHOICES = [(c.key, c.label) for c in standard.APPLICANT_COLUMNS]
STATE_CHOICES = [(s.value, s.label) for s in State]
EVENT_CHOICES = [(e.value, e.label) for e in Event]
OUTCOME_CHOICES = [(k, standard.APPLICATIONS.row(k).short_label) for k in lifecycle.OUTCOMES]
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


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


class SerialCounter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="serial_counter_unique")]


def allocate_serial(agency: Agency, year: int) -> int:
    """The next serial number of ``agency`` in ``year``; call inside a transaction."""
    return next_number(SerialCounter, agency=agency, year=year)


class Application(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="applications")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")

    applicant_type = models.CharField("申请人类别", max_length=20, choices=APPLICANT_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    id_type = models.CharField("身份证件类型", max_length=20, blank=True)
    id_number = models.CharField("身份证件号码", max_length=40, blank=True)
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

    # The lifecycle (gongkai.core.lifecycle); changed only through ``transition``.
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

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.applicant_type == "natural_person":
            if not self.id_number:
                errors["id_number"] = "自然人申请应填写身份证件号码（《条例》第二十九条）"
        else:
            if self.credit_code and not CREDIT_CODE.match(self.credit_code.upper()):
                errors["credit_code"] = "统一社会信用代码应为18位（数字和大写字母，不含I、O、Z、S、V）"
            if not self.contact_person:
                errors["contact_person"] = "法人或其他组织申请应填写联系人"
        if not (self.phone or self.email or self.address):
            errors["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）"
        if errors:
            raise ValidationError(errors)


def register_application(user, agency: Agency, **fields) -> Application:
    """Register an application in ``agency`` (a registrar or handler of that agency only)."""
    if not has_role(user, agency, Membership.Role.REGISTRAR, Membership.Role.HANDLER):
        raise PermissionDenied(f"您不是“{agency}”的登记人员，不能登记该机关的申请")
    received_on = fields["received_on"]
    with transaction.atomic():
        ensure_year_open(agency, received_on)
        application = Application(agency=agency, registered_by=user, year=received_on.year, serial=0, **fields)
        application.full_clean(exclude=["serial"])
        application.serial = allocate_serial(agency, application.year)
        _set_due(application, _calendar())
        application.save()
        CaseEvent.objects.create(application=application, event=REGISTER_EVENT, on=received_on, user=user,
                                 reason="", before={}, after=_snapshot(application))
    return application


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

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"
        ordering = ["application", "uploaded_at", "pk"]

    def storage_folder(self) -> str:
        return f"attachments/{self.application.agency_id}/{self.application.year}"


def add_attachment(user, application: Application, name: str, content: bytes, note: str = "") -> Attachment:
    """Keep a file with an application (its registrars, handlers and approvers only)."""
    if not has_role(user, application.agency, *WRITE_ROLES):
        raise PermissionDenied(f"您不是“{application.agency}”的工作人员，不能为该申请上传附件")
    name = check_attachment(name, len(content))
    with transaction.atomic():
        attachment = Attachment(application=application, uploaded_by=user, note=note[:200])
        attachment.keep(name, content)
        CaseEvent.objects.create(application=application, event=ATTACH_EVENT, on=date.today(), user=user, reason=note,
                                 before={}, after={"attachment": name, "sha256": attachment.sha256})
    return attachment


REGISTER_EVENT = "register"
EDIT_EVENT = "edit"
ASSIGN_EVENT = "assign"
ATTACH_EVENT = "attach"
RECORD_EVENTS = [(REGISTER_EVENT, "登记申请"), (EDIT_EVENT, "修改登记信息"), (ASSIGN_EVENT, "指定承办人"),
                 (ATTACH_EVENT, "上传附件")]


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


_CASE_FIELDS = ("state", "correction_requested_on", "corrected_on", "consultation_started_on", "extended",
                "outcome", "decided_on", "replied_on", "reply_channel", "delivery_proof", "merged_into_id",
                "fee_method", "fee_yuan", "fee_explanation", "fee_notice_on", "fee_paid_on", "due_on",
                "due_provisional")
# What registration records and an edit may change (the lifecycle fields change only by steps).
EDITABLE_FIELDS = ("applicant_type", "applicant_name", "id_type", "id_number", "credit_code", "contact_person",
                   "phone", "email", "address", "channel", "received_on", "description", "form_wanted",
                   "delivery_wanted")


def _snapshot(application: Application, fields=_CASE_FIELDS) -> dict:
    return snapshot(application, fields)


def _calendar():
    from gongkai.apps.holidays.models import work_calendar

    return work_calendar()


def lifecycle_case(application: Application) -> Case:
    lifecycle_events = {e.value for e in Event}
    return Case(
        received_on=application.received_on,
        state=State(application.state),
        correction_requested_on=application.correction_requested_on,
        corrected_on=application.corrected_on,
        pauses=tuple(Pause(p.start, p.end, p.get_kind_display()) for p in application.pauses.all())
        if application.pk else (),
        open_pause_start=application.consultation_started_on or application.fee_notice_on
        if application.state in {s.value for s in lifecycle.PAUSING_STATES} else None,
        extended=application.extended,
        outcome=application.outcome or None,
        decided_on=application.decided_on,
        replied_on=application.replied_on,
        history=tuple((Event(e.event), e.on) for e in application.events.all() if e.event in lifecycle_events)
        if application.pk else (),
    )


def _set_due(application: Application, calendar) -> None:
    """Store the reply's due date (None once decided, withdrawn or merged)."""
    if State(application.state) in lifecycle.OPEN_STATES:
        deadline = lifecycle_case(application).reply_deadline(calendar)
        application.due_on, application.due_provisional = deadline.due, deadline.provisional
    else:
        application.due_on, application.due_provisional = None, False


def ensure_year_open(agency: Agency, on) -> None:
    """Refuse a change dated in a year whose report is closed (its tables are final)."""
    if YearClose.objects.filter(agency=agency, year__gte=on.year).exists():
        closed = YearClose.objects.filter(agency=agency, year__gte=on.year).order_by("year").first()
        raise TransitionError(f"“{agency}”{closed.year}年度的台账已结转，不能再登记或变更该年度及以前日期的办理事项")


def correction_working_days(agency: Agency) -> int:
    """The period the agency gives applicants to correct: its letter setting, else the default."""
    # By name: the letters app builds on this one.
    found = apps.get_model("letters", "LetterSettings").objects.filter(agency=agency)
    return found.values_list("correction_working_days", flat=True).first() or CORRECTION_PERIOD_WORKING_DAYS


def transition(user, application: Application, event: Event, on, reason: str = "", outcome: str | None = None,
               calendar=None, **details) -> Application:
    """Take one step of the lifecycle, recorded with who, when, why, before and after.

    Handlers and approvers of the application's agency take steps; only an approver (the head
    of the disclosure office) extends the reply period (条例 Art. 33). ``details`` carry what a
    step records besides its date: ``reply_channel`` and ``delivery_proof`` for send_reply,
    ``merged_into`` for merge, ``fee_method``, ``fee_yuan`` and ``fee_explanation`` for
    send_fee_notice. Illegal steps raise TransitionError with the reason; nothing is stored then.
    """
    roles = (Membership.Role.APPROVER,) if event is Event.EXTEND else (Membership.Role.HANDLER, Membership.Role.APPROVER)
    if not has_role(user, application.agency, *roles):
        who = "审核人（负责人）" if event is Event.EXTEND else "承办或审核人员"
        raise PermissionDenied(f"只有“{application.agency}”的{who}才能{event.label}")
    calendar = calendar or _calendar()
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        ensure_year_open(current.agency, on)
        if event is Event.MERGE:  # a merged case leaves the counts of the year it was received in
            ensure_year_open(current.agency, current.received_on)
        before = _snapshot(current)
        case = lifecycle.apply(lifecycle_case(current), event, on, outcome=outcome, calendar=calendar,
                               correction_working_days=correction_working_days(current.agency))
        _record_details(current, event, on, details)
        if event in (Event.END_CONSULTATION, Event.RECEIVE_PAYMENT):
            last = case.pauses[-1]
            ConsultationPause.objects.create(application=current, start=last.start, end=last.end,
                                             kind=PAUSE_KIND[event])
        current.state = case.state.value
        current.correction_requested_on = case.correction_requested_on
        current.corrected_on = case.corrected_on
        current.consultation_started_on = case.open_pause_start if case.state is State.CONSULTING else None
        current.extended = case.extended
        current.outcome = case.outcome or ""
        current.decided_on = case.decided_on
        current.replied_on = case.replied_on
        _set_due(current, calendar)
        current.save()
        CaseEvent.objects.create(
            application=current, event=event.value, on=on, user=user, reason=reason, before=before, after=_snapshot(current)
        )
    return current


def _record_details(current: Application, event: Event, on, details: dict) -> None:
    unknown = set(details) - DETAILS.get(event, set())
    if unknown:
        raise TypeError(f"{event.value} does not take {sorted(unknown)}")
    if event is Event.SEND_REPLY:
        channel = details.get("reply_channel") or ""
        if channel not in ReplyChannel.values:
            raise TransitionError("请选择送达方式（邮寄、电子邮件、网上平台、当面领取、传真或其他）")
        current.reply_channel = channel
        current.delivery_proof = (details.get("delivery_proof") or "").strip()
    elif event is Event.MERGE:
        target = details.get("merged_into")
        if target is None or target.pk == current.pk or target.agency_id != current.agency_id:
            raise TransitionError("请指定本机关的另一件申请作为合并对象")
        if target.state == State.MERGED.value:
            raise TransitionError(f"申请 {target.number} 本身已被合并，请合并至其合并对象")
        current.merged_into = target
    elif event is Event.SEND_FEE_NOTICE:
        method, yuan = details.get("fee_method"), details.get("fee_yuan")
        if method not in {m.value for m in FeeMethod} or not isinstance(yuan, int) or yuan <= 0:
            raise TransitionError("收费通知须写明收费方式（按件或按量，只能选一种）和大于零的金额")
        current.fee_method, current.fee_yuan = method, yuan
        current.fee_explanation = details.get("fee_explanation") or ""
        current.fee_notice_on = on
    elif event is Event.RECEIVE_PAYMENT:
        current.fee_paid_on = on


DETAILS = {
    Event.SEND_REPLY: {"reply_channel", "delivery_proof"},
    Event.MERGE: {"merged_into"},
    Event.SEND_FEE_NOTICE: {"fee_method", "fee_yuan", "fee_explanation"},
}
PAUSE_KIND = {Event.END_CONSULTATION: "consultation", Event.RECEIVE_PAYMENT: "fee"}


def edit_application(user, application: Application, reason: str, **fields) -> Application:
    """Correct the registration record (applicant, channel, receipt date, description), kept in the history."""
    if not has_role(user, application.agency, *WRITE_ROLES):
        raise PermissionDenied(f"您不是“{application.agency}”的工作人员，不能修改该申请")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if not reason.strip():
        raise ValidationError({"reason": "修改登记信息须说明理由"})
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        ensure_year_open(current.agency, min(current.received_on, fields.get("received_on", current.received_on)))
        if "received_on" in fields and fields["received_on"].year != current.year:
            raise ValidationError({"received_on": "收到申请日期不能改到其他年度（编号按年度编排）；请撤销后重新登记"})
        before = _snapshot(current, EDITABLE_FIELDS + _CASE_FIELDS)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean()
        _set_due(current, _calendar())
        current.save()
        after = _snapshot(current, EDITABLE_FIELDS + _CASE_FIELDS)
        if after != before:
            CaseEvent.objects.create(application=current, event=EDIT_EVENT, on=date.today(), user=user,
                                     reason=reason, before=before, after=after)
    return current


def assign_handler(user, application: Application, handler) -> Application:
    """Give the case to a handler of its agency (an approver or handler does this)."""
    if not has_role(user, application.agency, Membership.Role.HANDLER, Membership.Role.APPROVER):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能指定承办人")
    if handler is not None and not has_role(handler, application.agency, Membership.Role.HANDLER, Membership.Role.APPROVER):
        raise ValidationError({"handler": f"{handler} 不是“{application.agency}”的承办人员"})
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        before = {"handler": str(current.handler or "")}
        current.handler = handler
        current.save(update_fields=["handler"])
        CaseEvent.objects.create(application=current, event=ASSIGN_EVENT, on=date.today(), user=user, reason="",
                                 before=before, after={"handler": str(handler or "")})
    return current


def refresh_due_dates(queryset=None) -> int:
    """Recompute the stored due dates of open applications (after the holiday table changed)."""
    calendar = _calendar()
    open_states = [s.value for s in lifecycle.OPEN_STATES]
    changed = 0
    for application in (Application.objects if queryset is None else queryset).filter(state__in=open_states).prefetch_related("pauses"):
        old = (application.due_on, application.due_provisional)
        _set_due(application, calendar)
        if (application.due_on, application.due_provisional) != old:
            application.save(update_fields=["due_on", "due_provisional"])
            changed += 1
    return changed


def reply_deadline(application: Application, calendar=None):
    """The reply's due date of an application, with its explanation."""
    return lifecycle_case(application).reply_deadline(calendar or _calendar())


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


__all__ = ["Application", "Attachment", "add_attachment", "CaseEvent", "ConsultationPause", "YearClose", "register_application", "transition",
           "edit_application", "assign_handler", "refresh_due_dates", "reply_deadline", "TransitionError"]
