"""Excel and Markdown output, the authored input, and the render command."""

from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl import load_workbook

from gongkai.core.report.authoring import InputError, load_input_text
from gongkai.core.report.checking import Severity, check_report
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.render import build_document, render

from tests.conftest import EXAMPLES, SEEDS

EXAMPLE_INPUT = EXAMPLES / "input" / "report-2025.yaml"


def facts(report):
    return {f.key: f.value for f in report.narrative_facts}


@pytest.fixture(scope="module")
def seeds():
    return {k: read_report(p) for k, p in SEEDS.items()}


@pytest.mark.parametrize(
    "fmt,suffix", [("xlsx", ".xlsx"), ("md", ".md"), ("docx", ".docx"), ("html", ".html"), ("pdf", ".pdf")]
)
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_rewritten_reads_as_the_same_report(seeds, key, fmt, suffix):
    report = seeds[key]
    doc = build_document(report)
    again = read_document(render(doc, fmt), suffix)
    assert report_to_json(again)["tables"] == report_to_json(report)["tables"]
    assert [(m.table, m.is_picture) for m in again.missing_tables] == [(m.table, m.is_picture) for m in report.missing_tables]
    assert ["".join(s.text.split()) for s in again.sections] == ["".join(s.text.split()) for s in doc.sections]
    assert facts(again) == facts(report)
    assert (again.agency, again.year, again.published and again.published.value) == (
        report.agency, report.year, report.published and report.published.value,
    )
    # The same findings, except that the re-written report has all six headings.
    before = {(f.rule, f.severity, f.table) for f in check_report(report) if f.rule != "S-missing"}
    after = {(f.rule, f.severity, f.table) for f in check_report(again)}
    assert after == before


def test_xlsx_has_one_sheet_per_table_with_merged_headers(seeds):
    import io

    data = render(build_document(seeds["004"]), "xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["报告", "表二", "表三", "表四"]
    t3 = wb["表三"]
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert "A2:C4" in merged  # the 勾稽关系 note over three header rows
    assert "D2:J2" in merged  # 申请人情况
    assert "E3:I3" in merged  # 法人或其他组织
    assert t3["D5"].value == 1 and isinstance(t3["D5"].value, int)  # 一、本年新收 / 自然人
    assert t3.freeze_panes == "A5"
    assert wb["表四"]["A5"].value == 0


def test_markdown_is_readable_pipe_tables(seeds):
    text = render(build_document(seeds["004"]), "md").decode("utf-8")
    assert text.startswith("# 济宁高新区王因街道办事处2023年政府信息公开工作年度报告")
    assert "## 三、收到和处理政府信息公开申请情况" in text
    assert "| 一、本年新收政府信息公开申请数量 |  |  | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in text


def test_authored_input_is_correct_by_construction():
    authored = load_input_text(EXAMPLE_INPUT.read_text(encoding="utf-8"), str(EXAMPLE_INPUT))
    report = authored.report
    table = report.table("applications")
    assert table.value("new_received", "total") == 14
    assert table.value("total", "natural_person") == 11  # computed from the outcome rows
    assert report.table("review_litigation").value("review", "total") == 2
    assert not [f for f in check_report(report) if f.severity is Severity.ERROR]
    doc = build_document(report, authored.fee_yuan, draft_preamble=True)
    overview = doc.sections[0].text
    assert "本年度共收到政府信息公开申请14件，上年结转1件；办结13件，其中予以公开5件，部分公开2件" in overview
    assert "被申请行政复议2件、被提起行政诉讼1件" in overview
    assert doc.sections[5].paragraphs[0] == "本年度未依据《政府信息公开信息处理费管理办法》收取信息处理费。"
    again = read_document(render(doc, "md"), ".md")
    assert report_to_json(again)["tables"] == report_to_json(report)["tables"]
    assert facts(again)["applications_received"] == 14
    assert again.published.value.isoformat() == "2026-01-20"


def test_nothing_is_invented():
    text = EXAMPLE_INPUT.read_text(encoding="utf-8").replace("info_fee_yuan: 0", "")
    authored = load_input_text(text)
    doc = build_document(authored.report, authored.fee_yuan, draft_preamble=True)
    assert "信息处理费" not in doc.sections[5].text  # the fee is unknown: no sentence
    without_tables = load_input_text("agency: 某局\nyear: 2025\n")
    doc = build_document(without_tables.report, None, draft_preamble=True)
    assert doc.sections[0].paragraphs == []  # no table 3: no applications summary
    assert doc.sections[2].missing_note == "（未提供本表数据。）"


@pytest.mark.parametrize(
    "text,where",
    [
        ("agency: 某局\nyear: 2025\ntables:\n  applications:\n    granted: {natural_person: 三}\n", "tables.applications"),
        ("agency: 某局\nyear: 二〇二五\n", "year"),
        ("agency: 某局\nyear: 2025\ncolour: red\n", ""),
        ("agency: 某局\nyear: 2025\ntables:\n  active:\n    rules: {issued: 0}\n", "tables.active.rules.repealed"),
        ("agency: [\n", "第 2 行"),
        ("- a list\n", ""),
        ("agency: 某局\nyear: 2025\npublished: 2026-02-30\n", "published"),
    ],
)
def test_bad_input_gets_a_chinese_message_with_its_place(text, where):
    with pytest.raises(InputError) as info:
        load_input_text(text, "bad.yaml")
    assert info.value.code == "invalid_input"
    assert where in info.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120"},
    )


def test_render_command(tmp_path):
    out = tmp_path / "r.xlsx"
    result = run("render", str(EXAMPLE_INPUT), "--to", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "已生成" in result.stdout and "已根据数据补写" in result.stdout
    assert read_document(out.read_bytes(), ".xlsx").table("applications").value("total", "total") == 13


def test_render_refuses_tables_that_do_not_add_up(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE_INPUT.read_text(encoding="utf-8").replace(
            "new_received: {natural_person: 12,", "new_received: {natural_person: 13,"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "bad.md"
    out.write_text("an older file that must survive", encoding="utf-8")
    result = run("render", str(bad), "--to", "md", "-o", str(out))
    assert result.returncode == 1
    assert "拒绝生成" in result.stderr and "T3-balance" in result.stderr
    assert out.read_text(encoding="utf-8") == "an older file that must survive"
    result = run("render", str(bad), "--to", "md", "-o", str(out), "--allow-errors")
    assert result.returncode == 0 and "T3-balance" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("# 示例县自然资源局")


def test_render_from_parse_json_and_bad_input(tmp_path):
    data = run("parse", str(SEEDS["001"]), "--json").stdout
    src = tmp_path / "001.json"
    src.write_text(data, encoding="utf-8")
    result = run("render", str(src), "--to", "md")
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "001.md").read_text(encoding="utf-8")
    assert "本表以图片形式粘贴" in md and "已根据数据补写" not in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("agency: [unclosed\n", encoding="utf-8")
    result = run("render", str(broken), "--to", "md")
    assert result.returncode == 2 and "输入文件内容不符合要求" in result.stderr
    assert "Traceback" not in result.stderr
