"""The case history as people read it: each recorded step with its changed fields in words."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.apps import records
from gongkai.apps.cases.models import Application, CaseEvent

_MERGED_LABEL = str(Application._meta.get_field("merged_into").verbose_name)


def readable(label: str, value) -> str:
    """A stored value of the application's field called ``label`` in words (a merge target by its number)."""
    return records.readable(Application, label, value, merged_into=_number)


def _number(pk) -> str:
    merged = Application.objects.filter(pk=pk).first()
    return merged.number if merged else str(pk)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    event: CaseEvent
    changes: list[Change]


def case_history(application: Application) -> list[HistoryEntry]:
    entries = []
    for event in application.events.select_related("user").order_by("at", "pk"):
        changes = [Change(_label(label), readable(_label(label), before), readable(_label(label), after))
                   for label, before, after in event.changes if not _blank(before) or not _blank(after)]
        entries.append(HistoryEntry(event, changes))
    return entries


def _blank(value) -> bool:
    # Registration records every field from nothing; an empty or false field there says nothing.
    return value is None or value == "" or value is False


def _label(label: str) -> str:
    # Snapshots store the merge target as "merged_into_id", which is not a field's verbose name.
    return _MERGED_LABEL if label == "merged_into_id" else ("承办人" if label == "handler" else label)
