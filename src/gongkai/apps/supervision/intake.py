"""What becomes of one input: its bytes read into the report model, checked, matched to an agency
of the region and a year, and kept as a ``CollectedReport`` (once per content in a region);
and the inputs of an upload or of files named on the command line, expanded with the bulk
reader's limits and safe ZIP handling (``core.report.bulk``)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from django.db import IntegrityError, transaction

from gongkai.apps.agencies.models import Agency
from gongkai.core.report import bulk
from gongkai.core.report.checking import Severity, check_report
from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.model import Report, report_to_json
from gongkai.core.report.parsing import SUPPORTED_SUFFIXES, read_document

from .jobs import Input
from .models import CollectedReport, Job, JobItem

# ----------------------------------------------------------------------------- agency matching

_PUNCTUATION = re.compile(r"[\s\u3000·•．.、，,（）()《》〈〉\[\]【】\"'“”‘’-]+")


def normalise_name(name: str) -> str:
    """An agency name compared by its letters only: full-width forms folded, spaces and
    punctuation removed."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name or ""))


def match_agency(name: str | None, agencies: Iterable[Agency]) -> Agency | None:
    """The region's agency named ``name`` in a report: the same name once normalised, else the one
    agency whose name ends the report's (the report adds the place: 济宁市兖州区 + 小孟镇人民政府)
    or is ended by it; the longest such name wins, a tie matches none."""
    wanted = normalise_name(name or "")
    if not wanted:
        return None
    candidates = [(normalise_name(a.name), a) for a in agencies]
    exact = [a for n, a in candidates if n == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    ends = [(len(n), a) for n, a in candidates if n and (wanted.endswith(n) or n.endswith(wanted))]
    if not ends:
        return None
    ends.sort(key=lambda pair: -pair[0])
    if len(ends) > 1 and ends[0][0] == ends[1][0]:
        return None
    return ends[0][1]


# ----------------------------------------------------------------------------- one input


@dataclass(frozen=True)
class Outcome:
    status: str  # a JobItem.Status
    collected: CollectedReport | None
    code: str = ""
    message: str = ""


def severity_counts(findings: list[dict]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.get("severity") == s.value) for s in Severity}


def read_and_check(data: bytes, suffix: str, source: str) -> tuple[Report, list[dict]]:
    """The report in ``data`` and the findings of the single-report checks; ReportReadError when
    the bytes are not a readable report."""
    if not data:
        raise ReportReadError("empty", source)
    if len(data) > bulk.Limits().max_file_bytes:
        raise ReportReadError("too_large", source, f"{len(data)} 字节，上限 {bulk.Limits().max_file_bytes} 字节")
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReportReadError("unsupported_type", source, suffix or "无扩展名")
    report = read_document(data, suffix, source)
    return report, [f.to_json() for f in check_report(report)]


def region_agencies(region: Agency) -> list[Agency]:
    return list(region.subtree().only("pk", "name", "path"))


def take(job: Job, item: JobItem, data: bytes, suffix: str, origin: str, agencies: list[Agency]) -> Outcome:
    """What ``data`` (the input of ``item``) becomes: the region's collected report (read, or kept
    as unreadable), not yet saved (``keep`` saves it), or a duplicate of the one with the same
    content. Reads before any write, so that no transaction waits on a reader."""
    digest = hashlib.sha256(data).hexdigest()
    existing = CollectedReport.objects.filter(region_id=job.region_id, sha256=digest).only("pk").first()
    if existing is not None:
        return _duplicate(existing)
    row = CollectedReport(region_id=job.region_id, origin=origin, source=item.source[:1000], sha256=digest,
                          fmt=suffix.lstrip(".")[:10], size=len(data), data=data, job=job,
                          received_by_id=job.created_by_id)
    hints = job.params or {}
    try:
        report, findings = read_and_check(data, suffix, item.source)
    except (ReportReadError, MemoryError) as error:
        code = error.code if isinstance(error, ReportReadError) else "out_of_memory"
        message = error.message if isinstance(error, ReportReadError) else bulk.message_for("out_of_memory")
        row.status, row.error_code, row.error_message = CollectedReport.Status.UNREADABLE, code, message
        row.year = hints.get("year") or None
        row.agency_id = hints.get("agency") or None
        return Outcome(JobItem.Status.ERROR, row, code, message)
    fill(row, report, findings, agencies, hints)
    if row.agency_id is None:
        return Outcome(JobItem.Status.UNMATCHED, row, "unmatched",
                       f"报告中的机关名称“{row.agency_name or '（未识别）'}”与本地区的机关都对不上，请在报告页指定机关")
    counts = severity_counts(row.findings)
    return Outcome(JobItem.Status.OK, row, "", f"{row.agency} {row.year or ''} 年度报告：错误 {counts['error']} 处，"
                                               f"警告 {counts['warning']} 处")


def keep(job: Job, outcome: Outcome) -> Outcome:
    """Save the outcome's new collected report (inside the caller's transaction); a duplicate if
    another worker kept the same content meanwhile."""
    row = outcome.collected
    if row is None or row.pk is not None:
        return outcome
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        existing = CollectedReport.objects.filter(region_id=job.region_id, sha256=row.sha256).only("pk").first()
        if existing is None:
            raise
        return _duplicate(existing)
    return outcome


def fill(row: CollectedReport, report: Report, findings: list[dict], agencies: list[Agency], hints: dict) -> None:
    """The reading of a report on its row: the report, findings, agency (matched, else the hint),
    year (the report's, else the hint), date of publication."""
    row.status, row.error_code, row.error_message = CollectedReport.Status.READ, "", ""
    row.report = report_to_json(report)
    row.findings = findings
    row.agency_name = (report.agency or "")[:200]
    agency = match_agency(report.agency, agencies)
    if agency is None and hints.get("agency"):
        agency = next((a for a in agencies if a.pk == int(hints["agency"])), None)
    row.agency = agency
    row.year = report.year or hints.get("year") or None
    row.published_on = report.published.value if report.published is not None else None


def _duplicate(existing: CollectedReport) -> Outcome:
    return Outcome(JobItem.Status.DUPLICATE, existing, "duplicate",
                   f"内容与已收取的报告（编号 {existing.pk}）相同，未重复收取")


def recheck(job: Job, item: JobItem, agencies: list[Agency]) -> Outcome:
    """Read and check a collected report again with today's readers and rules (the file is kept)."""
    row = item.collected
    if row is None:
        return Outcome(JobItem.Status.ERROR, None, "not_found", "该报告已不存在")
    suffix = f".{row.fmt}" if row.fmt else PurePosixPath(row.source).suffix.lower()
    try:
        report, findings = read_and_check(bytes(row.data), suffix, row.source)
    except ReportReadError as error:
        row.status, row.error_code, row.error_message = CollectedReport.Status.UNREADABLE, error.code, error.message
        row.report, row.findings = None, []
        row.save(update_fields=["status", "error_code", "error_message", "report", "findings"])
        return Outcome(JobItem.Status.ERROR, row, error.code, error.message)
    keep_agency = row.agency_id
    fill(row, report, findings, agencies, {"year": row.year, "agency": keep_agency})
    row.save(update_fields=["status", "error_code", "error_message", "report", "findings", "agency_name", "agency",
                            "year", "published_on"])
    if row.agency_id is None:
        return Outcome(JobItem.Status.UNMATCHED, row, "unmatched", "未匹配到本地区的机关")
    counts = severity_counts(row.findings)
    return Outcome(JobItem.Status.OK, row, "", f"已重新核对：错误 {counts['error']} 处，警告 {counts['warning']} 处")


# ----------------------------------------------------------------------------- inputs


def recheck_inputs(region: Agency) -> Iterator[Input]:
    """One input per collected report of the region, to read and check again."""
    rows = CollectedReport.objects.filter(region=region).order_by("pk").values_list("pk", "source")
    return (Input(source, collected_id=pk) for pk, source in rows.iterator())


def file_inputs(paths: Iterable[str | Path], strip: str | None = None) -> Iterator[Input]:
    """The inputs in files, folders and ZIP archives (expanded and limited as the bulk reader does:
    the archive's directory is checked before a member is read, members are read into memory
    only, never beyond the size limit). ``strip``: a folder prefix left out of the names shown."""
    limits = bulk.Limits()
    for item in bulk.expand(paths, limits):
        source = item.source
        if strip and source.startswith(strip):
            source = source[len(strip):].lstrip(os.sep)
        if item.error:
            yield Input(source, code=item.error[0], message=bulk.message_for(*item.error))
            continue
        try:
            yield Input(source, data=_read_item(item, limits))
        except ReportReadError as error:
            yield Input(source, code=error.code, message=error.message)


def _read_item(item: bulk.Item, limits: bulk.Limits) -> bytes:
    if item.size is not None and item.size > limits.max_file_bytes:
        raise ReportReadError("too_large", item.source, f"{item.size} 字节，上限 {limits.max_file_bytes} 字节")
    if item.member is not None:
        try:
            with zipfile.ZipFile(item.path) as zf, zf.open(item.member) as member:
                return member.read(limits.max_file_bytes + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zipfile.LargeZipFile):
            raise ReportReadError("broken_file", item.source, "压缩包内的文件无法解压") from None
    path = Path(item.path)
    if not path.exists():
        raise ReportReadError("not_found", item.source)
    if not path.is_file():
        raise ReportReadError("not_a_file", item.source)
    try:
        return path.read_bytes()
    except PermissionError:
        raise ReportReadError("permission", item.source) from None


def upload_inputs(files) -> Iterator[Input]:
    """The inputs of uploaded files (Django ``UploadedFile``s; ZIP archives expanded): each file
    is written to a private temporary folder under its own base name and expanded from there
    (the folder is removed once the inputs have been taken)."""
    folder = tempfile.mkdtemp(prefix="gongkai-upload-")
    try:
        paths = []
        for n, upload in enumerate(files):
            name = PurePosixPath((upload.name or "").replace("\\", "/")).name or f"file-{n}"
            target = Path(folder) / str(n)
            target.mkdir()
            with open(target / name, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(target / name)
        for path in paths:
            yield from file_inputs([path], strip=str(path.parent) + os.sep)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
