"""The change record every app keeps: who changed what, when, why, before and after.

A case (``cases.CaseEvent``), an appeal (``appeals.AppealEvent``) and an annual report
(``reports.ReportRevision``) each keep one row per change, never deleted; the fields, the
snapshot of a record and the list of changed fields are defined once here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def plain(value):
    """A field value as JSON can hold it (dates as ISO strings)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def readable(model: type[models.Model], label: str, value, **named) -> str:
    """A value recorded for ``model``'s field called ``label`` (its verbose name), in words: nothing
    as （空）, yes or no, a choice by its label, a list joined, another record by what it says of
    itself. ``named`` gives, by field name, a function that says a field's values instead."""
    if value is None or value == "" or value == []:
        return "（空）"
    field = next((f for f in model._meta.fields if str(f.verbose_name) == label), None)
    if field is not None and field.name in named:
        return named[field.name](value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "、".join(map(str, value))
    if field is not None and field.is_relation and isinstance(value, int):
        found = field.related_model.objects.filter(pk=value).first()
        return str(found) if found else str(value)
    return str(value)


def snapshot(instance: models.Model, fields) -> dict:
    """The named fields of ``instance`` (attribute names, e.g. ``review_id``) as plain values."""
    return {name: plain(getattr(instance, name)) for name in fields}


class ChangeRecord(models.Model):
    """Abstract: one change with who, when, why, and the state before and after."""

    at = models.DateTimeField("记录时间", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由或说明", blank=True)
    before = models.JSONField("变更前")
    after = models.JSONField("变更后")

    # The model whose fields ``before`` and ``after`` hold (for the labels of ``changes``).
    recorded_model: type[models.Model]

    class Meta:
        abstract = True

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) of each field this change altered, in the model's field order."""
        labels = {f.attname: str(f.verbose_name) for f in self.recorded_model._meta.fields}
        labels.update({f.name: str(f.verbose_name) for f in self.recorded_model._meta.fields})
        order = list(labels)
        keys = sorted(set(self.before) | set(self.after), key=lambda k: order.index(k) if k in order else len(order))
        return [(labels.get(k, k), self.before.get(k), self.after.get(k))
                for k in keys if self.before.get(k) != self.after.get(k)]
