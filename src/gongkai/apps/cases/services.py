"""What changes a case: registration, the lifecycle's steps, edits, assignment, attachments.

Every change goes through here, is checked by the core rules (``gongkai.core.casework.lifecycle``) and is
recorded as a ``CaseEvent`` with who, when, why, before and after. Serial numbers are drawn from a
per-agency, per-year counter row locked for the transaction, so concurrent registrations never get
the same number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import Action, may
from gongkai.apps.cases.personal import ERASED_NAME, id_digest, mask_id_number, same_id_number_q
from gongkai.apps.counters import next_number
from gongkai.apps.notices import services as notices
from gongkai.apps.records import snapshot
from gongkai.core.casework import identity, lifecycle
from gongkai.core.casework.fees import FeeMethod
from gongkai.core.casework.lifecycle import Case, Decision, Event, State, TransitionError
from gongkai.core.casework.workdays import CORRECTION_PERIOD_WORKING_DAYS, Pause

from .models import (
    ASSIGN_EVENT,
    ATTACH_EVENT,
    EDIT_EVENT,
    REGISTER_EVENT,
    RELEASE_EVENT,
    Application,
    Attachment,
    CaseEvent,
    ConsultationPause,
    ReplyChannel,
    SerialCounter,
    YearClose,
    check_attachment,
)


def allocate_serial(agency: Agency, year: int) -> int:
    """The next serial number of ``agency`` in ``year``; call inside a transaction."""
    return next_number(SerialCounter, agency=agency, year=year)


@dataclass(frozen=True)
class RegistrationWarning:
    """Something the registrar should look at before registering (registering anyway is allowed).

    ``key`` names the warning and what it is about (for a duplicate, the earlier cases), so that a
    confirmation given for one warning does not cover another that appeared since."""

    key: str
    message: str
    earlier: tuple = ()  # the earlier applications, for a likely duplicate


class NeedsConfirmation(ValidationError):
    """Registration stopped for warnings the registrar has not confirmed (nothing stored)."""

    def __init__(self, warnings: list[RegistrationWarning]):
        super().__init__([w.message for w in warnings])
        self.warnings = warnings


def likely_duplicates(application: Application) -> list[Application]:
    """Earlier registrations of the same applicant at the same agency received within
    ``DUPLICATE_WINDOW_DAYS`` of this one, asking for much the same (``identity.similar_descriptions``).

    The same applicant: the same name and the same ID number, credit code, phone or e-mail."""
    name = application.applicant_name.strip()
    same_person = Q()
    if (application.id_number or "").strip():  # encrypted: compared by its keyed digest
        same_person |= same_id_number_q(application.id_number)
    for field in ("credit_code", "phone", "email"):
        value = (getattr(application, field) or "").strip()
        if value:
            same_person |= Q(**{field: value})
    if not name or not same_person:
        return []
    window = timedelta(days=identity.DUPLICATE_WINDOW_DAYS)
    try:
        start, end = application.received_on - window, application.received_on + window
    except OverflowError:
        return []
    candidates = (Application.objects.filter(agency=application.agency, applicant_name=name,
                                             received_on__range=(start, end))
                  .filter(same_person).exclude(pk=application.pk).order_by("received_on", "pk"))
    return [c for c in candidates if identity.similar_descriptions(c.description, application.description)]


SAME_APPLICANT_SHOWN = 20


def same_applicant_q(application: Application) -> Q:
    """Applications of the same applicant as ``application``: the same ID number (by its keyed
    digest — the number itself is encrypted), the same credit code, or the same name with the same
    phone or e-mail. Matches none when the applicant gave none of these."""
    same = Q(pk__in=[])
    if application.id_number_digest or (application.id_number or "").strip():
        same |= same_id_number_q(application.id_number)
    code = (application.credit_code or "").strip().upper()
    if code:
        same |= Q(credit_code__iexact=code)
    name = application.applicant_name.strip()
    if name and name != ERASED_NAME:
        contact = Q(pk__in=[])
        if (application.phone or "").strip():
            contact |= Q(phone=application.phone.strip())
        if (application.email or "").strip():
            contact |= Q(email__iexact=application.email.strip())
        same |= Q(applicant_name=name) & contact
    return same


def same_applicant(application: Application, agencies, limit: int = SAME_APPLICANT_SHOWN) -> tuple[list, int]:
    """The other applications of ``application``'s applicant in ``agencies`` (only those the reader
    may see), the latest received first: (the first ``limit``, how many in all)."""
    found = (Application.objects.filter(agency__in=agencies).filter(same_applicant_q(application))
             .exclude(pk=application.pk).select_related("agency").order_by("-received_on", "-pk"))
    shown = list(found[:limit + 1])
    return shown[:limit], (len(shown) if len(shown) <= limit else found.count())


def registration_warnings(application: Application) -> list[RegistrationWarning]:
    """The check-digit mismatches and the likely duplicates of an application about to be registered."""
    warnings = [RegistrationWarning(f"identity:{i}", problem) for i, problem in enumerate(application.identity_problems)]
    earlier = likely_duplicates(application)
    if earlier:
        numbers = "、".join(e.number for e in earlier)
        warnings.append(RegistrationWarning(
            "duplicate:" + ",".join(str(e.pk) for e in earlier),
            f"同一申请人{identity.DUPLICATE_WINDOW_DAYS}日内已向本机关提出内容相近的申请（{numbers}），"
            "请核对是否为同一申请的重复登记", tuple(earlier)))
    return warnings


def register_application(user, agency: Agency, confirmed=None, calendar=None, **fields) -> Application:
    """Register an application in ``agency`` (a registrar or handler of that agency only).

    An incomplete application (no ID number, no contact) is registered: the correction clock runs
    from receipt (条例 Art. 30). A receipt date after today is refused. Check-digit mismatches and
    likely duplicates are warnings: with ``confirmed`` given (the keys of the warnings the
    registrar saw and confirmed), any other warning raises ``NeedsConfirmation`` and nothing is
    stored; with ``confirmed=None`` (a program registering) they are not asked about. Either way the
    warnings are kept in the registration's history record. ``calendar``: the working-day calendar
    when the caller has it already (a program registering many), else the holiday table's.
    """
    if not may(user, agency, Action.REGISTER):
        raise PermissionDenied(f"您不是“{agency}”的登记人员，不能登记该机关的申请")
    received_on = fields["received_on"]
    with transaction.atomic():
        application = Application(agency=agency, registered_by=user, year=received_on.year, serial=0, **fields)
        application.full_clean(exclude=["serial"])
        ensure_year_open(agency, received_on)
        warnings = registration_warnings(application)
        unconfirmed = [w for w in warnings if confirmed is not None and w.key not in set(confirmed)]
        if unconfirmed:
            raise NeedsConfirmation(warnings)
        application.serial = allocate_serial(agency, application.year)
        _set_due(application, calendar or _calendar())
        application.save()
        reason = ""
        if warnings:
            reason = "登记时的提示（登记人确认仍然登记）：" + "；".join(w.message for w in warnings)
        CaseEvent.objects.create(application=application, event=REGISTER_EVENT, on=received_on, user=user,
                                 reason=reason, before={}, after=_snapshot(application))
    return application


def add_attachment(user, application: Application, name: str, content: bytes, note: str = "") -> Attachment:
    """Keep a file with an application (its registrars, handlers and approvers only)."""
    if not may(user, application.agency, Action.RECORD):
        raise PermissionDenied(f"您不是“{application.agency}”的工作人员，不能为该申请上传附件")
    name = check_attachment(name, len(content))
    with transaction.atomic():
        attachment = Attachment(application=application, uploaded_by=user, note=note[:200])
        attachment.keep(name, content)
        CaseEvent.objects.create(application=application, event=ATTACH_EVENT, on=date.today(), user=user, reason=note,
                                 before={}, after={"attachment": name, "sha256": attachment.sha256})
    return attachment


def release_attachment(user, attachment: Attachment, released: bool, reason: str = "") -> Attachment:
    """Mark a file of a case as information provided to the applicant (or take the mark off):
    handlers and approvers of the agency; recorded in the history. An applicant who asked to get
    the information online downloads marked files on the tracking page (``apps/online``)."""
    application = attachment.application
    if not may(user, application.agency, Action.ACT):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能设置提供给申请人的文件")
    with transaction.atomic():
        current = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if current.released == released:
            return current
        current.released = released
        current.save(update_fields=["released"])
        CaseEvent.objects.create(application=application, event=RELEASE_EVENT, on=date.today(), user=user,
                                 reason=reason or (f"将附件 {current.name} 作为提供的政府信息交申请人" if released
                                                   else f"附件 {current.name} 不再提供给申请人"),
                                 before={"attachment": current.name, "released": not released},
                                 after={"attachment": current.name, "released": released})
    return current


_CASE_FIELDS = ("state", "correction_requested_on", "corrected_on", "consultation_started_on", "extended",
                "outcome", "decided_on", "replied_on", "reply_channel", "delivery_proof", "merged_into_id",
                "fee_method", "fee_yuan", "fee_explanation", "fee_notice_on", "fee_paid_on", "due_on",
                "due_provisional", "correction_kind", "correction_items", "fee_notice_channel",
                "fee_notice_received_on", "consultation_party", "consultation_due_on", "reasons_requested_on",
                "reasons_received_on", "reasons_reasonable", "later_due_on", "decision_reasons", "prohibiting_law",
                "other_agency_name", "other_agency_contact")
# What registration records and an edit may change (the lifecycle fields change only by steps).
EDITABLE_FIELDS = ("applicant_type", "applicant_name", "id_type", "id_number", "credit_code", "contact_person",
                   "phone", "email", "address", "channel", "received_on", "description", "form_wanted",
                   "delivery_wanted")


def _snapshot(application: Application, fields=_CASE_FIELDS) -> dict:
    recorded = snapshot(application, fields)
    if recorded.get("id_number"):  # the history keeps the ID number masked only (个人信息保护法)
        recorded["id_number"] = mask_id_number(recorded["id_number"])
    return recorded


def _calendar():
    from gongkai.apps.holidays.models import work_calendar

    return work_calendar()


def decision_of(application: Application) -> Decision | None:
    """What the application's decision stated (None before a decision)."""
    if not application.outcome:
        return None
    held = bool(application.other_agency_name) if application.outcome == "unable_not_held" else None
    return Decision(application.decision_reasons, application.prohibiting_law, application.other_agency_name,
                    application.other_agency_contact, held)


def lifecycle_case(application: Application) -> Case:
    lifecycle_events = {e.value for e in Event}
    return Case(
        received_on=application.received_on,
        state=State(application.state),
        correction_requested_on=application.correction_requested_on,
        correction_kind=application.correction_kind or None,
        correction_items=application.correction_items,
        corrected_on=application.corrected_on,
        consultation_party=application.consultation_party,
        consultation_due_on=application.consultation_due_on,
        fee_notice_on=application.fee_notice_on,
        fee_notice_channel=application.fee_notice_channel or None,
        fee_notice_received_on=application.fee_notice_received_on,
        reasons_requested_on=application.reasons_requested_on,
        reasons_received_on=application.reasons_received_on,
        reasons_reasonable=application.reasons_reasonable,
        later_due_on=application.later_due_on,
        decision=decision_of(application),
        pauses=tuple(Pause(p.start, p.end, p.get_kind_display()) for p in application.pauses.all())
        if application.pk else (),
        open_pause_start=application.consultation_started_on or application.fee_notice_on
        if application.state in {s.value for s in lifecycle.PAUSING_STATES} else None,
        extended=application.extended,
        outcome=application.outcome or None,
        decided_on=application.decided_on,
        replied_on=application.replied_on,
        history=_history(application, lifecycle_events) if application.pk else (),
    )


def _history(application: Application, lifecycle_events: set[str]) -> tuple:
    """The lifecycle steps taken, in order: from the prefetched events when the caller has them,
    else only the two columns needed (not every event's before and after)."""
    if "events" in getattr(application, "_prefetched_objects_cache", {}):
        return tuple((Event(e.event), e.on) for e in application.events.all() if e.event in lifecycle_events)
    rows = application.events.filter(event__in=lifecycle_events).values_list("event", "on")
    return tuple((Event(event), on) for event, on in rows)


def _set_due(application: Application, calendar) -> None:
    """Store the reply's due date (None once decided, withdrawn or merged)."""
    if State(application.state) in lifecycle.OPEN_STATES:
        deadline = lifecycle_case(application).reply_deadline(calendar)
        application.due_on, application.due_provisional = deadline.due, deadline.provisional
    else:
        application.due_on, application.due_provisional = None, False


def ensure_year_open(agency: Agency, on) -> None:
    """Refuse a change dated in a year whose report is closed (its tables are final)."""
    closed = YearClose.objects.filter(agency=agency, year__gte=on.year).order_by("year").first()
    if closed is not None:
        raise TransitionError(f"“{agency}”{closed.year}年度的台账已结转，不能再登记或变更该年度及以前日期的办理事项")


def correction_working_days(agency: Agency) -> int:
    """The period the agency gives applicants to correct (its setting, 15 working days by default)."""
    return agency.correction_working_days or CORRECTION_PERIOD_WORKING_DAYS


def transition(user, application: Application, event: Event, on, reason: str = "", outcome: str | None = None,
               calendar=None, **details) -> Application:
    """Take one step of the lifecycle, recorded with who, when, why, before and after.

    Handlers and approvers of the application's agency take steps; only an approver (the head
    of the disclosure office) extends the reply period (条例 Art. 33) or voids a mistaken
    registration (with a reason). ``details`` carry what a step records besides its date:
    ``reply_channel`` and ``delivery_proof`` for send_reply, ``merged_into`` for merge,
    ``fee_method``, ``fee_yuan``, ``fee_explanation`` and ``fee_notice_channel`` for
    send_fee_notice, ``correction_kind`` and ``correction_items`` for request_correction,
    ``consultation_party`` and ``consultation_received_on`` for start_consultation,
    ``reasons_reasonable`` and ``later_due_on`` for receive_reasons, ``DECISION_FIELDS`` and
    ``held_by_other_agency`` (Art. 36(5) rather than 36(4)) for decide. Illegal steps raise
    TransitionError with the reason; nothing is stored then.
    """
    approver_only = event in lifecycle.APPROVER_EVENTS
    if not may(user, application.agency, Action.APPROVE if approver_only else Action.ACT):
        who = "审核人（负责人）" if approver_only else "承办或审核人员"
        raise PermissionDenied(f"只有“{application.agency}”的{who}才能{event.label}")
    if event is Event.VOID and not reason.strip():
        raise TransitionError("作废登记须说明理由（例如：并非政府信息公开申请而误登记、登记到错误的机关），理由记入办理记录")
    if event is Event.DECIDE:  # outcomes the agency decides only through review and sign-off (apps/signoff)
        from gongkai.apps.signoff.services import check_decide

        check_decide(user, application, outcome, on, details.pop("signed_draft", None), details)
    unknown = set(details) - DETAILS.get(event, set())
    if unknown:
        raise TypeError(f"{event.value} does not take {sorted(unknown)}")
    calendar = calendar or _calendar()
    with transaction.atomic():
        current = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
        ensure_year_open(current.agency, on)
        if event in (Event.MERGE, Event.VOID):  # the case leaves the counts of the year it was received in
            ensure_year_open(current.agency, current.received_on)
        before = _snapshot(current)
        core_details = {k: v for k, v in details.items() if k in lifecycle.STEP_DETAILS.get(event, ())}
        decision = None
        if event is Event.DECIDE:
            decision = Decision(details.get("decision_reasons") or "", details.get("prohibiting_law") or "",
                                details.get("other_agency_name") or "", details.get("other_agency_contact") or "",
                                details.get("held_by_other_agency"))
        case = lifecycle.apply(lifecycle_case(current), event, on, outcome=outcome, decision=decision,
                               calendar=calendar, correction_working_days=correction_working_days(current.agency),
                               **core_details)
        _record_details(current, event, on, details, case)
        if event in (Event.END_CONSULTATION, Event.RECEIVE_PAYMENT):
            last = case.pauses[-1]
            ConsultationPause.objects.create(application=current, start=last.start, end=last.end,
                                             kind=PAUSE_KIND[event])
        current.state = case.state.value
        current.correction_requested_on = case.correction_requested_on
        current.correction_kind, current.correction_items = case.correction_kind or "", case.correction_items
        current.corrected_on = case.corrected_on
        current.consultation_party, current.consultation_due_on = case.consultation_party, case.consultation_due_on
        current.fee_notice_channel = case.fee_notice_channel or ""
        current.fee_notice_received_on = case.fee_notice_received_on
        current.reasons_requested_on, current.reasons_received_on = case.reasons_requested_on, case.reasons_received_on
        current.reasons_reasonable, current.later_due_on = case.reasons_reasonable, case.later_due_on
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


def _record_details(current: Application, event: Event, on, details: dict, case: Case | None = None) -> None:
    """Store what a step records besides its date (checked here, or by the core rules in ``case``)."""
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
        channel = details.get("fee_notice_channel") or ""
        if channel and channel not in ReplyChannel.values:
            raise TransitionError("收费通知的送达方式应为邮寄、电子邮件、网上平台、当面领取、传真或其他")
        current.fee_method, current.fee_yuan = method, yuan
        current.fee_explanation = details.get("fee_explanation") or ""
        current.fee_notice_on = on
    elif event is Event.RECEIVE_PAYMENT:
        current.fee_paid_on = on
    elif event is Event.DECIDE:
        # As the core rules checked it: what does not belong to the outcome is not kept.
        decision = case.decision if case is not None else None
        stored = dict(zip(DECISION_FIELDS, (decision.reasons, decision.prohibiting_law, decision.other_agency_name,
                                            decision.other_agency_contact))) if decision else details
        for name in DECISION_FIELDS:
            setattr(current, name, (stored.get(name) or "").strip())


# What a decision states besides its outcome (条例 Art. 36(3), 36(5), 37).
DECISION_FIELDS = ("decision_reasons", "prohibiting_law", "other_agency_name", "other_agency_contact")
DETAILS = {
    Event.SEND_REPLY: {"reply_channel", "delivery_proof"},
    Event.MERGE: {"merged_into"},
    Event.SEND_FEE_NOTICE: {"fee_method", "fee_yuan", "fee_explanation", "fee_notice_channel"},
    Event.DECIDE: set(DECISION_FIELDS) | {"held_by_other_agency"},
    Event.REQUEST_CORRECTION: {"correction_kind", "correction_items"},
    Event.START_CONSULTATION: {"consultation_party", "consultation_received_on"},
    Event.RECEIVE_REASONS: {"reasons_reasonable", "later_due_on"},
}
PAUSE_KIND = {Event.END_CONSULTATION: "consultation", Event.RECEIVE_PAYMENT: "fee"}


def edit_application(user, application: Application, reason: str, **fields) -> Application:
    """Correct the registration record (applicant, channel, receipt date, description), kept in the history."""
    if not may(user, application.agency, Action.RECORD):
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
        before, digest_before = _snapshot(current, EDITABLE_FIELDS + _CASE_FIELDS), id_digest(current.id_number)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean()
        _set_due(current, _calendar())
        current.save()
        after = _snapshot(current, EDITABLE_FIELDS + _CASE_FIELDS)
        if id_digest(current.id_number) != digest_before and after["id_number"] == before["id_number"]:
            after["id_number"] += "（中间位已更正）"  # the masks agree, the numbers do not
        if after != before:
            CaseEvent.objects.create(application=current, event=EDIT_EVENT, on=date.today(), user=user,
                                     reason=reason, before=before, after=after)
    return current


def assign_handler(user, application: Application, handler, on: date | None = None) -> Application:
    """Give the case to a handler of its agency (an approver or handler does this). ``on``: the day
    it was given, today unless a program records an assignment made earlier (not before the
    application was received, not after today)."""
    on = on or date.today()
    if not application.received_on <= on <= date.today():
        raise ValidationError({"on": f"指定承办人的日期应在收到申请日期（{application.received_on.isoformat()}）与今天之间"})
    if not may(user, application.agency, Action.ACT):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能指定承办人")
    if handler is not None and not may(handler, application.agency, Action.ACT):
        raise ValidationError({"handler": f"{handler} 不是“{application.agency}”的承办人员"})
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        before, previous = {"handler": str(current.handler or "")}, current.handler_id
        current.handler = handler
        current.save(update_fields=["handler"])
        CaseEvent.objects.create(application=current, event=ASSIGN_EVENT, on=on, user=user, reason="",
                                 before=before, after={"handler": str(handler or "")})
        if handler is not None and handler.pk != previous:
            notices.case_assigned(current, handler, user)
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


__all__ = ["register_application", "registration_warnings", "likely_duplicates", "RegistrationWarning",
           "NeedsConfirmation", "add_attachment", "transition", "edit_application", "assign_handler",
           "refresh_due_dates", "reply_deadline", "lifecycle_case", "ensure_year_open", "correction_working_days",
           "allocate_serial", "EDITABLE_FIELDS", "TransitionError", "same_applicant", "same_applicant_q"]
