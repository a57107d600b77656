"""Markdown as PDF-to-Markdown converters write it: a table split in several, a page footer and
header between rows, a row label outside the table, an OCR slip in a label."""

from __future__ import annotations

from gongkai.core.report.checking import Severity, check_report
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.render import build_document, render

from tests.conftest import SEEDS


def noisy_markdown() -> tuple[str, dict]:
    report = read_report(SEEDS["004"])
    md = render(build_document(report), "md").decode("utf-8")
    lines = md.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("| 三、本年度办理结果"))
    # Split table 3 after its 8th outcome row: a page footer and header, then a new table
    # whose first row lost its label to a paragraph above it.
    cut = start + 8
    moved = lines[cut].split("|")
    label = moved[3].strip()
    moved[3] = " "
    lines[cut] = "|".join(moved)
    lines[cut:cut] = ["", "— 3 —", "", "济宁高新区王因街道办事处2023年政府信息公开工作年度报告", "", label, "",
                      "| | | | | | | | | | |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    text = "\n".join(lines).replace("5.属于三类内部事务信息", "5.属于三类内部事物信息")
    return text, report_to_json(report)["tables"]


def test_converter_noise_reads_every_cell():
    text, expected = noisy_markdown()
    assert "— 3 —" in text and "事物信息" in text
    again = read_document(text.encode("utf-8"), ".md")
    assert report_to_json(again)["tables"] == expected
    findings = check_report(again)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    assert [(f.rule, f.row) for f in findings if f.rule == "T-label-approx"] == [("T-label-approx", "denied_internal_affairs")]


def test_page_numbers_between_rows_are_not_cells():
    text = SEEDS["004"].read_text(encoding="utf-8")
    for footer in ("- 3 -", "— 3 —", "第3页 共5页", "3/5"):
        noisy = text.replace("\t二、上年结转政府信息公开申请数量", footer + "\n\t二、上年结转政府信息公开申请数量")
        report = read_document(noisy.encode("utf-8"), ".txt")
        assert report_to_json(report)["tables"] == report_to_json(read_report(SEEDS["004"]))["tables"], footer
