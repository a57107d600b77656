"""The report as an Excel workbook: a sheet “报告” with the whole text, and one sheet per table
(表二, 表三, 表四) with the national format's merged header cells and numbers as numbers."""

from __future__ import annotations

import io
import itertools
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..spreadsheet import safe_text
from .document import Document
from .grid import Grid

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
TEXT_WIDTH = 10  # columns the text of the report sheet spans


def table_sheet_name(grid: Grid) -> str:
    return grid.caption.split(" ", 1)[0]  # "表三"


def table_reference(grid: Grid) -> str:
    """The line of the report sheet that stands for a table kept on its own sheet."""
    return f"（{grid.caption}见工作表“{table_sheet_name(grid)}”）"


def _number(text: str) -> int | Decimal | str:
    try:
        value = Decimal(text)
    except Exception:
        return text
    return int(value) if value == value.to_integral_value() and "." not in text else value


def _put_text(cell, text: str) -> None:
    """Text stored as text: openpyxl would keep ``=…`` as a formula (core.spreadsheet)."""
    cell.value = safe_text(text)
    cell.data_type = "s"


def _write_grid(ws, grid: Grid) -> None:
    _put_text(ws.cell(1, 1), grid.caption)
    ws.cell(1, 1).font = Font(name=HEADING_FONT, bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
    top = 2
    for r, c, cell in grid.spans():
        row, column = top + r, 1 + c
        target = ws.cell(row, column)
        value = _number(cell.text) if cell.numeric and cell.text else cell.text
        if isinstance(value, str):
            _put_text(target, value)
        else:
            target.value = value
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        target.font = Font(name=BODY_FONT, size=10.5, bold=cell.header and cell.scope in ("col", "colgroup"))
        if cell.header:
            target.fill = HEADER_FILL
        if isinstance(target.value, Decimal):
            target.number_format = "0.0000"
        if cell.row_span > 1 or cell.col_span > 1:
            ws.merge_cells(
                start_row=row, start_column=column, end_row=row + cell.row_span - 1, end_column=column + cell.col_span - 1
            )
    for r in range(len(grid.rows)):
        for c in range(grid.columns):
            ws.cell(top + r, 1 + c).border = BORDER
    widths = grid.column_widths or (1,) * grid.columns
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = max(8, 9 * w)
    ws.freeze_panes = ws.cell(top + grid.header_rows, 1)
    ws.print_title_rows = f"{top}:{top + grid.header_rows - 1}" if grid.header_rows else None
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.columns > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def render_xlsx(doc: Document) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "报告"
    ws.column_dimensions["A"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")

    rows = itertools.count(1)

    def next_cell(text: str):
        cell = ws.cell(next(rows), 1)
        _put_text(cell, text)
        return cell

    def line(text: str, font: Font, center: bool = False) -> None:
        cell = next_cell(text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if center else None)

    line(doc.title, Font(name="方正小标宋简体", size=16, bold=True), center=True)
    body = Font(name=BODY_FONT, size=12)
    for p in doc.preamble:
        line(p, body)
    for section in doc.sections:
        line(section.heading, Font(name=HEADING_FONT, size=12, bold=True))
        for p in section.paragraphs:
            line(p, body)
        if section.grid is not None:
            line(table_reference(section.grid), Font(name=BODY_FONT, size=12, color="1F4E79"))
        elif section.missing_note:
            line(section.missing_note, body)
    for s in doc.signature:
        next_cell(s).alignment = Alignment(horizontal="right")
    for row in ws.iter_rows():
        for cell in row:
            if cell.alignment is None:
                cell.alignment = wrap
    for section in doc.sections:
        if section.grid is not None:
            _write_grid(wb.create_sheet(table_sheet_name(section.grid)), section.grid)
    wb.properties.title = doc.title
    wb.properties.creator = doc.agency or "gongkai"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
