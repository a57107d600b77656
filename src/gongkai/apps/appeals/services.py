"""Recording reviews and lawsuits: handlers and approvers of the agency appealed against write,
every change is kept with who, when, why, before and after, and a closed year's table 4 is final."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import ensure_year_open
from gongkai.core.casework.lifecycle import TransitionError

from .models import (
    DECIDED_STATES,
    DISCLOSING_OUTCOMES,
    LAWSUIT_KINDS,
    Appeal,
    AppealEvent,
    Kind,
    Lawsuit,
    Review,
    Subject,
    snapshot,
)

EDITABLE = ("review", "case_number", "body", "filed_on", "result", "concluded_on", "note", "appellant",
            "catalogue_item")


def can_write(user, application_or_agency: Application | Agency) -> bool:
    agency = application_or_agency if isinstance(application_or_agency, Agency) else application_or_agency.agency
    return permissions.may(user, agency, permissions.Action.ACT)


def _require_writer(user, agency: Agency) -> None:
    if not can_write(user, agency):
        raise PermissionDenied(f"只有“{agency}”的承办或审核人员才能登记、修改行政复议和行政诉讼")


def _ensure_open(appeal: Appeal, days) -> None:
    """Refuse a change that would alter a closed year's table 4."""
    for day in days:
        if day is not None:
            try:
                ensure_year_open(appeal.agency, day)
            except TransitionError as exc:
                raise ValidationError(str(exc)) from exc


def _touched_days(before: dict, after: dict) -> list:
    """The days whose year's table 4 a change alters. Table 4 counts an appeal in the year it was
    filed, with its result at that year's end: moving it (filing date, kind, review) touches the
    old and the new filing year; a result or a conclusion date touches the years of the old and the
    new conclusion date. The case number, the body and the note are in no table."""
    days = []
    if any(before.get(k) != after.get(k) for k in ("filed_on", "kind", "review_id")):
        days += [before.get("filed_on"), after.get("filed_on")]
    if any(before.get(k) != after.get(k) for k in ("result", "concluded_on")):
        days += [before.get("concluded_on"), after.get("concluded_on")]
    return [date.fromisoformat(d) for d in days if d]


def _current_review(fields: dict) -> None:
    """Judge a lawsuit after review against the review as stored, not a copy held by the caller."""
    if fields.get("review") is not None:
        fields["review"] = Appeal.objects.get(pk=fields["review"].pk)


def file_appeal(user, application: Application | None, kind: str, reason: str = "", subject: str = Subject.DECISION,
                agency: Agency | None = None, **fields) -> Appeal:
    """Record a review (kind ``review``) or a lawsuit (``litigation_direct`` / ``litigation_after_review``).

    ``subject`` is what it is about (``models.Subject``): an application's decision (the default),
    its missing or late reply, a third party's challenge of a disclosure — all with ``application``
    — or active disclosure, with ``application=None`` and the ``agency`` appealed against."""
    if application is not None:
        agency = application.agency
    if agency is None:
        raise ValidationError({"agency": "请选择被申请人（被告）机关"})
    _require_writer(user, agency)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not an appeal field: {sorted(unknown)}")
    if kind not in Kind.values:
        raise ValidationError({"kind": "请选择行政复议、未经复议直接起诉或复议后起诉"})
    with transaction.atomic():
        current = None
        if application is not None:
            current = Application.objects.select_for_update().get(pk=application.pk)
        _current_review(fields)
        appeal = Appeal(application=current, agency=agency, subject=subject, kind=kind, created_by=user, **fields)
        appeal.full_clean(exclude=["created_by"])
        _ensure_open(appeal, [appeal.filed_on, appeal.concluded_on])
        appeal.save()
        AppealEvent.objects.create(appeal=appeal, action=AppealEvent.Action.CREATE, user=user, reason=reason,
                                   before={}, after=snapshot(appeal))
    return _typed(appeal)


def edit_appeal(user, appeal: Appeal, reason: str, **fields) -> Appeal:
    """Change an appeal (its result once concluded, a corrected date, ...), kept in its history."""
    _require_writer(user, appeal.agency)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not an appeal field: {sorted(unknown)}")
    if not reason.strip():
        raise ValidationError({"reason": "修改须说明理由"})
    with transaction.atomic():
        current = Appeal.objects.select_for_update(of=("self",)).select_related("agency", "application").get(pk=appeal.pk)
        before = snapshot(current)
        _current_review(fields)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean(exclude=["created_by"])
        after = snapshot(current)
        _ensure_open(current, _touched_days(before, after))
        if after != before:
            current.save()
            AppealEvent.objects.create(appeal=current, action=AppealEvent.Action.EDIT, user=user, reason=reason,
                                       before=before, after=after)
    return _typed(current)


def _typed(appeal: Appeal) -> Appeal:
    appeal.__class__ = Review if appeal.kind == Kind.REVIEW else Lawsuit
    return appeal


def file_review(user, application: Application | None, reason: str = "", **fields) -> Review:
    return file_appeal(user, application, Kind.REVIEW, reason, **fields)  # type: ignore[return-value]


def file_lawsuit(user, application: Application | None, after_review: bool, reason: str = "", **fields) -> Lawsuit:
    kind = Kind.LITIGATION_AFTER_REVIEW if after_review else Kind.LITIGATION_DIRECT
    return file_appeal(user, application, kind, reason, **fields)  # type: ignore[return-value]


def subjects_for(application: Application | None) -> list[Subject]:
    """The subjects an appeal about ``application`` may have now (about active disclosure: none given)."""
    if application is None:
        return [Subject.ACTIVE]
    subjects = []
    decided = application.state in DECIDED_STATES and application.decided_on is not None
    if decided:
        subjects.append(Subject.DECISION)
    subjects.append(Subject.INACTION)  # not answered, or answered late
    if decided and application.outcome in DISCLOSING_OUTCOMES:
        subjects.append(Subject.THIRD_PARTY)
    return subjects


def appeals_of(application: Application) -> dict[str, list[Appeal]]:
    """The application's reviews and lawsuits, for its case page."""
    appeals = list(Appeal.objects.filter(application=application).select_related("review").prefetch_related(
        "events__user"))
    return {
        "reviews": [_typed(a) for a in appeals if a.kind == Kind.REVIEW],
        "lawsuits": [_typed(a) for a in appeals if a.kind in LAWSUIT_KINDS],
    }
