"""Write a report as plain text in the layouts agencies' copies show.

- ``tabs``: one table row per line, cells separated by tabs (seed 003), with the group
  heading and the first sub-row on one line and some rows' numbers on the next line;
- ``cells``: one cell per line, rows separated by blank lines (seed 004);
- ``spaces``: one row per line, cells separated by spaces (text copied from a web page).

Used to publish a report as text, and by the tests and benchmarks to write reports whose
every number is known.
"""

from __future__ import annotations

from typing import Callable

from ... import standard
from ..model import MissingReason, Report, Table
from ...standard import chinese_numeral
from .grid import value_text

LAYOUTS = ("tabs", "cells", "spaces")


def _row_values(table: Table, row: standard.RowSpec) -> list[str]:
    cells = table.rows.get(row.key, {})
    return [value_text(cells.get(c.key), c.decimal) for c in row.columns]


class _Writer:
    def __init__(self, layout: str):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; use one of {LAYOUTS}")
        self.layout = layout
        self.out: list[str] = []

    def row(self, *cells: str) -> None:
        if self.layout == "tabs":
            self.out.append("\t".join(cells))
        elif self.layout == "spaces":
            self.out.append(" ".join(c if c else "　" for c in cells).rstrip())
        else:
            self.out.extend("\t" + c for c in cells)
            self.out.append("")

    def line(self, text: str = "") -> None:
        self.out.append(text)


def _active(w: _Writer, table: Table) -> None:
    spec = standard.ACTIVE
    groups: dict[str, list[standard.RowSpec]] = {}
    for row in spec.rows:
        groups.setdefault(row.group or "", []).append(row)
    for group, rows in groups.items():
        w.row(group.replace("（", "(").replace("）", ")") if w.layout == "tabs" else group)
        w.row("信息内容", *[c.label for c in rows[0].columns])
        for row in rows:
            w.row(row.label, *_row_values(table, row))


def _applications(w: _Writer, table: Table) -> None:
    spec = standard.APPLICATIONS
    w.row("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况")
    w.row("", "自然人", standard.APPLICATION_COLUMN_GROUP, "总计")
    w.row("", "", *[c.label for c in standard.APPLICANT_COLUMNS[1:]])
    rows = [r for r in spec.rows if r.key in table.rows]
    if table.single_other_row:
        index = next(i for i, r in enumerate(rows) if r.key == "total")
        rows.insert(index, spec.row(standard.SINGLE_OTHER_ROW))
    group_written: set[str] = set()
    for row in rows:
        values = _row_values(table, row)
        label = row.label
        group = row.group if row.group not in (None, standard.G_RESULTS) else None
        if row.key == "granted":
            # "三、本年度办理结果 (一) 予以公开" with the numbers on the next line (seed 003).
            w.row(standard.G_RESULTS, label)
            w.row("", *values)
            continue
        if row.key == "partial":
            w.row("", label)
            w.row("", *values)
            continue
        if group and group not in group_written:
            group_written.add(group)
            w.row("", group, label, *values)
        else:
            w.row("", "", label, *values) if group else w.row(label, *values)


def _review(w: _Writer, table: Table) -> None:
    spec = standard.REVIEW_LITIGATION
    parts = [c.label for c in standard.REVIEW_COLUMNS]
    w.row("行政复议", "", "", "", "", "行政诉讼")
    w.row(*parts, "未经复议直接起诉", "", "", "", "", "复议后起诉")
    w.row("", "", "", "", "", *parts, *parts)
    values: list[str] = []
    for row in spec.rows:
        values += _row_values(table, row)
    w.row(*values)


_TABLE_WRITERS: dict[str, Callable[[_Writer, Table], None]] = {
    "active": _active,
    "applications": _applications,
    "review_litigation": _review,
}


def render_text(report: Report, layout: str = "tabs") -> str:
    """The whole report as plain text: title, preamble, six sections, tables in ``layout``."""
    w = _Writer(layout)
    w.line()
    w.line(report.title or f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告")
    w.line()
    if report.preamble:
        w.line(report.preamble)
    for spec in standard.SECTIONS:
        section = report.section(spec.key)
        w.line(f"{chinese_numeral(spec.number)}、{spec.heading}")
        if section is not None and section.text:
            w.line(section.text)
        if spec.table:
            table = report.table(spec.table)
            if table is not None:
                _TABLE_WRITERS[spec.table](w, table)
                w.line()
            else:
                missing = report.missing(spec.table)
                if missing is not None and missing.reason is MissingReason.PICTURE:
                    for marker in missing.pictures or ("[image: table]",):
                        w.line(marker)
    if report.published and report.published.raw:
        w.line()
        w.line(report.agency or "")
        w.line(report.published.raw)
    return "\n".join(w.out) + "\n"
