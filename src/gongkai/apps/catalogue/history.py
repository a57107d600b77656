"""An item's change history as people read it: each change with its fields in words."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.catalogue import CHANNEL_LABELS

from .models import Category, Item, ItemEvent

_FIELDS = {str(f.verbose_name): f for f in Item._meta.fields}
_CATEGORY = str(Item._meta.get_field("category").verbose_name)
_CHANNELS = str(Item._meta.get_field("channels").verbose_name)


def readable(label: str, value) -> str:
    """A stored value of the field called ``label`` in words (choices by their label)."""
    if value is None or value == "" or value == []:
        return "（空）"
    field = _FIELDS.get(label)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if label == _CHANNELS:
        return "、".join(CHANNEL_LABELS.get(c, str(c)) for c in value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    if label == _CATEGORY:
        category = Category.objects.filter(pk=value).first()
        return category.name if category else str(value)
    return str(value)


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
