"""Applications for disclosure and their serial numbers.

The applicant is one of the six applicant columns of table 3 (``gongkai.core.standard``), so
that table 3 can be counted from the cases. Each agency numbers its applications per year
("2026-0042"); the number is drawn from a per-agency, per-year counter row locked for the
transaction, so concurrent registrations never get the same number.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from gongkai.apps.agencies.models import Agency, Membership, has_role
from gongkai.core import lifecycle, standard
from gongkai.core.lifecycle import Case, Event, State, TransitionError
from gongkai.core.workdays import Pause

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


class SerialCounter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="serial_counter_unique")]


def allocate_serial(agency: Agency, year: int) -> int:
    """The next serial number of ``agency`` in ``year``; call inside a transaction."""
    try:
        with transaction.atomic():  # a savepoint: a concurrent first registration may win the insert
            SerialCounter.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass
    counter = SerialCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


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

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["agency", "-year", "-serial"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "serial"], name="application_unique_serial")]

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
        application = Application(agency=agency, registered_by=user, year=received_on.year, serial=0, **fields)
        application.full_clean(exclude=["serial"])
        application.serial = allocate_serial(agency, application.year)
        application.save()
    return application


class ConsultationPause(models.Model):
    """A finished consultation (第三方或其他机关意见): its working days do not count."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="pauses")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = "征求意见期间"
        verbose_name_plural = "征求意见期间"
        ordering = ["start"]


class CaseEvent(models.Model):
    """Every step of a case: who, when, why, and the case before and after. Never deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    event = models.CharField("事项", max_length=30, choices=EVENT_CHOICES)
    on = models.DateField("日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由或说明", blank=True)
    before = models.JSONField("变更前")
    after = models.JSONField("变更后")

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["application", "at", "pk"]


_CASE_FIELDS = ("state", "correction_requested_on", "corrected_on", "consultation_started_on", "extended",
                "outcome", "decided_on", "replied_on")


def _snapshot(application: Application) -> dict:
    return {f: (v.isoformat() if hasattr(v, "isoformat") else v) for f in _CASE_FIELDS for v in [getattr(application, f)]}


def _case(application: Application) -> Case:
    return Case(
        received_on=application.received_on,
        state=State(application.state),
        correction_requested_on=application.correction_requested_on,
        corrected_on=application.corrected_on,
        pauses=tuple(Pause(p.start, p.end) for p in application.pauses.all()),
        open_pause_start=application.consultation_started_on,
        extended=application.extended,
        outcome=application.outcome or None,
        decided_on=application.decided_on,
        replied_on=application.replied_on,
        history=tuple((Event(e.event), e.on) for e in application.events.all()),
    )


def transition(user, application: Application, event: Event, on, reason: str = "", outcome: str | None = None,
               calendar=None) -> Application:
    """Take one step of the lifecycle, recorded with who, when, why, before and after.

    Handlers and approvers of the application's agency take steps; only an approver (the head
    of the disclosure office) extends the reply period (条例 Art. 33). Illegal steps raise
    TransitionError with the reason; nothing is stored then.
    """
    roles = (Membership.Role.APPROVER,) if event is Event.EXTEND else (Membership.Role.HANDLER, Membership.Role.APPROVER)
    if not has_role(user, application.agency, *roles):
        who = "审核人（负责人）" if event is Event.EXTEND else "承办或审核人员"
        raise PermissionDenied(f"只有“{application.agency}”的{who}才能{event.label}")
    from gongkai.apps.holidays.models import work_calendar

    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        before = _snapshot(current)
        case = lifecycle.apply(_case(current), event, on, outcome=outcome, calendar=calendar or work_calendar())
        if event is Event.END_CONSULTATION:
            last = case.pauses[-1]
            ConsultationPause.objects.create(application=current, start=last.start, end=last.end)
        current.state = case.state.value
        current.correction_requested_on = case.correction_requested_on
        current.corrected_on = case.corrected_on
        current.consultation_started_on = case.open_pause_start
        current.extended = case.extended
        current.outcome = case.outcome or ""
        current.decided_on = case.decided_on
        current.replied_on = case.replied_on
        current.save(update_fields=list(_CASE_FIELDS))
        CaseEvent.objects.create(
            application=current, event=event.value, on=on, user=user, reason=reason, before=before, after=_snapshot(current)
        )
    return current


def reply_deadline(application: Application, calendar=None):
    """The reply's due date of an application, with its explanation."""
    from gongkai.apps.holidays.models import work_calendar

    return _case(application).reply_deadline(calendar or work_calendar())


__all__ = ["Application", "CaseEvent", "ConsultationPause", "register_application", "transition", "reply_deadline", "TransitionError"]
