"""Two reports side by side: every cell that changed and the narrative passages that repeat.

``compare(old, new)`` is what ``gongkai compare OLD NEW`` prints and what the supervision pages
show when an office opens two years of one agency (or two agencies) next to each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import standard
from .model import Cell, CellStatus, Number, Report, json_number
from .similarity import MIN_PASSAGE, Passage, common_passages, jaccard, shingles, squeeze


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    column: str
    old: Number | None  # None: the cell holds no number (see the status)
    new: Number | None
    old_status: str
    new_status: str
    old_line: int | None = None
    new_line: int | None = None

    @property
    def delta(self) -> Number | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def label(self) -> str:
        spec = standard.TABLE_BY_KEY[self.table]
        row = spec.row(self.row)
        return f"{spec.name}「{row.short_label}」「{row.column(self.column).label}」"

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "old": json_number(self.old),
            "new": json_number(self.new),
            "delta": json_number(self.delta),
            "old_status": self.old_status,
            "new_status": self.new_status,
            "old_line": self.old_line,
            "new_line": self.new_line,
        }


@dataclass(frozen=True)
class SectionRepeat:
    """One section present in both reports: how alike, and the passages they share."""

    section: str
    similarity: float  # Jaccard similarity of the character shingles, 0–1
    passages: tuple[Passage, ...]
    old_line: int | None = None
    new_line: int | None = None

    @property
    def repeated_chars(self) -> int:
        return sum(len(p.text) for p in self.passages)

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "similarity": round(self.similarity, 3),
            "repeated_chars": self.repeated_chars,
            "old_line": self.old_line,
            "new_line": self.new_line,
            "passages": [p.to_json() for p in self.passages],
        }


def _report_json(report: Report) -> dict[str, Any]:
    return {"source": report.source, "agency": report.agency, "year": report.year}


@dataclass
class Comparison:
    old: Report
    new: Report
    changes: list[CellChange] = field(default_factory=list)
    tables_missing: dict[str, str] = field(default_factory=dict)  # table -> "old" / "new" / "both"
    sections: list[SectionRepeat] = field(default_factory=list)

    @property
    def repeats(self) -> list[SectionRepeat]:
        """The sections that share at least one passage."""
        return [s for s in self.sections if s.passages]

    def to_json(self) -> dict[str, Any]:
        return {
            "old": _report_json(self.old),
            "new": _report_json(self.new),
            "changes": [c.to_json() for c in self.changes],
            "tables_missing": dict(self.tables_missing),
            "sections": [s.to_json() for s in self.sections],
        }


def _value(cell: Cell | None) -> tuple[Number | None, str, int | None]:
    if cell is None:
        return None, CellStatus.MISSING.value, None
    return (cell.value if cell.is_number else None), cell.status.value, cell.line


def _same(a: Number | None, b: Number | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def compare(old: Report, new: Report, min_passage: int = MIN_PASSAGE) -> Comparison:
    """Every cell whose number or status differs, table by table in the national order, and for
    each narrative section both reports have, its similarity and the passages they share."""
    out = Comparison(old, new)
    for spec in standard.TABLES:
        a, b = old.tables.get(spec.key), new.tables.get(spec.key)
        if a is None or b is None:
            out.tables_missing[spec.key] = "both" if a is None and b is None else ("old" if a is None else "new")
            continue
        rows = [r.key for r in (*spec.rows, *spec.alternative_rows) if a.has_row(r.key) or b.has_row(r.key)]
        for row in rows:
            for column in spec.row(row).column_keys:
                va, sa, la = _value(a.rows.get(row, {}).get(column))
                vb, sb, lb = _value(b.rows.get(row, {}).get(column))
                if _same(va, vb) and sa == sb:
                    continue
                out.changes.append(CellChange(spec.key, row, column, va, vb, sa, sb, la, lb))
    for spec in standard.SECTIONS:
        sa_, sb_ = old.section(spec.key), new.section(spec.key)
        if sa_ is None or sb_ is None or not squeeze(sa_.text) or not squeeze(sb_.text):
            continue
        score = jaccard(shingles(sa_.text), shingles(sb_.text))
        passages = tuple(common_passages(sb_.text, sa_.text, min_passage, None))
        out.sections.append(SectionRepeat(spec.key, score, passages, sa_.line, sb_.line))
    return out


__all__ = ["CellChange", "Comparison", "SectionRepeat", "compare"]
