"""The bulletin's text from the checks (core/report/bulletin.py) and the region workbook
(core/report/workbook.py), on the seed reports: what the data says and nothing else."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from gongkai.core import standard
from gongkai.core.report.bulletin import AgencyResult, Standout, compose, render_bulletin, timeliness
from gongkai.core.report.checking import check_report
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_report
from gongkai.core.report.workbook import HEADER_ROWS, AgencyTables, region_workbook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED_001 = EXAMPLES / "001_3207f0398fafbe08.txt"  # 青州市王府街道办事处 2022, signed 2023-01-29
SEED_004 = EXAMPLES / "004_0088059577d88b46.txt"  # 济宁高新区王因街道办事处 2023, no date


def result(path: Path) -> AgencyResult:
    report = read_report(path)
    return AgencyResult(report.agency, standard.agency_kind(report.agency), True,
                        report.published.value if report.published else None,
                        [f.to_json() for f in check_report(report)])


def text(bulletin) -> str:
    return "\n".join(b.text for b in bulletin.blocks)


def test_timeliness_follows_article_49_per_kind():
    seed = result(SEED_001)
    assert seed.kind is standard.AgencyKind.TOWNSHIP and seed.deadline(2022) == date(2023, 1, 31)
    late = AgencyResult("某县财政局", standard.AgencyKind.DEPARTMENT, True, date(2023, 2, 1))
    government = AgencyResult("某县人民政府", standard.AgencyKind.GOVERNMENT, True, date(2023, 3, 31))
    missing = AgencyResult("某镇人民政府", standard.AgencyKind.TOWNSHIP)
    undated = result(SEED_004)
    sorted_ = timeliness([seed, late, government, missing, undated], 2022)
    assert [a.name for a in sorted_["on_time"]] == [seed.name, "某县人民政府"]
    assert [a.name for a in sorted_["late"]] == ["某县财政局"]
    assert sorted_["missing"] == [missing] and sorted_["undated"] == [undated]


def test_without_cross_checks_or_indicators_the_bulletin_says_so():
    bulletin = compose("某县人民政府办公室", "某县人民政府", 2022, [result(SEED_001)], date(2023, 4, 1),
                       standouts=None, copying_checked=False)
    body = text(bulletin)
    assert "本次未进行报告之间的文字比对" in body and "本次未计算比较指标" in body
    assert "表格以图片形式粘贴，无法读取" in body  # seed 001's T-picture errors, by rule


def test_checked_and_nothing_found_is_said_differently():
    body = text(compose("办公室", "某县人民政府", 2022, [result(SEED_001)], date(2023, 4, 1), standouts=[],
                        copying_checked=True))
    assert "未发现大段雷同的正文" in body and "未见明显偏离" in body


def test_standouts_are_grouped_by_their_rule_and_the_docx_opens():
    standouts = [Standout("甲局", "申请数量突变", "变化幅度不低于50%", "本年新收申请95件，上年21件"),
                 Standout("乙局", "申请数量突变", "变化幅度不低于50%", "本年新收申请3件，上年40件")]
    bulletin = compose("办公室", "某县人民政府", 2022, [result(SEED_001)], date(2023, 4, 1), standouts=standouts)
    paragraphs = [p.text for p in Document(io.BytesIO(render_bulletin(bulletin))).paragraphs]
    assert paragraphs.count("（一）申请数量突变") == 1
    assert "1.甲局：本年新收申请95件，上年21件。" in paragraphs and "2.乙局：本年新收申请3件，上年40件。" in paragraphs


def test_workbook_row_per_agency_and_totals_from_the_reports():
    reports = [report_to_json(read_report(p)) for p in (EXAMPLES / "003_d9cb11323f1ad30e.txt", SEED_004)]
    rows = [AgencyTables(r["agency"], "上传", "", r["tables"]) for r in reports] + [AgencyTables("某镇人民政府")]
    book = load_workbook(io.BytesIO(region_workbook("统计表", rows)))
    sheet = book.worksheets[1]
    keys = [c.value for c in sheet[HEADER_ROWS]]
    column = keys.index("applications.unable_not_held.total") + 1
    values = [r["tables"]["applications"]["unable_not_held"]["total"] for r in reports]
    assert [sheet.cell(HEADER_ROWS + i, column).value for i in (1, 2, 3, 4)] == [*values, None, sum(values)]
    assert sheet.cell(HEADER_ROWS + 3, 2).value == "未收到报告"
    assert sheet.cell(HEADER_ROWS + 4, 1).value == "合计（2个机关）"
