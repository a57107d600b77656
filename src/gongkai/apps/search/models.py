"""The search index of published catalogue items: one row per published item with its text
segmented into words by jieba (title apart from summary and body, so that the title weighs
more) and its Chinese characters as one- and two-character grams (for queries of one or two
characters). The full-text structures over these columns depend on the database and are made
in migration 0001: an FTS5 table on SQLite, tsvector columns with GIN indexes on PostgreSQL.
"""

from __future__ import annotations

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
