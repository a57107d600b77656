"""Backups: ``gongkai-manage backup`` of a populated database (the demo county's registry with
reviews, lawsuits, reports and catalogue; an attachment; an issued letter), restored with
``gongkai-manage restore`` into an empty database and data folder: every table and every file
compares equal; a tampered, incomplete or misplaced restore is refused."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import date

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from gongkai.apps.demo import county as demo
from gongkai.apps.cases.models import Application, Attachment
from gongkai.apps.cases.services import add_attachment, transition
from gongkai.apps.letters import services as letters
from gongkai.apps.letters.models import IssuedLetter
from gongkai.apps.cases.personal import decrypt, is_token
from gongkai.apps.ops.backup import kept_models
from gongkai.apps.search.models import SearchEntry
from gongkai.core.casework.lifecycle import Event

from tests.web.test_letters import configured, registered, tree  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def every_table() -> dict[str, list]:
    """Each kept table as its serialised rows, in primary-key order (encrypted values as their clear
    text: each encryption draws a new IV, so the same number serialises differently every time)."""
    # Django's JSON keeps times to the millisecond: a time whose microseconds are under 1000 reads
    # back as a whole second, written without ".000".
    tables = {model._meta.label_lower: json.loads(serializers.serialize(
        "json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True).replace('.000Z"', 'Z"'))
        for model in kept_models()}
    for row in tables["cases.application"]:
        token = row["fields"]["id_number"]
        row["fields"]["id_number"] = decrypt(token) if is_token(token) else token
    return tables


def every_file(media) -> dict[str, bytes]:
    return {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}


@pytest.fixture
def populated(configured, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo.generate(cases=120, today=date(2026, 6, 30))
    tree = configured
    case = registered(tree)
    add_attachment(tree["handler"], case, "身份证明.pdf", b"%PDF-1.4 identity " + bytes(range(256)))
    add_attachment(tree["handler"], case, "委托书.docx", b"PK\x03\x04 power of attorney")
    case = transition(tree["handler"], case, Event.REQUEST_CORRECTION, date(2026, 3, 4), "请写明合同名称",
                      correction_kind="unclear", correction_items="请写明合同名称")
    letters.issue_letter(tree["handler"], case, "correction")
    return tree


def test_a_backup_restored_into_an_empty_database_is_the_same(populated, settings, tmp_path, capsys):
    assert Application.objects.count() > 100 and Attachment.objects.count() == 2 and IssuedLetter.objects.exists()
    before, files = every_table(), every_file(settings.MEDIA_ROOT)
    indexed = SearchEntry.objects.count()
    assert len(files) == 2 and indexed > 0
    call_command("backup", "--to", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("gongkai-backup-*.tar")
    assert "已备份" in capsys.readouterr().out and oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    # ID numbers stay encrypted in the archive (docs/privacy.md): none is there in clear.
    numbers = {n for n in Application.objects.values_list("id_number", flat=True) if n}
    assert numbers and not [n for n in numbers if n.encode() in everything]
    assert manifest["counts"]["cases.application"] == Application.objects.count()
    assert len([m for m in manifest["members"] if m.startswith("files/")]) == 2
    assert all(len(entry["sha256"]) == 64 for entry in manifest["members"].values())

    # An empty installation: no rows, no files.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    call_command("restore", str(archive))
    assert "校验一致" in capsys.readouterr().out
    assert every_table() == before
    assert every_file(settings.MEDIA_ROOT) == files
    assert SearchEntry.objects.count() == indexed  # the search index is rebuilt
    # Restoring again over the data is refused, and changes nothing.
    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(archive))
    assert every_table() == before


def tampered(archive, tmp_path, change) -> str:
    """A copy of ``archive`` whose members went through ``change(name, data) -> data | None``."""
    copy = tmp_path / "tampered.tar"
    with tarfile.open(archive) as source, tarfile.open(copy, "w") as out:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return str(copy)


TAMPERINGS = [
    (lambda name, data: data.replace(b'"applicant_name": "', b'"applicant_name": "X', 1) if name == "database.json"
     else data, "校验失败"),
    (lambda name, data: data + b"x" if name.startswith("files/") else data, "校验失败"),
    (lambda name, data: None if name.startswith("files/") else data, "备份不完整"),
]


def test_a_tampered_archive_is_refused_before_anything_is_written(populated, settings, tmp_path):
    call_command("backup", "--to", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("gongkai-backup-*.tar")
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    for change, message in TAMPERINGS:
        with pytest.raises(CommandError, match=message):
            call_command("restore", tampered(archive, tmp_path, change))
        assert not Application.objects.exists() and not (tmp_path / "new-media").exists()
