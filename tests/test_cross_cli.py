"""`gongkai check` with several reports and `gongkai compare`, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gongkai.core.report.compare import compare
from gongkai.core.report.parsing import read_report
from gongkai.core.report.render.plaintext import render_text

from tests.strategies import fixed_years
from tests.test_cross import AGENCY, CORPUS, FIRST_YEAR, authored, needs_corpus


def run(*args: str) -> subprocess.CompletedProcess:
    """``gongkai`` in a separate process, as tests/test_cli.py runs it; the source tree on
    PYTHONPATH wins over the installed one when it is set."""
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def two_years(tmp_path):
    """Two years of one agency as text files; the second year's 上年结转 differs from the first
    year's 结转下年度 by one application, moved from 本年新收 so that each report balances alone."""
    years = fixed_years(2)
    t3 = years[1]["applications"]
    column = next(c for c in ("natural_person", "commercial", "research", "social", "legal_service", "other") if t3["new_received"][c] > 0)
    for row, step in (("carried_over", 1), ("new_received", -1)):
        t3[row][column] += step
        t3[row]["total"] += step
    paths = []
    for i, tables in enumerate(years):
        path = tmp_path / f"{FIRST_YEAR + i}.txt"
        path.write_text(render_text(authored(tables, FIRST_YEAR + i)), encoding="utf-8")
        paths.append(path)
    return paths, column


def test_check_several_reports_adds_the_cross_findings(two_years):
    (first, second), column = two_years
    single = run("check", "--json", str(second))
    alone = json.loads(single.stdout)
    assert isinstance(alone, dict) and not [f for f in alone["findings"] if f["rule"].startswith("X-")]
    assert alone["summary"]["error"] == 0 and single.returncode == 0, single.stdout
    result = run("check", "--json", str(first), str(second))
    assert result.returncode == 1, result.stderr
    items = json.loads(result.stdout)
    assert [i["year"] for i in items] == [FIRST_YEAR, FIRST_YEAR + 1]
    assert not [f for f in items[0]["findings"] if f["rule"].startswith("X-")]
    found = [f for f in items[1]["findings"] if f["rule"].startswith("X-")]
    assert {(f["rule"], f["severity"], f["row"], f["column"]) for f in found} == {
        ("X-carry-over", "error", "carried_over", column),
        ("X-carry-over", "error", "carried_over", "total"),
    }
    for cross in found:
        assert [s["source"] for s in cross["details"]["sources"]] == [str(second), str(first)]
        assert set(cross) == set(alone["findings"][0])
    assert items[1]["summary"]["error"] == 2
    human = run("check", str(first), str(second))
    assert "X-carry-over" in human.stdout and "上年结转" in human.stdout and human.returncode == 1


def test_check_with_the_list_of_agencies(two_years, tmp_path):
    (first, second), _ = two_years
    listing = tmp_path / "agencies.txt"
    listing.write_text(f"# 本区机关\n{AGENCY}\t街道\n济宁高新区黄屯街道办事处\t街道\n", encoding="utf-8")
    result = run("check", "--json", "--agencies", str(listing), str(first))
    items = json.loads(result.stdout)
    assert result.returncode == 1
    assert items[-1]["source"] is None
    assert [(f["rule"], f["details"]["agency"], f["details"]["year"]) for f in items[-1]["findings"]] == [
        ("X-missing-report", "济宁高新区黄屯街道办事处", FIRST_YEAR)
    ]
    human = run("check", "--agencies", str(listing), str(first), str(second))
    assert "名单内缺少报告 2 份" in human.stdout  # 黄屯 for both years
    listing.write_text(f"{AGENCY}\t直属\n", encoding="utf-8")
    bad = run("check", "--agencies", str(listing), str(first))
    said = "".join(bad.stderr.split())  # rich wraps long lines
    assert bad.returncode == 2 and "第1行的类别“直属”无法识别" in said


def test_compare_lists_the_changed_cells(two_years):
    (first, second), column = two_years
    result = run("compare", "--json", str(first), str(second))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = compare(read_report(first), read_report(second)).to_json()
    assert data["changes"] == expected["changes"] and data["changes"]
    assert (data["old"]["year"], data["new"]["year"]) == (FIRST_YEAR, FIRST_YEAR + 1)
    changed = {(c["table"], c["row"], c["column"]) for c in data["changes"]}
    assert ("applications", "carried_over", column) in changed
    human = run("compare", str(first), str(second))
    assert "有变化的单元格" in human.stdout and "相似度" in human.stdout
    missing = run("compare", str(first), str(first.with_name("none.txt")))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr


def test_rules_lists_the_cross_rules():
    result = run("rules", "--json")
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert {"X-carry-over", "X-in-force", "X-appeal-pending", "X-settled", "X-copied", "X-late", "X-missing-report"} <= ids


@pytest.mark.corpus
@needs_corpus
def test_compare_the_real_reports():
    old, new = (str(CORPUS / "reports" / f) for f in ("011_hongze_quzhengfu_2023.pdf", "012_hongze_quzhengfu_2024.pdf"))
    result = run("compare", "--json", old, new)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    changes = {(c["table"], c["row"], c["column"]): (c["old"], c["new"]) for c in data["changes"]}
    assert changes[("active", "normative_documents", "in_force")] == (5, 8)
    assert changes[("applications", "new_received", "total")] == (21, 95)
    overview = next(s for s in data["sections"] if s["section"] == "overview")
    assert overview["passages"] and 0 < overview["similarity"] < 0.8
    checked = run("check", "--json", old, new)
    items = json.loads(checked.stdout)
    assert len(items) == 2 and not [f for i in items for f in i["findings"] if f["rule"].startswith("X-")]
