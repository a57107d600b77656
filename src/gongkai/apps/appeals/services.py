"""Recording reviews and lawsuits: handlers and approvers of the application's agency write,
every change is kept with who, when, why, before and after, and a closed year's table 4 is final."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.apps.agencies.models import Membership, has_role
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import ensure_year_open
from gongkai.core.lifecycle import TransitionError

from .models import LAWSUIT_KINDS, Appeal, AppealEvent, Kind, Lawsuit, Review, snapshot

WRITE_ROLES = (Membership.Role.HANDLER, Membership.Role.APPROVER)
EDITABLE = ("review", "case_number", "body", "filed_on", "result", "concluded_on", "note")


def can_write(user, application: Application) -> bool:
    return user.is_authenticated and has_role(user, application.agency, *WRITE_ROLES)


def _require_writer(user, application: Application) -> None:
    if not can_write(user, application):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能登记、修改行政复议和行政诉讼")


def _ensure_open(appeal: Appeal, days) -> None:
    """Refuse a change that would alter a closed year's table 4."""
    for day in days:
        if day is not None:
            try:
                ensure_year_open(appeal.application.agency, day)
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


def file_appeal(user, application: Application, kind: str, reason: str = "", **fields) -> Appeal:
    """Record a review (kind ``review``) or a lawsuit (``litigation_direct`` / ``litigation_after_review``)."""
    _require_writer(user, application)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not an appeal field: {sorted(unknown)}")
    if kind not in Kind.values:
        raise ValidationError({"kind": "请选择行政复议、未经复议直接起诉或复议后起诉"})
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        _current_review(fields)
        appeal = Appeal(application=current, kind=kind, created_by=user, **fields)
        appeal.full_clean(exclude=["created_by"])
        _ensure_open(appeal, [appeal.filed_on, appeal.concluded_on])
        appeal.save()
        AppealEvent.objects.create(appeal=appeal, action=AppealEvent.Action.CREATE, user=user, reason=reason,
                                   before={}, after=snapshot(appeal))
    return _typed(appeal)


def edit_appeal(user, appeal: Appeal, reason: str, **fields) -> Appeal:
    """Change an appeal (its result once concluded, a corrected date, ...), kept in its history."""
    _require_writer(user, appeal.application)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not an appeal field: {sorted(unknown)}")
    if not reason.strip():
        raise ValidationError({"reason": "修改须说明理由"})
    with transaction.atomic():
        current = Appeal.objects.select_for_update().select_related("application__agency").get(pk=appeal.pk)
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


def file_review(user, application: Application, reason: str = "", **fields) -> Review:
    return file_appeal(user, application, Kind.REVIEW, reason, **fields)  # type: ignore[return-value]


def file_lawsuit(user, application: Application, after_review: bool, reason: str = "", **fields) -> Lawsuit:
    kind = Kind.LITIGATION_AFTER_REVIEW if after_review else Kind.LITIGATION_DIRECT
    return file_appeal(user, application, kind, reason, **fields)  # type: ignore[return-value]


def appeals_of(application: Application) -> dict[str, list[Appeal]]:
    """The application's reviews and lawsuits, for its case page."""
    appeals = list(Appeal.objects.filter(application=application).select_related("review").prefetch_related(
        "events__user"))
    return {
        "reviews": [_typed(a) for a in appeals if a.kind == Kind.REVIEW],
        "lawsuits": [_typed(a) for a in appeals if a.kind in LAWSUIT_KINDS],
    }
