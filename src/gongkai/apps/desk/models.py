"""What the desk keeps of a person's own: their saved filters (常用查询) of the work lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models

SAVED_FILTERS_PER_USER = 50


class SavedFilter(models.Model):
    """A named search of one work list: the list and its query string (search, filters, sort)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="saved_filters")
    name = models.CharField("名称", max_length=40)
    worklist = models.CharField("清单", max_length=30)
    query = models.CharField("查询条件", max_length=1000, blank=True)
    created = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "常用查询"
        verbose_name_plural = "常用查询"
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
