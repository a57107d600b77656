"""Files the apps keep (attachments of applications, files of catalogue items): checked by type
and size before anything is stored, saved under a random name with their SHA-256, never deleted.
The person's own file name is kept in ``name`` only, so it never becomes a path."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".doc", ".docx", ".wps", ".txt", ".ofd", ".zip")


def check_file(name: str, size: int, suffixes: tuple[str, ...] = SUFFIXES, max_bytes: int = MAX_BYTES) -> str:
    """The file name to keep (folders stripped), or ValidationError in Chinese: type and size."""
    name = Path(name or "").name.strip()[:200]
    if not name:
        raise ValidationError({"file": "请选择要上传的文件"})
    if not name.lower().endswith(tuple(suffixes)):
        raise ValidationError({"file": f"不支持的文件类型：{name}（可上传 {'、'.join(suffixes)}）"})
    if not size:
        raise ValidationError({"file": f"文件 {name} 是空的"})
    if size > max_bytes:
        raise ValidationError({"file": f"文件 {name} 超过 {max_bytes // (1024 * 1024)} MB"})
    return name


def kept_file_path(instance: "KeptFile", filename: str) -> str:
    return f"{instance.storage_folder()}/{uuid.uuid4().hex}"


class KeptFile(models.Model):
    """Abstract: a stored file with its name, size, checksum and uploader."""

    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to=kept_file_path)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def storage_folder(self) -> str:
        raise NotImplementedError

    def keep(self, name: str, content: bytes) -> None:
        """Store ``content`` (already checked) as this record's file, and save the record."""
        self.name, self.size = name, len(content)
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.file.save(name, ContentFile(content), save=False)
        self.save()
