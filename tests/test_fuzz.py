"""Bad input gives findings or a clear error, never a traceback."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.report.checking import check_report
from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import parse_bytes, parse_text

from tests.conftest import SEEDS, seed_text

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_and_check(data: bytes) -> None:
    try:
        report = parse_bytes(data, "fuzz.txt")
    except ReportReadError as error:
        assert error.code in ReportReadError.MESSAGES
        return
    findings = check_report(report)
    assert isinstance(findings, list)
    report_to_json(report)


@FUZZ
@given(st.binary(max_size=4000))
def test_binary_junk(data):
    parse_and_check(data)


@FUZZ
@given(st.text(max_size=3000))
def test_random_text(text):
    report = parse_text(text)
    check_report(report)
    report_to_json(report)


report_alphabet = st.sampled_from(
    list("\t\n 0123456789一二三四五六七八九十、（）().—/无")
    + ["规章", "行政许可", "总计", "其他", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
       "二、主动公开政府信息情况", "一、本年新收政府信息公开申请数量", "（六）其他处理", "3.其他", "行政复议", "[image: x]",
       "2023年", "本年度共收到依申请公开件", "件", "统计期限为2023年1月1日至2022年12月31日"]
)


@FUZZ
@given(st.lists(report_alphabet, max_size=400).map("".join))
def test_report_like_noise(text):
    report = parse_text(text)
    check_report(report)
    report_to_json(report)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_cut_off_reports(key):
    text = seed_text(key)
    rng = random.Random(key)
    cuts = sorted({rng.randrange(len(text)) for _ in range(60)} | {0, 1, len(text) // 2, len(text) - 1})
    for cut in cuts:
        report = parse_text(text[:cut])
        check_report(report)
        report_to_json(report)


@FUZZ
@given(st.data())
def test_lines_deleted_or_duplicated(data):
    key = data.draw(st.sampled_from(["003", "004"]))
    lines = seed_text(key).split("\n")
    for _ in range(data.draw(st.integers(1, 12))):
        i = data.draw(st.integers(0, len(lines) - 1))
        if data.draw(st.booleans()):
            del lines[i]
        else:
            lines.insert(i, lines[i])
    report = parse_text("\n".join(lines))
    check_report(report)


@pytest.mark.parametrize(
    "line",
    [
        "0\t" * 300_000,
        "字" * 2_000_000,
        "一、总体情况" + "。" * 500_000,
        "收到申请" * 200_000,
        "行政复议 " * 300_000,
        "[image: " * 100_000,
        "2023年1月1日至" * 100_000,
    ],
)
def test_huge_lines(line):
    text = seed_text("004").replace("一、总体情况\n", "一、总体情况\n" + line + "\n", 1)
    report = parse_text(text)
    check_report(report)
    assert report.agency == "济宁高新区王因街道办事处"


yaml_alphabet = st.sampled_from(
    list(" \n:-{}[],\"'0123456789#&*!|>") + ["agency", "year", "tables", "applications", "granted", "natural_person",
     "sections", "overview", "published", "2026-01-20", "某局", "2025", "null", "true", "review", "total", "0"]
)


@FUZZ
@given(st.lists(yaml_alphabet, max_size=200).map("".join))
def test_authored_input_never_crashes(text):
    from gongkai.core.report.authoring import load_input_text
    from gongkai.core.report.render import build_document

    for suffix in (".yaml", ".json"):
        try:
            authored = load_input_text(text, "fuzz", suffix)
        except ReportReadError as error:
            assert error.message
            continue
        check_report(authored.report)
        build_document(authored.report, authored.fee_yuan, draft_preamble=True)


def test_a_pdf_that_loops_is_stopped_with_a_clear_error():
    import time

    from gongkai.core.report.parsing import read_document
    from tests.hostile import looping_pdf

    start = time.monotonic()
    with pytest.raises(ReportReadError) as info:
        read_document(looping_pdf(), ".pdf", "loop.pdf", timeout=3)
    assert info.value.code == "timeout" and info.value.path == "loop.pdf"
    assert "超时" in info.value.message
    assert time.monotonic() - start < 30
