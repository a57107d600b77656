"""Tables 2, 3 and 4 as grids of cells with the national format's merged cells.

One definition of the layout serves every writer (Word, HTML/PDF, Excel, Markdown): each
grid row lists the cells that *start* in it, as HTML does, with their spans; ``matrix()``
expands it to a full rectangle where covered slots are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ... import standard
from ..model import Cell, CellStatus, Table, json_number
from ...standard import APPLICATION_COLUMN_GROUP, APPLICATIONS, REVIEW_LITIGATION, RowSpec

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T4_REVIEW = "行政复议"
T4_LITIGATION = "行政诉讼"


@dataclass(frozen=True)
class GridCell:
    text: str
    row_span: int = 1
    col_span: int = 1
    header: bool = False
    # HTML scope of a header cell: "col", "colgroup", "row" or "rowgroup"
    scope: str | None = None
    key: tuple[str, str] | None = None  # (row key, column key) of a data cell
    numeric: bool = False


@dataclass
class Grid:
    table: str  # key of the table
    caption: str
    columns: int
    header_rows: int  # the first rows that form the header (repeated on every page)
    rows: list[list[GridCell]] = field(default_factory=list)
    column_widths: tuple[float, ...] = ()  # relative widths

    def matrix(self) -> list[list[GridCell | None]]:
        """The full rectangle: a cell in its top-left slot, ``None`` in the slots it covers."""
        out: list[list[GridCell | None]] = []
        pending: dict[tuple[int, int], bool] = {}
        for r, row in enumerate(self.rows):
            line: list[GridCell | None] = []
            c = 0
            for cell in row:
                while (r, c) in pending:
                    line.append(None)
                    c += 1
                line.append(cell)
                for dr in range(cell.row_span):
                    for dc in range(cell.col_span):
                        if dr or dc:
                            pending[(r + dr, c + dc)] = True
                c += 1
                for _ in range(cell.col_span - 1):
                    line.append(None)
                    c += 1
            while c < self.columns:
                if (r, c) in pending:
                    line.append(None)
                    c += 1
                else:
                    raise ValueError(f"{self.table}: row {r} has {c} of {self.columns} columns")
            if len(line) != self.columns:
                raise ValueError(f"{self.table}: row {r} spans {len(line)} of {self.columns} columns")
            out.append(line)
        return out

    def spans(self) -> list[tuple[int, int, GridCell]]:
        """(row, column, cell) for every cell, with its top-left position."""
        out = []
        for r, line in enumerate(self.matrix()):
            for c, cell in enumerate(line):
                if cell is not None:
                    out.append((r, c, cell))
        return out


def value_text(cell: Cell | None, decimal: bool = False) -> str:
    """A cell as printed: the number, or what was written instead ("—", "/", "无", blank)."""
    if cell is None or cell.status is CellStatus.MISSING:
        return ""
    if cell.is_number:
        return str(json_number(cell.value, decimal))
    return cell.raw or ""


def _data(table: Table, row: RowSpec, column: standard.ColumnSpec, col_span: int = 1) -> GridCell:
    cell = table.rows.get(row.key, {}).get(column.key)
    return GridCell(value_text(cell, column.decimal), col_span=col_span, key=(row.key, column.key), numeric=True)


def _h(text: str, scope: str, row_span: int = 1, col_span: int = 1) -> GridCell:
    return GridCell(text, row_span, col_span, header=True, scope=scope)


# How the value columns of a row of table 2 share its three value slots.
_ACTIVE_SPANS = {1: (3,), 2: (1, 2), 3: (1, 1, 1)}


def active_grid(table: Table) -> Grid:
    """Table 2 (2021 format, or the 2019 format's own): a header per 第二十条 item, then its rows."""
    spec = table.spec
    grid = Grid(spec.key, f"{spec.name} {spec.title}", 4, 0, column_widths=(3, 2, 2, 2))
    blocks: list[list[RowSpec]] = []
    for row in spec.rows:
        if blocks and blocks[-1][0].group == row.group and blocks[-1][0].column_keys == row.column_keys:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    previous_group = None
    for rows in blocks:
        if rows[0].group != previous_group:
            grid.rows.append([_h(rows[0].group or "", "colgroup", col_span=4)])
            previous_group = rows[0].group
        columns = rows[0].columns
        spans = _ACTIVE_SPANS[len(columns)]
        grid.rows.append([_h("信息内容", "col")] + [_h(c.label, "col", col_span=s) for c, s in zip(columns, spans)])
        for row in rows:
            grid.rows.append([_h(row.label, "row")] + [_data(table, row, c, col_span=s) for c, s in zip(columns, spans)])
    return grid


def applications_grid(table: Table) -> Grid:
    spec = APPLICATIONS
    grid = Grid("applications", f"{spec.name} {spec.title}", 10, 3, column_widths=(1.2, 1.6, 3.4, 1, 1, 1, 1, 1, 1, 1))
    applicants = standard.APPLICANT_COLUMNS
    grid.rows.append([_h(T3_NOTE, "col", row_span=3, col_span=3), _h(T3_APPLICANTS, "colgroup", col_span=7)])
    grid.rows.append(
        [
            _h(applicants[0].label, "col", row_span=2),
            _h(APPLICATION_COLUMN_GROUP, "colgroup", col_span=5),
            _h(standard.TOTAL_COLUMN.label, "col", row_span=2),
        ]
    )
    grid.rows.append([_h(c.label, "col") for c in applicants[1:]])

    def values(row: RowSpec) -> list[GridCell]:
        return [_data(table, row, c) for c in standard.APPLICATION_COLUMNS]

    def plain(key: str) -> list[GridCell]:
        row = spec.row(key)
        return [_h(row.label, "row", col_span=3)] + values(row)

    # 三、本年度办理结果: （一）…（七）, with the sub-rows of （三）…（六） under their group.
    outcome_rows = [r for r in spec.rows if r.group is not None and r.key in table.rows]
    if table.single_other_row:
        outcome_rows.insert(len(outcome_rows) - 1, spec.row(standard.SINGLE_OTHER_ROW))
    group_sizes: dict[str, int] = {}
    for row in outcome_rows:
        if row.group != standard.G_RESULTS:
            group_sizes[row.group] = group_sizes.get(row.group, 0) + 1  # type: ignore[index]
    body: list[list[GridCell]] = []
    for index, row in enumerate(outcome_rows):
        line: list[GridCell] = []
        if index == 0:
            line.append(_h(standard.G_RESULTS, "rowgroup", row_span=len(outcome_rows)))
        if row.group == standard.G_RESULTS:
            line.append(_h(row.label, "row", col_span=2))
        else:
            if not any(r.group == row.group for r in outcome_rows[:index]):
                line.append(_h(row.group, "rowgroup", row_span=group_sizes[row.group]))  # type: ignore[arg-type]
            line.append(_h(row.label, "row"))
        body.append(line + values(row))
    grid.rows += [plain("new_received"), plain("carried_over"), *body, plain("carried_forward")]
    return grid


def review_grid(table: Table) -> Grid:
    spec = REVIEW_LITIGATION
    grid = Grid("review_litigation", f"{spec.name} {spec.title}", 15, 3)
    parts = standard.REVIEW_COLUMNS
    grid.rows.append([_h(T4_REVIEW, "colgroup", col_span=5), _h(T4_LITIGATION, "colgroup", col_span=10)])
    direct, after = spec.rows[1], spec.rows[2]
    grid.rows.append(
        [_h(c.label, "col", row_span=2) for c in parts]
        + [_h(direct.label, "colgroup", col_span=5), _h(after.label, "colgroup", col_span=5)]
    )
    grid.rows.append([_h(c.label, "col") for c in parts] * 2)
    grid.rows.append([_data(table, row, c) for row in spec.rows for c in parts])
    return grid


GRIDS = {
    "active": active_grid,
    "active_2019": active_grid,
    "applications": applications_grid,
    "review_litigation": review_grid,
}


def table_grid(table: Table) -> Grid:
    return GRIDS[table.spec.key](table)
