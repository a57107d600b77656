"""The arithmetic decides the digits the OCR engine was not sure of.

Every digit read from a picture has the engine's confidence. A digit read with less than
``DOUBT`` is *doubtful*: it may be any digit commonly confused with it on a scanned or
compressed picture (3/8/5, 1/7/4, 0/8/6/9, 5/6, 2/7). The format's sums then choose, exactly
as they choose how run-together digits split (``parsing/digits.py``):

- every row of table 3 has 7 cells whose first six add up to the seventh, every block of
  table 4 has 5 cells whose first four add up to the fifth;
- every column of table 3 balances (一 + 二 = （七）总计 + 四; （七）总计 = the outcome rows).

A row whose digits are all sure and whose sum holds is read as it stands. A row with doubtful
digits lists the readings that satisfy its sum (the reading as printed among them, if it does);
a row whose sum fails although every digit looked sure (a 3 read as 8 with confidence) lists
the readings one, then two, digit substitutions away that satisfy it. Table 3's column
equations then narrow the rows together (``digits.resolve_columns``). The outcome, per row:

- **one reading fits**: it is taken; if it differs from what the engine read, the cells say
  so in a note (``ocr-corrected``);
- **several fit**: the cells on which they differ are ``uncertain``, with their candidates
  (``ocr-uncertain``);
- **none fits**: the doubtful cells are left unread and flagged (``ocr-unread``); if no digit
  was doubtful, the numbers stay as read (the table as printed does not add up, which the
  checker reports as it does for a text table).

Table 2 has no sums: a doubtful cell there is ``uncertain`` with its candidates.
"""

from __future__ import annotations

from itertools import combinations, product
from typing import Sequence

from ...model import Cell, CellStatus, ParseNote, Report, Table
from ....standard import APPLICATIONS, REVIEW_LITIGATION
from ..digits import T3_GROUPS, T4_BLOCK_GROUPS, resolve_columns
from .grid import LOOKALIKE_CONFIDENCE, Slot
from .read import CellSlots

DOUBT = 0.90  # a digit read with less confidence than this may be another digit
# Digits that OCR engines commonly take for one another on degraded pictures.
CONFUSED: dict[str, str] = {
    "0": "8693",
    "1": "74",
    "2": "7",
    "3": "8529",
    "4": "1",
    "5": "638",
    "6": "580",
    "7": "12",
    "8": "30965",
    "9": "083",
}
# With the engine's own odds (``CharBox.digits``), a doubtful digit may be only the digits the
# recogniser gave at least this probability (among the digits) at that character.
ALTERNATIVE = 0.02
MAX_ROW_READINGS = 50_000  # bound on the readings enumerated for one row


class _Reading:
    """One cell as the engine read it: its digits and their confidences."""

    def __init__(self, cell: Cell, slot: Slot | None) -> None:
        self.cell = cell
        self.digits: str | None = None
        self.confidences: list[float] = []
        self.from_letters = False
        self.alternatives: list[str] = []  # per digit: the digits it may be, from the engine's odds
        # printed but not read: the sums may tell what it is
        self.unread = slot is not None and cell.status is CellStatus.UNREADABLE and slot.ink and not slot.text
        if slot is None:
            if cell.is_number and isinstance(cell.value, int):
                self.digits = str(cell.value)
                self.confidences = [1.0] * len(self.digits)
            return
        chars = [c for c in slot.chars if not c.text.isspace() and c.text not in ",，"]
        if cell.status is CellStatus.NUMBER and isinstance(cell.value, int):
            self.digits = str(cell.value)
        if self.digits is None:
            return
        # a look-alike letter taken as a digit (grid._as_digits)
        self.from_letters = slot.confidence is not None and slot.confidence <= LOOKALIKE_CONFIDENCE and any(
            c.confidence in (0.0, LOOKALIKE_CONFIDENCE) for c in chars
        )
        if len(chars) == len(self.digits):
            self.confidences = [c.confidence for c in chars]
            self.alternatives = [
                "".join(d for d, p in c.digits if p >= ALTERNATIVE and d != digit) if c.digits else CONFUSED.get(digit, "")
                for c, digit in zip(chars, self.digits)
            ]
        else:
            base = slot.confidence if slot.confidence is not None else 0.0
            self.confidences = [base] * len(self.digits)

    @property
    def value(self) -> int | None:
        return int(self.digits) if self.digits is not None else None

    @property
    def doubtful(self) -> bool:
        return self.digits is not None and any(c < DOUBT for c in self.confidences)

    def options(self) -> list[int]:
        """The reading as printed, then the values its doubtful digits may stand for."""
        if self.digits is None:
            return []
        alternatives = self.alternatives or [CONFUSED.get(d, "") for d in self.digits]
        choices = [
            (d + other) if c < DOUBT else d for d, c, other in zip(self.digits, self.confidences, alternatives)
        ]
        out: list[int] = []
        for combo in product(*choices):
            text = "".join(combo)
            if len(text) > 1 and text[0] == "0":
                continue
            v = int(text)
            if v not in out:
                out.append(v)
            if len(out) > 200:
                break
        return out

    def substitutions(self) -> list[int]:
        """Values one confusable digit away from the reading."""
        if self.digits is None:
            return []
        out: list[int] = []
        for i, d in enumerate(self.digits):
            for other in CONFUSED.get(d, ""):
                text = self.digits[:i] + other + self.digits[i + 1 :]
                if len(text) > 1 and text[0] == "0":
                    continue
                if int(text) not in out:
                    out.append(int(text))
        return out


def _fits(values: Sequence[int | None], groups: Sequence[tuple[int, int]]) -> bool:
    for first, last in groups:
        part = values[first : last + 1]
        if any(v is None for v in part):
            continue
        if sum(part[:-1]) != part[-1]:  # type: ignore[arg-type]
            return False
    return True


def _fitting(options: list[list[int | None]], groups: Sequence[tuple[int, int]]) -> list[tuple[int | None, ...]]:
    """The combinations of the cells' options that satisfy the sums. A group's last cell is not
    enumerated but computed from the others and looked up among its own options."""
    lasts = {last: first for first, last in groups if all(None not in options[i] for i in range(first, last + 1))}
    free = [o if i not in lasts else [None] for i, o in enumerate(options)]
    count = 1
    for o in free:
        count *= len(o)
    if count > MAX_ROW_READINGS:
        return []
    found: list[tuple[int | None, ...]] = []
    for combo in product(*free):
        c = list(combo)
        ok = True
        for last, first in lasts.items():
            total = sum(c[first:last])  # type: ignore[arg-type]
            if total not in options[last]:
                ok = False
                break
            c[last] = total
        if ok and _fits(c, groups):
            found.append(tuple(c))
    return found


def _row_readings(readings: list[_Reading], groups: Sequence[tuple[int, int]]) -> tuple[list[tuple[int | None, ...]], bool]:
    """The readings of a row that satisfy its sums, and whether the row needed a search at all
    (False: every digit sure and the sums hold — the row is read as printed)."""
    printed = tuple(r.value for r in readings)
    doubtful = any(r.doubtful or r.unread for r in readings)
    if not doubtful and _fits(printed, groups):
        return [printed], False
    options = [r.options() or [None] for r in readings]
    count = 1
    for o in options:
        count *= len(o)
    found: list[tuple[int | None, ...]] = []
    unread = [i for i, r in enumerate(readings) if r.unread]
    group = next(((f, l) for f, l in groups for i in unread[:1] if f <= i <= l), None)
    if len(unread) == 1 and group is not None:
        # one cell printed but not read: its group's sum gives it
        i, (first, last) = unread[0], group
        if count <= MAX_ROW_READINGS:
            for combo in product(*options):
                c = list(combo)
                others = [c[j] for j in range(first, last) if j != i]
                if any(v is None for v in others) or (i != last and c[last] is None):
                    continue
                c[i] = sum(others) if i == last else c[last] - sum(others)  # type: ignore[operator]
                if c[i] >= 0 and _fits(c, groups) and tuple(c) not in found:  # type: ignore[operator]
                    found.append(tuple(c))
        return found, True
    found = _fitting(options, groups)
    if found or not groups:
        return found, True
    # The sums fail: try one, then two, digit substitutions anywhere in the row (a 3 read as 8).
    return _substituted(readings, groups), True


def _substituted(readings: list[_Reading], groups: Sequence[tuple[int, int]]) -> list[tuple[int | None, ...]]:
    """The readings one, then two, confusable digits away from the row as read that satisfy its
    sums: what a row whose sums fail may have printed."""
    printed = tuple(r.value for r in readings)
    found: list[tuple[int | None, ...]] = []
    numbered = [i for i, r in enumerate(readings) if r.digits is not None]
    subs = {i: readings[i].substitutions() for i in numbered}
    for k in (1, 2):
        for cells in combinations(numbered, k):
            for values in product(*(subs[i] for i in cells)):
                candidate = list(printed)
                for i, v in zip(cells, values):
                    candidate[i] = v
                if _fits(candidate, groups) and tuple(candidate) not in found:
                    found.append(tuple(candidate))
        if found:
            return found
    return []


def settle(report: Report, slots: CellSlots) -> None:
    """Decide the doubtful digits of every table read from a picture (see the module's doc)."""
    for key, table in report.tables.items():
        if table is None or not any(k[0] == key for k in slots):
            continue
        if table.spec is APPLICATIONS:
            _settle_table(report, table, slots, T3_GROUPS, columns=True)
        elif table.spec is REVIEW_LITIGATION:
            _settle_table(report, table, slots, T4_BLOCK_GROUPS, columns=False)
        else:
            _settle_table(report, table, slots, (), columns=False)


def _settle_table(report: Report, table: Table, slots: CellSlots, groups, columns: bool) -> None:
    key = table.spec.key
    readings: dict[str, list[_Reading]] = {}
    for row_key, cells in table.rows.items():
        if not any((key, row_key, c) in slots for c in cells):
            continue
        if any(c.status is CellStatus.UNCERTAIN for c in cells.values()):
            continue  # already settled by the run-together digits' rules
        readings[row_key] = [_Reading(cell, slots.get((key, row_key, col))) for col, cell in cells.items()]
    known: dict[str, tuple[int | None, ...]] = {}
    open_rows: dict[str, list[tuple[int | None, ...]]] = {}
    failed: list[str] = []
    for row_key, row in readings.items():
        found, searched = _row_readings(row, groups)
        if searched and not columns and groups and found and not any(r.doubtful or r.unread for r in row):
            # Every digit read surely and the block's sum fails: only the block's own sum speaks
            # (table 4 has no column sums), so a sure reading is never overruled — the table as
            # printed may not add up. The readings that would fit are the cells' candidates.
            found = [tuple(r.value for r in row)] + [f for f in found if f != tuple(r.value for r in row)]
            if len(found) == 1:
                continue
        if not searched:
            known[row_key] = found[0]
        elif found:
            open_rows[row_key] = found
        else:
            failed.append(row_key)
    if columns and open_rows:
        for row_key, cells in table.rows.items():
            if row_key not in readings:
                known[row_key] = tuple(c.value if c.is_number and isinstance(c.value, int) else None for c in cells.values())
        for row_key in failed:
            known[row_key] = tuple(r.value for r in readings[row_key])
        open_rows = resolve_columns(known, open_rows)
    for row_key, found in open_rows.items():
        _apply(report, table, row_key, readings[row_key], found)
    for row_key in failed:
        _unread(report, table, row_key, readings[row_key])


def _note(report: Report, table: Table, row_key: str, code: str, message: str) -> None:
    """A parse note about one row: the message follows the row's name."""
    line = next(iter(table.rows[row_key].values())).line
    label = f"{table.spec.name}「{table.spec.row(row_key).label}」"
    report.notes.append(ParseNote(code, label + message, line, table.spec.key, row_key))


def _apply(report: Report, table: Table, row_key: str, row: list[_Reading], found: list[tuple[int | None, ...]]) -> None:
    cells = table.rows[row_key]
    keys = list(cells)
    printed = tuple(r.value for r in row)
    if len(found) == 1:
        values = found[0]
        changed: list[str] = []
        for i, (column, v) in enumerate(zip(keys, values)):
            cell = cells[column]
            if v is None:
                continue
            name = table.spec.row(row_key).columns[i].label
            if v != printed[i]:
                changed.append(f"{name} 识别为 {row[i].digits or cell.raw}，应为 {v}")
            elif row[i].from_letters:
                changed.append(f"{name} 字形不清（像字母），应为 {v}")
            if v != cell.value or cell.status is not CellStatus.NUMBER:
                cells[column] = Cell(v, cell.raw, cell.line, CellStatus.NUMBER, (), cell.origin)
        if changed:
            _note(report, table, row_key, "ocr-corrected", "一行从图片识别的数字有误或不清，按勾稽关系唯一确定：" + "；".join(changed))
        return
    uncertain: list[str] = []
    for i, column in enumerate(keys):
        distinct: list[int] = []
        for c in found:
            if c[i] is not None and c[i] not in distinct:
                distinct.append(c[i])  # type: ignore[arg-type]
        cell = cells[column]
        if len(distinct) <= 1:
            if distinct and (distinct[0] != cell.value or cell.status is not CellStatus.NUMBER):
                cells[column] = Cell(distinct[0], cell.raw, cell.line, CellStatus.NUMBER, (), cell.origin)
            continue
        if printed[i] in distinct:  # the reading as printed first
            distinct.remove(printed[i])  # type: ignore[arg-type]
            distinct.insert(0, printed[i])  # type: ignore[arg-type]
        cells[column] = Cell(None, cell.raw, cell.line, CellStatus.UNCERTAIN, tuple(distinct), cell.origin)
        uncertain.append(f"{table.spec.row(row_key).columns[i].label}：{'或'.join(str(v) for v in distinct)}")
    table.uncertain[row_key] = tuple(found)  # type: ignore[assignment]
    _note(report, table, row_key, "ocr-uncertain", f"一行从图片识别的数字没有把握，有 {len(found)} 种读法都符合勾稽关系，无法唯一确定：" + "；".join(uncertain))


def _unread(report: Report, table: Table, row_key: str, row: list[_Reading]) -> None:
    cells = table.rows[row_key]
    keys = list(cells)
    doubtful = [i for i, r in enumerate(row) if r.doubtful or r.from_letters]
    if not doubtful:
        return  # every digit sure: the table as printed does not add up (the checker says so)
    names = []
    for i in doubtful:
        cell = cells[keys[i]]
        cells[keys[i]] = Cell(None, cell.raw, cell.line, CellStatus.UNREADABLE, (), cell.origin)
        names.append(f"{table.spec.row(row_key).columns[i].label}（识别为 {row[i].digits}）")
    _note(report, table, row_key, "ocr-unread", "一行从图片识别的数字没有把握，且没有符合勾稽关系的读法，以下单元格未读取：" + "、".join(names))


__all__ = ["settle", "DOUBT", "CONFUSED"]
