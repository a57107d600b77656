"""Atom feeds of published items: all agencies, or one agency."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.apps.catalogue.models import Item

from . import published

FEED_LENGTH = 50


# The namespace of the disclosure metadata an entry carries besides Atom's own (成文日期, 文号, 索引号).
GONGKAI_NS = "urn:gongkai:catalogue"


class Atom(Atom1Feed):
    """Atom with the feed's language on the root element, and each entry's 成文日期, 文号 and
    索引号 as elements of the ``gk:`` namespace (Atom allows foreign elements, RFC 4287 §6)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xml:lang": "zh-Hans", "xmlns:gk": GONGKAI_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("index_number"):
            handler.addQuickElement("gk:indexNumber", item["index_number"])
        if item.get("document_number"):
            handler.addQuickElement("gk:documentNumber", item["document_number"])
        if item.get("written_on"):
            handler.addQuickElement("gk:writtenOn", item["written_on"].isoformat())


class ItemsFeed(Feed):
    feed_type = Atom
    title = "政府信息公开 · 最新主动公开信息"
    subtitle = "各机关最新发布的主动公开政府信息"
    language = "zh-Hans"

    def link(self):
        return reverse("portal:home")

    def items(self):
        return published.public_items().filter(agency__active=True)[:FEED_LENGTH]

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.summary or item.body[:300]

    def item_link(self, item: Item) -> str:
        return reverse("portal:item", args=[item.pk])

    def item_guid(self, item: Item) -> str:
        return f"tag:gongkai,{item.agency_id}:{item.index_number}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Item) -> str:
        return item.publisher or item.agency.name

    def item_pubdate(self, item: Item) -> datetime | None:
        if item.published_on is None:
            return None
        return datetime.combine(item.published_on, time(), ZoneInfo(settings.TIME_ZONE))

    def item_updateddate(self, item: Item) -> datetime:
        return item.updated

    def item_categories(self, item: Item):
        """The catalogue's category, then the 主题分类 (topic) when the item has one."""
        return [item.category.name, *([item.get_topic_display()] if item.topic else [])]

    def item_extra_kwargs(self, item: Item) -> dict:
        return {"written_on": item.written_on, "document_number": item.document_number,
                "index_number": item.index_number}


class AgencyItemsFeed(ItemsFeed):
    def get_object(self, request, agency: int):
        return published.agency_or_404(agency)

    def title(self, agency):
        return f"{agency.name} · 最新主动公开信息"

    def subtitle(self, agency):
        return f"{agency.name}最新发布的主动公开政府信息"

    def link(self, agency):
        return reverse("portal:agency", args=[agency.pk])

    def items(self, agency):
        return published.public_items().filter(agency=agency)[:FEED_LENGTH]
