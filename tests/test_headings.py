"""Section headings in the styles real reports use."""

from __future__ import annotations

import pytest

from gongkai.core.report.checking import check_report
from gongkai.core.report.parsing import parse_text

from tests.conftest import seed_text

HEADINGS_003 = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


def with_headings(**replacements: str) -> str:
    text = seed_text("003")
    for number, new in replacements.items():
        old = HEADINGS_003[int(number[1:])]
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    "style",
    [
        {"n1": "1、总体情况", "n2": "2、主动公开政府信息情况", "n3": "3、收到和处理政府信息公开申请情况",
         "n4": "4、政府信息公开行政复议、行政诉讼情况", "n5": "5、存在的主要问题及改进情况", "n6": "6、其他需要报告的事项"},
        {"n1": "（一）总体情况", "n2": "（二）主动公开政府信息情况", "n3": "（三）收到和处理政府信息公开申请情况",
         "n4": "（四）政府信息公开行政复议、行政诉讼情况", "n5": "（五）存在的主要问题及改进情况", "n6": "（六）其他需要报告的事项"},
        {"n1": "第一部分 总体情况", "n4": "第四部分 因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
        {"n4": "四、因政府信息公开工作被申请行政复议和提起行政诉讼的情况", "n5": "五、政府信息公开工作存在的主要问题及改进情况"},
        {"n3": "3、 [image: a1b2c3]收到和处理政府信息公开申请情况"},
        {"n2": "  [bookmark: _GoBack]二、主动公开政府信息情况  "},
        {"n1": "一．总体情况", "n6": "六. 其他需要报告的事项"},
    ],
)
def test_heading_styles(style):
    report = parse_text(with_headings(**style))
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert all(t is not None for t in report.tables.values())
    assert all(s.in_order for s in report.sections)


def test_sub_headings_are_not_sections():
    # Section 一 of seed 003 has sub-headings "(一) 主动公开情况" "(二) 依申请公开情况" …
    report = parse_text(seed_text("003"))
    assert [s.line for s in report.sections] == [5, 19, 36, 70, 77, 87]


def test_sub_heading_with_section_words_inside_section_one():
    text = seed_text("004").replace("（二）依申请公开情况", "（二）收到和处理政府信息公开申请情况", 1)
    report = parse_text(text)
    assert [s.line for s in report.sections] == [6, 18, 64, 351, 407, 411]


def test_missing_section_is_an_error():
    text = seed_text("003").replace("五、存在的主要问题及改进情况", "", 1)
    findings = [f for f in check_report(parse_text(text)) if f.rule == "S-missing"]
    assert [(f.section, f.severity.value) for f in findings] == [("problems", "error")]


def _structure(text: str):
    report = parse_text(text)
    findings = check_report(report)
    by_rule = lambda rule: [f for f in findings if f.rule == rule]  # noqa: E731
    return report, by_rule


def test_parts_renumbered_after_a_part_left_out():
    # The problems part left out, and the part after it numbered 五 where the format has 六.
    text = seed_text("003")
    start, end = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    text = text[:start] + text[end:].replace("六、其他需要报告的事项", "五、其他需要报告的事项", 1)
    report, by_rule = _structure(text)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 6]
    assert [f.section for f in by_rule("S-missing")] == ["problems"]
    numbering = by_rule("S-numbering")
    assert len(numbering) == 1 and numbering[0].severity.value == "warning"
    assert "五、其他需要报告的事项" in numbering[0].message
    assert numbering[0].details["headings"] == [{"section": "other_matters", "numeral": 5, "line": report.sections[-1].line}]


def test_parts_shifted_when_the_active_disclosure_part_has_no_heading():
    # "二、收到和处理…" stands where "三、" should: table 2 is printed inside 总体情况 without its heading.
    text = with_headings(
        n2="主动公开政府信息情况如下表：",
        n3="二、收到和处理政府信息公开申请情况",
        n4="三、政府信息公开行政复议、行政诉讼情况",
        n5="四、存在的主要问题及改进情况",
        n6="五、其他需要报告的事项",
    )
    report, by_rule = _structure(text)
    assert [s.number for s in report.sections] == [1, 3, 4, 5, 6]
    assert all(t is not None for t in report.tables.values())
    assert [f.section for f in by_rule("S-missing")] == ["active_disclosure"]
    assert len(by_rule("S-numbering")) == 1
    assert not by_rule("T-missing")


@pytest.mark.parametrize("real_parts", ["七八九十", "二三四五"])
def test_sub_topics_of_the_overview_numbered_as_parts(real_parts):
    # 总体情况's five sub-topics numbered 二…六 as if they were parts; the parts follow as 七、八…
    # (or numbered 二、三… again).
    text = seed_text("004")
    for old, new in zip("（一）（二）（三）（四）（五）".split("）")[:5], "二三四五六"):
        text = text.replace(old + "）", new + "、", 1)
    numerals = list(real_parts) + (["十一"] if real_parts == "七八九十" else ["六"])
    for number, numeral in zip(range(2, 7), numerals):
        old = HEADINGS_003[number]
        text = text.replace(old, f"{numeral}、{old[2:]}", 1)
    report, by_rule = _structure(text)
    assert [s.line for s in report.sections] == [6, 18, 64, 351, 407, 411]
    assert not by_rule("S-missing") and not by_rule("T-missing")
    expected = 1 if real_parts == "七八九十" else 0
    assert len(by_rule("S-numbering")) == expected
