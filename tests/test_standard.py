from __future__ import annotations

import pytest

from gongkai.core import standard
from gongkai.core.standard import (
    APPLICATIONS,
    ACTIVE,
    REVIEW_LITIGATION,
    AgencyKind,
    agency_kind,
    parse_agency_kind,
    parse_chinese_numeral,
    publication_deadline,
)
from gongkai.core.report.labels import label_core, match_column, match_row, strip_numbering


def test_the_three_tables_have_every_row_and_column_of_the_spec():
    assert ACTIVE.row_keys == ("rules", "normative_documents", "licensing", "penalty", "coercion", "admin_fees")
    assert sum(len(r.columns) for r in ACTIVE.rows) == 10
    assert len(APPLICATIONS.rows) == 25
    assert all(r.column_keys == standard.APPLICATION_COLUMN_KEYS for r in APPLICATIONS.rows)
    assert standard.APPLICATION_COLUMN_KEYS == (
        "natural_person", "commercial", "research", "social", "legal_service", "other", "total",
    )
    assert len(standard.OUTCOME_KEYS) == 21  # the spec says 22; its own list has 21
    assert standard.OUTCOME_KEYS[0] == "granted" and standard.OUTCOME_KEYS[-1] == "other_other"
    assert REVIEW_LITIGATION.row_keys == ("review", "litigation_direct", "litigation_after_review")
    assert sum(len(r.columns) for r in REVIEW_LITIGATION.rows) == 15
    assert [s.number for s in standard.SECTIONS] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("table", [ACTIVE, APPLICATIONS, REVIEW_LITIGATION])
def test_every_official_label_matches_its_own_row(table):
    for row in (*table.rows, *table.alternative_rows):
        assert match_row(table, row.label) is row, row.label


@pytest.mark.parametrize(
    "text,key",
    [
        ("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)", "partial"),
        ("3.危及“三安全一稳定”", "denied_three_safety"),
        ("3、危及\"三安全一稳定\"", "denied_three_safety"),
        ("2.其他法律行政止公开", "denied_law_prohibited"),  # a typo in a real report (corpus 011)
        ("4.无正当理由大量反复", "rejected_excessive"),  # a label wrapped over two lines
        ("（七）总计", "total"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("３．其他", "other_other"),
    ],
)
def test_label_variants_real_reports_use(text, key):
    row = match_row(APPLICATIONS, text)
    assert row is not None and row.key == key


def test_labels_that_are_not_rows():
    for text in ("申请人情况", "自然人", "三、本年度办理结果", "（三）不予公开", "法人或其他组织", "其他结果"):
        row = match_row(APPLICATIONS, text, include_alternatives=False)
        assert row is None, text


def test_social_organisation_variant_and_columns():
    assert match_column(standard.APPLICANT_COLUMNS, "社会组织").key == "social"
    assert match_column(standard.APPLICANT_COLUMNS, "社会公益组织").key == "social"
    assert match_column(standard.APPLICATION_COLUMNS, "总计").key == "total"


def test_numbering_and_cores():
    assert strip_numbering("三、（一）予以公开") == "予以公开"
    assert strip_numbering("（四）无法提供") == "无法提供"
    assert strip_numbering("4、政府信息公开行政复议") == "政府信息公开行政复议"
    assert label_core(" (二) 部分公开 ") == "部分公开"
    assert label_core("第二十条第（一）项") == "第一项"


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("两", 2), ("35", 35), ("九十九", 99)])
def test_chinese_numerals(text, value):
    assert parse_chinese_numeral(text) == value
    if text.isdigit() or text == "两":
        return
    assert standard.chinese_numeral(value) == text


@pytest.mark.parametrize("text", ["", "百", "十十", "abc", "一二"])
def test_not_chinese_numerals(text):
    assert parse_chinese_numeral(text) is None


@pytest.mark.parametrize(
    "agency,kind,deadline",
    [
        ("淮安市洪泽区人民政府", AgencyKind.GOVERNMENT, "2024-03-31"),
        ("淮安市人民政府", AgencyKind.GOVERNMENT, "2024-03-31"),
        ("青州市王府街道办事处", AgencyKind.TOWNSHIP, "2024-01-31"),
        ("济宁市兖州区小孟镇人民政府", AgencyKind.TOWNSHIP, "2024-01-31"),
        ("济宁市兖州区兴隆庄街道", AgencyKind.TOWNSHIP, "2024-01-31"),
        ("淮安市洪泽区教育局", AgencyKind.DEPARTMENT, "2024-01-31"),
        ("淮安市发展和改革委员会", AgencyKind.DEPARTMENT, "2024-01-31"),
        ("淮安市人民政府办公室", AgencyKind.DEPARTMENT, "2024-01-31"),
        ("淮安市公安局洪泽分局", AgencyKind.DEPARTMENT, "2024-01-31"),
    ],
)
def test_agency_kinds_and_deadlines(agency, kind, deadline):
    assert agency_kind(agency) is kind
    assert publication_deadline(2023, kind).isoformat() == deadline


@pytest.mark.parametrize(
    "agency",
    [
        # Government-level bodies whose names have neither 人民政府 nor a department's ending.
        "济宁高新区管委会",
        "淮安经济技术开发区管理委员会",
        "南京市江北新区管理委员会",
        "苏州工业园区",
        "济宁高新区",
        "淮安市洪泽区",
        None,
        "",
    ],
)
def test_agency_kind_uncertain_from_the_name(agency):
    assert agency_kind(agency) is None


@pytest.mark.parametrize(
    "written,kind",
    [("government", AgencyKind.GOVERNMENT), ("本级政府", AgencyKind.GOVERNMENT), ("人民政府", AgencyKind.GOVERNMENT),
     ("department", AgencyKind.DEPARTMENT), (" 政府部门 ", AgencyKind.DEPARTMENT), ("部门", AgencyKind.DEPARTMENT),
     ("township", AgencyKind.TOWNSHIP), ("乡镇街道", AgencyKind.TOWNSHIP), ("other", None), ("", None)],
)
def test_agency_kind_written_in_a_list(written, kind):
    assert parse_agency_kind(written) is kind
