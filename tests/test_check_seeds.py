"""The checker on the five seeds, and on seeds with one number changed."""

from __future__ import annotations

import pytest

from gongkai.core.report.checking import RULES, Severity, check_report
from gongkai.core.report.parsing import parse_text, read_report
from gongkai.core.standard import AgencyKind

from tests.conftest import SEEDS, seed_text


def summary(findings):
    return sorted((f.rule, f.severity.value, f.table or "", f.line or 0) for f in findings)


@pytest.mark.parametrize(
    "key,expected",
    [
        (
            "000",
            [
                ("D-missing", "notice", "", 0),
                ("F-format", "notice", "", 0),
                ("T-picture", "error", "active", 19),
                ("T-picture", "error", "applications", 20),
                ("T-picture", "error", "review_litigation", 34),
            ],
        ),
        (
            "001",
            [
                ("F-format", "notice", "", 0),
                ("T-picture", "error", "active", 18),
                ("T-picture", "error", "applications", 19),
                ("T-picture", "error", "review_litigation", 20),
            ],
        ),
        (
            "002",
            [
                ("D-missing", "notice", "", 0),
                ("F-format", "notice", "", 0),
                ("S-missing", "warning", "", 9),
                ("S-missing", "warning", "", 9),
                ("S-missing", "warning", "", 9),
                ("T-picture", "error", "active", 9),
                ("T-picture", "error", "applications", 9),
                ("T-picture", "error", "review_litigation", 9),
            ],
        ),
        (
            "003",
            [
                ("D-missing", "notice", "", 0),
                ("F-format", "notice", "", 0),
                ("S6-fee", "notice", "", 87),
                ("Y-period-missing", "notice", "", 0),
            ],
        ),
        ("004", [("D-missing", "notice", "", 0), ("F-format", "notice", "", 0)]),
    ],
)
def test_findings_on_the_seeds(key, expected):
    findings = check_report(read_report(SEEDS[key]))
    assert summary(findings) == expected
    for f in findings:
        assert f.rule in RULES
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)


def _changed(key: str, line: int, old: str, new: str) -> str:
    lines = seed_text(key).split("\n")
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def errors(text: str):
    return sorted(
        (f.rule, f.row or "", f.column or "", f.line or 0)
        for f in check_report(parse_text(text))
        if f.severity is Severity.ERROR
    )


def test_004_new_received_changed():
    # Line 85 holds 一、本年新收 / 自然人.
    assert errors(_changed("004", 85, "1", "2")) == [
        ("T3-balance", "", "natural_person", 85),
        ("T3-columns", "new_received", "total", 91),
    ]


def test_004_outcome_changed():
    # Line 116 holds （二）部分公开 / 商业企业.
    assert errors(_changed("004", 115, "0", "3")) == [
        ("T3-columns", "partial", "total", 120),
        ("T3-total", "total", "commercial", 334),
    ]


def test_003_carried_forward_total_changed():
    # Line 68: 四、结转下年度继续办理 … the last value is the total column.
    text = _changed("003", 68, "0\t0\t0\t0\t0\t0\t0", "0\t0\t0\t0\t0\t0\t4")
    assert errors(text) == [
        ("T3-balance", "", "total", 41),
        ("T3-columns", "carried_forward", "total", 68),
    ]


def test_003_table4_block_changed():
    # Line 75 is the single row of 15 numbers; the 7th is 未经复议直接起诉 / 结果纠正.
    lines = seed_text("003").split("\n")
    cells = lines[74].split("\t")
    cells[6] = "2"
    lines[74] = "\t".join(cells)
    assert errors("\n".join(lines)) == [("T4-blocks", "litigation_direct", "total", 75)]


def test_narrative_contradicting_the_table_is_a_warning():
    text = _changed("004", 11, "1条", "3条")
    findings = check_report(parse_text(text))
    narrative = [f for f in findings if f.rule == "N-applications"]
    assert len(narrative) == 1 and narrative[0].severity is Severity.WARNING and narrative[0].line == 11
    assert narrative[0].details == {"narrative": 3, "table": 1}
    assert not [f for f in findings if f.severity is Severity.ERROR]


def test_placeholder_is_a_warning_and_skips_arithmetic():
    text = _changed("003", 41, "一、本年新收政府信息公开申请数量\t0", "一、本年新收政府信息公开申请数量\t—")
    findings = check_report(parse_text(text))
    assert [(f.rule, f.row, f.column) for f in findings if f.severity is not Severity.NOTICE] == [
        ("C-placeholder", "new_received", "natural_person")
    ]


def test_negative_and_fractional_cells_are_errors():
    text = _changed("003", 41, "一、本年新收政府信息公开申请数量\t0", "一、本年新收政府信息公开申请数量\t-1")
    rules = {(f.rule, f.row, f.column) for f in check_report(parse_text(text)) if f.severity is Severity.ERROR}
    assert ("C-value", "new_received", "natural_person") in rules
    text = _changed("003", 23, "规章\t0", "规章\t1.5")
    rules = {(f.rule, f.row, f.column) for f in check_report(parse_text(text)) if f.severity is Severity.ERROR}
    assert rules == {("C-value", "rules", "issued")}


def test_year_and_period_disagree():
    text = _changed("004", 5, "统计期限为2023年1月1日至2023年12月31日", "统计期限为2022年1月1日至2022年12月31日")
    found = [f for f in check_report(parse_text(text)) if f.rule == "Y-period"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR and found[0].line == 5


def test_narrative_year_disagrees():
    text = _changed("004", 7, "2023年，王因街道", "2021年，王因街道")
    found = [f for f in check_report(parse_text(text)) if f.rule == "Y-narrative"]
    assert [(f.line, f.details["year"]) for f in found] == [(7, 2021)]


@pytest.mark.parametrize(
    "agency,date,severity",
    [
        ("青州市王府街道办事处", "2023年2月6日", Severity.WARNING),  # township: local practice
        ("青州市教育局", "2023年2月6日", Severity.ERROR),  # department: 31 January
        ("青州市人民政府", "2023年2月6日", None),  # government: 31 March
        ("青州市人民政府", "2023年4月1日", Severity.ERROR),
        ("青州市教育局", "2023年1月31日", None),
        # A zone's committee: government-level or not, the name does not tell. Late only after 31 March.
        ("济宁高新区管委会", "2023年2月6日", None),
        ("济宁高新区管委会", "2023年4月3日", Severity.ERROR),
    ],
)
def test_publication_deadline(agency, date, severity):
    text = seed_text("001").replace("青州市王府街道办事处", agency).replace("2023年1月29日", date)
    found = [f for f in check_report(parse_text(text)) if f.rule == "D-late"]
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_publication_between_the_two_deadlines_of_an_agency_of_unknown_kind():
    text = seed_text("001").replace("青州市王府街道办事处", "济宁高新区管委会").replace("2023年1月29日", "2023年3月2日")
    report = parse_text(text)
    found = [f for f in check_report(report) if f.rule.startswith("D-")]
    assert [(f.rule, f.severity) for f in found] == [("D-kind-unknown", Severity.NOTICE)]
    assert "2023-01-31" in found[0].message and "2023-03-31" in found[0].message
    assert found[0].details["agency_kind"] is None
    # The kind given (gongkai check --agency-kind, or the agency list in bulk) decides.
    report.agency_kind = AgencyKind.DEPARTMENT
    late = [f for f in check_report(report) if f.rule.startswith("D-")]
    assert [(f.rule, f.severity) for f in late] == [("D-late", Severity.ERROR)]
    assert late[0].details["agency_kind"] == "department" and late[0].details["kind_given"] is True
    report.agency_kind = AgencyKind.GOVERNMENT
    assert not [f for f in check_report(report) if f.rule.startswith("D-")]


def test_invalid_publication_date():
    text = seed_text("001").replace("2023年1月29日", "2023年2月30日")
    found = [f for f in check_report(parse_text(text)) if f.rule == "D-invalid"]
    assert len(found) == 1 and found[0].line == 38


def test_sections_out_of_order():
    text = seed_text("004")
    lines = text.split("\n")
    # Move section 五 (lines 407-410) before section 四 (line 351).
    five = lines[406:410]
    rest = lines[:406] + lines[410:]
    moved = rest[:350] + five + rest[350:]
    findings = check_report(parse_text("\n".join(moved)))
    assert [f.rule for f in findings if f.rule.startswith("S-")] == ["S-order"]
    assert not [f for f in findings if f.severity is Severity.ERROR]


def test_required_table_absent():
    text = seed_text("004")
    lines = text.split("\n")
    # Section 四 says there was nothing, instead of the table.
    lines[351:405] = ["本年度未发生政府信息公开行政复议、行政诉讼案件。"]
    findings = check_report(parse_text("\n".join(lines)))
    missing = [f for f in findings if f.rule == "T-missing"]
    assert [(f.table, f.severity) for f in missing] == [("review_litigation", Severity.ERROR)]


def test_not_a_report():
    findings = check_report(parse_text("Lorem ipsum dolor sit amet.\n这是一段无关的文字。\n"))
    assert [f.rule for f in findings] == ["R-not-a-report"]


def _blank_legal_person_columns(text: str) -> str:
    """Seed 003 with the five 法人或其他组织 columns of table 3 left blank, as some agencies publish it."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        numeric = [i for i, c in enumerate(cells) if c.strip().isdigit()]
        if len(numeric) == 7 and len(cells) < 12:  # a table-3 row (table 4's row has 15 numbers)
            for i in numeric[1:6]:
                cells[i] = ""
        out.append("\t".join(cells))
    return "\n".join(out)


def test_blank_cells_are_one_finding_per_table_and_column():
    report = parse_text(_blank_legal_person_columns(seed_text("003")))
    blank = [f for f in check_report(report) if f.rule == "C-placeholder"]
    assert [(f.table, f.column, f.row) for f in blank] == [
        ("applications", column, None) for column in ("commercial", "research", "social", "legal_service", "other")
    ]
    for f in blank:
        cells = f.details["cells"]
        assert len(cells) == 25 and {c["status"] for c in cells} == {"blank"}
        assert cells[0]["row"] == "new_received" and cells[-1]["row"] == "carried_forward"
        assert f.line == cells[0]["line"] and "25 个单元格" in f.message
