"""The report model: metadata, sections, the three tables, narrative facts.

Every cell keeps its value, the raw text it came from and where it stood, so that a
blank, "—", "/" or "无" is never silently turned into 0; a table that is absent or was
pasted as a picture is *missing* (``None``), never a table of zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Iterator

from .. import standard
from ..standard import ReportFormat, TableSpec

Number = int | Decimal


class CellStatus(str, Enum):
    NUMBER = "number"  # a number was written
    BLANK = "blank"  # the cell is empty
    DASH = "dash"  # "—", "-", "－"
    SLASH = "slash"  # "/", "／"
    NONE_WORD = "none_word"  # "无"
    CROSS = "cross"  # "×"
    UNREADABLE = "unreadable"  # something was written that is not a number
    UNCERTAIN = "uncertain"  # digits ran together and several splits fit (see ``candidates``)
    MISSING = "missing"  # the row or the cell was not found in the table


CELL_STATUS_LABELS = {
    CellStatus.NUMBER: "数字",
    CellStatus.BLANK: "空白",
    CellStatus.DASH: "“—”",
    CellStatus.SLASH: "“/”",
    CellStatus.NONE_WORD: "“无”",
    CellStatus.CROSS: "“×”",
    CellStatus.UNREADABLE: "无法识别的内容",
    CellStatus.UNCERTAIN: "无法唯一确定",
    CellStatus.MISSING: "缺失",
}


@dataclass(frozen=True, slots=True)
class Cell:
    value: Number | None
    raw: str | None = None
    line: int | None = None
    status: CellStatus = CellStatus.NUMBER
    candidates: tuple[Number, ...] = ()  # an uncertain cell: the values its row's splits give it

    @classmethod
    def number(cls, value: Number, raw: str | None = None, line: int | None = None) -> "Cell":
        return cls(value, str(value) if raw is None else raw, line, CellStatus.NUMBER)

    @classmethod
    def missing(cls) -> "Cell":
        return _MISSING_CELL

    @property
    def is_number(self) -> bool:
        return self.status is CellStatus.NUMBER and self.value is not None


_MISSING_CELL = Cell(None, None, None, CellStatus.MISSING)


@dataclass
class Table:
    """One of the three tables: rows -> columns -> cells, keyed as in the standard."""

    spec: TableSpec
    rows: dict[str, dict[str, Cell]]
    line: int | None = None  # where the table starts
    end_line: int | None = None
    # rows whose digits ran together and admit several splits: row -> the candidate splits
    uncertain: dict[str, tuple[tuple[Number | None, ...], ...]] = field(default_factory=dict)

    @classmethod
    def empty(cls, spec: TableSpec) -> "Table":
        return cls(spec, {r.key: {c: Cell.missing() for c in r.column_keys} for r in spec.rows})

    def cell(self, row: str, column: str) -> Cell:
        return self.rows[row][column]

    def value(self, row: str, column: str) -> Number | None:
        return self.rows[row][column].value

    def has_row(self, row: str) -> bool:
        return row in self.rows

    @property
    def single_other_row(self) -> bool:
        return standard.SINGLE_OTHER_ROW in self.rows

    def cells(self) -> Iterator[tuple[str, str, Cell]]:
        for row, columns in self.rows.items():
            for column, cell in columns.items():
                yield row, column, cell

    def with_value(self, row: str, column: str, value: Number) -> "Table":
        """A copy with one cell replaced (used by tests and by tools that edit a report)."""
        rows = {r: dict(cols) for r, cols in self.rows.items()}
        old = rows[row][column]
        rows[row][column] = Cell(value, str(value), old.line, CellStatus.NUMBER)
        return Table(self.spec, rows, self.line, self.end_line, dict(self.uncertain))


class MissingReason(str, Enum):
    PICTURE = "picture"  # pasted as a picture: an [image: …] marker stands where the table belongs
    EMPTY_SECTION = "empty_section"  # the heading is there, nothing under it (a picture lost in copying)
    ABSENT = "absent"  # neither the table nor a picture
    NOT_PARSED = "not_parsed"  # an older format whose table is recognised but not read


MISSING_REASON_LABELS = {
    MissingReason.PICTURE: "以图片形式粘贴，无法读取",
    MissingReason.EMPTY_SECTION: "该部分只有标题，没有文字或表格（通常是以图片形式粘贴后图片未保留）",
    MissingReason.ABSENT: "报告中没有该表",
    MissingReason.NOT_PARSED: "该表采用旧版格式，暂不解析",
}


@dataclass(frozen=True)
class MissingTable:
    table: str
    reason: MissingReason
    line: int | None = None
    pictures: tuple[str, ...] = ()  # the image markers found where the table belongs

    @property
    def is_picture(self) -> bool:
        return self.reason in (MissingReason.PICTURE, MissingReason.EMPTY_SECTION)


@dataclass
class Section:
    number: int
    key: str
    heading: str  # the heading line as written (markup removed)
    line: int  # line of the heading
    end_line: int  # last line of the section
    text: str = ""  # the narrative, tables excluded
    pictures: list[tuple[int, str]] = field(default_factory=list)  # (line, marker)
    in_order: bool = True  # False for a heading that stands out of the national order
    numeral: int | None = None  # the number the heading is written with ("五、…" → 5); None without one


@dataclass(frozen=True)
class Fact:
    """A fact the narrative states, e.g. the number of applications received."""

    key: str
    value: Number
    text: str  # the sentence or phrase it was read from
    line: int


@dataclass(frozen=True)
class DateFact:
    value: date | None
    raw: str
    line: int


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    raw: str
    line: int


@dataclass(frozen=True)
class ParseNote:
    """Something the parser could not read with certainty; the checker reports it."""

    code: str
    message: str
    line: int | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None


@dataclass
class Report:
    source: str | None = None
    encoding: str | None = None
    line_count: int = 0
    format: ReportFormat = ReportFormat.UNKNOWN
    format_evidence: list[str] = field(default_factory=list)
    title: str | None = None
    title_line: int | None = None
    agency: str | None = None
    year: int | None = None
    period: Period | None = None
    published: DateFact | None = None
    website: str | None = None
    address: str | None = None
    telephone: str | None = None
    preamble: str = ""
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, Table | None] = field(
        default_factory=lambda: {t.key: None for t in standard.TABLES}
    )
    missing_tables: list[MissingTable] = field(default_factory=list)
    narrative_facts: list[Fact] = field(default_factory=list)
    narrative_years: list[tuple[int, int, str]] = field(default_factory=list)  # (year, line, text)
    notes: list[ParseNote] = field(default_factory=list)
    # The agency's kind as given by a person (gongkai check --agency-kind, an agency list);
    # None: the checker guesses it from the agency's name (standard.agency_kind).
    agency_kind: standard.AgencyKind | None = None

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)

    def fact(self, key: str) -> Fact | None:
        for f in self.narrative_facts:
            if f.key == key:
                return f
        return None

    def missing(self, table: str) -> MissingTable | None:
        for m in self.missing_tables:
            if m.table == table:
                return m
        return None


# ------------------------------------------------------------------------------ JSON


def json_number(value: Number | None, decimal: bool = False) -> Any:
    """Integers as JSON numbers; decimals (万元 amounts) as strings, exact and without
    trailing zeros ("0.1000" -> "0.1"; the digits as written stay in ``cells``)."""
    if value is None:
        return None
    if decimal or isinstance(value, Decimal):
        return format(Decimal(value).normalize(), "f")
    return value


def json_row_order(table: Table) -> list[str]:
    """The rows in the national order; （六）其他处理 as one row stands before （七）总计."""
    keys = list(table.spec.row_keys)
    if table.single_other_row:
        keys.insert(keys.index("total"), standard.SINGLE_OTHER_ROW)
    return keys


def table_values(table: Table) -> dict[str, dict[str, Any] | None]:
    """Row -> column -> number; a row the report does not have (the three sub-rows of a
    single （六）其他处理 row) is null, and so is every cell that holds no number."""
    out: dict[str, dict[str, Any] | None] = {}
    for row_key in json_row_order(table):
        columns = table.rows.get(row_key)
        if columns is None:
            out[row_key] = None
            continue
        out[row_key] = {}
        for col in table.spec.row(row_key).columns:
            cell = columns.get(col.key)
            value = cell.value if cell is not None and cell.is_number else None
            out[row_key][col.key] = json_number(value, col.decimal)  # type: ignore[index]
    return out


def table_sources(table: Table) -> dict[str, dict[str, Any] | None]:
    out: dict[str, dict[str, Any] | None] = {}
    for row_key in json_row_order(table):
        columns = table.rows.get(row_key)
        out[row_key] = (
            None
            if columns is None
            else {col: _cell_source(cell) for col, cell in columns.items()}
        )
    return out


def _cell_source(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"raw": cell.raw, "line": cell.line, "status": cell.status.value}
    if cell.status is CellStatus.UNCERTAIN:
        out["candidates"] = [json_number(v) for v in cell.candidates]
    return out


def uncertain_rows(report: Report) -> list[dict[str, Any]]:
    """The rows whose digits ran together and admit several splits, with the candidate splits."""
    out: list[dict[str, Any]] = []
    for key, table in report.tables.items():
        if table is None:
            continue
        for row_key, candidates in table.uncertain.items():
            cells = [c for c in table.rows.get(row_key, {}).values()]
            first = cells[0] if cells else None
            out.append(
                {
                    "table": key,
                    "row": row_key,
                    "raw": first.raw if first else None,
                    "line": first.line if first else None,
                    "candidates": [[json_number(v) for v in c] for c in candidates],
                }
            )
    return out


def _date(d: date | None) -> str | None:
    return d.isoformat() if d else None


def report_to_json(report: Report) -> dict[str, Any]:
    """The structured report, keyed as in the spec (the shape is documented in docs/)."""
    tables = {
        key: (table_values(t) if t is not None else None) for key, t in report.tables.items()
    }
    sources = {
        key: (table_sources(t) if t is not None else None) for key, t in report.tables.items()
    }
    return {
        "source": report.source,
        "encoding": report.encoding,
        "format": report.format.value,
        "format_evidence": report.format_evidence,
        "title": report.title,
        "title_line": report.title_line,
        "agency": report.agency,
        "year": report.year,
        "period": (
            {
                "start": _date(report.period.start),
                "end": _date(report.period.end),
                "raw": report.period.raw,
                "line": report.period.line,
            }
            if report.period
            else None
        ),
        "published": (
            {"date": _date(report.published.value), "raw": report.published.raw, "line": report.published.line}
            if report.published
            else None
        ),
        "website": report.website,
        "address": report.address,
        "telephone": report.telephone,
        "preamble": report.preamble,
        "sections": [
            {
                "number": s.number,
                "key": s.key,
                "heading": s.heading,
                "line": s.line,
                "end_line": s.end_line,
                "text": s.text,
                "in_order": s.in_order,
                "numeral": s.numeral,
                "pictures": [{"line": line, "marker": marker} for line, marker in s.pictures],
            }
            for s in report.sections
        ],
        "tables": tables,
        "cells": sources,
        "table_lines": {
            key: ({"start": t.line, "end": t.end_line} if t is not None else None)
            for key, t in report.tables.items()
        },
        "uncertain_rows": uncertain_rows(report),
        "missing_tables": [
            {
                "table": m.table,
                "reason": m.reason.value,
                "line": m.line,
                "pictures": list(m.pictures),
                "is_picture": m.is_picture,
            }
            for m in report.missing_tables
        ],
        "narrative_facts": {
            f.key: {"value": json_number(f.value), "text": f.text, "line": f.line}
            for f in report.narrative_facts
        },
        "narrative_years": [{"year": y, "line": line, "text": text} for y, line, text in report.narrative_years],
        "parse_notes": [
            {
                "code": n.code,
                "message": n.message,
                "line": n.line,
                "table": n.table,
                "row": n.row,
                "column": n.column,
            }
            for n in report.notes
        ],
    }


# ------------------------------------------------------------------- from JSON


def _cell_from_json(value: Any, source: dict[str, Any] | None, decimal: bool) -> Cell:
    raw = source.get("raw") if source else None
    line = source.get("line") if source else None
    if value is None:
        status = CellStatus(source["status"]) if source and source.get("status") else CellStatus.BLANK
        if status is CellStatus.NUMBER:
            status = CellStatus.UNREADABLE
        candidates = tuple(
            Decimal(v) if isinstance(v, str) else v for v in (source or {}).get("candidates") or ()
        )
        return Cell(None, raw if raw is not None else "", line, status, candidates)
    if isinstance(value, bool) or not isinstance(value, (int, str, float, Decimal)):
        raise ValueError(f"not a number: {value!r}")
    if decimal or isinstance(value, (str, float)):
        number: Number = Decimal(str(value))
        if not decimal and number == number.to_integral_value():
            number = int(number)
    else:
        number = int(value)
    return Cell(number, raw if raw is not None else str(json_number(number, decimal)), line, CellStatus.NUMBER)


def table_from_json(spec: TableSpec, values: dict[str, Any], sources: dict[str, Any] | None = None) -> Table:
    """A table from the ``tables`` part of the report JSON (and optionally its ``cells``)."""
    rows: dict[str, dict[str, Cell]] = {}
    for key, columns in values.items():
        if columns is None:
            continue
        row = spec.row(key)
        row_sources = (sources or {}).get(key) or {}
        rows[key] = {
            c.key: _cell_from_json(columns.get(c.key), row_sources.get(c.key), c.decimal) for c in row.columns
        }
    for row in spec.rows:
        if row.key not in rows and not (
            row.key in standard.OTHER_SUB_ROWS and standard.SINGLE_OTHER_ROW in rows
        ):
            rows[row.key] = {c: Cell.missing() for c in row.column_keys}
    return Table(spec, rows)


def report_from_json(data: dict[str, Any]) -> Report:
    """The report model from the JSON that ``report_to_json`` writes."""
    report = Report(source=data.get("source"), encoding=data.get("encoding"))
    report.format = ReportFormat(data.get("format") or "unknown")
    report.format_evidence = list(data.get("format_evidence") or [])
    report.title = data.get("title")
    report.title_line = data.get("title_line")
    report.agency = data.get("agency")
    report.year = data.get("year")
    if data.get("period"):
        p = data["period"]
        report.period = Period(
            date.fromisoformat(p["start"]) if p.get("start") else None,
            date.fromisoformat(p["end"]) if p.get("end") else None,
            p.get("raw") or "",
            p.get("line") or 0,
        )
    if data.get("published"):
        p = data["published"]
        report.published = DateFact(
            date.fromisoformat(p["date"]) if p.get("date") else None, p.get("raw") or "", p.get("line") or 0
        )
    report.website = data.get("website")
    report.address = data.get("address")
    report.telephone = data.get("telephone")
    report.preamble = data.get("preamble") or ""
    for s in data.get("sections") or []:
        report.sections.append(
            Section(
                s["number"], s["key"], s.get("heading") or "", s.get("line") or 0, s.get("end_line") or 0,
                s.get("text") or "",
                [(p["line"], p["marker"]) for p in s.get("pictures") or []],
                s.get("in_order", True),
                s.get("numeral"),
            )
        )
    cells = data.get("cells") or {}
    lines = data.get("table_lines") or {}
    for key, values in (data.get("tables") or {}).items():
        spec = standard.TABLE_BY_KEY[key]
        if values is None:
            report.tables[key] = None
            continue
        table = table_from_json(spec, values, cells.get(key))
        if lines.get(key):
            table.line, table.end_line = lines[key].get("start"), lines[key].get("end")
        for u in data.get("uncertain_rows") or []:
            if u.get("table") == key:
                table.uncertain[u["row"]] = tuple(
                    tuple(Decimal(v) if isinstance(v, str) else v for v in c) for c in u.get("candidates") or ()
                )
        report.tables[key] = table
    for m in data.get("missing_tables") or []:
        report.missing_tables.append(
            MissingTable(m["table"], MissingReason(m["reason"]), m.get("line"), tuple(m.get("pictures") or ()))
        )
    for key, f in (data.get("narrative_facts") or {}).items():
        value = f["value"]
        report.narrative_facts.append(
            Fact(key, Decimal(value) if isinstance(value, str) else value, f.get("text") or "", f.get("line") or 0)
        )
    report.narrative_years = [(y["year"], y["line"], y.get("text") or "") for y in data.get("narrative_years") or []]
    report.notes = [
        ParseNote(n["code"], n["message"], n.get("line"), n.get("table"), n.get("row"), n.get("column"))
        for n in data.get("parse_notes") or []
    ]
    return report
