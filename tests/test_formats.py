"""Which format a report follows: 2021, 2019, or older."""

from __future__ import annotations

import pytest

from gongkai.core.report.checking import Severity, check_report
from gongkai.core.report.model import MissingReason, report_from_json, report_to_json
from gongkai.core.report.parsing import parse_text
from gongkai.core.standard import SINGLE_OTHER_ROW, ReportFormat

from tests.conftest import seed_text

# Table 2 as the 2019 format (国办公开办函〔2019〕60号) prints it.
TABLE2_2019 = """第二十条第(一)项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t2\t2\t15
第二十条第(五)项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t10\t-2\t120
其他对外管理服务事项\t0\t0\t0
第二十条第(六)项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t5\t+1\t37
行政强制\t1\t0\t4
第二十条第(八)项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t
行政事业性收费\t3\t0\t
第二十条第(九)项\t\t\t
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t3\t45.6\t
"""

TABLE2_2019_VALUES = {
    "rules": {"made": 0, "published": 0, "total_public": 0},
    "normative_documents": {"made": 2, "published": 2, "total_public": 15},
    "licensing": {"previous_items": 10, "change": -2, "decisions": 120},
    "other_services": {"previous_items": 0, "change": 0, "decisions": 0},
    "penalty": {"previous_items": 5, "change": 1, "decisions": 37},
    "coercion": {"previous_items": 1, "change": 0, "decisions": 4},
    "admin_fees": {"previous_items": 3, "change": 0},
    "procurement": {"projects": 3, "amount": "45.6"},
}


def report_2019(table2: str = TABLE2_2019) -> str:
    lines = seed_text("003").replace("2022", "2020").split("\n")
    lines[63:66] = ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"]  # one row, as the 2019 format prints it
    lines[20:34] = table2.strip("\n").split("\n")
    return "\n".join(lines)


def test_2019_format_is_recognised_and_its_table_2_read():
    report = parse_text(report_2019())
    assert report.format is ReportFormat.F2019
    assert report.year == 2020
    assert report.table("active") is None and report.missing("active") is None
    assert report_to_json(report)["tables"]["active_2019"] == TABLE2_2019_VALUES
    table = report.table("active_2019")
    assert table.cell("licensing", "change").raw == "-2"
    # the table's lines are not narrative
    section = report.section("active_disclosure")
    assert "采购总金额" not in section.text and "政府集中采购" not in section.text
    applications = report.table("applications")
    assert applications is not None and applications.single_other_row
    assert applications.value(SINGLE_OTHER_ROW, "total") == 0
    assert report.table("review_litigation") is not None
    findings = check_report(report)
    assert [(f.rule, f.severity) for f in findings if f.severity is not Severity.NOTICE] == []
    rules = {f.rule for f in findings}
    assert "F-format" in rules
    assert "T-not-parsed" not in rules and "T3-other-single-row" not in rules
    # the JSON reads back
    again = report_from_json(report_to_json(report))
    assert report_to_json(again)["tables"]["active_2019"] == TABLE2_2019_VALUES


def test_2019_table_2_rules():
    table2 = (
        TABLE2_2019.replace("规范性文件\t2\t2\t15", "规范性文件\t2\t9\t5")
        .replace("行政强制\t1\t0\t4", "行政强制\t1\t-3\t-4")
        .replace("政府集中采购\t3\t45.6", "政府集中采购\t—\t45.6")
    )
    findings = check_report(parse_text(report_2019(table2)))
    got = sorted((f.rule, f.row, f.column, f.severity.value) for f in findings if f.table == "active_2019")
    assert got == [
        ("C-placeholder", "procurement", "projects", "warning"),
        ("C-value", "coercion", "decisions", "error"),
        ("T2-2019-items", "coercion", "change", "warning"),
        ("T2-2019-public", "normative_documents", "total_public", "warning"),
    ]


def test_2019_table_2_not_found_is_missing():
    text = report_2019("第二十条第(一)项\n[image: 表二.png]\n")
    report = parse_text(text)
    assert report.format is ReportFormat.F2019
    assert report.table("active_2019") is None
    assert report.missing("active").reason is MissingReason.PICTURE


def test_2019_format_for_a_2021_report_is_a_warning():
    text = report_2019().replace("2020", "2022")
    findings = [f for f in check_report(parse_text(text)) if f.rule == "F-format"]
    assert [f.severity for f in findings] == [Severity.WARNING]


PRE_2019 = """某某县人民政府办公室2015年政府信息公开工作年度报告

本年度报告中所列数据的统计期限自2015年1月1日起至2015年12月31日止。
一、概述
2015年，县政府办公室认真贯彻落实《中华人民共和国政府信息公开条例》。
二、主动公开政府信息情况
全年主动公开政府信息356条。
三、依申请公开政府信息情况
本年度共受理政府信息公开申请12件，其中当面申请3件、网络申请9件。已答复12件，其中同意公开8件，同意部分公开2件，不同意公开1件，信息不存在1件。
四、政府信息公开的收费及减免情况
本年度未收取任何费用。
五、因政府信息公开申请行政复议、提起行政诉讼的情况
本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。
六、存在的主要问题及改进措施
公开内容有待进一步丰富。
"""


def test_pre_2019_report_is_recognised_and_counted():
    report = parse_text(PRE_2019)
    assert report.format is ReportFormat.PRE2019
    assert report.year == 2015
    assert report.fact("applications_received").value == 12
    assert report.fact("reviews").value == 0 and report.fact("lawsuits").value == 0
    assert all(m.reason is MissingReason.NOT_PARSED for m in report.missing_tables)
    findings = check_report(report)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    assert "2019年以前" in next(f.message for f in findings if f.rule == "F-format")


def test_2021_report_without_citation_is_2021_by_its_tables():
    text = seed_text("003")
    assert parse_text(text).format is ReportFormat.F2021


@pytest.mark.parametrize("fmt,suffix", [("md", ".md"), ("html", ".html"), ("docx", ".docx"), ("xlsx", ".xlsx")])
def test_2019_report_rewritten_keeps_its_own_table_2(fmt, suffix):
    from gongkai.core.report.model import report_to_json
    from gongkai.core.report.parsing import read_document
    from gongkai.core.report.render import build_document, render

    report = parse_text(report_2019())
    again = read_document(render(build_document(report), fmt), suffix)
    assert again.format is ReportFormat.F2019
    assert report_to_json(again)["tables"] == report_to_json(report)["tables"]
    assert report_to_json(again)["tables"]["active_2019"]["licensing"]["change"] == report_to_json(report)["tables"]["active_2019"]["licensing"]["change"]
