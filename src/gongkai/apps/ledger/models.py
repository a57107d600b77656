"""What an import keeps: the uploaded file (``ImportBatch``, a kept file with its SHA-256, never
deleted), the rows it created (``ImportedRow``, each with its source row, ID numbers masked), and
the column mapping an agency used last (``SavedMapping``), offered at its next import."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application
from gongkai.apps.catalogue.models import Item
from gongkai.apps.files import KeptFile, kept_file_path

_batch_path = kept_file_path


class ImportKind(models.TextChoices):
    APPLICATIONS = "applications", "依申请公开台账"
    CATALOGUE = "catalogue", "主动公开目录"


class ImportBatch(KeptFile):
    """One uploaded file and what became of it: checked (not imported yet, or refused) or
    imported, all of its rows in one transaction."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "待核对"
        IMPORTED = "imported", "已导入"

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="import_batches")
    kind = models.CharField("导入内容", max_length=20, choices=ImportKind.choices)
    sheet = models.CharField("工作表", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("表头所在行", default=1)
    headers = models.JSONField("表头", default=list)
    sample = models.JSONField("第一行数据", default=list, blank=True)  # shown beside the mapping
    mapping = models.JSONField("列对应关系", default=dict, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.UPLOADED)
    rows = models.PositiveIntegerField("数据行数", default=0)  # known once every row was read
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    warnings_confirmed = models.JSONField("导入时确认的提示", default=list, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["agency", "kind", "-uploaded_at"], name="import_batch_history")]

    def storage_folder(self) -> str:
        return f"imports/{self.agency_id}"


class ImportedRow(models.Model):
    """A row of an imported file and the record it became (a case or a catalogue item)."""

    batch = models.ForeignKey(ImportBatch, verbose_name="导入批次", on_delete=models.PROTECT, related_name="imported_rows")
    row_number = models.PositiveIntegerField("行号")
    source = models.JSONField("原始内容", default=dict)  # header -> text; ID numbers masked
    application = models.OneToOneField(Application, verbose_name="申请", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="imported_from")
    item = models.OneToOneField(Item, verbose_name="目录信息", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="imported_from")

    class Meta:
        verbose_name = "导入的行"
        verbose_name_plural = "导入的行"
        ordering = ["batch", "row_number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(application__isnull=False, item__isnull=True)
                                   | models.Q(application__isnull=True, item__isnull=False),
                                   name="imported_row_one_record"),
        ]


class SavedMapping(models.Model):
    """The column mapping an agency last imported with, by kind: file header -> field."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("导入内容", max_length=20, choices=ImportKind.choices)
    mapping = models.JSONField("列对应关系", default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField("保存时间", auto_now=True)

    class Meta:
        verbose_name = "导入列对应关系"
        verbose_name_plural = "导入列对应关系"
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="saved_mapping_unique")]
