"""Round trips: reports with random consistent numbers, written in the seeds' layouts, parse
back exactly; breaking one number makes exactly the expected rules fail."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import standard
from gongkai.core.report.checking import Severity, check_report
from gongkai.core.report.model import report_from_json, report_to_json
from gongkai.core.report.parsing import parse_text
from gongkai.core.report.render.plaintext import LAYOUTS, render_text

from tests.conftest import SEEDS
from tests.strategies import table_values

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def base_json() -> dict:
    """Seed 004 as JSON: its real narrative, metadata and sections; tables replaced per test."""
    return report_to_json(parse_text(SEEDS["004"].read_text(encoding="utf-8")))


BASE = base_json()
# The narrative states the number of applications; keep it out of the arithmetic tests.
for section in BASE["sections"]:
    section["text"] = section["text"].replace("收到政务信息依申请公开业务1条", "收到政务信息依申请公开业务若干条")
BASE["narrative_facts"] = {}


def report_with(tables: dict):
    data = copy.deepcopy(BASE)
    data["tables"] = tables
    data["cells"] = {}
    return report_from_json(data)


@pytest.mark.parametrize("layout", LAYOUTS)
@SETTINGS
@given(tables=table_values())
def test_random_consistent_report_parses_back_exactly(layout, tables):
    original = report_with(tables)
    expected = report_to_json(original)["tables"]
    parsed = parse_text(render_text(original, layout))
    assert report_to_json(parsed)["tables"] == expected
    assert parsed.agency == original.agency and parsed.year == original.year
    assert [s.number for s in parsed.sections] == [1, 2, 3, 4, 5, 6]
    assert [f.rule for f in check_report(parsed) if f.severity is Severity.ERROR] == []


@SETTINGS
@given(tables=table_values())
def test_json_round_trip(tables):
    data = report_to_json(report_with(tables))
    assert report_to_json(report_from_json(data)) == data


def expected_errors(table: str, row: str, column: str) -> set[tuple]:
    """What breaking one cell must trip, keyed as the checker places it."""
    if table == "review_litigation":
        return {("T4-blocks", row, "total")}
    if table != "applications":
        return set()
    out = {("T3-columns", row, "total")}
    if row in ("new_received", "carried_over", "total", "carried_forward"):
        out.add(("T3-balance", "", column))
    if row == "total" or row in standard.OUTCOME_KEYS or row == standard.SINGLE_OTHER_ROW:
        out.add(("T3-total", "total", column))
    return out


@st.composite
def broken(draw):
    tables = draw(table_values())
    table = draw(st.sampled_from(["active", "applications", "review_litigation"]))
    rows = [r for r, cols in tables[table].items() if cols is not None]
    row = draw(st.sampled_from(rows))
    column = draw(st.sampled_from(sorted(tables[table][row])))
    delta = draw(st.integers(1, 50))
    value = tables[table][row][column]
    if isinstance(value, str):  # admin_fees.amount, a decimal string
        value = format(Decimal(value) + delta, "f")
    else:
        value += delta
    tables[table][row][column] = value
    return tables, (table, row, column)


@pytest.mark.parametrize("layout", ["tabs", "cells"])
@SETTINGS
@given(case=broken())
def test_breaking_one_number_fails_exactly_the_expected_rules(layout, case):
    tables, (table, row, column) = case
    parsed = parse_text(render_text(report_with(tables), layout))
    found = {
        (f.rule, f.row or "", f.column or "")
        for f in check_report(parsed)
        if f.severity is Severity.ERROR
    }
    assert found == expected_errors(table, row, column)


PLACEHOLDER_TEXTS = {"—": "dash", "/": "slash", "无": "none_word", "×": "cross"}


@st.composite
def with_placeholders(draw, allow_blank: bool):
    from gongkai.core.report.model import Cell, CellStatus

    tables = draw(table_values())
    report = report_with(tables)
    choices = list(PLACEHOLDER_TEXTS) + ([""] if allow_blank else [])
    marked = {}
    for _ in range(draw(st.integers(1, 8))):
        key = draw(st.sampled_from(["active", "applications", "review_litigation"]))
        table = report.tables[key]
        row = draw(st.sampled_from(sorted(table.rows)))
        column = draw(st.sampled_from(sorted(table.rows[row])))
        text = draw(st.sampled_from(choices))
        status = CellStatus(PLACEHOLDER_TEXTS[text]) if text else CellStatus.BLANK
        table.rows[row][column] = Cell(None, text, None, status)
        marked[(key, row, column)] = status.value
    return report, marked


@pytest.mark.parametrize("layout,allow_blank", [("tabs", True), ("cells", False), ("spaces", False)])
@SETTINGS
@given(data=st.data())
def test_placeholders_survive_every_layout(layout, allow_blank, data):
    report, marked = data.draw(with_placeholders(allow_blank))
    parsed = parse_text(render_text(report, layout))
    sources = report_to_json(parsed)["cells"]
    for (table, row, column), status in marked.items():
        assert sources[table][row][column]["status"] == status
    # Everything else is read exactly.
    assert report_to_json(parsed)["tables"] == report_to_json(report)["tables"]
    placeholder_findings = {
        (f.table, cell["row"], f.column)
        for f in check_report(parsed)
        if f.rule == "C-placeholder"
        for cell in f.details["cells"]
    }
    assert placeholder_findings == set(marked)
