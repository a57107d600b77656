"""Rules for table 2 of the 2019 format (国办公开办函〔2019〕60号), ``tables["active_2019"]``.

Tables 3 and 4 of a 2019 report are checked by the rules of ``rules.py`` (the 2019 format has
the same tables 3 and 4; its single （六）其他处理 row is the expected form, not a finding).
Its cells (non-negative integers, except the signed 本年增/减 and the amount 采购总金额) are
checked by ``rules.check_cells`` like every table's; here, two plausibility warnings.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Report, json_number
from ...standard import ACTIVE_2019
from .findings import T2_2019_ITEMS, T2_2019_PUBLIC, Finding, finding

TABLE = ACTIVE_2019.key


def check_active_2019(report: Report) -> Iterator[Finding]:
    """Plausibility of the 2019 table 2 (its cells are checked with every table's, in rules.py)."""
    table = report.table(TABLE)
    if table is None:
        return
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
                details={"published": json_number(published.value), "total_public": json_number(total.value)},
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
                details={"previous_items": json_number(previous.value), "change": json_number(change.value)},
            )


__all__ = ["check_active_2019", "T2_2019_PUBLIC", "T2_2019_ITEMS"]
