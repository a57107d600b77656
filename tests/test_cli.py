"""The command line, run as a user runs it: a separate process, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from tests.conftest import EXAMPLES, SEEDS


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        # PYTHONPATH passed on: a worktree's sources run, not the installed ones.
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8",
             **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}},
    )


def test_parse_json_uses_the_spec_keys():
    result = run("parse", str(SEEDS["004"]), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "2021"
    assert data["agency"] == "济宁高新区王因街道办事处" and data["year"] == 2023
    assert data["tables"]["active"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert data["tables"]["active"]["admin_fees"] == {"amount": "0"}
    assert list(data["tables"]["applications"]) == [
        "new_received", "carried_over", "granted", "partial", "denied_state_secret", "denied_law_prohibited",
        "denied_three_safety", "denied_third_party", "denied_internal_affairs", "denied_process_info",
        "denied_enforcement_file", "denied_query_matter", "unable_not_held", "unable_needs_creation",
        "unable_unclear", "rejected_complaint", "rejected_repeat", "rejected_publication", "rejected_excessive",
        "rejected_confirmation", "other_no_correction", "other_unpaid_fee", "other_other", "total",
        "carried_forward",
    ]
    assert data["tables"]["applications"]["new_received"] == {
        "natural_person": 1, "commercial": 0, "research": 0, "social": 0, "legal_service": 0, "other": 0, "total": 1,
    }
    assert data["tables"]["review_litigation"]["review"] == {
        "upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0,
    }
    assert data["missing_tables"] == []
    assert data["narrative_facts"]["applications_received"]["value"] == 1


def test_parse_json_missing_tables_are_null():
    data = json.loads(run("parse", str(SEEDS["001"]), "--json").stdout)
    assert data["tables"] == {"active": None, "applications": None, "review_litigation": None}
    assert {m["table"] for m in data["missing_tables"]} == {"active", "applications", "review_litigation"}
    assert data["narrative_facts"]["applications_received"]["value"] == 5
    assert data["narrative_facts"]["reviews"]["value"] == 0
    assert data["narrative_facts"]["lawsuits"]["value"] == 0


def test_parse_for_people_is_chinese():
    result = run("parse", str(SEEDS["003"]))
    assert result.returncode == 0
    for word in ("老城区西南隅街道办事处", "表三", "自然人", "结果维持", "六个部分"):
        assert word in result.stdout


def test_check_a_folder_exit_1_and_json():
    result = run("check", str(EXAMPLES), "--json")
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert [item["source"].rsplit("/", 1)[-1][:3] for item in items] == ["000", "001", "002", "003", "004"]
    by_key = {item["source"].rsplit("/", 1)[-1][:3]: item for item in items}
    assert by_key["004"]["summary"] == {"error": 0, "warning": 0, "notice": 2}
    assert by_key["000"]["summary"]["error"] == 3
    finding = by_key["000"]["findings"][0]
    assert set(finding) == {"rule", "severity", "title", "message", "table", "row", "column", "line", "section", "details"}


def test_check_clean_reports_exit_0():
    result = run("check", str(SEEDS["003"]), str(SEEDS["004"]))
    assert result.returncode == 0, result.stdout
    assert "共核对 2 份报告，其中 0 份有错误" in result.stdout


def test_check_error_report_for_people():
    result = run("check", str(SEEDS["002"]))
    assert result.returncode == 1
    assert "以图片形式粘贴" in result.stdout and "T-picture" in result.stdout


def test_unreadable_input_exit_2(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 20)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("check", str(junk), str(empty), str(SEEDS["004"]), "--json")
    assert result.returncode == 2
    items = json.loads(result.stdout)
    assert [i.get("error") for i in items] == ["binary", "empty", None]
    assert items[2]["summary"]["error"] == 0
    result = run("check", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "找不到文件" in result.stderr
    result = run("parse", str(junk))
    assert result.returncode == 2 and "文件不是文本" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_folder_exit_2(tmp_path):
    result = run("check", str(tmp_path))
    assert result.returncode == 2
    assert "没有找到报告文件" in result.stderr
    result = run("parse", str(tmp_path), "--json")
    assert result.returncode == 2 and json.loads(result.stdout) == []


def test_folder_is_searched_recursively(tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "r.txt").write_bytes(SEEDS["004"].read_bytes().decode("utf-8").encode("gb18030"))
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff not a report")
    result = run("parse", str(tmp_path), "--json")
    assert result.returncode == 0
    items = json.loads(result.stdout)
    assert len(items) == 1 and items[0]["encoding"] == "gb18030"


def test_rules_lists_every_rule():
    from gongkai.core.report.checking import RULES

    data = json.loads(run("rules", "--json").stdout)
    assert [r["id"] for r in data] == list(RULES)


def test_help_is_chinese():
    result = run("--help")
    assert result.returncode == 0 and "年度报告" in result.stdout


def test_a_number_of_three_million_digits_is_an_input_error_exit_2(tmp_path):
    """Python refuses int() of over 4,300 digits: the parser says what is wrong instead of a traceback."""
    text = SEEDS["004"].read_text(encoding="utf-8")
    start = text.index("一、本年新收政府信息公开申请数量\n\t1\n")
    huge = tmp_path / "huge.txt"
    huge.write_text(text[:start] + text[start:].replace("\t1\n", "\t" + "9" * 3_000_000 + "\n", 1), encoding="utf-8")
    source = str(Path(__file__).resolve().parent.parent / "src")  # this checkout's code, not an installed copy
    for command in (["parse", str(huge)], ["check", str(huge)], ["parse", str(huge), "--json"]):
        result = subprocess.run([sys.executable, "-m", "gongkai", *command], capture_output=True, text=True,
                                timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "120",
                                                  "PYTHONIOENCODING": "utf-8", "PYTHONPATH": source})
        assert result.returncode == 2, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        assert "超过1000位的数字" in (result.stdout + result.stderr).replace("\n", "")


def _zone_report(tmp_path: Path) -> Path:
    """Seed 001 as a zone's committee would publish it, dated between 31 January and 31 March."""
    text = SEEDS["001"].read_text(encoding="utf-8")
    path = tmp_path / "zone.txt"
    path.write_text(text.replace("青州市王府街道办事处", "济宁高新区管委会").replace("2023年1月29日", "2023年3月2日"), encoding="utf-8")
    return path


def _dates(result: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    data = json.loads(result.stdout)
    data = data if isinstance(data, list) else [data]
    # With an agency list the cross-report X-late (by the kind the office gives) stands for D-late.
    return [(f["rule"].replace("X-late", "D-late"), f["severity"]) for r in data for f in r["findings"]
            if f["rule"].startswith("D-") or f["rule"] == "X-late"]


def test_agency_kind_given_on_the_command_line(tmp_path):
    path = _zone_report(tmp_path)
    assert _dates(run("check", "--json", str(path))) == [("D-kind-unknown", "notice")]
    department = run("check", "--json", "--agency-kind", "department", str(path))
    assert _dates(department) == [("D-late", "error")]
    assert _dates(run("check", "--json", "--agency-kind", "government", str(path))) == []
    wrong = run("check", "--agency-kind", "ministry", str(path))
    assert wrong.returncode == 2 and "ministry" in wrong.stderr
    assert "机关类别" in run("check", "--help").stdout


def test_agency_list_gives_the_kind(tmp_path):
    path = _zone_report(tmp_path)
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("机关名称,类别\n济宁高新区管委会,政府部门\n淮安市人民政府,本级政府\n", encoding="utf-8")
    assert _dates(run("check", "--json", "--agencies", str(agencies), str(path))) == [("D-late", "error")]
    agencies.write_text("济宁高新区管委会,部委\n", encoding="utf-8")
    bad = run("check", "--agencies", str(agencies), str(path))
    assert bad.returncode == 2 and "部委" in bad.stderr and "第1行" in bad.stderr
    missing = run("check", "--agencies", str(tmp_path / "none.csv"), str(path))
    assert missing.returncode == 2 and "机关名单" in missing.stderr
