"""Rules for table 2 of the 2019 format (国办公开办函〔2019〕60号), ``tables["active_2019"]``.

Tables 3 and 4 of a 2019 report are checked by the rules of ``rules.py`` (the 2019 format has
the same tables 3 and 4; its single （六）其他处理 row is the expected form, not a finding).
Here: the cells (non-negative integers, except 本年增/减, which is a signed change, and
采购总金额, a non-negative amount; placeholders are not 0), and two plausibility warnings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from ..model import CELL_STATUS_LABELS, CellStatus, Report
from ..standard import ACTIVE_2019, SIGNED_COLUMNS_2019
from . import findings as F
from .findings import RULES, Finding, Rule, Severity, finding

TABLE = ACTIVE_2019.key
BASIS_2019 = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2019〕60号）"


def _register(id: str, severity: Severity, title: str, basis: str = "") -> Rule:
    rule = Rule(id, severity, title, basis)
    RULES.setdefault(id, rule)
    return RULES[id]


T2_2019_PUBLIC = _register(
    "T2-2019-public", Severity.WARNING, "2019年版表二“对外公开总数量”小于“本年新公开数量”", BASIS_2019
)
T2_2019_ITEMS = _register(
    "T2-2019-items", Severity.WARNING, "2019年版表二“上一年项目数量”加“本年增/减”小于0", BASIS_2019
)

_PLACEHOLDERS = (CellStatus.BLANK, CellStatus.DASH, CellStatus.SLASH, CellStatus.NONE_WORD, CellStatus.CROSS)


def _where(row: str, column: str) -> str:
    spec_row = ACTIVE_2019.row(row)
    label = next(c.label for c in spec_row.columns if c.key == column)
    return f"{ACTIVE_2019.name}（2019年版）「{spec_row.label}」行「{label}」列"


def check_active_2019(report: Report) -> Iterator[Finding]:
    table = report.table(TABLE)
    if table is None:
        return
    for row_key, column, cell in table.cells():
        place = {"table": TABLE, "row": row_key, "column": column, "line": cell.line}
        col = next(c for c in ACTIVE_2019.row(row_key).columns if c.key == column)
        if cell.status in _PLACEHOLDERS:
            written = CELL_STATUS_LABELS[cell.status] if cell.status is CellStatus.BLANK else f"“{cell.raw}”"
            yield finding(
                F.C_PLACEHOLDER,
                f"{_where(row_key, column)}填写的是{written}，不等同于0；没有发生的事项应填0",
                details={"raw": cell.raw, "status": cell.status.value},
                **place,
            )
            continue
        if not cell.is_number:
            continue
        value = cell.value
        fraction = not col.decimal and isinstance(value, Decimal) and value != value.to_integral_value()
        negative = value < 0 and column not in SIGNED_COLUMNS_2019  # type: ignore[operator]
        if fraction or negative:
            kind = "整数" if column in SIGNED_COLUMNS_2019 else ("非负金额" if col.decimal else "非负整数")
            yield finding(F.C_VALUE, f"{_where(row_key, column)}为“{cell.raw}”，应为{kind}", details={"raw": cell.raw}, **place)
    for row in ("rules", "normative_documents"):
        if not table.has_row(row):
            continue
        published, total = table.cell(row, "published"), table.cell(row, "total_public")
        if published.is_number and total.is_number and total.value < published.value:  # type: ignore[operator]
            yield finding(
                T2_2019_PUBLIC,
                f"{ACTIVE_2019.name}（2019年版）「{ACTIVE_2019.row(row).label}」行：对外公开总数量（{total.value}）"
                f"小于本年新公开数量（{published.value}）",
                table=TABLE,
                row=row,
                column="total_public",
                line=total.line,
                details={"published": _j(published.value), "total_public": _j(total.value)},
            )
    for spec_row in ACTIVE_2019.rows:
        if "change" not in spec_row.column_keys or not table.has_row(spec_row.key):
            continue
        previous, change = table.cell(spec_row.key, "previous_items"), table.cell(spec_row.key, "change")
        if previous.is_number and change.is_number and previous.value + change.value < 0:  # type: ignore[operator]
            yield finding(
                T2_2019_ITEMS,
                f"{ACTIVE_2019.name}（2019年版）「{spec_row.label}」行：上一年项目数量（{previous.value}）"
                f"加本年增/减（{change.value}）小于0",
                table=TABLE,
                row=spec_row.key,
                column="change",
                line=change.line,
                details={"previous_items": _j(previous.value), "change": _j(change.value)},
            )


def _j(value) -> int | str:
    return value if isinstance(value, int) else str(value)


__all__ = ["check_active_2019", "T2_2019_PUBLIC", "T2_2019_ITEMS"]
