"""Which format a report follows: 2021, 2019, or older."""

from __future__ import annotations

from gongkai.core.checking import Severity, check_report
from gongkai.core.model import MissingReason
from gongkai.core.parsing import parse_text
from gongkai.core.standard import ReportFormat

from conftest import seed_text

TABLE2_2019 = """第二十条第(一)项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t2\t2\t15
第二十条第(五)项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t10\t0\t120
其他对外管理服务事项\t0\t0\t0
第二十条第(九)项\t\t\t
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t3\t45.6\t
"""


def report_2019() -> str:
    lines = seed_text("003").replace("2022", "2020").split("\n")
    lines[63:66] = ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"]  # one row, as the 2019 format prints it
    lines[20:34] = TABLE2_2019.strip("\n").split("\n")
    return "\n".join(lines)


def test_2019_format_is_recognised_and_its_table_2_not_misread():
    report = parse_text(report_2019())
    assert report.format is ReportFormat.F2019
    assert report.year == 2020
    assert report.table("active") is None
    assert report.missing("active").reason is MissingReason.NOT_PARSED
    applications = report.table("applications")
    assert applications is not None and applications.single_other_row
    assert report.table("review_litigation") is not None
    findings = check_report(report)
    assert [(f.rule, f.severity) for f in findings if f.severity is not Severity.NOTICE] == []
    rules = {f.rule for f in findings}
    assert {"F-format", "T-not-parsed"} <= rules
    assert "T3-other-single-row" not in rules


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
