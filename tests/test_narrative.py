"""Facts the narrative states, and metadata."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.core.report.parsing import parse_text
from gongkai.core.report.parsing.lines import split_lines
from gongkai.core.report.parsing.narrative import agency_and_year, extract_facts


def facts(text: str, year: int | None = 2023) -> dict:
    return {f.key: f.value for f in extract_facts(split_lines(text), year)}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("本年度共收到依申请公开件5件（均为网络途径）。", {"applications_received": 5}),
        ("2023年，全区受理政府信息公开申请21件，上年结转2件，结转下年度1件。",
         {"applications_received": 21, "applications_carried_over": 2, "applications_carried_forward": 1}),
        ("全年共收到政府信息公开申请五件。", {"applications_received": 5}),
        ("本年度新收政府信息公开申请十二件", {"applications_received": 12}),
        ("街道收到政务信息依申请公开业务1条，申请人为自然人。", {"applications_received": 1}),
        ("2023年街道未收到来自公民、法人或者其他组织对申请公开政府信息的申请。", {"applications_received": 0}),
        ("(二) 依申请公开情况：无。", {"applications_received": 0}),
        ("全年未发生因政府信息公开被行政复议、提起行政诉讼情况。", {"reviews": 0, "lawsuits": 0}),
        ("被申请行政复议2件，被提起行政诉讼1起。", {"reviews": 2, "lawsuits": 1}),
        ("全年收取信息处理费3940元。", {"info_fee_yuan": Decimal(3940)}),
        ("收取信息处理费0.5万元。", {"info_fee_yuan": Decimal(5000)}),
        ("我单位未收取信息处理费。", {"info_fee_yuan": Decimal(0)}),
        ("本年度未依据《政府信息公开信息处理费管理办法》收取信息处理费。", {"info_fee_yuan": Decimal(0)}),
        ("收取信息处理费的情况：无；", {"info_fee_yuan": Decimal(0)}),
        ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况\n无。", {"info_fee_yuan": Decimal(0)}),
        # A sentence about another year is not this year's fact.
        ("2022年共收到政府信息公开申请3件。", {}),
    ],
)
def test_facts(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Slogans and method names with a numeral in them, as reports write them: not counts.
        "对收到的政府信息公开申请，严格落实“三个第一时间”要求，做到第一时间登记、第一时间研判、第一时间答复。",
        "受理政府信息公开申请后，坚持“两个确保”，确保答复内容合法、确保答复期限合规。",
        "受理政府信息公开申请，做到一次性告知补正内容，减少申请人往返。",
        "依托“一网通办”平台受理政府信息公开申请，推行“五个一”工作法。",
        "办理行政复议工作中做到两个确保，行政诉讼应诉坚持三个到位。",
        "积极推行依申请公开“一件事一次办”，收到申请一个工作日内登记。",
        "在收到政府信息公开申请后，落实“3个第一时间”机制。",
    ],
)
def test_numbers_that_are_not_counts(text):
    assert facts(text) == {}


@pytest.mark.parametrize(
    "text,expected",
    [
        # A count stays a count beside a slogan, and when words follow it.
        ("严格落实“三个第一时间”，全年共收到政府信息公开申请十二件，均已按时答复。", {"applications_received": 12}),
        ("本年度受理政府信息公开申请两件均已办结。", {"applications_received": 2}),
        ("全年共收到政府信息公开申请十五件次，均按时答复。", {"applications_received": 15}),
        ("被申请行政复议一件，被提起行政诉讼两起。", {"reviews": 1, "lawsuits": 2}),
    ],
)
def test_counts_beside_slogans(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "title,agency,year",
    [
        ("济宁市兖州区兴隆庄街道2022年政府信息公开工作年度报告", "济宁市兖州区兴隆庄街道", 2022),
        ("淮安市人民政府2024年度政府信息公开工作年度报告", "淮安市人民政府", 2024),
        ("2023年淮安市洪泽区教育局政府信息公开工作年度报告", "淮安市洪泽区教育局", 2023),
        ("某某县财政局二〇二三年政府信息公开工作年度报告", "某某县财政局", 2023),
        ("关于某某镇2021年政务公开工作的年度报告", None, 2021),
    ],
)
def test_titles(title, agency, year):
    found_agency, found_year = agency_and_year(title)
    assert found_year == year
    if agency is not None:
        assert found_agency == agency


def test_title_over_two_lines_and_signature_date():
    text = "青州市王府街道办事处\n2022年政府信息公开工作年度报告\n\n本报告所列数据的统计时限自2022年1月1日至2022年12月31日。\n一、总体情况\n略。\n六、其他需要报告的事项\n无。\n\n青州市王府街道办事处\n2023年1月29日\n"
    report = parse_text(text)
    assert report.agency == "青州市王府街道办事处" and report.year == 2022
    assert report.period.start == date(2022, 1, 1) and report.period.end == date(2022, 12, 31)
    assert report.published.value == date(2023, 1, 29) and report.published.line == 11


def test_labelled_publication_date():
    report = parse_text("某某局2023年政府信息公开工作年度报告\n发布日期：2024-01-26\n一、总体情况\n")
    assert report.published.value == date(2024, 1, 26)


def test_period_wrapped_over_two_lines_as_pdf_text_has_it():
    # The preamble of 淮安市洪泽区人民政府's 2023 report (corpus 011), as its PDF's text layer wraps it.
    text = (
        "洪泽区人民政府\n2023年政府信息公开工作年度报告\n"
        "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和\n"
        "国政府信息公开条例》（国令第711号）（以下简称《条例》）\n"
        "要求编制此报告。报告中所列数据统计期限自2023年1月1日\n"
        "起至2023年12月31日止。如对本报告有疑问，请与淮安市洪\n"
        "一、总体情况\n略。\n"
    )
    report = parse_text(text)
    assert (report.period.start, report.period.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert report.period.line == 5
