"""Read tables 2, 3 and 4 from the cells of a report's lines, whatever their layout.

Works on a stream of tokens (see ``lines.tokenize``), so the same code reads a table
written as tab-separated rows (seed 003), one cell per line (seed 004), or rows with
their numbers on the next line. Rows are found by their labels, never by position
alone; the numbers that follow a label up to the next label are that row's cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import Cell, CellStatus, ParseNote, Table
from ..labels import (
    application_group_core,
    approximate_row,
    label_core,
    match_row_after_fragment,
    match_row_core,
    strip_group_prefix,
)
from ...standard import (
    APPLICATION_COLUMN_KEYS,
    APPLICATIONS,
    OTHER_SUB_ROWS,
    REVIEW_LITIGATION,
    SINGLE_OTHER_ROW,
    RowSpec,
    TableSpec,
)
from . import digits
from .lines import Token, read_cell

_MAX_LABEL_CORE = 60

# Words that show a line belongs to a table's header, not to the narrative.
HEADER_WORDS = {
    "active": ("第二十条", "信息内容", "本年制发件数", "本年处理决定数量", "本年收费金额"),
    "applications": ("勾稽关系", "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构"),
    "review_litigation": ("行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结", "复议后起诉"),
}


@dataclass
class _Label:
    index: int  # index of the token
    row: RowSpec | None  # None for a group heading
    group: str | None
    token: Token
    approximate: bool = False  # the label matched despite a slip ("子以公开")


@dataclass
class TableRead:
    table: Table | None
    notes: list[ParseNote]
    first_line: int | None = None
    last_line: int | None = None


# A label with the row's numbers glued to its end ("一、本年新收…申请数量640020470").
_GLUED = re.compile(r"^(.*?\D)(\d+(?:\.\d+)?)$", re.S)


def _split_glued(spec: TableSpec, tokens: list[Token]) -> list[Token]:
    """Split a digit run off the end of a text token that is a row label (or, in table 4,
    the last header cell), so that the run becomes the row's value token."""
    out: list[Token] = []
    for token in tokens:
        if token.kind != "text" or not token.text[-1:].isdigit():
            out.append(token)
            continue
        text = unicodedata.normalize("NFKC", token.text)
        m = _GLUED.match(text)
        cell = read_cell(m.group(2), token.line) if m else None
        if m is None or cell is None or "。" in text:
            out.append(token)
            continue
        prefix = m.group(1).rstrip()
        core = label_core(prefix)
        if not core or core[-1].isdigit() or len(core) > _MAX_LABEL_CORE * 3:
            out.append(token)
            continue
        ok = match_row_core(spec, core) is not None or (
            spec is REVIEW_LITIGATION and any(w in prefix for w in HEADER_WORDS[spec.key]) and core.endswith(("总计", "合计", "审结"))
        )
        if not ok and spec is APPLICATIONS:
            tail = strip_group_prefix(prefix)
            ok = bool(tail and match_row_core(spec, label_core(tail)))
        if not ok:
            out.append(token)
            continue
        out.append(Token(prefix, token.line, token.position, "text"))
        out.append(Token(m.group(2), token.line, token.position, "value", cell))
    return out


def _is_label_text(token: Token) -> bool:
    return token.kind == "text" and "。" not in token.text


def _find_labels(spec: TableSpec, tokens: list[Token]) -> list[_Label]:
    """The row labels and group headings in the tokens, in order."""
    labels: list[_Label] = []
    started = False  # bare "其他" / "总计" are column headings until the first row is seen
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if not _is_label_text(token):
            i += 1
            continue
        merged = _merged_labels(spec, token.text)
        if merged:
            # Two rows' labels run together in one cell ("1.属于国家秘密 2.其他法律…"): both are
            # labels here; the numbers after them are then two rows' numbers in one line.
            labels += [_Label(i, row, None, token) for row in merged]
            started = True
            i += 1
            continue
        core = label_core(token.text)
        if not core or len(core) > _MAX_LABEL_CORE:
            i += 1
            continue
        row = match_row_core(spec, core)
        group = application_group_core(core) if spec is APPLICATIONS else None
        if row is not None and row.key == SINGLE_OTHER_ROW:
            # "（六）其他处理" is a group heading unless it has its own numbers (decided later).
            group, row = core, None
        if row is None and group is None and spec is APPLICATIONS:
            # A group heading and a row label in one cell ("（三）不予公开 1.属于国家秘密").
            tail = strip_group_prefix(token.text)
            if tail:
                row = match_row_core(spec, label_core(tail), include_alternatives=False)
        consumed = i
        if row is None and group is None:
            # A label wrapped over two cells ("4.无正当理由大量" / "反复申请"): join and retry.
            joined = core
            for j in range(i + 1, min(i + 3, n)):
                if tokens[j].kind != "text":
                    break
                joined += label_core(tokens[j].text)
                row = match_row_core(spec, joined, include_alternatives=False)
                if row is not None:
                    consumed = j  # the continuation is part of this label, not a label of its own
                    break
        approximate = False
        if row is None and group is None and _values_follow(tokens, i):
            row = match_row_after_fragment(spec, core) or approximate_row(spec, core)
            approximate = row is not None
        if row is not None and row.exact and spec is APPLICATIONS and not started:
            i += 1
            continue
        if row is not None or group is not None:
            if row is not None:
                started = True
            labels.append(_Label(i, row, group, token, approximate))
        i = consumed + 1
    return labels


_NUMBERED_PART = re.compile(r"\s+(?=(?:\d{1,2}|[（(][一二三四五六七八九十]{1,2}[)）])\s*[.．、]?\s*[^\d\s])")


def _merged_labels(spec: TableSpec, text: str) -> list[RowSpec]:
    """The rows whose labels stand together in one cell, each with its numbering; [] otherwise."""
    if " " not in text and "\u3000" not in text:
        return []
    parts = [p for p in _NUMBERED_PART.split(text.strip()) if p.strip()]
    if len(parts) < 2:
        return []
    rows: list[RowSpec] = []
    for part in parts:
        core = label_core(part)
        row = match_row_core(spec, core, include_alternatives=False) if core and len(core) <= _MAX_LABEL_CORE else None
        if row is None and spec is APPLICATIONS:
            tail = strip_group_prefix(part)
            row = match_row_core(spec, label_core(tail), include_alternatives=False) if tail else None
        if row is None:
            if rows:
                return []
            continue  # a group heading before the labels ("（三）不予公开 1.属于国家秘密 2.…")
        rows.append(row)
    return rows if len(rows) >= 2 and len({r.key for r in rows}) == len(rows) else []


def _values_follow(tokens: list[Token], i: int) -> bool:
    """Numbers come right after the token (skipping empty cells): it is a row's label."""
    for token in tokens[i + 1 : i + 16]:
        if token.kind == "value":
            return True
        if token.kind == "text":
            return False
    return False


@dataclass
class _Split:
    """A row whose values ran together: its candidate splits (see ``digits``)."""

    raw: str
    line: int
    candidates: list[tuple[int | None, ...]]
    certain: bool  # False: even a single candidate is not taken as read (table 2)


def _run_text(token: Token) -> str | None:
    """The token as a run of ASCII digits, or None."""
    text = unicodedata.normalize("NFKC", token.text)
    return text if digits.is_run(text) else None


def _try_split(values: list[Token], n: int, groups: tuple[tuple[int, int], ...]) -> _Split | None:
    """Candidate splits when fewer values than cells stand in a row and some are digit runs."""
    if not values or len(values) >= n:
        return None
    parts: list[str | int | None] = []
    runs = []
    for v in values:
        run = _run_text(v)
        if run is not None:
            parts.append(run)
            runs.append(run)
        else:
            cell = v.cell
            parts.append(cell.value if cell is not None and cell.is_number and isinstance(cell.value, int) else None)
    if not any(len(r) > 1 for r in runs) or sum(len(r) for r in runs) + len(values) - len(runs) < n:
        return None
    candidates = digits.row_splits(parts, n, groups)
    if not candidates:
        return None
    # Without a sum to check, a run is taken as split only when it cannot be one number ("000").
    certain = bool(groups) or all(r[0] == "0" for r in runs if len(r) > 1)
    return _Split(" ".join(v.text for v in values), values[0].line, candidates, certain)


def _groups(spec_row: RowSpec) -> tuple[tuple[int, int], ...]:
    if spec_row.column_keys == APPLICATION_COLUMN_KEYS:
        return digits.T3_GROUPS
    if spec_row in REVIEW_LITIGATION.rows:
        return digits.T4_BLOCK_GROUPS
    return ()


def _row_cells(
    spec_row: RowSpec, label: _Label, tokens: list[Token], end: int
) -> tuple[dict[str, Cell], ParseNote | None, _Split | None]:
    """The cells of one row: the values between its label and the next label."""
    region = tokens[label.index + 1 : end]
    values = [t for t in region if t.kind == "value"]
    keys = spec_row.column_keys
    n = len(keys)
    if len(values) == n:
        return {k: v.cell for k, v in zip(keys, values)}, None, None  # type: ignore[misc]
    # Tab-separated cells: positions tell which cells are blank. The numbers stand on the
    # label's line, or on the next line that has numbers, after an empty label column.
    padded = [t for t in region if t.line == label.token.line]
    if not any(t.kind == "value" for t in padded):
        first = next((t.line for t in region if t.kind == "value"), None)
        padded = [t for t in region if t.line == first]
        if padded and padded[0].kind == "empty":
            padded = padded[1:]
    positional = _positional(padded, n)
    if positional is not None:
        return dict(zip(keys, positional)), None, None
    if not values:
        line = label.token.line
        return {k: Cell(None, "", line, CellStatus.BLANK) for k in keys}, None, None
    split = _try_split(values, n, _groups(spec_row))
    if split is not None:
        return {}, None, split
    raw = " ".join(v.text for v in values)
    line = values[0].line
    cells = {k: Cell(None, raw, line, CellStatus.UNREADABLE) for k in keys}
    note = ParseNote(
        "row-cell-count",
        f"「{spec_row.label}」一行应有 {n} 个数，读到 {len(values)} 个（{raw}），无法确定各数所在的列",
        line,
        None,
        spec_row.key,
    )
    return cells, note, None


def _apply_split(
    spec: TableSpec, table: Table, row: RowSpec, split: _Split, candidates: list[tuple[int | None, ...]]
) -> ParseNote:
    """Fill a split row's cells: numbers when one split fits, else uncertain cells."""
    keys = row.column_keys
    if len(candidates) == 1 and split.certain:
        values = candidates[0]
        table.rows[row.key] = {
            k: (Cell(v, split.raw, split.line, CellStatus.NUMBER) if v is not None else Cell(None, split.raw, split.line, CellStatus.UNREADABLE))
            for k, v in zip(keys, values)
        }
        shown = " | ".join("?" if v is None else str(v) for v in values)
        return ParseNote(
            "row-split",
            f"{spec.name}「{row.label}」一行的数连在一起（{split.raw}），按勾稽关系唯一拆分为 {shown}",
            split.line,
            spec.key,
            row.key,
        )
    table.rows[row.key] = {
        k: Cell(None, split.raw, split.line, CellStatus.UNCERTAIN, digits.candidate_values(candidates, i))
        for i, k in enumerate(keys)
    }
    table.uncertain[row.key] = tuple(candidates)  # type: ignore[arg-type]
    listed = "；".join(" | ".join("?" if v is None else str(v) for v in c) for c in candidates[:8])
    more = f" 等 {len(candidates)} 种" if len(candidates) > 8 else ""
    return ParseNote(
        "row-uncertain",
        f"{spec.name}「{row.label}」一行的数连在一起（{split.raw}），有 {len(candidates)} 种拆分都符合勾稽关系，"
        f"无法唯一确定：{listed}{more}",
        split.line,
        spec.key,
        row.key,
    )


def _positional(padded: list[Token], n: int) -> list[Cell] | None:
    """The n cells of a tab-separated run, empty cells as blanks; None when it does not fit."""
    if not padded or not all(t.kind in ("value", "empty") for t in padded):
        return None
    run = list(padded)
    while run and run[-1].kind == "empty":
        run.pop()
    while len(run) > n and run[0].kind == "empty":
        run.pop(0)
    if 0 < len(run) < n <= len(padded) and padded[: len(run)] == run:
        run = padded[:n]  # trailing cells left blank
    if len(run) != n or not any(t.kind == "value" for t in run):
        return None
    return [t.cell if t.kind == "value" else Cell(None, "", t.line, CellStatus.BLANK) for t in run]  # type: ignore[misc]


def read_labelled_table(spec: TableSpec, tokens: list[Token]) -> TableRead:
    """Read a table whose rows carry labels (tables 2 and 3)."""
    tokens = _split_glued(spec, tokens)
    labels = _find_labels(spec, tokens)
    if not any(label.row is not None for label in labels):
        return TableRead(None, [])
    table = Table.empty(spec)
    notes: list[ParseNote] = []
    splits: dict[str, tuple[RowSpec, _Split]] = {}
    seen: dict[str, int] = {}
    valueless: set[str] = set()  # rows whose label was read with no number after it
    placed: list[tuple[RowSpec, _Label, int]] = []  # each row read: its label and the end of its tokens
    last_line = labels[0].token.line
    for pos, label in enumerate(labels):
        end = labels[pos + 1].index if pos + 1 < len(labels) else len(tokens)
        row = label.row
        if row is None:
            if label.group != "其他处理":
                continue
            # （六）其他处理 printed as one row: it has numbers and no sub-rows follow it.
            next_row = next((lb.row for lb in labels[pos + 1 :] if lb.row is not None), None)
            if next_row is not None and next_row.key in OTHER_SUB_ROWS:
                continue
            row = spec.row(SINGLE_OTHER_ROW)
        has_values = any(t.kind == "value" for t in tokens[label.index + 1 : end])
        if row.key in seen and has_values and row.key in valueless:
            # The first was the label alone, without numbers — a table broken across pages
            # repeats its header, whose "其他" and "总计" read as 3.其他 and （七）总计: this is the row.
            valueless.discard(row.key)
            placed = [p for p in placed if p[0].key != row.key]
            splits.pop(row.key, None)
            notes = [n for n in notes if n.row != row.key]
            del seen[row.key]
        if row.key in seen:
            if has_values:
                notes.append(
                    ParseNote(
                        "row-repeated",
                        f"「{row.label}」一行出现了两次（第 {seen[row.key]} 行和第 {label.token.line} 行），只采用第一次的数",
                        label.token.line,
                        spec.key,
                        row.key,
                    )
                )
            continue
        seen[row.key] = label.token.line
        if not has_values:
            valueless.add(row.key)
        if label.approximate:
            notes.append(
                ParseNote(
                    "row-label-approx",
                    f"“{label.token.text}”与规定的行名不完全一致，按最接近的「{row.label}」一行读取",
                    label.token.line,
                    spec.key,
                    row.key,
                )
            )
        placed.append((row, label, end))
        cells, note, split = _row_cells(row, label, tokens, end)
        if split is not None:
            splits[row.key] = (row, split)
            table.rows[row.key] = {k: Cell.missing() for k in row.column_keys}
            cells = {"": Cell(None, split.raw, split.line)}
        else:
            table.rows[row.key] = cells
        if note is not None:
            notes.append(ParseNote(note.code, note.message, note.line, spec.key, row.key))
        lines = [c.line for c in cells.values() if c.line is not None]
        last_line = max([last_line, label.token.line, *lines])
        if spec is APPLICATIONS and row.key == "carried_forward":
            break
    if splits:
        resolved = {key: split.candidates for key, (_, split) in splits.items()}
        if spec is APPLICATIONS:
            known = {
                key: tuple(
                    c.value if c.is_number and isinstance(c.value, int) else None for c in cells.values()
                )
                for key, cells in table.rows.items()
                if key in seen and key not in splits
            }
            resolved = digits.resolve_columns(known, resolved)
        for key, (row, split) in splits.items():
            notes.append(_apply_split(spec, table, row, split, resolved[key]))
    misplaced = _misplaced_rows(spec, table, tokens, labels, placed)
    if misplaced:
        notes = [n for n in notes if n.row not in misplaced or n.code == "row-cell-count"]
        for key in misplaced:
            seen.setdefault(key, 0)
        counted = {n.row for n in notes if n.code == "row-cell-count"}
        notes += _flag_misplaced(spec, table, placed, misplaced, counted)
    if SINGLE_OTHER_ROW in table.rows:
        found_subrows = [k for k in OTHER_SUB_ROWS if k in seen]
        if not found_subrows:
            for k in OTHER_SUB_ROWS:
                del table.rows[k]
    for row in spec.rows:
        if row.key not in seen and row.key in table.rows:
            notes.append(
                ParseNote("row-missing", f"{spec.name}中没有找到「{row.label}」一行", None, spec.key, row.key)
            )
    first_line = labels[0].token.line
    table.line, table.end_line = first_line, last_line
    return TableRead(table, notes, first_line, last_line)


# --------------------------------------------------------------------- misplaced rows
#
# Third-party PDF→Markdown conversions scramble tables: a row's numbers shifted onto the next
# (or the previous) row's line, the first (or last) row's line left empty and the numbers left
# over on a line without a label; two rows run together in one line. Read as written, every
# number of those rows would stand in the wrong row. In a table written a row a line, these are
# found from the layout and the rows that cannot be placed are left unread and flagged.


def _line_kinds(tokens: list[Token]) -> dict[int, tuple[int, int]]:
    """line -> (number of values, number of text tokens)."""
    out: dict[int, list[int]] = {}
    for t in tokens:
        counts = out.setdefault(t.line, [0, 0])
        if t.kind == "value":
            counts[0] += 1
        elif t.kind == "text":
            counts[1] += 1
    return {line: (v, x) for line, (v, x) in out.items()}


def _misplaced_rows(
    spec: TableSpec, table: Table, tokens: list[Token], labels: list[_Label], placed: list[tuple[RowSpec, _Label, int]]
) -> list[str]:
    """The rows whose numbers cannot be placed with certainty, in table order (empty if none)."""
    if len(placed) < 3:
        return []
    own_line = [
        bool(table.rows[row.key])
        and all(c.line == label.token.line and c.status is not CellStatus.BLANK for c in table.rows[row.key].values())
        for row, label, _ in placed
    ]
    if sum(own_line) * 3 < len(placed) * 2:
        return []  # not a row a line (labels and numbers on lines of their own, one cell a line …)
    kinds = _line_kinds(tokens)
    label_lines = {label.token.line for label in labels}
    used = {c.line for row, _, _ in placed for c in table.rows[row.key].values() if c.line is not None}

    def orphan(line: int) -> bool:
        values, texts = kinds.get(line, (0, 0))
        return values >= 2 and texts == 0 and line not in label_lines and line not in used

    order = {row.key: i for i, (row, _, _) in enumerate(placed)}
    lines = [label.token.line for _, label, _ in placed]
    flagged: set[int] = set()
    # Numbers left over on lines without a label: before the first row, between rows, after the last.
    before_first = sorted(line for line in kinds if line < lines[0])
    orphans = [before_first[-1]] if before_first and orphan(before_first[-1]) else []
    for _, label, end in placed:
        for t in tokens[label.index + 1 : end]:
            if t.kind == "text" and t.line != label.token.line:
                break
            if t.line != label.token.line and orphan(t.line) and t.line not in orphans:
                orphans.append(t.line)
    blank = [
        i for i, (row, _, _) in enumerate(placed)
        if table.rows[row.key] and all(c.status is CellStatus.BLANK for c in table.rows[row.key].values())
    ]
    for line in orphans:
        after = [i for i in blank if lines[i] > line]
        before = [i for i in blank if lines[i] < line]
        if after:  # shifted up: the numbers of the rows from here on stand one line higher
            first = next(i for i, ln in enumerate(lines) if ln > line)
            flagged.update(range(first, after[0] + 1))
        elif before:  # shifted down: the numbers of the rows from the empty one on stand one line lower
            last = max(i for i, ln in enumerate(lines) if ln < line)
            flagged.update(range(before[-1], last + 1))
    # A line with the numbers of two (or more) rows: the rows beside it that are empty or not found.
    for i, (row, label, end) in enumerate(placed):
        n = len(row.column_keys)
        values = [t for t in tokens[label.index + 1 : end] if t.kind == "value" and t.line == label.token.line]
        if len(values) < 2 * n or len(values) % n:
            continue
        extra = len(values) // n - 1
        flagged.add(i)
        for j in (i + 1, i - 1):
            if extra and 0 <= j < len(placed) and j in blank:
                flagged.add(j)
                extra -= 1
        if extra:
            keys = [r.key for r in spec.rows]
            k = keys.index(row.key)
            for other in (keys[k + 1 : k + 1 + extra] + keys[max(0, k - extra) : k][::-1]):
                if extra and other not in order:
                    order[other] = len(placed) + len(order)
                    flagged.add(order[other])
                    extra -= 1
    keys_by_index = {i: key for key, i in order.items()}
    return sorted((keys_by_index[i] for i in flagged if i in keys_by_index), key=[r.key for r in spec.rows].index)


def _flag_misplaced(
    spec: TableSpec, table: Table, placed: list[tuple[RowSpec, _Label, int]], keys: list[str], noted: set[str | None]
) -> list[ParseNote]:
    """Leave the misplaced rows unread (cells ``unreadable`` keeping what their line had) and
    say so: one note per row beside a line of two rows' numbers, one per run of shifted rows."""
    label_of = {row.key: label for row, label, _ in placed}
    notes: list[ParseNote] = []
    runs: list[list[str]] = []
    index = [r.key for r in spec.rows]
    for key in keys:
        if runs and index.index(key) == index.index(runs[-1][-1]) + 1:
            runs[-1].append(key)
        else:
            runs.append([key])
    for run in runs:
        for key in run:
            cells = table.rows.get(key) or {}
            raw = " ".join(c.raw for c in cells.values() if c.raw) if cells else ""
            label = label_of.get(key)
            line = label.token.line if label else None
            table.rows[key] = {
                k: Cell(None, raw, line, CellStatus.UNREADABLE) for k in spec.row(key).column_keys
            }
            table.uncertain.pop(key, None)
        if len(run) <= 2:
            for key in run:
                if key in noted:
                    continue  # its line's numbers were already reported as too many for one row
                label = label_of.get(key)
                if label is None:
                    message = f"{spec.name}中「{spec.row(key).label}」一行与相邻一行的数连在同一行，无法确定各数所在的行，未读取"
                else:
                    message = f"{spec.name}「{spec.row(key).label}」一行的数与行名错位或与相邻一行连在一起，无法确定各数所在的行，未读取"
                notes.append(ParseNote("row-misplaced", message, label.token.line if label else None, spec.key, key))
        else:
            first, last = spec.row(run[0]), spec.row(run[-1])
            line = label_of[run[0]].token.line if run[0] in label_of else None
            notes.append(
                ParseNote(
                    "rows-shifted",
                    f"{spec.name}从「{first.label}」到「{last.label}」共 {len(run)} 行的数与行名错位一行"
                    "（转换后的表格常见：某行只有行名、另有一行数字没有行名），无法确定各数所在的行，这些行未读取",
                    line,
                    spec.key,
                    None,
                )
            )
    return notes


def read_review_table(tokens: list[Token]) -> TableRead:
    """Table 4: three blocks of five cells, usually one row of 15 numbers under a two-level header."""
    spec = REVIEW_LITIGATION
    tokens = _split_glued(spec, tokens)
    header, words = [], set()
    for t in tokens:
        if t.kind == "text" and "。" not in t.text and len(label_core(t.text)) <= 30:
            found = {w for w in HEADER_WORDS[spec.key] if w in t.text}
            if found:
                header.append(t)
                words |= found
    if len(words) < 2:
        header = []
    values = [t for t in tokens if t.kind == "value"]
    if not header and not values:
        return TableRead(None, [])
    # Blocks written as labelled rows ("行政复议 0 0 0 0 0").
    labelled = read_labelled_table(spec, tokens)
    if labelled.table is not None and all(
        labelled.table.rows[r.key][c].is_number for r in spec.rows for c in r.column_keys
    ):
        return labelled
    if not header:
        if labelled.table is not None and labelled.table.uncertain:
            return labelled
        return TableRead(None, [])
    table = Table.empty(spec)
    keys = [(r.key, c) for r in spec.rows for c in r.column_keys]
    first_line = header[0].line
    if len(values) == len(keys):
        for (row, column), token in zip(keys, values):
            table.rows[row][column] = token.cell  # type: ignore[assignment]
        last_line = values[-1].line
        notes: list[ParseNote] = []
    elif (positional := _review_positional(tokens, values, len(keys))) is not None:
        for (row, column), cell in zip(keys, positional):
            table.rows[row][column] = cell
        last_line = values[-1].line
        notes = []
    elif not values:
        line = header[-1].line
        for row, column in keys:
            table.rows[row][column] = Cell(None, "", line, CellStatus.BLANK)
        last_line = line
        notes = []
    elif (split := _try_split(values, len(keys), digits.T4_ROW_GROUPS)) is not None:
        notes = _apply_review_split(table, split)
        last_line = values[-1].line
    else:
        raw = " ".join(v.text for v in values)
        for row, column in keys:
            table.rows[row][column] = Cell(None, raw, values[0].line, CellStatus.UNREADABLE)
        last_line = values[-1].line
        notes = [
            ParseNote(
                "table-cell-count",
                f"表四应有 15 个数，读到 {len(values)} 个（{raw}），无法确定各数所在的列",
                values[0].line,
                spec.key,
            )
        ]
    table.line, table.end_line = first_line, last_line
    return TableRead(table, notes, first_line, last_line)


def _apply_review_split(table: Table, split: _Split) -> list[ParseNote]:
    """Table 4's 15 cells from runs of digits: block by block, a block is read when all the
    candidate splits agree on it, and uncertain otherwise."""
    notes: list[ParseNote] = []
    width = len(REVIEW_LITIGATION.rows[0].columns)
    for b, row in enumerate(REVIEW_LITIGATION.rows):
        blocks: list[tuple[int | None, ...]] = []
        for c in split.candidates:
            block = tuple(c[b * width : (b + 1) * width])
            if block not in blocks:
                blocks.append(block)
        notes.append(_apply_split(REVIEW_LITIGATION, table, row, split, blocks))
    return notes


def _review_positional(tokens: list[Token], values: list[Token], n: int) -> list[Cell] | None:
    """Table 4's row of numbers with blank cells, tab-separated on one line."""
    if not values:
        return None
    line = values[-1].line
    return _positional([t for t in tokens if t.line == line], n)


def read_table(spec: TableSpec, tokens: list[Token]) -> TableRead:
    if spec is REVIEW_LITIGATION:
        return read_review_table(tokens)
    return read_labelled_table(spec, tokens)
