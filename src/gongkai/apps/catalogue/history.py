"""An item's change history as people read it: each change with its fields in words; and the
record of a change of the agency's catalogue settings (``SettingChange``)."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.apps import records
from gongkai.core.casework.catalogue import CHANNEL_LABELS

from .models import Item, ItemEvent, SettingChange

_CATEGORY = str(Item._meta.get_field("category").verbose_name)


def readable(label: str, value) -> str:
    """A stored value of the item's field called ``label`` in words."""
    return records.readable(Item, label, value,
                            channels=lambda codes: "、".join(CHANNEL_LABELS.get(c, str(c)) for c in codes))


@dataclass(frozen=True)
class Entry:
    event: ItemEvent
    changes: list[tuple[str, str, str]]


def item_history(item: Item) -> list[Entry]:
    entries = []
    for event in item.events.select_related("user").order_by("at", "pk"):
        changes = []
        if event.event != ItemEvent.Event.CREATE:
            for label, before, after in event.changes:
                label = _CATEGORY if label == "category_id" else label
                changes.append((label, readable(label, before), readable(label, after)))
        entries.append(Entry(event, changes))
    return entries


def record_setting(agency, setting: str, user, before: dict, after: dict, reason: str = "") -> SettingChange | None:
    """Keep a change of the agency's settings (nothing when nothing changed)."""
    if before == after:
        return None
    return SettingChange.objects.create(agency=agency, setting=setting, user=user, before=before, after=after,
                                        reason=(reason or "").strip())


def setting_history(agency, *settings: str, limit: int = 20):
    """The latest changes of the agency's settings of these kinds, newest first."""
    return (SettingChange.objects.filter(agency=agency, setting__in=settings).select_related("user")
            .order_by("-at", "-pk")[:limit])
