"""Letters from the registry: which kinds a case allows, the values filled in, issuing, templates.

The texts and the filling are the core's (``gongkai.core.letters``) and the DOCX writer is
``gongkai.core.render.letter``; this module reads the case (applicant, number, dates, the reasons
recorded with its steps, the fee) and the agency's settings, and keeps what was issued.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gongkai.apps.agencies.models import Agency, Membership, has_role, visible_agencies
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import reply_deadline
from gongkai.core import letters
from gongkai.core.fees import FeeMethod, payment_deadline
from gongkai.core.letters import LetterError, LetterKind
from gongkai.core.lifecycle import OPEN_STATES, Event, State
from gongkai.core.render.letter import render_letter
from gongkai.core.workdays import count_working_days

from .models import IssuedLetter, LetterSettings, LetterTemplate

ISSUE_ROLES = (Membership.Role.HANDLER, Membership.Role.APPROVER)
# The steps whose reason explains a case's outcome (the decision, a lapse, a withdrawal).
OUTCOME_EVENTS = (Event.DECIDE, Event.CORRECTION_LAPSED, Event.PAYMENT_LAPSED, Event.WITHDRAW)
REPLY_STATES = frozenset({State.DECIDED, State.REPLIED, State.CLOSED, State.WITHDRAWN})


# --------------------------------------------------------------------------- who may do what


def can_issue(user, application: Application) -> bool:
    """Handlers and approvers of the application's agency issue letters."""
    return user.is_authenticated and has_role(user, application.agency, *ISSUE_ROLES)


def can_view(user, agency: Agency) -> bool:
    """Anyone who may see the agency's cases (its staff, supervisors above it)."""
    return visible_agencies(user).filter(pk=agency.pk).exists()


def can_manage(user, agency: Agency) -> bool:
    """The agency's approvers adjust its templates and settings."""
    return user.is_authenticated and has_role(user, agency, Membership.Role.APPROVER)


def _require_manager(user, agency: Agency) -> None:
    if not can_manage(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人员（负责人）才能修改文书模板和文书设置")


# --------------------------------------------------------------------------- kinds of a case


def _last_event(application: Application, *events: Event):
    return application.events.filter(event__in=[e.value for e in events]).order_by("-on", "-at", "-pk").first()


def available_kinds(application: Application) -> list[LetterKind]:
    """The letters that make sense in the case's current state, in the order a case meets them."""
    state = State(application.state)
    if state is State.MERGED:
        return []
    kinds: list[LetterKind] = []
    if state in OPEN_STATES:
        kinds.append(letters.ACKNOWLEDGMENT)
    if application.correction_requested_on is not None:
        kinds.append(letters.CORRECTION)
    if _last_event(application, Event.START_CONSULTATION) is not None:
        kinds.append(letters.CONSULTATION)
    if application.fee_notice_on is not None and application.fee_yuan:
        kinds.append(letters.FEE_NOTICE)
    if application.extended:
        kinds.append(letters.EXTENSION)
    if state in REPLY_STATES and application.outcome:
        kinds.append(letters.reply_kind(application.outcome))
    return kinds


# --------------------------------------------------------------------------- values


def _calendar():
    from gongkai.apps.holidays.models import work_calendar

    return work_calendar()


def _day(d: date | None) -> str:
    return letters.chinese_date(d) if d else ""


def _due(d: date, provisional: bool) -> str:
    text = letters.chinese_date(d)
    return text + "（该期限跨越尚未录入放假安排的年度，为暂定期限）" if provisional else text


def _contact(settings: LetterSettings) -> str:
    parts = [(label, value.strip()) for label, value in (
        ("联系人", settings.contact_person), ("联系电话", settings.contact_phone), ("通信地址", settings.contact_address),
    ) if value.strip()]
    return "；".join(f"{label}：{value}" for label, value in parts) + "。" if parts else ""


def settings_for(agency: Agency) -> LetterSettings:
    """The agency's letter settings, or LetterError saying what to fill in."""
    found = LetterSettings.objects.filter(agency=agency).first()
    missing = []
    if found is None or not found.review_body.strip():
        missing.append("行政复议机关")
    if found is None or not found.court.strip():
        missing.append("管辖的人民法院")
    if missing:
        raise LetterError(
            f"“{agency}”尚未填写文书设置（{'、'.join(missing)}），告知书中的救济途径无法填写。"
            "请本机关审核人员在“文书设置”页面填写后再生成。"
        )
    return found


def letter_date(application: Application, letter_kind: LetterKind, today: date) -> date:
    """The date a letter bears: the registry's date of the act it tells of."""
    if letter_kind.date_from == "decided" and application.decided_on:
        return application.decided_on
    if letter_kind.date_from == "correction" and application.correction_requested_on:
        return application.correction_requested_on
    if letter_kind.date_from == "fee" and application.fee_notice_on:
        return application.fee_notice_on
    step = {"consultation": Event.START_CONSULTATION, "extension": Event.EXTEND}.get(letter_kind.date_from)
    if step is not None:
        event = _last_event(application, step)
        if event is not None:
            return event.on
    return today


def letter_values(application: Application, letter_kind: LetterKind, settings: LetterSettings, *,
                  third_party: str = "", today: date | None = None, calendar=None) -> dict[str, str]:
    """Every placeholder's value for this case (empty where the case has not recorded it)."""
    calendar = calendar or _calendar()
    today = today or timezone.localdate()
    deadline = reply_deadline(application, calendar)
    values = {
        "申请人": application.applicant_name,
        "称谓": letters.address_as(application.applicant_type),
        "申请编号": application.number,
        "收到申请日期": _day(application.received_on),
        "所需信息": application.description,
        "答复期限": _due(deadline.due, deadline.provisional),
        "原答复期限": _day(deadline.original_due),
        "复议机关": settings.review_body,
        "人民法院": settings.court,
        "机关名称": settings.signature,
        "联系方式": _contact(settings),
        "日期": _day(letter_date(application, letter_kind, today)),
        "文号": letters.letter_number(settings.number_prefix, application.year, application.serial),
        "办理结果": application.get_outcome_display() if application.outcome else "",
        "补正告知日期": _day(application.correction_requested_on),
        "收到补正日期": _day(application.corrected_on),
        "第三方": third_party.strip(),
        "收费方式": FeeMethod(application.fee_method).label if application.fee_method else "",
        "收费金额": str(application.fee_yuan) if application.fee_yuan else "",
        "收费说明": application.fee_explanation,
        "收费通知日期": _day(application.fee_notice_on),
        "缴费途径": settings.payment_instructions,
    }
    outcome_event = _last_event(application, *OUTCOME_EVENTS)
    values["答复说明"] = outcome_event.reason.strip() if outcome_event else ""
    correction = _last_event(application, Event.REQUEST_CORRECTION)
    values["补正事项"] = correction.reason.strip() if correction else ""
    values["补正期限"] = ""
    if application.correction_requested_on:
        due = count_working_days(application.correction_requested_on, application.agency.correction_working_days,
                                 calendar)
        values["补正期限"] = _due(due.due, bool(due.unknown_years))
    extension = _last_event(application, Event.EXTEND)
    values["延期理由"] = letters.tidy_reason(extension.reason) if extension else ""
    consultation = _last_event(application, Event.START_CONSULTATION)
    values["征求意见事项"] = consultation.reason.strip() if consultation else ""
    values["缴费期限"] = ""
    if application.fee_notice_on:
        payment = payment_deadline(application.fee_notice_on, calendar)
        values["缴费期限"] = _due(payment.due, payment.provisional)
    values["救济途径"] = letters.remedy(values)
    return values


# --------------------------------------------------------------------------- templates


def current_template(agency: Agency, kind_key: str) -> LetterTemplate | None:
    """The agency's version in force of a kind, or None (the core's default text applies)."""
    return LetterTemplate.objects.filter(agency=agency, kind=kind_key).order_by("-version").first()


@dataclass(frozen=True)
class TemplateRow:
    kind: LetterKind
    template: LetterTemplate | None  # None: the default text

    @property
    def title(self) -> str:
        return self.template.title if self.template else self.kind.title

    @property
    def body(self) -> str:
        return self.template.body if self.template else self.kind.body

    @property
    def version(self) -> int:
        return self.template.version if self.template else 0


def template_rows(agency: Agency) -> list[TemplateRow]:
    """Every kind with the text in force for the agency."""
    newest = {}
    for t in LetterTemplate.objects.filter(agency=agency).order_by("kind", "-version"):
        newest.setdefault(t.kind, t)
    return [TemplateRow(k, newest.get(k.key)) for k in letters.KINDS.values()]


def save_template(user, agency: Agency, kind_key: str, title: str, body: str, note: str = "") -> LetterTemplate:
    """Store an adjusted text as the kind's next version (the previous ones are kept)."""
    _require_manager(user, agency)
    letter_kind = letters.kind(kind_key)
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    try:
        letters.validate_template(letter_kind, title, body)
    except LetterError as error:
        raise ValidationError({"body": str(error)}) from error
    try:
        with transaction.atomic():
            newest = current_template(agency, kind_key)
            if newest is not None and (newest.title, newest.body) == (title, body):
                return newest
            template = LetterTemplate(agency=agency, kind=kind_key, title=title, body=body, note=note.strip()[:200],
                                      version=(newest.version if newest else 0) + 1, created_by=user)
            template.full_clean()
            template.save()
    except IntegrityError as error:
        raise ValidationError("另一位工作人员同时修改了该模板，请刷新页面后再保存") from error
    return template


def template_history(agency: Agency, kind_key: str) -> models.QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(agency=agency, kind=kind_key).select_related("created_by").order_by("-version")


def save_settings(user, agency: Agency, **fields) -> LetterSettings:
    """Create or change the agency's letter settings (its approvers only)."""
    _require_manager(user, agency)
    unknown = set(fields) - set(SETTINGS_FIELDS) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"not a letter setting: {sorted(unknown)}")
    agency_fields = {name: fields.pop(name) for name in AGENCY_FIELDS if name in fields}
    with transaction.atomic():
        if agency_fields:
            agency = Agency.objects.select_for_update().get(pk=agency.pk)
            for name, value in agency_fields.items():
                setattr(agency, name, value)
            agency.full_clean()
            agency.save(update_fields=list(agency_fields))
        current = LetterSettings.objects.select_for_update().filter(agency=agency).first() \
            or LetterSettings(agency=agency)
        for name, value in fields.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        current.updated_by = user
        current.full_clean()
        current.save()
    return current


SETTINGS_FIELDS = ("review_body", "court", "number_prefix", "signature_name", "contact_person", "contact_phone",
                   "contact_address", "payment_instructions", "page_numbers")
# Kept on the agency (the registry's lifecycle reads it too) and edited on the same page.
AGENCY_FIELDS = ("correction_working_days",)


# --------------------------------------------------------------------------- issuing


def issue_letter(user, application: Application, kind_key: str, *, third_party: str = "",
                 today: date | None = None) -> IssuedLetter:
    """Generate a letter of the case and keep it (handlers and approvers of its agency only).

    ``third_party`` names the addressee of a consultation letter. LetterError (in Chinese) when
    the kind does not fit the case's state, the agency's settings are missing, or the case lacks
    something the template needs; nothing is stored then.
    """
    if not can_issue(user, application):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能生成文书")
    letter_kind = letters.kind(kind_key)
    if letter_kind.key not in {k.key for k in available_kinds(application)}:
        raise LetterError(f"申请 {application.number} 处于“{application.get_state_display()}”状态，"
                          f"不能生成{letter_kind.label}")
    today = today or timezone.localdate()
    settings = settings_for(application.agency)
    template = current_template(application.agency, kind_key)
    values = letter_values(application, letter_kind, settings, third_party=third_party, today=today)
    letter = letters.compose(
        letter_kind, values,
        title=template.title if template else None, body=template.body if template else None,
        page_numbers=settings.page_numbers,
    )
    content = render_letter(letter)
    return IssuedLetter.objects.create(
        application=application,
        kind=letter_kind.key,
        title=letter.title,
        number=letter.number,
        recipient=letter.addressee.rstrip("："),
        letter_date=letter_date(application, letter_kind, today),
        template_version=template.version if template else 0,
        issued_by=user,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        filename=f"{application.number}-{letter.title}.docx",
    )


def issued_letters(application: Application) -> models.QuerySet[IssuedLetter]:
    """The letters of a case, oldest first, without their bytes."""
    return application.letters.defer("content").select_related("issued_by").order_by("issued_at", "pk")


def letters_visible_to(user) -> models.QuerySet[IssuedLetter]:
    return IssuedLetter.objects.filter(application__agency__in=visible_agencies(user))


__all__ = ["available_kinds", "issue_letter", "can_issue", "can_view", "can_manage", "settings_for",
           "letter_values", "current_template", "template_rows", "save_template", "template_history",
           "save_settings", "issued_letters", "letters_visible_to", "LetterError"]
