"""The validity history of an item (现行有效, 已废止, 已失效): issued once, ended at most once."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.apps.records import snapshot

from .access import require_draft
from .items import ISSUED_STATES, RECORDED_FIELDS, Event, locked, record
from .models import Item, ValidityChange

ENDED = (Item.Validity.REPEALED, Item.Validity.EXPIRED)


def add_validity(item: Item, validity: str, on: date, user, reason: str) -> ValidityChange:
    change = ValidityChange.objects.create(item=item, validity=validity, on=on, user=user, reason=reason)
    item.validity = validity
    if validity == Item.Validity.IN_FORCE:
        item.effective_on = on
    else:
        item.repealed_on = on
    return change


def record_validity(user, item: Item, validity: str, on: date, reason: str = "") -> ValidityChange:
    """Record that a published item took effect (in_force), or was repealed or expired on ``on``.

    An item is issued once and ends once, not before it took effect; the item's validity is
    the latest change."""
    require_draft(user, item.agency, "登记有效性变更")
    if validity not in (Item.Validity.IN_FORCE, *ENDED):
        raise ValidationError({"validity": "请选择现行有效、已废止或已失效"})
    if on is None:
        raise ValidationError({"on": "请填写日期"})
    with transaction.atomic():
        current = locked(item)
        if current.state not in ISSUED_STATES:
            raise ValidationError("只有已发布的信息才登记有效性")
        history = list(current.validity_changes.order_by("on", "pk"))
        issue = next((c for c in history if c.validity == Item.Validity.IN_FORCE), None)
        if validity == Item.Validity.IN_FORCE and issue is not None:
            raise ValidationError(f"该信息已登记自 {issue.on.isoformat()} 起现行有效")
        if validity in ENDED:
            if issue is None:
                raise ValidationError("该信息尚未登记施行（现行有效），不能登记废止或失效")
            if any(c.validity in ENDED for c in history):
                raise ValidationError(f"该信息已{current.get_validity_display()}")
            if on < issue.on:
                raise ValidationError({"on": f"废止或失效日期不能早于施行日期 {issue.on.isoformat()}"})
        if validity in ENDED and not (reason or "").strip():
            raise ValidationError({"reason": "请写明废止或失效的依据（如废止决定的文号）"})
        before = snapshot(current, RECORDED_FIELDS)
        change = add_validity(current, validity, on, user, (reason or "").strip())
        current.save()
        record(current, Event.VALIDITY, user, before, change.reason)
    return change
