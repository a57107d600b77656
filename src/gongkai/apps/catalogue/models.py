"""The disclosure catalogue (政府信息公开目录): items an agency publishes on its own initiative
(条例 Art. 19–26), each reviewed for secrecy before publication and published within 20 working
days of being made (Art. 26).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.apps.agencies.models import Agency


class Category(models.Model):
    """A node of an agency's catalogue tree (national basic categories and the 26 grass-roots
    areas are loadable presets)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="categories")
    parent = models.ForeignKey("self", verbose_name="上级分类", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    name = models.CharField("分类名称", max_length=100)
    code = models.CharField("分类代码", max_length=40, blank=True)
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "目录分类"
        verbose_name_plural = "目录分类"
        ordering = ["agency", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "parent", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One item of the catalogue."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SECTION_REVIEW = "section_review", "待科室负责人审核"
        LEADER_REVIEW = "leader_review", "待分管领导审签"
        PUBLISHED = "published", "已发布"
        REJECTED = "rejected", "已退回"
        WITHDRAWN = "withdrawn", "已撤下"

    class Kind(models.TextChoices):
        # The rows of table 2 an item counts in (standard.ACTIVE row keys), or neither.
        RULE = "rules", "规章"
        NORMATIVE_DOCUMENT = "normative_documents", "行政规范性文件"
        OTHER = "other", "其他信息"

    class Validity(models.TextChoices):
        NOT_APPLICABLE = "", "不适用"
        IN_FORCE = "in_force", "现行有效"
        REPEALED = "repealed", "已废止"
        EXPIRED = "expired", "已失效"

    agency = models.ForeignKey(Agency, verbose_name="发布机关", on_delete=models.PROTECT, related_name="items")
    category = models.ForeignKey(Category, verbose_name="目录分类", on_delete=models.PROTECT, related_name="items")
    index_number = models.CharField("索引号", max_length=60)
    title = models.CharField("标题", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    publisher = models.CharField("发布机构", max_length=100)
    made_on = models.DateField("生成日期", help_text="信息制作或者变更之日；应自此日起20个工作日内公开（《条例》第二十六条）")
    published_on = models.DateField("发布日期", null=True, blank=True)
    due_on = models.DateField("公开期限", null=True, blank=True)
    kind = models.CharField("信息类别", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    repealed_on = models.DateField("废止或失效日期", null=True, blank=True)
    channels = models.JSONField("同时发布的渠道", default=list, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField("创建时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-published_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "index_number"], name="item_unique_index_number")]
        indexes = [
            models.Index(fields=["state", "category", "-published_on"], name="item_catalogue"),
            models.Index(fields=["agency", "state", "-published_on"], name="item_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"
