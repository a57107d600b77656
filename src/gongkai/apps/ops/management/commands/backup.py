"""``gongkai-manage backup [--to DIR]``: the database and the uploaded files in one archive with a
manifest and checksums (``gongkai.apps.ops.backup``). Exit 0, or 1 with the reason."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：数据库和上传的文件一并写入一个带清单和校验值的归档文件"

    def add_arguments(self, parser):
        parser.add_argument("--to", help="备份文件放在哪个文件夹（默认 <GONGKAI_DATA_DIR>/backups）")

    def handle(self, *args, to: str | None, **options):
        folder = Path(to) if to else Path(settings.DATA_DIR) / "backups"
        try:
            result = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(result.counts.values())
        self.stdout.write(f"已备份：{result.path}（{rows} 行数据，{result.files} 个文件）")
