"""Split digit runs whose cells ran together ("640020470" -> 64 0 0 2 0 4 70).

Flattened text (a crawler's dump of a web page, a copy from a PDF) often loses the separators
between a row's cells. What the format knows restores them:

- every row of table 3 has 7 cells whose first six add up to the seventh;
- every block of table 4 has 5 cells whose first four add up to the fifth;
- a cell is a non-negative integer written without leading zeros ("0" is a cell, "05" is not);
- every column of table 3 balances: 一 + 二 = （七）总计 + 四, and （七）总计 = the sum of the
  outcome rows.

``row_splits`` lists the splits of one row that satisfy the row's own constraints;
``resolve_columns`` removes the splits of table 3's rows that no assignment satisfying the
column equations uses. A row left with one split is read; a row with several is *uncertain*.
Everything is deterministic: candidates come in lexicographic order of their cut points.
"""

from __future__ import annotations

from itertools import product
from typing import Iterable, Sequence

from ...standard import APPLICATION_COLUMN_KEYS, OTHER_SUB_ROWS, OUTCOME_KEYS, SINGLE_OTHER_ROW

Split = tuple[int, ...]

MAX_RUN_DIGITS = 20  # a longer run of digits is not split (per run)
MAX_DIGITS = 60  # all runs of one row together
MAX_CANDIDATES = 64  # more splits than this: the row is not split at all
_MAX_NODES = 200_000  # bound on the enumeration's work per row
_MAX_COMBINATIONS = 200_000  # bound on the final search over table 3's uncertain rows

# Sum groups: (first cell, last cell) — cells first..last-1 add up to cell last.
T3_GROUPS: tuple[tuple[int, int], ...] = ((0, 6),)
T4_BLOCK_GROUPS: tuple[tuple[int, int], ...] = ((0, 4),)
T4_ROW_GROUPS: tuple[tuple[int, int], ...] = ((0, 4), (5, 9), (10, 14))


class TooMany(Exception):
    """The enumeration exceeded its bounds."""


def is_run(text: str) -> bool:
    """A run of ASCII digits (after the caller's normalisation)."""
    return text.isascii() and text.isdigit()


def row_splits(
    parts: Sequence[str | int | None],
    n: int,
    groups: Sequence[tuple[int, int]] = (),
) -> list[Split | tuple[int | None, ...]] | None:
    """The splits of a row's value tokens into ``n`` cells that satisfy the sum ``groups``.

    ``parts`` are the row's value tokens in order: a digit string may be split into several
    cells; anything else (an int, or None for a cell with no number such as "—") is one cell
    as it stands. Returns the candidate splits (tuples of ``n`` values, None where an atom held
    no number), or None when the row is too long or has too many splits to enumerate.
    """
    runs: list[str | None] = []
    atoms: list[int | None] = []
    for p in parts:
        if isinstance(p, str) and is_run(p):
            if len(p) > MAX_RUN_DIGITS:
                return None
            runs.append(p)
            atoms.append(None)
        else:
            runs.append(None)
            atoms.append(p if isinstance(p, int) else None)
    if sum(len(r) for r in runs if r) > MAX_DIGITS:
        return None
    if len(parts) > n:
        return []
    group_of_last = {last: first for first, last in groups}
    group_of_cell: dict[int, int] = {}
    for first, last in groups:
        for i in range(first, last + 1):
            group_of_cell[i] = last
    out: list[tuple[int | None, ...]] = []
    cells: list[int | None] = [None] * n
    nodes = 0
    capacity = [0] * (len(parts) + 1)  # the most cells parts k.. can give
    digits_after = [0] * (len(parts) + 1)  # digits of the runs from index k on
    atom_after = [False] * (len(parts) + 1)  # an atom stands at index k or later
    for k in range(len(parts) - 1, -1, -1):
        r = runs[k]
        capacity[k] = capacity[k + 1] + (len(r) if r is not None else 1)
        digits_after[k] = digits_after[k + 1] + (len(r) if r is not None else 0)
        atom_after[k] = atom_after[k + 1] or r is None

    def partial(last: int, upto: int) -> int | None:
        first = group_of_last[last]
        total = 0
        for i in range(first, upto):
            v = cells[i]
            if v is None:
                return None
            total += v
        return total

    def fits(i: int, value: int | None) -> bool:
        """Prune: cell i may hold value given the sum group it belongs to."""
        if i in group_of_last:
            expected = partial(i, i)
            return expected is None or value is None or value == expected
        return True

    def visit(k: int, pos: int, i: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > _MAX_NODES:
            raise TooMany
        if k == len(parts):
            if i == n:
                out.append(tuple(cells))
                if len(out) > MAX_CANDIDATES:
                    raise TooMany
            return
        remaining_parts = len(parts) - k
        if n - i < remaining_parts:
            return
        run = runs[k]
        if run is None:
            if not fits(i, atoms[k]):
                return
            cells[i] = atoms[k]
            visit(k + 1, 0, i + 1)
            return
        rest = run[pos:]
        # cells still to fill after this one must fit in what remains
        later_capacity = capacity[k + 1]
        if i in group_of_last:
            expected = partial(i, i)
            if expected is not None:
                text = str(expected)
                if not rest.startswith(text):
                    return
                lengths: Iterable[int] = (len(text),)
            else:
                lengths = range(1, len(rest) + 1)
        else:
            lengths = range(1, len(rest) + 1)
        for length in lengths:
            piece = rest[:length]
            if length > 1 and piece[0] == "0":
                break  # a cell does not start with 0; longer pieces neither
            left = len(rest) - length  # digits of this run still unused
            cells_after = n - i - 1
            if left == 0:
                if cells_after < remaining_parts - 1 or cells_after > later_capacity:
                    continue
            else:
                # the rest of this run needs at least one more cell, at most one per digit
                if cells_after < 1 + (remaining_parts - 1) or cells_after > left + later_capacity:
                    continue
            value = int(piece)
            if i in group_of_cell and i not in group_of_last and not atom_after[k + 1]:
                # a part of a sum: it cannot exceed the largest total the digits left allow
                if value >= 10 ** (left + digits_after[k + 1]):
                    break
            cells[i] = value
            if left == 0:
                visit(k + 1, 0, i + 1)
            else:
                visit(k, pos + length, i + 1)
            cells[i] = None

    try:
        visit(0, 0, 0)
    except TooMany:
        return None
    return out


def candidate_values(candidates: Sequence[Sequence[int | None]], column: int) -> tuple[int, ...]:
    """The distinct values one cell takes over the candidate splits, in order of first use."""
    seen: list[int] = []
    for c in candidates:
        v = c[column]
        if v is not None and v not in seen:
            seen.append(v)
    return tuple(seen)


# ----------------------------------------------------------------- table 3's columns


def _equations(rows: Iterable[str]) -> list[tuple[tuple[str, int], ...]]:
    """For every column: the rows and signs of table 3's two equations (sum of sign*value = 0)."""
    present = set(rows)
    outcome = list(OUTCOME_KEYS)
    if SINGLE_OTHER_ROW in present and not any(k in present for k in OTHER_SUB_ROWS):
        outcome = [k for k in outcome if k not in OTHER_SUB_ROWS] + [SINGLE_OTHER_ROW]
    return [
        (("new_received", 1), ("carried_over", 1), ("total", -1), ("carried_forward", -1)),
        (("total", 1), *((k, -1) for k in outcome)),
    ]


def resolve_columns(
    known: dict[str, Sequence[int | None]],
    candidates: dict[str, list[tuple[int | None, ...]]],
) -> dict[str, list[tuple[int | None, ...]]]:
    """Narrow the candidate splits of table 3's rows with the column equations.

    ``known`` maps the rows read without splitting to their 7 values (None for a cell without
    a number: an equation that involves it is not used); ``candidates`` maps the rows that were
    split to their splits. Returns the candidates that some assignment satisfying every usable
    equation uses; if no assignment satisfies them (the report's own numbers do not balance),
    the candidates are returned unchanged.
    """
    if not candidates:
        return candidates
    rows = set(known) | set(candidates)
    equations = [eq for eq in _equations(rows) if all(r in rows for r, _ in eq)]
    ncols = len(APPLICATION_COLUMN_KEYS)
    # per column: equations as (constant from known rows, [(row, sign)] of split rows); an
    # equation with an unknown known cell is dropped for that column
    usable: list[tuple[int, int, list[tuple[str, int]]]] = []
    for eq in equations:
        if not any(r in candidates for r, _ in eq):
            continue
        for col in range(ncols):
            constant = 0
            ok = True
            variables: list[tuple[str, int]] = []
            for r, sign in eq:
                if r in candidates:
                    variables.append((r, sign))
                    continue
                v = known[r][col]
                if v is None:
                    ok = False
                    break
                constant += sign * v
            if ok:
                usable.append((col, constant, variables))
    if not usable:
        return candidates
    current = {r: list(c) for r, c in candidates.items()}
    # Propagation: a split survives if, for every equation, the other rows can complete it.
    changed = True
    while changed:
        changed = False
        for col, constant, variables in usable:
            if any(any(c[col] is None for c in current[r]) for r, _ in variables):
                continue
            for idx, (r, sign) in enumerate(variables):
                others = [v for j, v in enumerate(variables) if j != idx]
                sums = {constant}
                for r2, s2 in others:
                    sums = {s + s2 * c[col] for s in sums for c in current[r2]}  # type: ignore[operator]
                    if len(sums) > 100_000:
                        break
                else:
                    keep = [c for c in current[r] if -(sign * c[col]) in sums]  # type: ignore[operator]
                    if not keep:
                        return candidates  # the report does not balance: no inference
                    if len(keep) < len(current[r]):
                        current[r] = keep
                        changed = True
    # Exact search over what is left, when small enough.
    open_rows = [r for r in sorted(current) if len(current[r]) > 1]
    if open_rows:
        count = 1
        for r in open_rows:
            count *= len(current[r])
        if count <= _MAX_COMBINATIONS:
            fixed = {r: c[0] for r, c in current.items() if len(c) == 1}
            used: dict[str, set[int]] = {r: set() for r in open_rows}
            for combo in product(*(range(len(current[r])) for r in open_rows)):
                assignment = dict(fixed)
                for r, i in zip(open_rows, combo):
                    assignment[r] = current[r][i]
                if all(
                    constant + sum(s * assignment[r][col] for r, s in variables) == 0  # type: ignore[operator]
                    for col, constant, variables in usable
                    if all(assignment[r][col] is not None for r, _ in variables)
                ):
                    for r, i in zip(open_rows, combo):
                        used[r].add(i)
            if any(not used[r] for r in open_rows):
                return candidates
            for r in open_rows:
                current[r] = [c for i, c in enumerate(current[r]) if i in used[r]]
    return current
