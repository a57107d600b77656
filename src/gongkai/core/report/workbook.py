"""A region's tables 2, 3 and 4 as one Excel workbook (openpyxl): one sheet per table, one row
per agency, one column per cell of the national format, a totals row.

Each sheet has three header rows: the table's row (with its group, e.g. "（三）不予公开 1.属于国家
秘密"), the column ("自然人", "本年制发件数", …) and the cell's key as in the spec
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


def region_workbook(title: str, agencies: list[AgencyTables]) -> bytes:
    """The workbook's bytes: sheets 表二, 表三, 表四 of ``agencies`` with a totals row."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for spec in standard.TABLES:
        sheet = book.create_sheet(f"{spec.name} {spec.title}"[:31])
        cells = cell_keys(spec)
        first = len(FIXED_COLUMNS) + 1
        for i, heading in enumerate(FIXED_COLUMNS, 1):
            sheet.cell(1, i, heading).font = bold
            sheet.merge_cells(start_row=1, start_column=i, end_row=HEADER_ROWS - 1, end_column=i)
            sheet.cell(HEADER_ROWS, i, ("agency", "origin", "published")[i - 1])
        for offset, (row, column) in enumerate(cells):
            at = first + offset
            if offset == 0 or cells[offset - 1][0] is not row:
                sheet.cell(1, at, _row_heading(row)).font = bold
                if len(row.columns) > 1:
                    sheet.merge_cells(start_row=1, start_column=at, end_row=1, end_column=at + len(row.columns) - 1)
            sheet.cell(2, at, column.label).font = bold
            sheet.cell(HEADER_ROWS, at, f"{spec.key}.{row.key}.{column.key}").font = Font(color="808080", size=9)
        for header in sheet.iter_rows(min_row=1, max_row=HEADER_ROWS):
            for cell in header:
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        totals: list = [None] * len(cells)
        reported = 0
        for r, agency in enumerate(agencies, HEADER_ROWS + 1):
            values = (agency.tables or {}).get(spec.key) or {}
            reported += bool(values)
            sheet.cell(r, 1, safe_cell(agency.name))
            sheet.cell(r, 2, safe_cell(agency.origin or "未收到报告"))
            sheet.cell(r, 3, safe_cell(agency.published))
            for offset, (row, column) in enumerate(cells):
                value = _number(((values.get(row.key) or {}) if values else {}).get(column.key))
                if value is not None:
                    sheet.cell(r, first + offset, float(value) if isinstance(value, Decimal) else value)
                    totals[offset] = (totals[offset] or 0) + value
        total_row = HEADER_ROWS + len(agencies) + 1
        sheet.cell(total_row, 1, f"合计（{reported}个机关）").font = bold
        sheet.cell(total_row, 2, "各机关之和")
        for offset, value in enumerate(totals):
            cell = sheet.cell(total_row, first + offset, float(value) if isinstance(value, Decimal) else value)
            cell.font = bold
        sheet.freeze_panes = sheet.cell(HEADER_ROWS + 1, first)
        sheet.column_dimensions["A"].width = 28
        for column in range(2, first + len(cells)):
            sheet.column_dimensions[get_column_letter(column)].width = 12
    book.properties.title = safe_cell(title)
    book.properties.creator = "公开"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["AgencyTables", "cell_keys", "region_workbook", "FIXED_COLUMNS", "HEADER_ROWS"]
