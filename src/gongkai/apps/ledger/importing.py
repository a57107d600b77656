"""Importing an office's existing records from a spreadsheet: one piece of machinery for every
kind of record (``kinds``: the applications of the registry's ledger, the catalogue's items).

The steps, each a page (``views``):

1. **upload** (``upload``): the file is checked (type, size, a real workbook or a decodable CSV,
   ``reading``), kept with its SHA-256 as an ``ImportBatch`` and its header row found;
2. **mapping** (``guess_mapping``): each column of the file is given a field of the kind — the
   agency's saved mapping first (``SavedMapping``, the headers it mapped last time), then the
   header names offices use (``Field.aliases``) — and the user corrects it;
3. **preview** (``check``): every row is checked with the registry's own rules (the kind's
   ``check_row``: the models' validation, the lifecycle's rules of a decision, the catalogue's
   index-number rules …) in chunks, each problem said in Chinese with the row number as Excel
   shows it, the column, the value and what is wrong; warnings (a check character that does not
   match) must be confirmed, as at registration;
4. **import** (``run_import``): the file is read and checked again inside one transaction and the
   records are created only if no row has a problem — all or nothing; the batch records who
   imported what, when, and which record each row became (``ImportedRow``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Iterator

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ImportBatch, ImportedRow, SavedMapping
from .reading import FileProblem, Formula, Table, check_upload, read_table

# Rows checked at a time: the first chunk small, so that a page shows the first problems at once.
FIRST_CHUNK_ROWS = 50
CHUNK_ROWS = 1000
# Problems kept for the preview page (all are counted).
SHOWN_PROBLEMS = 500


@dataclass(frozen=True)
class Field:
    """A field of the records imported: its key, its label, the header names offices give it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Problem:
    """What is wrong with a row: its row number as in Excel, the column, the value, the message.
    A warning (``warning``) does not stop the import once the user has confirmed it."""

    row: int
    column: str
    value: str
    message: str
    warning: bool = False

    @property
    def key(self) -> str:
        return f"{self.row}:{self.column}:{self.message}"


class RowProblems(Exception):
    """Raised by a kind's checks for one value; collected by ``Row.problem``."""


@dataclass
class Row:
    """A row being checked: its number, its values by field key, the columns they came from."""

    number: int
    values: dict
    columns: dict  # field key -> header text
    raw: list = field(default_factory=list)  # the cells as read, for the record kept with the import
    problems: list[Problem] = field(default_factory=list)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, (datetime, date)):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def problem(self, key: str, message: str, warning: bool = False, value: str | None = None) -> None:
        """A problem of the field ``key``; ``value``: what to show instead of the cell (e.g. masked)."""
        shown = self.text(key) if value is None else value
        self.problems.append(Problem(self.number, self.columns.get(key, key), shown[:200], message, warning))

    def check_between(self, key: str, label: str, day: date | None, start: date | None, start_label: str,
                      today: date) -> None:
        """``day`` (the field ``key``, called ``label``) not before ``start`` and not after today."""
        if day is None or start is None:
            return
        if day < start:
            self.problem(key, f"{label} {day.isoformat()} 早于{start_label} {start.isoformat()}")
        elif day > today:
            self.problem(key, f"{label} {day.isoformat()} 晚于今天")

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.problems)


class ImportKind:
    """What a kind of record brings to the machinery (subclassed in ``kinds``)."""

    key: str
    label: str
    fields: tuple[Field, ...]
    # Fields that must be mapped; ``Field.required`` fields must also be filled in every row.
    required_columns: tuple[str, ...] = ()

    def may_import(self, user, agency) -> bool:
        raise NotImplementedError

    def agencies(self, user):
        raise NotImplementedError

    def start(self, user, agency, batch: ImportBatch) -> object:
        """The context of one check (what is looked up once: existing numbers, categories …)."""
        raise NotImplementedError

    def check_chunk(self, context, rows: list[Row]) -> None:
        """Check rows (their problems appended to each ``Row``), keep what ``create`` needs."""
        raise NotImplementedError

    def create(self, context, user, batch: ImportBatch, rows: list[Row]) -> list[tuple[int, object]]:
        """Create the records of the checked rows (inside the import's transaction); (row number,
        the record) for each."""
        raise NotImplementedError

    def source(self, row: Row, headers: list[str], raw: list) -> dict:
        """A row as kept with its record (header -> text)."""
        return {h: _plain(v) for h, v in zip(headers, raw) if h and v not in (None, "")}

    @property
    def field_map(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    def known_header(self, text: str) -> bool:
        return any(text in f.aliases for f in self.fields)


def _plain(value) -> str:
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


ID_NUMBER_SHAPE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


def _sample(value) -> str:
    """A cell of the first row as shown beside the mapping: ID numbers masked, as everywhere."""
    if value is None:
        return ""
    text = _plain(value)[:100]
    if ID_NUMBER_SHAPE.match(text.strip()):
        from gongkai.apps.cases.personal import mask_id_number

        return mask_id_number(text.strip())
    return text


def normalise_header(text: str) -> str:
    return "".join(str(text or "").split()).rstrip("*＊:：")


def guess_mapping(kind: ImportKind, headers: list[str], saved: dict | None = None) -> dict[str, str]:
    """Column index (as text) -> field key: the agency's saved choice for a header it mapped before,
    else the field whose names include the header; each field once (the first column wins)."""
    saved = saved or {}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        name = normalise_header(header)
        if not name:
            continue
        if name in saved:
            key = saved[name]
        else:
            key = next((f.key for f in kind.fields if name in f.aliases), "")
        if key and key in kind.field_map and key not in used:
            mapping[str(index)] = key
            used.add(key)
    return mapping


def mapping_problems(kind: ImportKind, headers: list[str], mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping: an unknown field, a field given two columns, a required one missing."""
    problems = []
    seen: dict[str, str] = {}
    for index, key in sorted(mapping.items(), key=lambda kv: int(kv[0])):
        if not key:
            continue
        if key not in kind.field_map:
            problems.append(f"不认识的字段“{key}”")
            continue
        header = headers[int(index)] if int(index) < len(headers) else index
        if key in seen:
            problems.append(f"“{kind.field_map[key].label}”只能对应一列，现在对应了“{seen[key]}”和“{header}”两列")
        seen[key] = header
    for key in kind.required_columns:
        if key not in seen:
            problems.append(f"请指定文件中哪一列是“{kind.field_map[key].label}”")
    return problems


def saved_mapping(kind: ImportKind, agency) -> dict:
    found = SavedMapping.objects.filter(agency=agency, kind=kind.key).first()
    return found.mapping if found else {}


def save_mapping(kind: ImportKind, agency, user, headers: list[str], mapping: dict[str, str]) -> None:
    """Keep the mapping by header text (also the columns left out), for the agency's next import."""
    chosen = {}
    for index, header in enumerate(headers):
        name = normalise_header(header)
        if name:
            chosen[name] = mapping.get(str(index), "")
    merged = {**saved_mapping(kind, agency), **chosen}
    SavedMapping.objects.update_or_create(agency=agency, kind=kind.key, defaults={"mapping": merged, "updated_by": user})


def upload(kind: ImportKind, user, agency, name: str, content: bytes) -> ImportBatch:
    """Keep an uploaded file as a batch (its header row found, the mapping guessed); FileProblem if
    it cannot be read, PermissionDenied for anyone who may not import into ``agency``."""
    if not kind.may_import(user, agency):
        raise PermissionDenied(f"您在“{agency}”没有导入{kind.label}的权限")
    name = check_upload(name, len(content))
    table = read_table(name, content, kind.known_header)
    headers = table.headers
    if not any(headers):
        raise FileProblem("表头行是空的")
    first = next(table.rows, None)  # the rest is read by the check, not twice
    if first is None:
        raise FileProblem("文件中只有表头，没有数据行")
    batch = ImportBatch(agency=agency, kind=kind.key, uploaded_by=user, sheet=table.sheet[:100],
                        header_row=table.header_row, headers=headers,
                        sample=[_sample(v) for v in first[1]])
    batch.mapping = guess_mapping(kind, headers, saved_mapping(kind, agency))
    batch.keep(name, content)
    return batch


def read_batch(kind: ImportKind, batch: ImportBatch) -> Table:
    with batch.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != batch.sha256:
        raise FileProblem("保存的导入文件与上传时的校验值（SHA-256）不一致，请重新上传")
    return read_table(batch.name, content, kind.known_header)


@dataclass
class Outcome:
    """A check of a whole file: the rows, the problems (the first ``SHOWN_PROBLEMS`` kept), counts."""

    rows: int = 0
    bad_rows: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    checked: list[Row] = field(default_factory=list)
    context: object = None
    warning_keys: list[str] = field(default_factory=list)  # every warning's, for the confirmation

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def warning_digest(self) -> str:
        """What the user confirms: the SHA-256 of every warning (a changed file has other warnings)."""
        return hashlib.sha256("\n".join(self.warning_keys).encode("utf-8")).hexdigest() if self.warning_keys else ""


def check_chunks(kind: ImportKind, user, batch: ImportBatch, table: Table | None = None,
                 keep_rows: bool = False) -> Iterator[tuple[Outcome, list[Problem]]]:
    """Check the batch's file chunk by chunk: after each chunk the outcome so far and the chunk's
    problems (so that a page can show the first problems before the last row is read)."""
    table = table or read_batch(kind, batch)
    mapping = {int(i): k for i, k in (batch.mapping or {}).items() if k}
    columns = {key: table.headers[i] for i, key in mapping.items() if i < len(table.headers)}
    context = kind.start(user, batch.agency, batch)
    outcome = Outcome(context=context)
    chunk: list[Row] = []

    def flush():
        kind.check_chunk(context, chunk)
        found = []
        for row in chunk:
            if row.failed:
                outcome.bad_rows += 1
            for problem in row.problems:
                if problem.warning:
                    outcome.warnings += 1
                    outcome.warning_keys.append(problem.key)
                else:
                    outcome.errors += 1
                if len(outcome.problems) < SHOWN_PROBLEMS:
                    outcome.problems.append(problem)
                found.append(problem)
        if keep_rows:
            outcome.checked.extend(chunk)
        return found

    for number, raw in table.rows:
        values = {key: raw[i] if i < len(raw) else None for i, key in mapping.items()}
        row = Row(number, values, columns, raw)
        for key, value in values.items():
            if isinstance(value, Formula):
                row.problem(key, "单元格中是公式（以“=”开头），导入不执行也不保存公式：请在 Excel 中改为公式的结果"
                                 "（复制后“选择性粘贴 → 数值”）")
                row.values[key] = None
        outcome.rows += 1
        chunk.append(row)
        if len(chunk) >= (FIRST_CHUNK_ROWS if outcome.rows <= FIRST_CHUNK_ROWS else CHUNK_ROWS):
            found = flush()
            chunk = []
            yield outcome, found
    if batch.rows != outcome.rows and batch.state == ImportBatch.State.UPLOADED:  # known now
        batch.rows = outcome.rows
        ImportBatch.objects.filter(pk=batch.pk).update(rows=outcome.rows)
    if chunk:
        found = flush()
        yield outcome, found
    elif not outcome.rows:
        yield outcome, []


def check(kind: ImportKind, user, batch: ImportBatch, keep_rows: bool = False) -> Outcome:
    """Check every row of the batch's file (nothing stored)."""
    outcome = Outcome()
    for outcome, _ in check_chunks(kind, user, batch, keep_rows=keep_rows):
        pass
    return outcome


class ImportRefused(Exception):
    """The import stored nothing: the rows' problems, or warnings not confirmed."""

    def __init__(self, outcome: Outcome, message: str):
        super().__init__(message)
        self.outcome = outcome
        self.message = message


def run_import(kind: ImportKind, user, batch: ImportBatch, confirmed: str = "") -> ImportBatch:
    """Import every row of the batch in one transaction, or nothing (``ImportRefused`` with the
    problems). ``confirmed``: the ``warning_digest`` of the warnings the user saw and accepted."""
    if not kind.may_import(user, batch.agency):
        raise PermissionDenied(f"您在“{batch.agency}”没有导入{kind.label}的权限")
    problems = mapping_problems(kind, batch.headers, batch.mapping)
    if problems:
        raise ImportRefused(Outcome(), "；".join(problems))
    with transaction.atomic():
        current = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if current.state == ImportBatch.State.IMPORTED:
            raise ImportRefused(Outcome(), f"该文件已于 {timezone.localtime(current.imported_at):%Y-%m-%d %H:%M} 导入，不能重复导入")
        outcome = check(kind, user, current, keep_rows=True)
        if not outcome.ok:
            raise ImportRefused(outcome, f"有 {outcome.bad_rows} 行存在问题（共 {outcome.errors} 处），没有导入任何一行")
        if outcome.warnings and confirmed != outcome.warning_digest:
            raise ImportRefused(outcome, f"有 {outcome.warnings} 条提示尚未核对确认（或文件的提示已有变化），没有导入任何一行")
        try:
            with transaction.atomic():
                created = kind.create(outcome.context, user, current, outcome.checked)
        except IntegrityError as exc:  # a registration or another import took a number meanwhile
            raise ImportRefused(outcome, "导入期间本机关的编号或索引号已被其他登记或导入使用，没有导入任何一行；"
                                         "请重新检查后再导入") from exc
        raw = {row.number: row for row in outcome.checked}
        ImportedRow.objects.bulk_create([
            ImportedRow(batch=current, row_number=number, source=kind.source(raw[number], current.headers, raw[number].raw),
                        **{("application" if kind.key == "applications" else "item"): record})
            for number, record in created], batch_size=500)
        current.state, current.imported_by, current.imported_at = ImportBatch.State.IMPORTED, user, timezone.now()
        current.rows = outcome.rows
        current.warnings_confirmed = outcome.warning_keys
        current.save(update_fields=["state", "imported_by", "imported_at", "rows", "warnings_confirmed"])
        save_mapping(kind, current.agency, user, current.headers, current.mapping)
    return current


# -- reading the values of a row (shared by the kinds) ----------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value) -> date | None:
    """A date as offices write it: an Excel date, 2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日,
    20230501, or an Excel day number (45047); None when empty; ValueError with a Chinese message."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            value = str(int(number))
        elif 1 <= number < 80000:
            return EXCEL_EPOCH + timedelta(days=int(number))
        else:
            raise ValueError(f"“{_plain(value)}”不是日期")
    text = str(value).strip()
    match = (re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text)
             or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text))
    if not match:
        raise ValueError(f"“{text}”不是可识别的日期，请写作 2023-05-01 或 2023年5月1日")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"“{text}”不是有效的日期（该月没有这一天）") from None


def parse_yes_no(value) -> bool | None:
    text = _plain(value).strip() if value not in (None, "") else ""
    if not text:
        return None
    if text in ("是", "已延期", "延期", "已延长", "延长", "Y", "y", "yes", "√", "1", "True", "TRUE"):
        return True
    if text in ("否", "未延期", "不延期", "未延长", "N", "n", "no", "×", "0", "False", "FALSE", "-", "—", "/", "无"):
        return False
    raise ValueError(f"“{text}”应为“是”或“否”")


__all__ = ["Field", "Problem", "Row", "ImportKind", "Outcome", "ImportRefused", "FileProblem", "guess_mapping",
           "mapping_problems", "save_mapping", "saved_mapping", "upload", "check", "check_chunks", "run_import",
           "parse_date", "parse_yes_no", "normalise_header"]
