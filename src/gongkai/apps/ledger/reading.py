"""Reading an uploaded ledger: an Excel workbook (.xlsx, openpyxl's read-only mode) or a CSV file
as Chinese offices save it (UTF-8 with or without BOM, or GB18030 — Excel's "CSV" on a Chinese
Windows), into its header row and its data rows, each with its row number as Excel shows it.

Nothing in a file is executed: openpyxl reads a formula cell as its text (``=…``), and a cell whose
text starts with ``=`` is handed on as a ``Formula`` so that the checks refuse it (it is never
stored, so it can never be written back into an exported ledger as a formula). A file that is not
what it claims, too big, or too long is refused with a Chinese message (``FileProblem``) before
any row is read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Iterator

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
# An .xlsx is a zip: its parts uncompressed may not exceed this (a "zip bomb" is refused unread).
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")
# How far down the header row is looked for (a title row or two above it is common).
HEADER_SEARCH_ROWS = 10


class FileProblem(ValueError):
    """The file cannot be read as a ledger: the Chinese message says why and what to do."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (or text that Excel would take for one): never evaluated."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    """A file's header row and its data rows (row number as Excel counts, list of cell values)."""

    sheet: str
    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list]]


def check_upload(name: str, size: int) -> str:
    """The file's own name (folders stripped) if its type and size are acceptable."""
    name = Path(name or "").name.strip()[:200]
    if not name:
        raise FileProblem("请选择要导入的文件")
    lower = name.lower()
    if lower.endswith(".xls") or lower.endswith(".et"):
        raise FileProblem(f"“{name}”是旧版 Excel（.xls）或 WPS 表格格式：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再导入")
    if not lower.endswith(SUFFIXES):
        raise FileProblem(f"不支持的文件类型：{name}（可导入 Excel 工作簿 .xlsx 或 CSV 文件）")
    if not size:
        raise FileProblem(f"文件 {name} 是空的")
    if size > MAX_BYTES:
        raise FileProblem(f"文件 {name} 有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // (1024 * 1024)} MB 的上限："
                          f"请分成几个文件导入（每个文件最多 {MAX_ROWS} 行）")
    return name


def cell_value(value):
    """A cell as the checks see it: text stripped, formulas marked, dates and numbers kept."""
    if isinstance(value, str):
        value = value.replace("\u00a0", " ").replace("\u3000", " ").strip()
        if value.startswith("="):
            return Formula(value)
        return value
    return value


def _header(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return "".join(str(value).split())  # "申请 日期" and "申请\n日期" are "申请日期"


def _find_header(first_rows: list[list], known) -> int:
    """The index (0-based) of the header row among the first rows: the first with at least two
    headers the import knows (``known(text)``), else the first row with two or more filled cells."""
    for index, row in enumerate(first_rows):
        if sum(1 for v in row if known(_header(v))) >= 2:
            return index
    for index, row in enumerate(first_rows):
        if sum(1 for v in row if _header(v)) >= 2:
            return index
    raise FileProblem("文件中没有找到表头行：第一行（或标题下面的一行）应为各列的名称，如“编号”“收到日期”“申请人”")


def _table(rows: Iterator[tuple], known, sheet: str) -> Table:
    first: list[list] = []
    for row in rows:
        first.append(list(row))
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    if not first:
        raise FileProblem("文件中没有内容")
    index = _find_header(first, known)
    headers = [_header(v) for v in first[index]]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise FileProblem(f"表头有 {len(headers)} 列，超过 {MAX_COLUMNS} 列：请确认表头行是否正确")
    header_row = index + 1

    def data() -> Iterator[tuple[int, list]]:
        count = 0
        for number, row in enumerate(chain(first[index + 1:], rows), start=header_row + 1):
            values = [cell_value(v) for v in list(row)[:len(headers)]]
            if any(v not in (None, "") for v in values):
                count += 1
                if count > MAX_ROWS:
                    raise FileProblem(f"文件超过 {MAX_ROWS} 行数据：请分成几个文件导入")
                yield number, values + [None] * (len(headers) - len(values))

    return Table(sheet, header_row, headers, data())


def decode_csv(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) if it is that, else GB18030."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileProblem("无法识别 CSV 文件的文字编码（应为 UTF-8 或 GB18030/GBK）：请在 Excel 中另存为"
                          "“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入") from exc


def read_csv(content: bytes, known) -> Table:
    text = decode_csv(content)
    if "\x00" in text:
        raise FileProblem("这不是文本格式的 CSV 文件（含有二进制内容）：请导入 .xlsx 或 CSV 文件")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return _table(iter(csv.reader(io.StringIO(text, newline=""), dialect)), known, "")


def read_xlsx(content: bytes, known) -> Table:
    from openpyxl import load_workbook

    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem("这是旧版 Excel（.xls）格式的文件：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再导入")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise FileProblem("文件不是有效的 Excel 工作簿（.xlsx 应为压缩包格式）：文件可能已损坏，或只是改了扩展名")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileProblem("文件不是有效的 Excel 工作簿：压缩包已损坏") from exc
    if unzipped > MAX_UNZIPPED_BYTES:
        raise FileProblem(f"工作簿解压后有 {unzipped / 1024 / 1024:.0f} MB，超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB："
                          "请分成几个文件导入")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        return _table(_guarded(sheet.iter_rows(values_only=True)), known, sheet.title)
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise FileProblem(f"无法读取该 Excel 工作簿（{type(exc).__name__}）：请在 Excel 中打开后另存为 .xlsx 再导入") from exc


def _guarded(rows: Iterator[tuple]) -> Iterator[tuple]:
    """openpyxl reads a read-only sheet lazily: a broken part shows only while the rows are read."""
    try:
        yield from rows
    except Exception as exc:
        raise FileProblem(f"Excel 工作簿的内容已损坏，读到一半无法继续（{type(exc).__name__}）："
                          "请在 Excel 中打开后另存为 .xlsx 再导入") from exc


def read_table(name: str, content: bytes, known=lambda text: False) -> Table:
    """The header and rows of an uploaded file (checked by ``check_upload`` first)."""
    check_upload(name, len(content))
    if name.lower().endswith(".csv"):
        return read_csv(content, known)
    return read_xlsx(content, known)
