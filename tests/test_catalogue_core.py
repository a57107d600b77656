"""The catalogue's rules without a database: index numbers, wrong and sensitive words, links,
presets, the publication deadline."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.casework import catalogue
from gongkai.core.casework.catalogue import (
    IndexNumberError,
    WordListError,
    WordRule,
    check_index_prefix,
    check_words,
    extract_links,
    format_index_number,
    format_word_lines,
    parse_index_number,
    parse_word_lines,
    active_disclosure_deadline,
)
from gongkai.core.casework.workdays import DayRule, WorkCalendar

# ------------------------------------------------------------------------ index numbers


@pytest.mark.parametrize("text, prefix, year, month, serial", [
    ("014416330/2018-04736", "014416330", 2018, None, 4736),  # the spec's example
    ("11370000MB2019123X/2021-00012", "11370000MB2019123X", 2021, None, 12),  # credit code holding "2019"
    ("014416330/201804-00012", "014416330", 2018, 4, 12),  # year and month
    ("014416330-2018-04736", "014416330", 2018, None, 4736),  # hyphens only
    ("某县政府办/2020-001", "某县政府办", 2020, None, 1),  # text prefix
    ("XZF-2020-0012", "XZF", 2020, None, 12),
    ("０１４４１６３３０／２０１８－０４７３６", "014416330", 2018, None, 4736),  # full width
    (" 014416330 / 2018—04736 ", "014416330", 2018, None, 4736),  # spaces, an em dash
    ("2020-00012", "", 2020, None, 12),  # no prefix
])
def test_index_numbers_in_use_are_read(text, prefix, year, month, serial):
    number = parse_index_number(text)
    assert (number.prefix, number.year, number.month, number.serial) == (prefix, year, month, serial)
    assert " " not in number.text and "／" not in number.text


@pytest.mark.parametrize("text, message", [
    ("", "请填写索引号"),
    ("   ", "请填写索引号"),
    ("关于某事的通知", "无法识别"),
    ("014416330/18-04736", "无法识别"),  # a two-digit year
    ("014416330/2018", "无法识别"),  # no serial
    ("x" * 50 + "/2018-00001", "过长"),
    ("0144\x0016330/2018-1", "控制字符"),
])
def test_unreadable_index_numbers_are_refused_in_chinese(text, message):
    with pytest.raises(IndexNumberError, match=message):
        parse_index_number(text)


def test_each_format_writes_what_its_label_shows():
    assert format_index_number("slash_year", "014416330", 2026, 3, 1) == "014416330/2026-00001"
    assert format_index_number("slash_month", "014416330", 2026, 3, 1) == "014416330/202603-00001"
    assert format_index_number("hyphen", "014416330", 2026, 3, 42, digits=4) == "014416330-2026-0042"
    for key, (_, label) in catalogue.INDEX_FORMATS.items():
        example = label.split("如 ")[1].rstrip("）")
        assert format_index_number(key, "014416330", 2026, 3, 1) == example


@pytest.mark.parametrize("prefix, message", [("", "请填写"), ("a b", "空格"), ("a/b", "斜杠"), ("x" * 31, "30")])
def test_prefixes_that_would_break_the_number_are_refused(prefix, message):
    with pytest.raises(IndexNumberError, match=message):
        check_index_prefix(prefix)


PREFIX = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY某县府办-", min_size=1, max_size=18).filter(
    lambda p: not p.startswith("-"))


@given(fmt=st.sampled_from(sorted(catalogue.INDEX_FORMATS)), prefix=PREFIX, year=st.integers(1990, 2099),
       month=st.integers(1, 12), serial=st.integers(1, 99999), digits=st.integers(1, 8))
def test_generated_numbers_read_back_to_their_parts(fmt, prefix, year, month, serial, digits):
    text = format_index_number(fmt, prefix, year, month, serial, digits)
    number = parse_index_number(text)
    assert number.text == text
    assert (number.year, number.serial) == (year, serial)
    assert number.month == (month if fmt == "slash_month" else None)
    assert number.prefix == prefix.rstrip("-")


# ------------------------------------------------------------------ wrong and sensitive words


def test_default_list_finds_wrong_forms_with_their_context_and_correction():
    text = "根据《中华人民共合国政府信息公开条例》和国务院办工厅的通知，现将国土资源部的意见公开。"
    found = check_words(text, catalogue.DEFAULT_WORDS)
    assert [(f.rule.word, f.rule.correct) for f in found] == [
        ("中华人民共合国", "中华人民共和国"), ("国务院办工厅", "国务院办公厅"), ("国土资源部", "自然资源部")]
    assert found[0].start == text.index("中华人民共合国")
    assert "政府信息公开条例" in found[0].context
    assert "应为“中华人民共和国”" in found[0].message
    assert "2018年" in found[2].message  # an outdated name says why


def test_right_text_and_allowed_phrases_are_not_findings():
    text = "中华人民共和国国务院办公厅；全国人大常委会；各级农业部门和环境保护部门；自然资源部。"
    assert check_words(text, catalogue.DEFAULT_WORDS) == []
    assert [f.rule.word for f in check_words("原农业部印发", catalogue.DEFAULT_WORDS)] == ["农业部"]
    # a short form inside its own correct form is not a finding; alone it is
    assert [f.rule.word for f in check_words("全国人大常委审议", catalogue.DEFAULT_WORDS)] == ["全国人大常委"]


def test_sensitive_words_and_full_width_text():
    rules = [WordRule("sensitive", "ABC"), WordRule("wrong", "甲乙", "甲丙")]
    found = check_words("ＡＢＣ 与 甲乙、甲乙", rules)
    assert [(f.rule.kind, f.rule.word) for f in found] == [("sensitive", "ABC"), ("wrong", "甲乙"), ("wrong", "甲乙")]
    assert "须经审核确认" in found[0].message


def test_word_lists_are_read_from_the_lines_staff_write():
    text = "中华人民共合国 → 中华人民共和国\n\n# 注释行\n国物院->国务院 # 常见笔误\n人民正府=人民政府\n某局\t某厅\n"
    rules = parse_word_lines(text, "wrong")
    assert [(r.word, r.correct, r.note) for r in rules] == [
        ("中华人民共合国", "中华人民共和国", ""), ("国物院", "国务院", "常见笔误"), ("人民正府", "人民政府", ""),
        ("某局", "某厅", "")]
    assert parse_word_lines(format_word_lines(rules), "wrong") == rules
    assert [r.word for r in parse_word_lines("甲\n乙 # 说明\n", "sensitive")] == ["甲", "乙"]


@pytest.mark.parametrize("text, kind, message", [
    ("只有错误写法\n", "wrong", "第 1 行应写作"),
    ("甲 → 乙\n丙 → 丙\n", "wrong", "第 2 行的错误写法与正确写法相同"),
    ("甲 → 乙\n甲 → 丁\n", "wrong", "第 2 行的“甲”在词表中重复"),
    ("甲\n乙 → 丙\n", "sensitive", "第 2 行：敏感词表每行只写一个词"),
])
def test_word_list_lines_that_cannot_be_read_name_their_line(text, kind, message):
    with pytest.raises(WordListError, match=message):
        parse_word_lines(text, kind)


# ------------------------------------------------------------------------------- links


def test_links_in_text_and_html_each_once_without_trailing_punctuation():
    text = ('详见 http://www.example.gov.cn/a.html。另见<a href="https://example.cn/b?x=1&y=2">链接</a>，'
            "以及（https://example.cn/c）和 http://www.example.gov.cn/a.html, file:///etc/passwd")
    assert extract_links(text) == ["http://www.example.gov.cn/a.html", "https://example.cn/b?x=1&y=2",
                                   "https://example.cn/c", "file:///etc/passwd"]
    assert extract_links("没有链接。") == []


# ----------------------------------------------------------------------------- presets


def test_presets_hold_the_national_categories_and_the_26_grass_roots_areas():
    assert len(catalogue.GRASSROOTS_AREAS) == 26 == len(set(catalogue.GRASSROOTS_AREAS))
    (root,) = catalogue.GRASSROOTS_PRESET
    assert [c.name for c in root.children] == list(catalogue.GRASSROOTS_AREAS)
    assert {"城乡规划", "重大建设项目", "公共资源交易", "财政预决算", "社会保险", "保障性住房"} <= set(catalogue.GRASSROOTS_AREAS)
    names = {c.name: c for c in catalogue.NATIONAL_PRESET}
    assert {"机构职能", "法规文件", "规划计划", "财政信息", "人事信息", "重点领域信息"} <= set(names)
    assert [c.name for c in names["法规文件"].children][:2] == ["规章", "行政规范性文件"]
    codes = [c.code for top in catalogue.NATIONAL_PRESET for c in (top, *top.children)]
    assert len(codes) == len(set(codes))


# --------------------------------------------------------------------------- timeliness


def test_active_disclosure_deadline_skips_the_national_day_holiday_and_counts_make_up_days():
    # 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
    deadline = active_disclosure_deadline(date(2025, 9, 26))
    assert deadline.due == date(2025, 10, 30)
    assert not deadline.provisional
    text = "".join(deadline.explanation)
    assert "《条例》第二十六条" in text and "国庆节" in text and "2025-10-11" in text


def test_active_disclosure_deadline_in_a_year_without_notice_is_provisional_unless_staff_entered_it():
    deadline = active_disclosure_deadline(date(2027, 3, 1))
    assert deadline.provisional and deadline.due == date(2027, 3, 29)
    entered = WorkCalendar([DayRule(date(2027, 3, 3), False, "某假日")], complete_years=[2027])
    later = active_disclosure_deadline(date(2027, 3, 1), entered)
    assert not later.provisional and later.due == date(2027, 3, 30)
