"""Backups: the database and the uploaded files together, in one archive with a manifest.

An archive (``gongkai-backup-<time>.tar``) holds:

- ``database.json`` — every table the registry, the catalogue, the reports and the accounts keep,
  as Django's JSON serialisation (natural keys for content types), read in ONE transaction, so the
  tables agree with each other (PostgreSQL: a REPEATABLE READ snapshot; SQLite: one read
  transaction on the WAL database, which writers do not block);
- ``files/…`` — the uploaded files (``MEDIA_ROOT``) the database refers to, read after the
  snapshot: files are written before their row and never deleted, so each file the snapshot names
  exists and is complete;
- ``manifest.json`` — the format, the versions of Gongkai and Django, the latest migration of each
  app, the number of rows per table, and the SHA-256 and size of every other member.

Why Django's serialisation rather than ``pg_dump`` or SQLite's backup API: one format for both
databases (an installation can move from SQLite to PostgreSQL through a backup), the same code
path tested on both, and rows counted per table for the restore to check. ``pg_dump`` stays the
tool for very large PostgreSQL installations (docs/deployment.md).

Left out, because they are rebuilt or transient: sessions, login-failure records (django-axes),
flood counters, the portal's page revisions and the search index (``restore`` rebuilds it);
content types and permissions are made by ``migrate`` and referred to by natural key.

``restore`` checks every member against the manifest (a changed, missing or extra member is
refused before anything is written), refuses a database that already holds data, migrates,
loads the rows in one transaction, writes the files, resets PostgreSQL's sequences, checks the
counts and rebuilds the search index.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from gongkai import __version__ as gongkai_version

FORMAT = "gongkai-backup/1"
LEFT_OUT = {
    "contenttypes.contenttype", "auth.permission", "sessions.session",
    "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
    "online.throttlecount", "portal.portalrevision", "search.searchentry",
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored (in Chinese)."""


def kept_models() -> list:
    """The models a backup holds, in dependency order."""
    from django.core.serializers import sort_dependencies

    app_list = [(config, None) for config in apps.get_app_configs()]
    return [model for model in sort_dependencies(app_list, allow_cycles=True)
            if model._meta.label_lower not in LEFT_OUT and not model._meta.proxy and model._meta.managed]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_names(model) -> list[str]:
    fields = [f.name for f in model._meta.fields if f.get_internal_type() == "FileField"]
    names: list[str] = []
    for field in fields:
        names += [name for name in model.objects.values_list(field, flat=True) if name]
    return names


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份中的文件名不安全：{name}")
    return path


@dataclass
class Result:
    path: Path
    counts: dict[str, int]
    files: int


def backup(to: Path) -> Result:
    """Write an archive into the folder ``to``; the archive's path and what it holds."""
    to = Path(to)
    to.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=to, prefix=".backup-") as work:
        work = Path(work)
        database = work / "database.json"
        counts: dict[str, int] = {}
        referenced: list[str] = []
        with transaction.atomic():
            if connection.vendor == "postgresql":
                connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with database.open("w", encoding="utf-8") as out:
                out.write("[")
                first = True
                for model in kept_models():
                    rows = model._default_manager.order_by("pk")
                    counts[model._meta.label_lower] = rows.count()
                    text = serializers.serialize("json", rows.iterator(chunk_size=2000), use_natural_foreign_keys=True)
                    body = text.strip()[1:-1].strip()
                    if body:
                        out.write(("" if first else ",") + body)
                        first = False
                    referenced += _file_names(model)
                out.write("]")
            migrations = {app: name for app, name in MigrationRecorder.Migration.objects.order_by("applied")
                          .values_list("app", "name")}
        members = {"database.json": {"sha256": _sha256(database), "size": database.stat().st_size}}
        for name in sorted(set(referenced)):
            source = media / _safe_member(name)
            if not source.is_file():
                raise BackupError(f"数据库引用的文件不存在：{name}（MEDIA_ROOT={media}）")
            members[f"files/{name}"] = {"sha256": _sha256(source), "size": source.stat().st_size}
        manifest = {
            "format": FORMAT, "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "gongkai": gongkai_version, "django": django.get_version(), "database": connection.vendor,
            "migrations": migrations, "counts": counts, "members": members,
        }
        target = to / f"gongkai-backup-{stamp}.tar"
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, "database.json")
            for name in members:
                if name.startswith("files/"):
                    tar.add(media / name.removeprefix("files/"), name)
        os.chmod(partial, 0o600)  # personal data: readable by the operator only
        os.replace(partial, target)
    return Result(target, counts, len(members) - 1)


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r") as tar:
        try:
            manifest = json.load(tar.extractfile("manifest.json"))
        except (KeyError, json.JSONDecodeError) as error:
            raise BackupError("备份文件缺少有效的清单（manifest.json）") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')!r}（支持 {FORMAT}）")
    return manifest


def verify(archive: Path, into: Path) -> dict:
    """Extract ``archive`` into ``into`` checking every member against the manifest."""
    try:
        manifest = read_manifest(archive)
        expected = manifest["members"]
        seen: set[str] = set()
        with tarfile.open(archive, "r") as tar:
            for member in tar.getmembers():
                if member.name == "manifest.json":
                    continue
                if not member.isfile() or member.name not in expected:
                    raise BackupError(f"备份中有清单以外的内容：{member.name}")
                target = into / _safe_member(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as source, target.open("wb") as out:
                    for block in iter(lambda: source.read(CHUNK), b""):
                        digest.update(block)
                        out.write(block)
                if digest.hexdigest() != expected[member.name]["sha256"]:
                    raise BackupError(f"校验失败，备份已被改动或损坏：{member.name}")
                seen.add(member.name)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"无法读取备份文件：{error}") from error
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"备份不完整，缺少：{'、'.join(sorted(missing))}")
    return manifest


def restore(archive: Path) -> dict:
    """Restore ``archive`` into an empty database and data folder; returns the manifest."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as work:
        work = Path(work)
        manifest = verify(archive, work)
        call_command("migrate", interactive=False, verbosity=0)
        holding = {model._meta.label_lower: n for model in kept_models() if (n := model._default_manager.count())}
        if holding:
            raise BackupError("目标数据库中已有数据，恢复只能在空数据库上进行（"
                              + "、".join(f"{k} {v} 行" for k, v in sorted(holding.items())) + "）")
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["members"]:
            if name.startswith("files/") and (media / name.removeprefix("files/")).exists():
                raise BackupError(f"数据目录中已有同名文件，拒绝覆盖：{name.removeprefix('files/')}")
        with transaction.atomic():
            call_command("loaddata", str(work / "database.json"), verbosity=0)
            models = kept_models()
            statements = connection.ops.sequence_reset_sql(no_style(), models)
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            counts = {model._meta.label_lower: model._default_manager.count() for model in models}
            differ = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
            if differ:
                raise BackupError(f"恢复后的行数与清单不符：{differ}")
        for name in manifest["members"]:
            if name.startswith("files/"):
                relative = _safe_member(name.removeprefix("files/"))
                target = media / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work / name, target)
        from gongkai.apps.search.services import rebuild

        rebuild()
    return manifest
