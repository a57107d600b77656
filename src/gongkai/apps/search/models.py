"""The search index of published catalogue items: one row per published item with its text
segmented into words by jieba (title apart from summary and body, so that the title weighs
more) and its Chinese characters as one- and two-character grams (for queries of one or two
characters). The full-text structures over these columns depend on the database and are made
in migration 0001: an FTS5 table on SQLite, tsvector columns with GIN indexes on PostgreSQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.apps.agencies.models import Agency
from gongkai.apps.catalogue.models import Category, Item


class SearchEntry(models.Model):
    item = models.OneToOneField(Item, verbose_name="信息", primary_key=True, on_delete=models.CASCADE,
                                related_name="search_entry")
    # Copies of the item's fields the search filters and sorts on, so that a query reads one table.
    agency = models.ForeignKey(Agency, verbose_name="发布机关", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, verbose_name="目录分类", on_delete=models.CASCADE, related_name="+")
    published_on = models.DateField("发布日期", null=True)
    title = models.CharField("标题", max_length=300)
    title_words = models.TextField("标题分词")
    text_words = models.TextField("正文分词")
    grams = models.TextField("单字和双字")

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        indexes = [
            models.Index(fields=["agency", "-published_on"], name="search_agency_date"),
            models.Index(fields=["-published_on", "-item"], name="search_date"),
        ]

    def __str__(self) -> str:
        return self.title


class Synonym(models.Model):
    """A short form people type and the full form documents use (低保 → 最低生活保障), or two names
    of one thing. An item whose text has either is found by both: the other is added to its
    index row (``services.entry_fields``). The office edits the list (``/search/synonyms/``)."""

    term = models.CharField("简称或俗称", max_length=40, unique=True, help_text="群众常用的说法，例如：低保")
    expansion = models.CharField("规范名称", max_length=80, help_text="文件中的正式名称，例如：最低生活保障")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "检索同义词"
        verbose_name_plural = "检索同义词"
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"
