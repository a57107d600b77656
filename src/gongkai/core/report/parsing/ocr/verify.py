"""The last word of the arithmetic on a table read from a picture: no number stands unchecked.

``settle`` decides the digits the engine doubted. A digit read *with* confidence can still be
wrong (a 3 read as 8, a row's numbers shifted into the next row's cells), and a picture's table
as printed may not add up at all. So after settling, every identity of the table is checked
again — table 3: each row's 总计 is the sum of its six applicant columns, each column's 总计
row the sum of the outcomes, and 一 + 二 = 总计 + 四; table 4: each block's 总计 is the sum of
its parts — and every cell read from the picture that takes part in an identity that fails is
made ``uncertain`` with the number read as its candidate (parse note ``ocr-unverified``), and so is
every number of the table that no identity holding in full confirms (its row's or its column's)
unless the engine read it clearly (``TABLE2_CONFIDENCE``; a number placed without a box of the
picture — a row the grid did not match — is never taken as clear): a
person checks it against the picture (its box is kept), the checker says so (``T-uncertain``),
and no wrong number passes as read. Table 2 has no sums: a cell read from a picture with less
than ``TABLE2_CONFIDENCE`` is uncertain too. In a table that prints its zeros, a cell read as
empty is 0 where its sums confirm it and uncertain (candidate 0) otherwise: a faint "0" the
engine missed is not taken for "nothing printed". Empty cells count as 0 in the sums.
"""

from __future__ import annotations

from ...model import Cell, CellStatus, ParseNote, Report, Table
from ....standard import ACTIVE, APPLICANT_KEYS, APPLICATIONS, OTHER_SUB_ROWS, OUTCOME_KEYS, REVIEW_LITIGATION, \
    REVIEW_PART_KEYS, SINGLE_OTHER_ROW

TABLE2_CONFIDENCE = 0.97  # a clear reading: stands where no sum can confirm it (table 2, a block with a flagged cell)


def _value(table: Table, row: str, column: str) -> int | None:
    """The number of a cell for the sums; an empty cell counts as 0 (blank for zero)."""
    cell = (table.rows.get(row) or {}).get(column)
    if cell is not None and cell.status is CellStatus.BLANK:
        return 0
    return cell.value if cell is not None and cell.is_number and isinstance(cell.value, int) else None


def _identities(table: Table) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """The table's identities — (direction, [(row, column, sign), …] whose signed sum must be 0);
    direction "column" for table 3's sums down a column, "row" for the sums across a row or a
    block of table 4."""
    out: list[tuple[str, list[tuple[str, str, int]]]] = []
    if table.spec is APPLICATIONS:
        outcome_rows = [k for k in OUTCOME_KEYS if k in table.rows]
        if SINGLE_OTHER_ROW in table.rows:
            outcome_rows = [k for k in outcome_rows if k not in OTHER_SUB_ROWS] + [SINGLE_OTHER_ROW]
        for column in (*APPLICANT_KEYS, "total"):
            out.append(("column", [("total", column, 1)] + [(k, column, -1) for k in outcome_rows]))
            out.append(("column", [("new_received", column, 1), ("carried_over", column, 1), ("total", column, -1),
                                   ("carried_forward", column, -1)]))
        for row in table.rows:
            out.append(("row", [(row, "total", 1)] + [(row, c, -1) for c in APPLICANT_KEYS]))
    elif table.spec is REVIEW_LITIGATION:
        for block in table.rows:
            out.append(("row", [(block, "total", 1)] + [(block, part, -1) for part in REVIEW_PART_KEYS]))
    return out


def verify(report: Report, pictured: set[str] | frozenset[str] = frozenset()) -> None:
    """Check every table read from a picture: those with a cell whose origin is a picture, and
    the tables named in ``pictured`` (their lines came from a picture)."""
    for key, table in report.tables.items():
        if table is None or not (
            key in pictured or any(c.origin is not None for cells in table.rows.values() for c in cells.values())
        ):
            continue
        doubtful: dict[tuple[str, str], None] = {}
        if table.spec is ACTIVE or table.spec.key == ACTIVE.key:
            for row, cells in table.rows.items():
                for column, cell in cells.items():
                    confidence = getattr(cell.origin, "confidence", None)
                    if cell.origin is not None and cell.status is CellStatus.NUMBER and confidence is not None \
                            and confidence < TABLE2_CONFIDENCE:
                        doubtful[(row, column)] = None
        identities = _identities(table)
        directions = {direction for direction, _ in identities}
        confirmed: dict[tuple[str, str], set[str]] = {}
        for direction, identity in identities:
            values = [_value(table, r, c) for r, c, _ in identity]
            if any(v is None for v in values):
                continue  # cannot be evaluated: confirms nothing
            if sum(sign * v for (_, _, sign), v in zip(identity, values)) != 0:
                for r, c, _ in identity:
                    doubtful[(r, c)] = None
            else:
                for r, c, _ in identity:
                    confirmed.setdefault((r, c), set()).add(direction)
        if identities:
            # Every number read from the picture must be confirmed by an identity that holds.
            for row, cells in table.rows.items():
                for column, cell in cells.items():
                    confidence = getattr(cell.origin, "confidence", None)
                    clear = confidence is not None and confidence >= TABLE2_CONFIDENCE
                    # table 3: across its row and down its column (a whole row shifted into the
                    # next row's place still adds up across)
                    # (a clear reading stands unconfirmed only in table 4, whose blocks are its
                    # only sums: in table 3 a row may be clear and still stand in another row's place)
                    if cell.status is CellStatus.NUMBER and confirmed.get((row, column), set()) != directions \
                            and not (clear and len(directions) == 1):
                        doubtful[(row, column)] = None
        # A table that prints its zeros as "0": a cell of it read as empty is likely a faint "0"
        # the engine did not see. Where its row's and column's sums hold with it as 0 it is 0;
        # else it is flagged. (A table that leaves zeros blank keeps its blanks.)
        zeros_printed = any(c.status is CellStatus.NUMBER and c.value == 0
                            for cells in table.rows.values() for c in cells.values())
        # A table with no "0" read and a single empty cell: that cell is as likely a "0" the
        # engine did not see at all (a faint or small one) as a blank for zero — flagged.
        blanks = sum(1 for cells in table.rows.values() for c in cells.values() if c.status is CellStatus.BLANK)
        lone_blank = not zeros_printed and blanks == 1
        for row, cells in table.rows.items():
            for column, cell in cells.items():
                if cell.status is CellStatus.BLANK and lone_blank:
                    doubtful[(row, column)] = None
                elif cell.status is CellStatus.BLANK and zeros_printed and identities:
                    if confirmed.get((row, column), set()) == directions and (row, column) not in doubtful:
                        cells[column] = Cell(0, cell.raw, cell.line, CellStatus.NUMBER, (), cell.origin)
                    else:
                        doubtful[(row, column)] = None
                elif cell.status is CellStatus.BLANK and zeros_printed:
                    doubtful[(row, column)] = None
        flagged = []
        for row, column in doubtful:
            cell = table.rows[row][column]
            if cell.status is CellStatus.BLANK:
                table.rows[row][column] = Cell(None, cell.raw, cell.line, CellStatus.UNCERTAIN, (0,), cell.origin)
                flagged.append(f"{table.spec.row(row).label}·{table.spec.row(row).column(column).label}（识别为空白）")
                continue
            if cell.status is not CellStatus.NUMBER:
                continue  # already flagged
            table.rows[row][column] = Cell(None, cell.raw, cell.line, CellStatus.UNCERTAIN, (cell.value,), cell.origin)
            flagged.append(f"{table.spec.row(row).label}·{table.spec.row(row).column(column).label}（识别为 {cell.value}）")
        if flagged:
            line = next(iter(next(iter(table.rows.values())).values())).line
            report.notes.append(ParseNote(
                "ocr-unverified",
                f"{table.spec.name}从图片识别的数字不符合表内勾稽关系（或识别把握不足），以下单元格需对照图片核实："
                + "、".join(flagged[:30]) + (f"等{len(flagged)}处" if len(flagged) > 30 else ""),
                line, key, None))


__all__ = ["verify", "TABLE2_CONFIDENCE"]
