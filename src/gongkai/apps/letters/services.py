"""Letters from the registry: which kinds a case allows, the values filled in, issuing, templates.

The texts and the filling are the core's (``gongkai.core.casework.letters``) and the DOCX writer is
``gongkai.core.casework.letter_document``; this module reads the case (applicant, number, dates, the reasons
recorded with its steps, the fee) and the agency's settings, states the remedy with
``gongkai.core.casework.remedy`` (by outcome and kind of agency), numbers every letter from its own
sequence, and keeps what was issued.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import Application, ReplyChannel
from gongkai.apps.cases.services import lifecycle_case, reply_deadline
from gongkai.apps.counters import next_number
from gongkai.apps.records import snapshot
from gongkai.core.casework import letters
from gongkai.core.casework import remedy as remedies
from gongkai.core.casework.fees import FeeMethod
from gongkai.core.casework.letters import LetterError, LetterKind
from gongkai.core.casework.lifecycle import OPEN_STATES, Event, State
from gongkai.core.casework.letter_document import read_letter, render_letter, render_letter_pdf
from gongkai.core.casework.workdays import THIRD_PARTY_WORKING_DAYS, count_working_days

from .models import IssuedLetter, LetterNumberCounter, LetterSettings, LetterSettingsChange, LetterTemplate

# The steps whose reason explains a case's outcome (the decision, a lapse, a withdrawal).
OUTCOME_EVENTS = (Event.DECIDE, Event.CORRECTION_LAPSED, Event.PAYMENT_LAPSED, Event.WITHDRAW)
REPLY_STATES = frozenset({State.DECIDED, State.REPLIED, State.CLOSED, State.WITHDRAWN})
# 条例 Art. 32: a decision to disclose over a consulted third party's objection is told to it.
DISCLOSING_OUTCOMES = frozenset({"granted", "partial"})
# A reply sent this way goes over the internet (行政复议法 Art. 22(2)).
ONLINE_REPLY_CHANNELS = frozenset({ReplyChannel.EMAIL.value, ReplyChannel.ONLINE.value})
# Words of the free-text "获取信息的方式" that mean the internet (the online form says 电子邮件 / 网上获取).
ONLINE_WORDS = ("电子邮件", "邮箱", "网上", "网络", "在线", "互联网", "平台", "email", "e-mail", "online")


# --------------------------------------------------------------------------- who may do what


def can_issue(user, application: Application) -> bool:
    """Handlers and approvers of the application's agency issue letters."""
    return permissions.may(user, application.agency, permissions.Action.ACT)


def can_view(user, agency: Agency) -> bool:
    """Anyone who may see the agency's cases (its staff, supervisors above it)."""
    return visible_agencies(user).filter(pk=agency.pk).exists()


def can_manage(user, agency: Agency) -> bool:
    """The agency's approvers adjust its templates and settings."""
    return permissions.may(user, agency, permissions.Action.APPROVE)


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
    consulted = consulted_on(application) is not None
    if consulted:
        kinds.append(letters.CONSULTATION)
    if application.fee_notice_on is not None and application.fee_yuan:
        kinds.append(letters.FEE_NOTICE)
    if application.extended:
        kinds.append(letters.EXTENSION)
    if state in REPLY_STATES and application.outcome:
        kinds.append(letters.reply_kind(application.outcome,
                                        other_agency=bool(application.other_agency_name.strip())))
        if consulted and application.outcome in DISCLOSING_OUTCOMES and state is not State.WITHDRAWN:
            kinds.append(letters.THIRD_PARTY_DISCLOSURE)
    return kinds


def consulted_on(application: Application) -> date | None:
    """The day the third party was consulted (the last consultation), or None."""
    event = _last_event(application, Event.START_CONSULTATION)
    if event is not None:
        return event.on
    return application.consultation_started_on


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
    """The agency's letter settings; unsaved defaults when it has none (its defaults apply)."""
    return LetterSettings.objects.filter(agency=agency).select_related("agency__parent").first() \
        or LetterSettings(agency=agency)


def default_review_body(agency: Agency) -> str:
    """The review body's name the law gives the agency in the registry's tree (行政复议法
    Art. 24–27), or "" where the tree cannot name it (a vertically managed agency, whose review
    body is the department one level up; an agency without a people's government above it)."""
    kind = agency.remedy_kind()
    if kind is remedies.AgencyKind.PROVINCE_GOVERNMENT:
        return agency.name  # Art. 24(2): it reviews its own acts
    if kind is remedies.AgencyKind.VERTICAL_DEPARTMENT:
        return ""
    parent = agency.parent
    if parent is None or parent.kind == Agency.Kind.DEPARTMENT:
        return ""
    return remedies.default_review_body(kind, parent.name)


def default_court(agency: Agency) -> str:
    """The court described by level (行政诉讼法 Art. 14, 15, 18): its name is the office's setting."""
    return remedies.default_court(agency.remedy_kind())


@dataclass(frozen=True)
class RemedySettings:
    """What the remedy sentence of an agency's letters rests on."""

    kind: remedies.AgencyKind
    review_body: str  # "" where it cannot be named
    court: str
    online_channel: str
    review_first_outcomes: frozenset[str]
    review_body_default: bool  # True: not set by the office, taken from the law and the tree
    court_default: bool

    def require_review_body(self, agency: Agency) -> str:
        if not self.review_body:
            why = ("实行垂直领导的部门，行政复议机关为上一级主管部门（《中华人民共和国行政复议法》第二十七条）"
                   if self.kind is remedies.AgencyKind.VERTICAL_DEPARTMENT else "系统无法从机关设置中确定其行政复议机关")
            raise LetterError(f"“{agency}”是{why}，告知书中的救济途径无法填写。请本机关审核人员在“文书设置”页面"
                              "填写行政复议机关后再生成。")
        return self.review_body


def remedy_settings(agency: Agency, settings: LetterSettings | None = None) -> RemedySettings:
    """The review body, court, online channel and review-first rows of the agency: the office's
    settings where it has set them, else the law's defaults."""
    settings = settings or settings_for(agency)
    review_body, court = settings.review_body.strip(), settings.court.strip()
    return RemedySettings(
        kind=agency.remedy_kind(),
        review_body=review_body or default_review_body(agency),
        court=court or default_court(agency),
        online_channel=settings.online_review_channel.strip(),
        review_first_outcomes=frozenset(settings.review_first_outcomes or []) & remedies.CONTESTED_OUTCOMES,
        review_body_default=not review_body,
        court_default=not court,
    )


def delivered_online(application: Application) -> bool:
    """Whether the reply goes (or went) over the internet: its delivery channel once sent, else the
    way the applicant asked to get it."""
    if application.reply_channel:
        return application.reply_channel in ONLINE_REPLY_CHANNELS
    wanted = application.delivery_wanted.strip().lower()
    return any(word in wanted for word in ONLINE_WORDS)


def letter_remedy(application: Application, letter_kind: LetterKind, settings: LetterSettings,
                  remedy: RemedySettings | None = None) -> remedies.Remedy:
    """The remedy a letter of the case tells of (LetterError, in Chinese, when it cannot be stated)."""
    remedy = remedy or remedy_settings(application.agency, settings)
    to_third_party = letter_kind.addressee == "第三方"
    return letters.remedy_for(
        letter_kind, remedy.kind,
        address="贵方" if to_third_party else letters.address_as(application.applicant_type),
        review_body=remedy.require_review_body(application.agency), court=remedy.court,
        online_channel=remedy.online_channel,
        # The applicant's channel says nothing of how the third party gets its letter.
        delivered_online=not to_third_party and delivered_online(application),
        review_first_outcomes=remedy.review_first_outcomes,
    )


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
                  third_party: str = "", today: date | None = None, calendar=None,
                  number: str = "") -> dict[str, str]:
    """Every placeholder's value for this case (empty where the case has not recorded it).

    ``number``: the letter's 文号 (drawn when it is issued). The remedy is stated only for the
    kinds that carry it (LetterError when it cannot be)."""
    calendar = calendar or _calendar()
    today = today or timezone.localdate()
    deadline = reply_deadline(application, calendar)
    remedy = remedy_settings(application.agency, settings)
    values = {
        "申请人": application.applicant_name,
        "称谓": letters.address_as(application.applicant_type),
        "申请编号": application.number,
        "收到申请日期": _day(application.received_on),
        "所需信息": application.description,
        "答复期限": _due(deadline.due, deadline.provisional),
        "原答复期限": _day(deadline.original_due),
        "复议机关": remedy.review_body,
        "人民法院": remedy.court,
        "机关名称": settings.signature,
        "联系方式": _contact(settings),
        "日期": _day(letter_date(application, letter_kind, today)),
        "文号": number,
        "办理结果": application.get_outcome_display() if application.outcome else "",
        "补正告知日期": _day(application.correction_requested_on),
        "收到补正日期": _day(application.corrected_on),
        "第三方": third_party.strip() or application.consultation_party.strip(),
        "禁止公开的法律": application.prohibiting_law.strip(),
        "其他机关": application.other_agency_name.strip(),
        "其他机关联系方式": application.other_agency_contact.strip(),
        "收费方式": FeeMethod(application.fee_method).label if application.fee_method else "",
        "收费金额": str(application.fee_yuan) if application.fee_yuan else "",
        "收费说明": application.fee_explanation,
        "收费通知日期": _day(application.fee_notice_on),
        "缴费途径": settings.payment_instructions,
    }
    outcome_event = _last_event(application, *OUTCOME_EVENTS)
    explanation = outcome_event.reason.strip() if outcome_event else ""
    reasons = application.decision_reasons.strip()
    if "答复理由" in letter_kind.placeholders:
        if not reasons and outcome_event is not None and outcome_event.event == Event.DECIDE.value:
            reasons, explanation = explanation, ""  # a case decided before the reasons had a field of their own
        values["答复理由"] = letters.sentence(reasons)
        values["答复说明"] = "" if explanation == reasons else explanation
    else:  # a letter without a paragraph of reasons prints them with the explanation
        values["答复理由"] = letters.sentence(reasons)
        values["答复说明"] = "".join(dict.fromkeys(t for t in (letters.sentence(reasons), letters.sentence(explanation)) if t))
    correction = _last_event(application, Event.REQUEST_CORRECTION)
    # The items are the correction's own field; old cases kept them as the step's reason.
    values["补正事项"] = application.correction_items.strip() or (correction.reason.strip() if correction else "")
    values["补正期限"] = ""
    if application.correction_requested_on:
        due = count_working_days(application.correction_requested_on, application.agency.correction_working_days,
                                 calendar)
        values["补正期限"] = _due(due.due, bool(due.unknown_years))
    extension = _last_event(application, Event.EXTEND)
    values["延期理由"] = letters.tidy_reason(extension.reason) if extension else ""
    consultation = _last_event(application, Event.START_CONSULTATION)
    values["征求意见事项"] = consultation.reason.strip() if consultation else ""
    consulted = consulted_on(application)
    values["征求意见日期"] = _day(consulted)
    values["征求意见期限"] = ""
    if application.consultation_due_on:
        values["征求意见期限"] = _day(application.consultation_due_on)
    elif consulted:
        due = count_working_days(consulted, THIRD_PARTY_WORKING_DAYS, calendar)
        values["征求意见期限"] = _due(due.due, bool(due.unknown_years))
    values["缴费期限"] = ""
    # 国办函〔2020〕109号: 20 working days from the day after the applicant RECEIVES the notice;
    # a lapse recorded before the receipt had a field of its own ran from the notice.
    # The notice itself names a day only once its receipt is recorded; the reply to an unpaid fee
    # names the day that lapsed (from the recorded or deemed receipt, as the lifecycle counted it).
    if application.fee_notice_received_on or letter_kind.outcome == "other_unpaid_fee":
        payment = lifecycle_case(application).payment_deadline(calendar)
        if payment is not None:
            values["缴费期限"] = _due(payment.due, payment.provisional)
    values["救济途径"] = ""
    if "救济途径" in letter_kind.placeholders:
        values["救济途径"] = letter_remedy(application, letter_kind, settings, remedy).text
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


def _normal(name: str, value):
    if isinstance(value, str):
        return value.strip()
    if name == "review_first_outcomes":
        return sorted(set(value or []))
    if name == "number_patterns":  # only what differs from the default is kept
        return {series: pattern.strip() for series, pattern in sorted((value or {}).items())
                if pattern and pattern.strip() and (series not in letters.NUMBER_SERIES
                                                    or pattern.strip() != letters.NUMBER_SERIES[series][1])}
    return value


def save_settings(user, agency: Agency, *, reason: str = "", **fields) -> LetterSettings:
    """Create or change the agency's letter settings (its approvers only); every change is kept
    with its before and after (``LetterSettingsChange``)."""
    _require_manager(user, agency)
    unknown = set(fields) - set(SETTINGS_FIELDS) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"not a letter setting: {sorted(unknown)}")
    agency_fields = {name: fields.pop(name) for name in AGENCY_FIELDS if name in fields}
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        current = LetterSettings.objects.select_for_update().filter(agency=agency).first() \
            or LetterSettings(agency=agency)
        before = {**snapshot(current, SETTINGS_FIELDS), **snapshot(agency, AGENCY_FIELDS)} if current.pk else {}
        if agency_fields:
            for name, value in agency_fields.items():
                setattr(agency, name, value)
            agency.full_clean()
            agency.save(update_fields=list(agency_fields))
        for name, value in fields.items():
            setattr(current, name, _normal(name, value))
        current.agency = agency
        current.updated_by = user
        current.full_clean()
        current.save()
        after = {**snapshot(current, SETTINGS_FIELDS), **snapshot(agency, AGENCY_FIELDS)}
        if before != after:
            LetterSettingsChange.objects.create(agency=agency, user=user, reason=reason.strip(), before=before,
                                                after=after)
    return current


def next_numbers(agency: Agency, year: int) -> dict[str, int]:
    """The sequence number (顺序号) the next letter of each series will carry in ``year``."""
    last = dict(LetterNumberCounter.objects.filter(agency=agency, year=year).values_list("series", "last"))
    return {series: last.get(series, 0) + 1 for series in letters.NUMBER_SERIES}


def set_next_numbers(user, agency: Agency, year: int, wanted: dict[str, int], reason: str = "") -> dict[str, int]:
    """Let the series of ``year`` continue from the numbers an office already used before it
    switched (on paper or in another system): the next letter of each series carries ``wanted``.
    Never back to a number already drawn (two letters with one 文号). Returns what changed."""
    _require_manager(user, agency)
    changed: dict[str, tuple[int, int]] = {}
    errors = {}
    with transaction.atomic():
        for series, number in wanted.items():
            if series not in letters.NUMBER_SERIES or not number:
                continue
            counter, _ = LetterNumberCounter.objects.select_for_update().get_or_create(
                agency=agency, series=series, year=year)
            if number - 1 < counter.last:
                errors[series] = (f"{year}年已使用到第{counter.last}号，下一个顺序号不能小于{counter.last + 1}"
                                  "（否则文号重复）")
                continue
            if number - 1 != counter.last:
                changed[series] = (counter.last + 1, number)
                counter.last = number - 1
                counter.save(update_fields=["last"])
        if errors:
            raise ValidationError(errors)
        if changed:
            label = {s: f"{year}年{letters.NUMBER_SERIES[s][0]}的下一个顺序号" for s in changed}
            LetterSettingsChange.objects.create(
                agency=agency, user=user, reason=reason.strip(),
                before={label[s]: old for s, (old, _) in changed.items()},
                after={label[s]: new for s, (_, new) in changed.items()})
    return {s: new for s, (_, new) in changed.items()}


def settings_history(agency: Agency) -> models.QuerySet[LetterSettingsChange]:
    return LetterSettingsChange.objects.filter(agency=agency).select_related("user").order_by("-at", "-pk")


SETTINGS_FIELDS = ("review_body", "court", "online_review_channel", "review_first_outcomes", "number_prefix",
                   "number_patterns", "signature_name", "contact_person", "contact_phone", "contact_address",
                   "payment_instructions", "page_numbers")
# Kept on the agency (the registry's lifecycle reads it too) and edited on the same page.
AGENCY_FIELDS = ("correction_working_days",)


# --------------------------------------------------------------------------- issuing


def issue_letter(user, application: Application, kind_key: str, *, third_party: str = "",
                 today: date | None = None, request_token: str = "") -> IssuedLetter:
    """Generate a letter of the case and keep it (handlers and approvers of its agency only).

    ``third_party`` names the addressee of a consultation letter. LetterError (in Chinese) when
    the kind does not fit the case's state, the agency's settings are missing, or the case lacks
    something the template needs; nothing is stored then. ``request_token`` (the form's, one per
    page shown): a request that repeats it — a second click, a resent form — gets the letter
    the first one made, with its number, instead of a second letter and number.
    """
    if not can_issue(user, application):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能生成文书")
    if request_token:
        earlier = IssuedLetter.objects.filter(application=application, request_token=request_token).first()
        if earlier is not None:
            return earlier
    letter_kind = letters.kind(kind_key)
    if letter_kind.key not in {k.key for k in available_kinds(application)}:
        raise LetterError(f"申请 {application.number} 处于“{application.get_state_display()}”状态，"
                          f"不能生成{letter_kind.label}")
    today = today or timezone.localdate()
    settings = settings_for(application.agency)
    template = current_template(application.agency, kind_key)
    dated = letter_date(application, letter_kind, today)
    title, body = (template.title, template.body) if template else (None, None)
    # Everything that can refuse is checked before a number is drawn (with a stand-in number).
    values = letter_values(application, letter_kind, settings, third_party=third_party, today=today, number="（文号）")
    letters.compose(letter_kind, values, title=title, body=body)
    pattern = settings.number_pattern(letter_kind.series)
    letters.format_number(pattern, settings.number_prefix, dated.year, 1)
    try:
        return _issue(user, application, letter_kind, settings, template, values, dated, pattern, title, body,
                      request_token)
    except IntegrityError:
        # The same token in a request running at the same time: that request's letter stands.
        earlier = IssuedLetter.objects.filter(application=application, request_token=request_token).first() \
            if request_token else None
        if earlier is None:
            raise
        return earlier


def _issue(user, application, letter_kind, settings, template, values, dated, pattern, title, body,
           request_token) -> IssuedLetter:
    with transaction.atomic():
        sequence = next_number(LetterNumberCounter, agency=application.agency, series=letter_kind.series,
                               year=dated.year)
        values["文号"] = letters.format_number(pattern, settings.number_prefix, dated.year, sequence)
        letter = letters.compose(letter_kind, values, title=title, body=body, page_numbers=settings.page_numbers)
        content = render_letter(letter)
        return IssuedLetter.objects.create(
            application=application,
            kind=letter_kind.key,
            title=letter.title,
            number=letter.number,
            agency=application.agency,
            number_series=letter_kind.series,
            number_year=dated.year,
            number_sequence=sequence,
            recipient=letter.addressee.rstrip("："),
            letter_date=dated,
            template_version=template.version if template else 0,
            issued_by=user,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            filename=f"{application.number}-{letter.title}.docx",
            request_token=request_token,
        )


def letter_pdf(letter: IssuedLetter) -> bytes:
    """The issued letter as PDF: the text of its DOCX laid out by WeasyPrint (same paragraphs)."""
    return render_letter_pdf(read_letter(bytes(letter.content)))


def issued_letters(application: Application) -> models.QuerySet[IssuedLetter]:
    """The letters of a case, oldest first, without their bytes."""
    return application.letters.defer("content").select_related("issued_by").order_by("issued_at", "pk")


def letters_visible_to(user) -> models.QuerySet[IssuedLetter]:
    return IssuedLetter.objects.filter(application__agency__in=visible_agencies(user))


__all__ = ["available_kinds", "issue_letter", "can_issue", "can_view", "can_manage", "settings_for",
           "letter_values", "current_template", "template_rows", "save_template", "template_history",
           "save_settings", "settings_history", "issued_letters", "letters_visible_to", "LetterError",
           "remedy_settings", "default_review_body", "default_court", "delivered_online", "letter_remedy",
           "letter_pdf", "consulted_on", "RemedySettings"]
