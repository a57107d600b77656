"""Tables scrambled by third-party PDF→Markdown conversions: rows shifted by one, two rows run
together in one line. A row whose cells cannot be placed with certainty is flagged; no number is
assigned to the wrong row as a plain number (issue 14, item 3)."""

from __future__ import annotations

import re

import pytest

from gongkai.core.report.checking import check_report
from gongkai.core.report.model import CellStatus
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.parsing.markdown import markdown_to_text
from gongkai.core.report.render import build_document, render
from gongkai.core.standard import APPLICATIONS

from tests.conftest import SEEDS

ROW_KEYS = [row.key for row in APPLICATIONS.rows]
_ROW = re.compile(r"^\|(?:[^|]*\|){3}(?:\s*\d+\s*\|){7}\s*$")


def _values(r: int) -> list[int]:
    """Distinct numbers for row r: a number read into the wrong row cannot pass for the right one."""
    return [100 * (r + 1) + c for c in range(7)]


def converted() -> list[str]:
    """Seed 004 as a converter writes it in Markdown, with distinct numbers in every row of table 3."""
    md = render(build_document(read_report(SEEDS["004"])), "md").decode("utf-8").split("\n")
    rows = [i for i, line in enumerate(md) if _ROW.match(line)]
    assert len(rows) == 25
    for r, i in enumerate(rows):
        cells = md[i].split("|")
        cells[4:11] = [f" {v} " for v in _values(r)]
        md[i] = "|".join(cells)
    return md


def _table_rows(md: list[str]) -> list[int]:
    return [i for i, line in enumerate(md) if _ROW.match(line)]


def _split(line: str) -> tuple[list[str], list[str]]:
    cells = line.split("|")
    return cells[:4], cells[4:11]


def shifted_down(md: list[str], first: int) -> list[str]:
    """From row ``first`` on, each row's numbers stand on the next row's line; the last row's
    numbers on a line of their own after the table; row ``first``'s line has none."""
    rows = _table_rows(md)
    out = list(md)
    numbers = [_split(md[i])[1] for i in rows]
    for r in range(first, len(rows)):
        labels, _ = _split(md[rows[r]])
        moved = numbers[r - 1] if r > first else ["  "] * 7
        out[rows[r]] = "|".join(labels + moved + [""])
    out.insert(rows[-1] + 1, "|".join(["", "  ", "  ", "  "] + numbers[-1] + [""]))
    return out


def shifted_up(md: list[str], first: int) -> list[str]:
    """From row ``first`` on, each row's numbers stand on the line before (row ``first``'s on a
    line of their own above it); the last row's line has none."""
    rows = _table_rows(md)
    out = list(md)
    numbers = [_split(md[i])[1] for i in rows]
    for r in range(first, len(rows)):
        labels, _ = _split(md[rows[r]])
        moved = numbers[r + 1] if r + 1 < len(rows) else ["  "] * 7
        out[rows[r]] = "|".join(labels + moved + [""])
    out.insert(rows[first], "|".join(["", "  ", "  ", "  "] + numbers[first] + [""]))
    return out


def merged_cellwise(md: list[str], r: int) -> list[str]:
    """Rows r and r+1 run together cell by cell: "1.属于国家秘密 2.其他法律…" and "100 200" in each cell."""
    rows = _table_rows(md)
    a_labels, a_numbers = _split(md[rows[r]])
    b_labels, b_numbers = _split(md[rows[r + 1]])
    labels = [a.strip() + (" " + b.strip() if b.strip() and b.strip() != a.strip() else "") for a, b in zip(a_labels, b_labels)]
    numbers = [f" {a.strip()} {b.strip()} " for a, b in zip(a_numbers, b_numbers)]
    out = list(md)
    out[rows[r]] = "|".join([f" {c} " if c else "" for c in labels] + numbers + [""])
    del out[rows[r + 1]]
    return out


def merged_in_one_line(md: list[str], r: int) -> list[str]:
    """Row r's line carries the numbers of rows r and r+1; row r+1's label stands alone on its line."""
    rows = _table_rows(md)
    a_labels, a_numbers = _split(md[rows[r]])
    b_labels, b_numbers = _split(md[rows[r + 1]])
    out = list(md)
    out[rows[r]] = "|".join(a_labels + a_numbers + b_numbers + [""])
    out[rows[r + 1]] = "|".join(b_labels + ["  "] * 7 + [""])
    return out


def merged_label_lost(md: list[str], r: int) -> list[str]:
    """Row r's line carries the numbers of rows r and r+1; row r+1's label is lost altogether."""
    rows = _table_rows(md)
    out = merged_in_one_line(md, r)
    del out[rows[r + 1]]
    return out


@pytest.fixture(params=[".md", ".txt"])
def suffix(request) -> str:
    """Markdown as converted, or the same table as tab-separated plain text."""
    return request.param


def _read(md: list[str], suffix: str = ".md"):
    data = "\n".join(md).encode("utf-8")
    if suffix == ".txt":
        data = markdown_to_text(data).encode("utf-8")
        assert "|" not in data.decode("utf-8").split("表三")[-1].split("四、")[0]
    report = read_document(data, suffix)
    return report, report.table("applications"), check_report(report)


def _no_wrong_number(table) -> dict[str, str]:
    """Every row's cells: 'exact' (its own numbers), 'flagged' (unreadable or uncertain); a cell read
    as a number that is not its own fails the test."""
    state = {}
    for r, key in enumerate(ROW_KEYS):
        cells = [table.rows[key][c] for c in APPLICATIONS.row(key).column_keys]
        for cell, value in zip(cells, _values(r)):
            assert not (cell.status is CellStatus.NUMBER and cell.value != value), (key, cell, value)
        if all(c.status is CellStatus.NUMBER for c in cells):
            state[key] = "exact"
        else:
            assert all(c.status in (CellStatus.UNREADABLE, CellStatus.UNCERTAIN) for c in cells), (key, cells)
            state[key] = "flagged"
    return state


def test_the_unscrambled_conversion_reads_exactly(suffix):
    _, table, findings = _read(converted(), suffix)
    assert set(_no_wrong_number(table).values()) == {"exact"}
    assert not [f for f in findings if f.rule in ("T-unreadable", "T-uncertain")]


@pytest.mark.parametrize("first", [0, 10])
@pytest.mark.parametrize("scramble", [shifted_down, shifted_up])
def test_rows_shifted_by_one_are_flagged_not_read(scramble, first, suffix):
    _, table, findings = _read(scramble(converted(), first), suffix)
    state = _no_wrong_number(table)
    assert all(state[k] == "exact" for k in ROW_KEYS[:first])
    assert all(state[k] == "flagged" for k in ROW_KEYS[first:])
    flags = [f for f in findings if f.rule == "T-unreadable" and f.table == "applications"]
    assert len(flags) == 1 and flags[0].row is None and f"共 {25 - first} 行的数与行名错位" in flags[0].message
    # Not read, so not summed: no arithmetic error is raised on numbers that were never the rows'
    # (the test's numbers do not add up in any row; the rows above the shift are read and summed).
    arithmetic = [f for f in findings if f.rule.startswith("T3-")]
    assert {f.rule for f in arithmetic} <= {"T3-columns"}
    assert {f.row for f in arithmetic} == set(ROW_KEYS[:first])


@pytest.mark.parametrize("scramble", [merged_cellwise, merged_in_one_line, merged_label_lost])
@pytest.mark.parametrize("r", [4, 20])
def test_two_rows_run_together_are_flagged_not_read(scramble, r, suffix):
    _, table, findings = _read(scramble(converted(), r), suffix)
    state = _no_wrong_number(table)
    flagged = {k for k, v in state.items() if v == "flagged"}
    assert flagged == {ROW_KEYS[r], ROW_KEYS[r + 1]}
    flags = [f for f in findings if f.rule == "T-unreadable" and f.table == "applications"]
    assert {f.row for f in flags} == flagged
