"""What changes a drafted decision: drafting, revising, submitting, returning, signing, cancelling;
and the agency's rule of which outcomes need sign-off.

Every change is checked by the core rules (``gongkai.core.casework.signoff``), kept in the draft's own
history (``DraftEvent``) and in the case history (``CaseEvent``). Signing takes the decide step
through ``cases.services.transition`` on the draft's decision date and issues the reply letter
through ``letters.services.issue_letter`` in the same transaction: if either is refused, nothing
is stored and the reason (in Chinese) is raised.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.notices import services as notices
from gongkai.apps.records import snapshot
from gongkai.core.casework import letters, lifecycle, signoff
from gongkai.core import standard
from gongkai.core.casework.lifecycle import Event, State
from gongkai.core.casework.signoff import Action, DraftState, SignoffError

from .models import DECISION_FIELDS, DecisionDraft, DraftEvent, SignoffSettings, SignoffSettingsChange

# What the draft's history records of it.
DRAFT_FIELDS = ("state", *DECISION_FIELDS, "letter_note", "revision", "secrecy_reviewed_by_id", "secrecy_opinion",
                "signed_by_id", "letter_id")
TEXT_FIELDS = ("decision_reasons", "prohibiting_law", "other_agency_name", "other_agency_contact", "letter_note")
CASE_EVENTS = {Action.DRAFT: "draft_decision", Action.REVISE: "draft_decision", Action.SUBMIT: "submit_decision",
               Action.RETURN: "return_decision", Action.SIGN: "sign_decision", Action.CANCEL: "cancel_decision"}


# --------------------------------------------------------------------------- who may do what


def can_view(user, agency: Agency) -> bool:
    return visible_agencies(user).filter(pk=agency.pk).exists()


def can_draft(user, application: Application) -> bool:
    """Handlers and approvers of the case's agency draft, revise, submit and cancel."""
    return permissions.may(user, application.agency, permissions.Action.ACT)


def can_review(user, application: Application) -> bool:
    """Approvers of the case's agency return and sign."""
    return permissions.may(user, application.agency, permissions.Action.APPROVE)


def can_configure(user, agency: Agency) -> bool:
    return permissions.may(user, agency, permissions.Action.APPROVE)


def _require(allowed: bool, application: Application, who: str, action: Action) -> None:
    if not allowed:
        raise PermissionDenied(f"只有“{application.agency}”的{who}才能{action.label}")


# --------------------------------------------------------------------------- the agency's rule


def required_outcomes(agency: Agency) -> frozenset[str]:
    """The outcomes ``agency`` decides only through sign-off (its setting, else the default)."""
    found = SignoffSettings.objects.filter(agency=agency).first()
    return signoff.DEFAULT_SIGNOFF_OUTCOMES if found is None else frozenset(found.outcomes)


def needs_signoff(agency: Agency, outcome: str | None) -> bool:
    return signoff.needs_signoff(outcome, required_outcomes(agency))


def configure(user, agency: Agency, outcomes, reason: str = "") -> SignoffSettings:
    """Set which outcomes need sign-off (the agency's approvers), kept with before and after."""
    if not can_configure(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人员（负责人）才能修改审核签发设置")
    chosen = sorted(set(outcomes), key=standard.OUTCOME_KEYS.index) if set(outcomes) <= set(standard.OUTCOME_KEYS) \
        else None
    if chosen is None:
        raise ValidationError({"outcomes": "办理结果须是表三所列情形"})
    with transaction.atomic():
        current = SignoffSettings.objects.select_for_update().filter(agency=agency).first()
        before = sorted(required_outcomes(agency), key=standard.OUTCOME_KEYS.index)
        if current is not None and current.outcomes == chosen:
            return current
        current = current or SignoffSettings(agency=agency)
        current.outcomes, current.updated_by = chosen, user
        current.save()
        if chosen != before:  # the default written down as it is changes nothing
            SignoffSettingsChange.objects.create(agency=agency, user=user, reason=reason.strip(),
                                                 before={"outcomes": before}, after={"outcomes": chosen})
    return current


def settings_history(agency: Agency) -> models.QuerySet[SignoffSettingsChange]:
    return SignoffSettingsChange.objects.filter(agency=agency).select_related("user").order_by("-at", "-pk")


# --------------------------------------------------------------------------- drafts of a case


def open_draft(application: Application) -> DecisionDraft | None:
    """The case's draft still in review (drafting, submitted or returned), if any."""
    return application.decision_drafts.filter(state__in=[s.value for s in signoff.OPEN_DRAFT_STATES]).first()


def drafts(application: Application) -> models.QuerySet[DecisionDraft]:
    """Every draft of the case, newest first, with its history."""
    return (application.decision_drafts.select_related("drafted_by", "revised_by", "signed_by", "secrecy_reviewed_by",
                                                        "letter")
            .prefetch_related(models.Prefetch("events", DraftEvent.objects.select_related("user").order_by("at", "pk")))
            .order_by("-drafted_at", "-pk"))


def authors(draft: DecisionDraft) -> set[int]:
    """Who wrote or revised the draft (they do not sign it)."""
    ids = set(draft.events.filter(action__in=[Action.DRAFT.value, Action.REVISE.value]).values_list("user_id", flat=True))
    return ids | {draft.drafted_by_id, draft.revised_by_id}


def _today():
    return timezone.localdate()


def _decision(draft: DecisionDraft) -> dict:
    return snapshot(draft, DECISION_FIELDS)


def _record(draft: DecisionDraft, action: Action, user, before: dict, reason: str = "",
            case_before: dict | None = None, case_after: dict | None = None) -> None:
    DraftEvent.objects.create(draft=draft, action=action.value, user=user, reason=reason, before=before,
                              after=snapshot(draft, DRAFT_FIELDS))
    CaseEvent.objects.create(application_id=draft.application_id, event=CASE_EVENTS[action], on=_today(), user=user,
                             reason=reason, before=case_before or {}, after=case_after or {})


def _summary(draft: DecisionDraft) -> str:
    return f"第{draft.revision}稿：{signoff.outcome_label(draft.outcome)}，决定日期 {draft.decided_on.isoformat()}"


def save_draft(user, application: Application, *, outcome: str, decided_on, note: str = "", **fields) -> DecisionDraft:
    """Draft the case's decision, or revise its open draft while it is drafting or returned.

    ``fields``: ``decision_reasons``, ``prohibiting_law``, ``other_agency_name``,
    ``other_agency_contact``, ``letter_note``. ``note`` is kept in the history.
    """
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not a field of a draft: {sorted(unknown)}")
    signoff.check_outcome(outcome)
    values = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    with transaction.atomic():
        current = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
        draft = open_draft(current)
        _require(can_draft(user, current), current, "承办或审核人员", Action.REVISE if draft else Action.DRAFT)
        if State(current.state) not in lifecycle.OPEN_STATES:
            raise SignoffError(f"申请 {current.number} 处于“{current.get_state_display()}”状态，不能再拟办答复")
        if decided_on < current.received_on:
            raise ValidationError({"decided_on": f"答复决定日期不能早于收到申请日期（{current.received_on.isoformat()}）"})
        if draft is None:
            draft = DecisionDraft(application=current, outcome=outcome, decided_on=decided_on, drafted_by=user,
                                  revised_by=user, **values)
            draft.full_clean(exclude=["application"])
            draft.save()
            _record(draft, Action.DRAFT, user, {}, note.strip() or _summary(draft), {}, _decision(draft))
            return draft
        signoff.next_state(draft.draft_state, Action.REVISE)
        draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
        before, case_before = snapshot(draft, DRAFT_FIELDS), _decision(draft)
        draft.outcome, draft.decided_on = outcome, decided_on
        for name, value in values.items():
            setattr(draft, name, value)
        if snapshot(draft, DRAFT_FIELDS) == before:
            return draft
        draft.revision += 1
        draft.revised_by = user
        draft.full_clean(exclude=["application"])
        draft.save()
        _record(draft, Action.REVISE, user, before, note.strip() or _summary(draft), case_before, _decision(draft))
    return draft


def _locked(draft: DecisionDraft) -> DecisionDraft:
    return DecisionDraft.objects.select_for_update().select_related("application__agency").get(pk=draft.pk)


def submit(user, draft: DecisionDraft, note: str = "") -> DecisionDraft:
    """Send the draft to the approvers; it must state what the law asks of its outcome."""
    with transaction.atomic():
        draft = _locked(draft)
        _require(can_draft(user, draft.application), draft.application, "承办或审核人员", Action.SUBMIT)
        target = signoff.next_state(draft.draft_state, Action.SUBMIT)
        missing = signoff.missing_statements(draft.outcome, **{f: getattr(draft, f) for f in TEXT_FIELDS[:4]})
        if missing:
            errors: dict[str, list[str]] = {}
            for field, message in missing:
                errors.setdefault(field, []).append(message)
            raise ValidationError(errors)
        before = snapshot(draft, DRAFT_FIELDS)
        draft.state, draft.submitted_at = target.value, timezone.now()
        draft.save()
        _record(draft, Action.SUBMIT, user, before, note.strip() or _summary(draft))
        notices.awaiting_signoff(draft, user)
    return draft


def return_draft(user, draft: DecisionDraft, comment: str) -> DecisionDraft:
    """An approver sends the draft back to the handler with a comment."""
    return _close_with_note(user, draft, Action.RETURN, comment, can_review, "审核人员（负责人）",
                            {"comment": "退回修改须写明审核意见"})


def cancel(user, draft: DecisionDraft, reason: str) -> DecisionDraft:
    """Withdraw an open draft (the case was withdrawn, or it is to be drafted afresh); with a reason."""
    return _close_with_note(user, draft, Action.CANCEL, reason, can_draft, "承办或审核人员",
                            {"reason": "撤销拟办须说明理由"})


def _close_with_note(user, draft: DecisionDraft, action: Action, note: str, allowed, who: str,
                     note_required: dict[str, str]) -> DecisionDraft:
    """Move the draft by ``action`` (return or cancel), which needs a note, kept in its history."""
    note = (note or "").strip()
    with transaction.atomic():
        draft = _locked(draft)
        _require(allowed(user, draft.application), draft.application, who, action)
        target = signoff.next_state(draft.draft_state, action)
        if not note:
            raise ValidationError(note_required)
        before = snapshot(draft, DRAFT_FIELDS)
        draft.state = target.value
        draft.save()
        _record(draft, action, user, before, note)
    return draft


def sign(user, draft: DecisionDraft, secrecy_opinion: str = "", comment: str = "") -> DecisionDraft:
    """An approver other than its authors signs the draft: the decide step is taken on the draft's
    decision date and the reply letter issued, in one transaction. For a disclosing outcome the
    secrecy review (条例 Art. 17) is recorded with it and required. Any refusal — of the rules here,
    of the lifecycle, or of the letter (e.g. the agency's letter settings missing) — stores nothing."""
    from gongkai.apps.cases.services import transition
    from gongkai.apps.letters.services import issue_letter

    secrecy_opinion, comment = (secrecy_opinion or "").strip(), (comment or "").strip()
    with transaction.atomic():
        draft = _locked(draft)
        application = draft.application
        _require(can_review(user, application), application, "审核人员（负责人）", Action.SIGN)
        target = signoff.next_state(draft.draft_state, Action.SIGN)
        signoff.check_signer(user.pk, authors(draft))
        signoff.check_secrecy_review(draft.outcome, secrecy_opinion)
        if draft.decided_on > _today():
            raise SignoffError(f"答复决定日期 {draft.decided_on.isoformat()} 晚于今天，不能签发；请退回修改决定日期")
        before = snapshot(draft, DRAFT_FIELDS)
        now = timezone.now()
        if secrecy_opinion:
            draft.secrecy_reviewed_by, draft.secrecy_reviewed_at, draft.secrecy_opinion = user, now, secrecy_opinion
        reason = "\n".join(part for part in (draft.decision_reasons, draft.letter_note) if part)
        draft._signing_by = user.pk  # the gate in transition accepts this draft, from here only
        try:
            decided = transition(user, application, Event.DECIDE, draft.decided_on, reason, outcome=draft.outcome,
                                 signed_draft=draft, **{f: getattr(draft, f) for f in TEXT_FIELDS[:4]})
        finally:
            del draft._signing_by
        # The reply letter of the outcome; of Art. 36(5) when the decision names the holding agency.
        kind = letters.reply_kind(draft.outcome, other_agency=bool(draft.other_agency_name.strip()))
        letter = issue_letter(user, decided, kind.key)
        draft.state, draft.signed_by, draft.signed_at, draft.letter = target.value, user, now, letter
        draft.save()
        words = [f"签发{_summary(draft)}", f"答复告知书 {letter.number}".rstrip()]
        if secrecy_opinion:
            words.append(f"保密审查意见：{secrecy_opinion}")
        if comment:
            words.append(f"审核意见：{comment}")
        _record(draft, Action.SIGN, user, before, "\n".join(words))
    return draft


# --------------------------------------------------------------------------- the gate of transition


def check_decide(user, application: Application, outcome: str | None, on, signed_draft, details: dict) -> None:
    """Called by ``transition`` before a decide step: an outcome that needs sign-off is decided only
    by ``sign`` (which passes the draft it is signing), and no case with a draft in review is decided
    around it."""
    if signed_draft is None:
        if needs_signoff(application.agency, outcome):
            raise SignoffError(signoff.GATE_MESSAGE)
        pending = open_draft(application)
        if pending is not None:
            raise SignoffError(f"本案已有拟办答复（{pending.get_state_display()}），请经审核签发作出答复决定，"
                               "或者先撤销该拟办")
        return
    same = (isinstance(signed_draft, DecisionDraft) and getattr(signed_draft, "_signing_by", None) == user.pk
            and signed_draft.application_id == application.pk and signed_draft.state == DraftState.SUBMITTED.value
            and signed_draft.outcome == outcome and signed_draft.decided_on == on
            and all((details.get(f) or "") == getattr(signed_draft, f) for f in TEXT_FIELDS[:4]))
    if not same:
        raise SignoffError("答复决定与正在签发的拟办答复不一致，未作出决定")


# --------------------------------------------------------------------------- the approvers' queue


def queue(user) -> models.QuerySet[DecisionDraft]:
    """Drafts awaiting sign-off in the agencies where ``user`` is an approver, oldest first."""
    if not user.is_authenticated:
        return DecisionDraft.objects.none()
    agencies = permissions.agencies_where(user, permissions.Action.APPROVE).values("pk")
    return (DecisionDraft.objects.filter(state=DraftState.SUBMITTED.value, application__agency__in=agencies)
            .select_related("application__agency", "drafted_by", "revised_by").order_by("submitted_at", "pk"))


def is_approver(user) -> bool:
    return permissions.agencies_where(user, permissions.Action.APPROVE).exists()


__all__ = ["save_draft", "submit", "return_draft", "sign", "cancel", "configure", "required_outcomes",
           "needs_signoff", "open_draft", "drafts", "queue", "check_decide", "can_draft", "can_review",
           "can_configure", "can_view", "SignoffError"]
