"""A region's tables 2, 3 and 4 as one Excel workbook (openpyxl): one sheet per table, one row
per agency, one column per cell of the national format, a totals row.

Each sheet has three header rows: the table's row (with its group, e.g. "（三）不予公开 1.属于国家
秘密", over each of its columns), the column ("自然人", "本年制发件数", …) and the cell's key as in the spec
(``applications.denied_state_secret.natural_person``), so that people read the headers and programs
the keys. The totals row sums the agencies' figures (the sum of the agencies, not the government's
own report). Every text cell goes through ``spreadsheet.safe_cell`` (an agency name read from a
report is untrusted input).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gongkai.core import standard

from .spreadsheet import safe_cell

FIXED_COLUMNS = ("机关", "报告来源", "落款日期")
HEADER_ROWS = 3


@dataclass
class AgencyTables:
    """One agency's row: its name and, when a report of the year was received, its tables
    (``tables`` of the report JSON: table key -> row key -> column key -> number)."""

    name: str
    origin: str = ""  # how the report arrived (系统内报送, 上传, 网上采集), or empty: no report
    published: str = ""  # the report's signature date (ISO), if any
    tables: dict = field(default_factory=dict)


def cell_keys(spec: standard.TableSpec) -> list[tuple[standard.RowSpec, standard.ColumnSpec]]:
    """The cells of a table in the order of the national format."""
    return [(row, column) for row in spec.rows for column in row.columns]


def _row_heading(row: standard.RowSpec) -> str:
    return f"{row.group} {row.label}" if row.group else row.label


def _number(value):
    if value is None:
        return None
    if isinstance(value, str):
        return Decimal(value)
    return value


def _styled(sheet, value, font: Font | None = None, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return cell


def region_workbook(title: str, agencies: list[AgencyTables]) -> bytes:
    """The workbook's bytes: sheets 表二, 表三, 表四 of ``agencies`` with a totals row. Written in
    openpyxl's write-only mode (rows streamed out), so a region of thousands of agencies stays fast."""
    book = Workbook(write_only=True)
    bold, grey = Font(bold=True), Font(color="808080", size=9)
    for spec in standard.TABLES:
        sheet = book.create_sheet(f"{spec.name} {spec.title}"[:31])
        cells = cell_keys(spec)
        first = len(FIXED_COLUMNS) + 1
        sheet.freeze_panes = f"{get_column_letter(first)}{HEADER_ROWS + 1}"
        sheet.column_dimensions["A"].width = 28
        for column in range(2, first + len(cells)):
            sheet.column_dimensions[get_column_letter(column)].width = 12
        # Header rows: the table's row (repeated over its columns, so that a filter keeps it), the
        # column, the cell's key.
        sheet.append([_styled(sheet, h, bold, True) for h in FIXED_COLUMNS]
                     + [_styled(sheet, _row_heading(row), bold, True) for row, _ in cells])
        sheet.append([None] * len(FIXED_COLUMNS)
                     + [_styled(sheet, column.label, bold, True) for _, column in cells])
        sheet.append([_styled(sheet, key, grey) for key in ("agency", "origin", "published")]
                     + [_styled(sheet, f"{spec.key}.{row.key}.{column.key}", grey) for row, column in cells])
        totals: list = [None] * len(cells)
        reported = 0
        for agency in agencies:
            values = (agency.tables or {}).get(spec.key) or {}
            reported += bool(values)
            line: list = [safe_cell(agency.name), safe_cell(agency.origin or "未收到报告"), safe_cell(agency.published)]
            for offset, (row, column) in enumerate(cells):
                value = _number((values.get(row.key) or {}).get(column.key))
                if value is not None:
                    totals[offset] = (totals[offset] or 0) + value
                line.append(float(value) if isinstance(value, Decimal) else value)
            sheet.append(line)
        sheet.append([_styled(sheet, f"合计（{reported}个机关）", bold), "各机关之和", None]
                     + [_styled(sheet, float(v) if isinstance(v, Decimal) else v, bold) for v in totals])
    book.properties.title = safe_cell(title)
    book.properties.creator = "公开"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["AgencyTables", "cell_keys", "region_workbook", "FIXED_COLUMNS", "HEADER_ROWS"]
