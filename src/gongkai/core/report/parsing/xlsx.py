"""Read an Excel workbook as text lines: every sheet's rows, tab-separated, in sheet order.

A row of a sheet that says a table stands on another sheet (“见工作表“表三””, as
``gongkai render --to xlsx`` writes) is replaced by that sheet's rows, so each table comes
back inside its section.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from ..errors import ReportReadError
from .archives import check_zip

_REFERENCE = re.compile(r"见工作表[“\"「](.+?)[”\"」]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).replace("\r", "").replace("\n", "")


def xlsx_to_text(data: bytes) -> str:
    check_zip(data)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ReportReadError("broken_file", None, f"不是有效的 Excel 文件（{exc.__class__.__name__}）") from exc
    try:
        sheets: dict[str, list[str]] = {}
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                cells = [_text(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                rows.append("\t".join(cells))
            sheets[ws.title] = rows
    finally:
        wb.close()
    used: set[str] = set()
    out: list[str] = []
    names = list(sheets)
    for name in names:
        if name in used:
            continue
        for row in sheets[name]:
            m = _REFERENCE.search(row)
            if m and m.group(1) in sheets and m.group(1) != name:
                out.extend(sheets[m.group(1)])
                used.add(m.group(1))
            else:
                out.append(row)
        used.add(name)
    return "\n".join(out) + "\n"
