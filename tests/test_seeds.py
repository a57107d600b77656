"""The five real reports: every cell of tables 2-4, missing pictures, narrative facts, metadata."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.core import standard
from gongkai.core.report.model import CellStatus, MissingReason, report_to_json
from gongkai.core.report.parsing import read_report
from gongkai.core.standard import ReportFormat

from tests.conftest import SEEDS


def zeros_except(overrides: dict[str, dict[str, int]]) -> dict:
    out = {}
    for spec in standard.TABLES:
        out[spec.key] = {}
        for row in spec.rows:
            out[spec.key][row.key] = {
                c.key: ("0" if c.decimal else 0) for c in row.columns
            }
    for path, value in overrides.items():
        table, row, column = path.split(".")
        out[table][row][column] = value
    return out


@pytest.fixture(scope="module")
def reports():
    return {key: read_report(path) for key, path in SEEDS.items()}


def test_003_every_cell_is_zero(reports):
    data = report_to_json(reports["003"])
    assert data["tables"] == zeros_except({})
    assert data["missing_tables"] == []
    # Every cell came from a written "0", with its line.
    for table in data["cells"].values():
        for row in table.values():
            for cell in row.values():
                assert cell["raw"] == "0" and cell["status"] == "number" and cell["line"] > 0


def test_003_misaligned_rows_are_read_by_label(reports):
    # "3.其他\t\t0…" stands one column left of its siblings in the source (line 66).
    table = reports["003"].table("applications")
    assert table.cell("other_other", "natural_person").line == 66
    assert table.cell("total", "total").line == 67
    assert table.cell("granted", "natural_person").line == 44  # numbers on the line after the label
    assert reports["003"].table("review_litigation").cell("litigation_after_review", "total").line == 75


def test_004_one_natural_person_answered_not_held(reports):
    one = {
        "applications.new_received.natural_person": 1,
        "applications.new_received.total": 1,
        "applications.unable_not_held.natural_person": 1,
        "applications.unable_not_held.total": 1,
        "applications.total.natural_person": 1,
        "applications.total.total": 1,
    }
    data = report_to_json(reports["004"])
    assert data["tables"] == zeros_except(one)
    assert data["cells"]["applications"]["new_received"]["natural_person"] == {"raw": "1", "line": 85, "status": "number"}
    assert data["cells"]["applications"]["carried_forward"]["total"]["line"] == 348
    assert data["cells"]["active"]["admin_fees"]["amount"] == {"raw": "0", "line": 61, "status": "number"}


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_tables_pasted_as_pictures_are_missing_not_zero(reports, key):
    report = reports[key]
    assert all(t is None for t in report.tables.values())
    data = report_to_json(report)
    assert data["tables"] == {"active": None, "applications": None, "review_litigation": None}
    assert sorted(m["table"] for m in data["missing_tables"]) == ["active", "applications", "review_litigation"]
    assert all(m["is_picture"] for m in data["missing_tables"])


def test_picture_markers_are_attributed(reports):
    r000 = reports["000"]
    assert r000.missing("applications").reason is MissingReason.PICTURE
    assert r000.missing("applications").pictures == ("[image: dbabfce8d6dceaa773dc524c826d601]",)
    assert r000.missing("review_litigation").pictures == ("[image: 5063bcb163453c8d66eb033ed3344f0]",)
    # 001: headings with nothing under them: the pictures were lost when the text was copied.
    assert {m.reason for m in reports["001"].missing_tables} == {MissingReason.EMPTY_SECTION}
    # 002: no headings for sections 二-四 at all, only pictures where they belong.
    r002 = reports["002"]
    assert [s.number for s in r002.sections] == [1, 5, 6]
    assert {m.reason for m in r002.missing_tables} == {MissingReason.PICTURE}


@pytest.mark.parametrize(
    "key,facts",
    [
        ("000", {"applications_received": 0, "info_fee_yuan": Decimal(0)}),
        ("001", {"applications_received": 5, "reviews": 0, "lawsuits": 0, "info_fee_yuan": Decimal(0)}),
        ("002", {"applications_received": 0, "info_fee_yuan": Decimal(0)}),
        ("003", {"applications_received": 0}),
        ("004", {"applications_received": 1, "info_fee_yuan": Decimal(0)}),
    ],
)
def test_narrative_facts(reports, key, facts):
    found = {f.key: f.value for f in reports[key].narrative_facts}
    assert found == facts


def test_narrative_fact_keeps_its_sentence_and_line(reports):
    fact = reports["001"].fact("applications_received")
    assert fact.line == 10 and "5件" in fact.text


@pytest.mark.parametrize(
    "key,agency,year,period,published",
    [
        ("000", "济宁市兖州区兴隆庄街道", 2022, (date(2022, 1, 1), date(2022, 12, 31)), None),
        ("001", "青州市王府街道办事处", 2022, (date(2022, 1, 1), date(2022, 12, 31)), date(2023, 1, 29)),
        ("002", "济宁市兖州区小孟镇人民政府", 2022, (date(2022, 1, 1), date(2022, 12, 31)), None),
        ("003", "老城区西南隅街道办事处", 2022, None, None),
        ("004", "济宁高新区王因街道办事处", 2023, (date(2023, 1, 1), date(2023, 12, 31)), None),
    ],
)
def test_metadata(reports, key, agency, year, period, published):
    report = reports[key]
    assert report.agency == agency
    assert report.year == year
    assert (report.period.start, report.period.end) == period if period else report.period is None
    assert (report.published.value if report.published else None) == published
    assert report.format is ReportFormat.F2021


def test_contacts(reports):
    r = reports["000"]
    assert (r.website, r.address, r.telephone) == (
        "http://www.yanzhou.gov.cn/", "济宁市兖州区兴隆庄街道办事处", "0537-3872318",
    )
    r = reports["002"]
    assert (r.website, r.address, r.telephone) == ("www.yanzhou.gov.cn", "济宁市兖州区小孟镇府前路49号", "0537-3842211")


@pytest.mark.parametrize(
    "key,lines",
    [
        ("000", [7, 19, 20, 34, 40, 43]),
        ("001", [5, 18, 19, 20, 21, 32]),
        ("003", [5, 19, 36, 70, 77, 87]),
        ("004", [6, 18, 64, 351, 407, 411]),
    ],
)
def test_six_sections_found_in_every_heading_style(reports, key, lines):
    assert [s.line for s in reports[key].sections] == lines
    assert [s.number for s in reports[key].sections] == [1, 2, 3, 4, 5, 6]


def test_section_texts_exclude_tables(reports):
    r = reports["004"]
    assert r.section("applications").text == ""
    assert "2024年，王因街道" in r.section("problems").text
    assert r.section("overview").text.startswith("2023年，王因街道")


def test_placeholder_cells_are_kept_not_zero():
    text = SEEDS["003"].read_text(encoding="utf-8").replace("规章\t0\t0\t0", "规章\t—\t/\t")
    from gongkai.core.report.parsing import parse_text

    table = parse_text(text).table("active")
    assert [table.cell("rules", c).status for c in ("issued", "repealed", "in_force")] == [
        CellStatus.DASH, CellStatus.SLASH, CellStatus.BLANK,
    ]
    assert report_to_json(parse_text(text))["tables"]["active"]["rules"] == {"issued": None, "repealed": None, "in_force": None}


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_json_round_trip_keeps_report_and_findings(reports, key):
    from gongkai.core.report.checking import check_report
    from gongkai.core.report.model import report_from_json

    data = report_to_json(reports[key])
    again = report_from_json(data)
    assert report_to_json(again) == data
    assert check_report(again) == check_report(reports[key])


def test_single_other_row_json_order():
    from gongkai.core.report.parsing import parse_text

    lines = SEEDS["003"].read_text(encoding="utf-8").split("\n")
    # Replace the three （六） sub-rows (lines 64-66) by one （六）其他处理 row.
    lines[63:66] = ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"]
    report = parse_text("\n".join(lines))
    data = report_to_json(report)
    keys = list(data["tables"]["applications"])
    assert keys[-3:] == ["other_total_single_row", "total", "carried_forward"]
    assert [data["tables"]["applications"][k] for k in standard.OTHER_SUB_ROWS] == [None, None, None]
    assert [data["cells"]["applications"][k] for k in standard.OTHER_SUB_ROWS] == [None, None, None]
    assert data["cells"]["applications"]["other_total_single_row"]["total"]["line"] == 64
    from gongkai.core.report.checking import check_report

    findings = check_report(report)
    assert [f.rule for f in findings if f.rule.startswith("T")] == ["T3-other-single-row"]
