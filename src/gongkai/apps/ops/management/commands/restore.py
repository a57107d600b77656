"""``gongkai-manage restore FILE``: restore a backup into an empty database and data folder, after
checking every member against the manifest (``gongkai.apps.ops.backup``). Exit 0, or 1 with the
reason (a tampered or incomplete archive, a database that already holds data)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "恢复：校验备份文件后，把数据库和上传的文件恢复到空数据库中"

    def add_arguments(self, parser):
        parser.add_argument("file", help="gongkai-manage backup 生成的备份文件（.tar）")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            manifest = restore(path)
        except BackupError as error:
            raise CommandError(f"未恢复：{error}") from error
        rows = sum(manifest["counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(f"已恢复：{path}（备份于 {manifest['created']}，{rows} 行数据，{files} 个文件，校验一致）")
