"""Digit runs whose cells ran together: split by what the format knows, or reported uncertain."""

from __future__ import annotations

import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import standard
from gongkai.core.report.checking import check_report
from gongkai.core.report.model import CellStatus, report_from_json, report_to_json
from gongkai.core.report.parsing import parse_text
from gongkai.core.report.parsing.digits import (
    MAX_RUN_DIGITS,
    T3_GROUPS,
    T4_BLOCK_GROUPS,
    T4_ROW_GROUPS,
    resolve_columns,
    row_splits,
)
from gongkai.core.report.parsing.dump import is_dump, unflatten
from gongkai.core.report.parsing.lines import split_lines, tokenize
from gongkai.core.report.parsing.tables import read_table
from gongkai.core.standard import APPLICATION_COLUMN_KEYS, APPLICATIONS

from tests.conftest import SEEDS
from tests.strategies import applications_values, consistent_applications

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------------ the splitter


def test_the_example_has_exactly_one_split():
    assert row_splits(["640020470"], 7, T3_GROUPS) == [(64, 0, 0, 2, 0, 4, 70)]


def test_runs_and_single_numbers_together():
    assert row_splits(["64", "0020470"], 7, T3_GROUPS) == [(64, 0, 0, 2, 0, 4, 70)]
    assert row_splits(["64", "0", "0", "2", "0", "4", "70"], 7, T3_GROUPS) == [(64, 0, 0, 2, 0, 4, 70)]


def test_several_splits_are_all_listed():
    # a + b = c over "11011": 1 + 10 = 11 and 11 + 0 = 11 (10 + 1 would read "10111")
    assert row_splits(["11011"], 3, ((0, 2),)) == [(1, 10, 11), (11, 0, 11)]
    # no sum: every split without leading zeros
    assert row_splits(["1001"], 2, ()) == [(100, 1)]
    assert row_splits(["1234"], 2, ()) == [(1, 234), (12, 34), (123, 4)]


def test_no_leading_zeros_and_no_fit():
    assert row_splits(["000"], 3, ()) == [(0, 0, 0)]
    assert row_splits(["0501"], 3, ((0, 2),)) == []  # 0+5=01 is not written so
    assert row_splits(["1111112"], 7, T3_GROUPS) == []  # 1+1+1+1+1+1 = 6, not 12
    assert row_splits(["1" * (MAX_RUN_DIGITS + 1)], 7, T3_GROUPS) is None  # too long to try


def test_table_four():
    assert row_splits(["21003"], 5, T4_BLOCK_GROUPS) == [(2, 1, 0, 0, 3)]
    assert row_splits(["0" * 15], 15, T4_ROW_GROUPS) == [(0,) * 15]
    assert row_splits(["11002", "00000", "10001"], 15, T4_ROW_GROUPS) == [(1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)]


def test_columns_resolve_an_ambiguous_row():
    known = {k: (0,) * 7 for k in standard.APPLICATIONS.row_keys if k not in ("new_received", "total")}
    known["carried_forward"] = (1, 0, 0, 0, 10, 0, 11)
    candidates = {"new_received": row_splits(["000011011"], 7, T3_GROUPS)}
    assert candidates["new_received"] == [(0, 0, 0, 0, 1, 10, 11), (0, 0, 0, 0, 11, 0, 11)]
    candidates["total"] = [(0,) * 7]
    # 一 + 二 = 总计 + 四 needs new_received = (1, 0, 0, 0, 10, 0, 11): neither split gives it, so
    # the report's own numbers do not balance and nothing is inferred from the columns
    assert resolve_columns(known, candidates)["new_received"] == candidates["new_received"]
    known["carried_forward"] = (0, 0, 0, 0, 1, 10, 11)
    assert resolve_columns(known, candidates)["new_received"] == [(0, 0, 0, 0, 1, 10, 11)]


def test_splitter_is_fast():
    runs = ["12345678901234567890", "11111111111111111111", "10203040506070809010", "99999999999999999999"]
    start = time.perf_counter()
    for run in runs:
        row_splits([run], 7, T3_GROUPS)
    assert time.perf_counter() - start < 2.0


# ------------------------------------------------------------- table 3 glued, property


def glued_table3(values: dict, separator: str = "") -> str:
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"]
    for row in APPLICATIONS.rows:
        cells = values[row.key]
        lines.append(row.label + separator + "".join(str(cells[c]) for c in APPLICATION_COLUMN_KEYS))
    return "\n".join(lines) + "\n"


def read_glued(values: dict, separator: str = ""):
    return read_table(APPLICATIONS, tokenize(split_lines(glued_table3(values, separator)))).table


def outcome_of_row(table, key: str, truth: dict) -> str:
    """'exact', 'uncertain' or 'unreadable' (only for runs too long to try); fails on a wrong number."""
    expected = tuple(truth[c] for c in APPLICATION_COLUMN_KEYS)
    cells = [table.cell(key, c) for c in APPLICATION_COLUMN_KEYS]
    statuses = {c.status for c in cells}
    if statuses == {CellStatus.NUMBER}:
        assert tuple(c.value for c in cells) == expected, (key, expected, [c.value for c in cells])
        return "exact"
    if statuses == {CellStatus.UNCERTAIN}:
        assert expected in table.uncertain[key], (key, expected, table.uncertain[key])
        for i, c in enumerate(cells):
            assert expected[i] in c.candidates
        return "uncertain"
    assert statuses == {CellStatus.UNREADABLE}, (key, statuses)
    run = "".join(str(v) for v in expected)
    assert row_splits([run], 7, T3_GROUPS) is None, (key, run)  # only when too long to enumerate
    return "unreadable"


@SETTINGS
@given(values=applications_values(), separator=st.sampled_from(["", " ", "\t"]))
def test_glued_rows_are_read_right_or_uncertain_never_wrong(values, separator):
    table = read_glued(values, separator)
    assert table is not None
    for row in APPLICATIONS.rows:
        outcome_of_row(table, row.key, values[row.key])


def small_consistent_table(rng: random.Random) -> dict:
    """Like ``applications_values``, with the small numbers most reports have."""
    def small() -> int:
        return rng.choice([0, 0, 0, 0, 0, 1, 1, 2, 3, rng.randint(0, 30)])

    return consistent_applications(small, lambda limit: rng.randint(0, min(limit, 3)))


def test_most_rows_resolve_uniquely_with_small_numbers():
    rng = random.Random(20240101)
    counts = {"exact": 0, "uncertain": 0, "unreadable": 0}
    start = time.perf_counter()
    tables = 150
    for _ in range(tables):
        values = small_consistent_table(rng)
        table = read_glued(values)
        for row in APPLICATIONS.rows:
            counts[outcome_of_row(table, row.key, values[row.key])] += 1
    elapsed = time.perf_counter() - start
    share = counts["exact"] / sum(counts.values())
    print(f"glued table 3 rows: {counts}, unique share {share:.1%}, {elapsed / tables * 1000:.1f} ms per table")
    assert share > 0.8, counts


# -------------------------------------------------------------- in reports and in JSON


def seed_003_with(replacements: dict[str, str]) -> str:
    text = SEEDS["003"].read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    return text


def test_uncertain_row_in_json_and_findings():
    text = seed_003_with(
        {
            "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0": "一、本年新收政府信息公开申请数量640020470",
            "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0": "二、上年结转政府信息公开申请数量 0 0 0 0 11011",
        }
    )
    report = parse_text(text)
    data = report_to_json(report)
    assert data["tables"]["applications"]["new_received"] == dict(zip(APPLICATION_COLUMN_KEYS, (64, 0, 0, 2, 0, 4, 70)))
    assert data["cells"]["applications"]["new_received"]["total"]["raw"] == "640020470"
    assert set(data["tables"]["applications"]["carried_over"].values()) == {None}
    cell = data["cells"]["applications"]["carried_over"]["legal_service"]
    assert cell["status"] == "uncertain" and cell["candidates"] == [1, 11]
    assert data["uncertain_rows"] == [
        {
            "table": "applications",
            "row": "carried_over",
            "raw": "0 0 0 0 11011",
            "line": cell["line"],
            "candidates": [[0, 0, 0, 0, 1, 10, 11], [0, 0, 0, 0, 11, 0, 11]],
        }
    ]
    assert report_to_json(report_from_json(data)) == data
    findings = {f.rule: f for f in check_report(report)}
    assert findings["T-uncertain"].row == "carried_over"
    assert findings["T-uncertain"].details["candidates"] == [[0, 0, 0, 0, 1, 10, 11], [0, 0, 0, 0, 11, 0, 11]]
    assert findings["T-split"].row == "new_received"
    assert findings["T-split"].details["values"] == [64, 0, 0, 2, 0, 4, 70]
    assert [f.rule for f in check_report(report_from_json(data))] == [f.rule for f in check_report(report)]


def test_table_two_run_that_could_be_one_number_is_uncertain():
    text = seed_003_with({"规章\t0\t0\t0": "规章 100", "行政规范性文件\t0\t0\t0": "行政规范性文件 000"})
    report = parse_text(text)
    assert report.tables["active"].uncertain["rules"] == ((1, 0, 0),)
    assert report.tables["active"].cell("rules", "issued").status is CellStatus.UNCERTAIN
    assert [report.tables["active"].value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [0, 0, 0]


# ----------------------------------------------------------------------- crawler dump

MENU = "首页 | 政务公开 | 信息公开年报 当前位置：首页 > 政务公开 > 年报 "
FOOTER = " 分享到： 主办单位：济宁高新区管委会 网站标识码3708000001 鲁ICP备12345678号"


def flattened(text: str) -> str:
    """The report on one line, every cell run into the next, as a crawler's dump has it."""
    cells = [c.strip() for line in text.split("\n") for c in line.split("\t") if c.strip()]
    return MENU + "".join(cells) + FOOTER


def test_crawler_dump_parses_like_the_seed():
    seed = SEEDS["004"].read_text(encoding="utf-8")
    dump = flattened(seed)
    assert "\n" not in dump and is_dump(dump) and not is_dump(seed)
    assert unflatten(seed) == seed
    expected = parse_text(seed)
    report = parse_text(dump)
    assert (report.agency, report.year) == (expected.agency, expected.year)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert "首页" not in (report.title or "") and "主办单位" not in report.sections[-1].text
    got, want = report_to_json(report)["tables"], report_to_json(expected)["tables"]
    for key, table in report.tables.items():
        for row, columns in want[key].items():
            if row in table.uncertain:
                assert tuple(columns.values()) in table.uncertain[row]
            else:
                assert got[key][row] == columns, (key, row)
    rules = {f.rule for f in check_report(report)}
    assert "T-split" in rules and "T-unreadable" not in rules


def test_crawler_dump_with_larger_numbers():
    seed = SEEDS["004"].read_text(encoding="utf-8")
    dump = flattened(seed).replace("数量1000001", "数量640020470", 1)
    report = parse_text(dump)
    t3 = report.tables["applications"]
    assert [t3.value("new_received", c) for c in APPLICATION_COLUMN_KEYS] == [64, 0, 0, 2, 0, 4, 70]
