"""An item's change history as people read it: each change with its fields in words."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.apps import records
from gongkai.core.catalogue import CHANNEL_LABELS

from .models import Item, ItemEvent

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
