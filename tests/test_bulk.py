"""Bulk reading and checking: real files, real worker processes, hostile inputs.

One folder holds the five seeds, broken files and hostile ones (a zip bomb, billion laughs in
.docx and .html, sparse 1 GB .txt and .pdf files, a file that never finishes); each bad file
must get its own error code and Chinese message while every seed is read.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from gongkai.core.report import bulk
from gongkai.core.report.checking import RULES
from gongkai.core.report.parsing import read_report
from gongkai.core.report.render import build_document, render

SLOW = ".slow"
LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefghi", "bcdefghij"))
    + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>开始&j;结束</w:t></w:r></w:p></w:body></w:document>"
)
HTML_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefghi", "bcdefghij"))
    + "]><html><body><p>&j;</p></body></html>"
)


def _docx_with(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, replace.get(name, source.read(name)))
    return out.getvalue()


def _zeros_zip(path: Path, member: str, size: int) -> None:
    """A ZIP with one member of ``size`` zero bytes, streamed in 1 MiB chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(member, "w", force_zip64=True) as f:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                f.write(chunk)


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as f:
        f.truncate(size)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    folder = root / "in"
    folder.mkdir()
    for path in SEEDS.values():
        shutil.copy(path, folder / path.name)
    docx = render(build_document(read_report(SEEDS["004"])), "docx")
    (folder / "004.docx").write_bytes(docx)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "random.docx").write_bytes(os.urandom(3000))
    (folder / "laughs.docx").write_bytes(_docx_with(docx, {"word/document.xml": LAUGHS.encode()}))
    (folder / "laughs.html").write_text(HTML_LAUGHS, encoding="utf-8")
    _sparse(folder / "huge.txt", 1 << 30)
    _sparse(folder / "huge.pdf", 1 << 30)
    _zeros_zip(folder / "bomb.zip", "bomb.txt", 100 * 1024 * 1024)
    (folder / f"loop{SLOW}").write_text("never ends", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    with zipfile.ZipFile(root / "seeds.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in SEEDS.values():
            archive.write(path, f"inner/{path.name}")
        archive.writestr("../escape.txt", SEEDS["004"].read_bytes())  # a member that tries to leave
        archive.writestr("notes.bin", b"ignored: not a report suffix")
    lists = root / "lists"
    lists.mkdir()
    (lists / "files.lst").write_text(
        f"# two seeds and a missing file\n../in/{SEEDS['004'].name}\n\n{SEEDS['003']}\n../in/missing.txt\n", encoding="utf-8"
    )
    return root


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8", bulk.TEST_SLOW_ENV: SLOW,
           **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}}  # a worktree's sources run
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def checked(batch) -> tuple[subprocess.CompletedProcess, dict[str, dict]]:
    """`gongkai check` on the folder, the ZIP and the list, into JSON Lines."""
    out = batch / "out" / "results.jsonl"
    start = time.monotonic()
    result = _cli("check", str(batch / "in"), str(batch / "seeds.zip"), f"@{batch / 'lists' / 'files.lst'}",
                  "--out", str(out), "--timeout", "3", "--workers", "2")
    assert time.monotonic() - start < 40
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return result, {row["source"]: row for row in rows}


def _by_name(rows: dict[str, dict], name: str) -> dict:
    matches = [row for source, row in rows.items() if source.endswith(name)]
    assert len(matches) == 1, (name, list(rows))
    return matches[0]


def test_seeds_are_checked_and_each_bad_file_has_its_own_error(checked):
    result, rows = checked
    assert result.returncode == 2, result.stderr  # some inputs are unreadable
    for path in SEEDS.values():
        row = _by_name({s: r for s, r in rows.items() if "/in/" in s and "lists" not in s}, "in/" + path.name)
        assert row["status"] == "ok" and set(row["summary"]) == {"error", "warning", "notice"}
    assert _by_name(rows, "in/" + SEEDS["004"].name)["summary"] == {"error": 0, "warning": 0, "notice": 2}
    assert _by_name(rows, "004.docx")["status"] == "ok"
    expected = {
        "empty.txt": ("empty", "文件是空的"),
        "binary.txt": ("binary", "文件不是文本"),
        "random.docx": ("broken_file", "文件已损坏或格式不正确"),
        "laughs.docx": ("broken_file", "文件已损坏或格式不正确"),
        "huge.txt": ("too_large", "文件太大"),
        "huge.pdf": ("too_large", "文件太大"),
        "bomb.zip": ("zip_bomb", "压缩包疑似压缩炸弹"),
        f"loop{SLOW}": ("timeout", "处理超时"),
        "in/missing.txt": ("not_found", "找不到文件"),
    }
    for name, (code, message) in expected.items():
        row = _by_name(rows, name)
        assert row["status"] == "error" and row["error"] == code, (name, row)
        assert row["message"].startswith(message), (name, row["message"])
        assert row["source"].endswith(name)
    assert "1073741824 字节" in _by_name(rows, "huge.pdf")["message"]
    assert _by_name(rows, f"loop{SLOW}")["seconds"] >= 3
    assert not any(".hidden" in s for s in rows)
    # the billion laughs in HTML is not expanded: read quickly, as a (non-)report or an error
    laughs = _by_name(rows, "laughs.html")
    assert laughs["seconds"] < 3 and "哈哈哈哈哈哈哈哈哈哈哈哈" not in json.dumps(laughs, ensure_ascii=False)
    for name in ("empty.txt", "huge.pdf", "bomb.zip", f"loop{SLOW}"):  # said on stderr, file and reason
        assert name in result.stderr
    assert "处理超时" in result.stderr


def test_zip_members_and_list_files(checked, batch):
    _, rows = checked
    members = sorted(s for s in rows if "seeds.zip!" in s)
    assert members == sorted([f"{batch / 'seeds.zip'}!inner/{p.name}" for p in SEEDS.values()] + [f"{batch / 'seeds.zip'}!../escape.txt"])
    assert all(rows[m]["status"] == "ok" for m in members)
    assert rows[f"{batch / 'seeds.zip'}!inner/{SEEDS['004'].name}"]["tables"]["applications"]["new_received"]["total"] == 1
    assert not (batch / "escape.txt").exists() and not (batch / "out" / "escape.txt").exists()
    # ../in/… is relative to the list's folder (and the same file as the folder's copy)
    assert rows[str(batch / "in" / "missing.txt")]["error"] == "not_found"
    assert not any("lists" in s for s in rows)
    assert rows[str(SEEDS["003"])]["status"] == "ok"


def test_results_come_in_input_order_and_resume_skips_done(batch, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SEEDS.values():
        shutil.copy(path, folder / path.name)
    out = tmp_path / "r.jsonl"
    first = list(bulk.run([folder], out, task="parse", workers=2))
    assert [r["source"] for r in first] == [str(folder / p.name) for p in SEEDS.values()]
    assert all(r["status"] == "ok" and r["report"]["source"] == r["source"] for r in first)
    again = list(bulk.run([folder], out, task="parse", workers=2))
    assert [r["status"] for r in again] == ["skipped"] * 5
    (folder / SEEDS["000"].name).write_bytes(SEEDS["000"].read_bytes() + "\n".encode())  # changed: redone
    changed = [r for r in bulk.run([folder], out, task="parse", workers=2) if r["status"] != "skipped"]
    assert [r["source"] for r in changed] == [str(folder / SEEDS["000"].name)]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5  # compacted: one line per report
    forced = list(bulk.run([folder], out, task="parse", workers=2, redo=True))
    assert [r["status"] for r in forced] == ["ok"] * 5
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_cli_resume_and_force(tmp_path):
    out = tmp_path / "r.csv"
    seed = str(SEEDS["004"])
    first = _cli("check", seed, "--out", str(out))
    assert first.returncode == 0, first.stderr
    second = _cli("check", seed, "--out", str(out))
    assert second.returncode == 0 and "跳过已完成的 1 个" in second.stderr
    forced = _cli("check", seed, "--out", str(out), "--force")
    assert forced.returncode == 0 and "本次处理 1 个" in forced.stderr
    bad = _cli("check", SEEDS["000"].as_posix(), "--out", str(out))
    assert bad.returncode == 1  # a report with errors, as for a single check


def test_csv_and_xlsx_one_row_per_report(tmp_path):
    from openpyxl import load_workbook

    sources = [str(p) for p in SEEDS.values()] + [str(tmp_path / "missing.txt")]
    csv_out, xlsx_out = tmp_path / "r.csv", tmp_path / "r.xlsx"
    list(bulk.run(sources, csv_out, task="check", workers=2))
    list(bulk.run(sources, xlsx_out, task="check", workers=2))
    keys = [key for key, _ in bulk.columns()]
    assert "applications.new_received.total" in keys and "review_litigation.review.total" in keys
    assert all(rule in keys for rule in RULES)
    with csv_out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and list(rows[0]) == keys
    by_key = {row["source"].rsplit("/", 1)[-1][:3]: row for row in rows}
    assert by_key["004"]["applications.new_received.total"] == "1"
    assert by_key["004"]["status"] == "ok" and by_key["004"]["notices"] == "2"
    assert by_key["000"]["errors"] == "3" and int(by_key["000"]["F-format"]) == 1
    assert by_key["mis"]["error"] == "not_found" and by_key["mis"]["message"] == "找不到文件"
    wb = load_workbook(xlsx_out, read_only=True)
    assert wb.sheetnames == ["结果", "规则"]
    sheet = list(wb["结果"].iter_rows(values_only=True))
    assert list(sheet[0]) == keys and sheet[1][0] == "文件"
    assert len(sheet) == 2 + 6
    header = {key: i for i, key in enumerate(sheet[0])}
    row004 = next(r for r in sheet[2:] if r[0].endswith(SEEDS["004"].name))
    assert row004[header["applications.new_received.total"]] == 1
    assert row004[header["F-format"]] == 1
    rules = list(wb["规则"].iter_rows(values_only=True))
    assert [r[0] for r in rules[2:]] == list(RULES)
    assert (tmp_path / "r.xlsx.jsonl").exists()


def test_a_worker_exception_is_internal_error_and_the_batch_goes_on(tmp_path):
    items = [bulk.Item("x", str(SEEDS["004"]), member="nope.txt", fingerprint="1:1", size=10)]  # not a ZIP
    items += [bulk.Item(str(SEEDS["003"]), str(SEEDS["003"]))]
    results = list(bulk.process(items, task="check", workers=1))
    assert results[0]["status"] == "error" and results[0]["error"] == "internal_error"
    assert results[0]["message"].startswith("处理该文件时发生内部错误：") and "BadZipFile" in results[0]["message"]
    assert results[1]["status"] == "ok"


def test_many_inputs_bounded_in_flight(tmp_path):
    """200 inputs through two workers recycled every 40 tasks: every result, in order."""
    items = [str(SEEDS[k]) for k in sorted(SEEDS)] * 40
    results = bulk.process(items, task="check", workers=2, max_tasks_per_child=40)
    seen = 0
    for source, result in zip(items, results):
        assert result["source"] == source and result["status"] == "ok"
        seen += 1
    assert seen == 200


def test_cli_single_file_unchanged_and_zip_without_out(batch):
    single = _cli("check", str(SEEDS["004"]), "--json")
    assert single.returncode == 0 and json.loads(single.stdout)["summary"]["notice"] == 2
    listed = _cli("parse", str(batch / "seeds.zip"), "--json")
    assert listed.returncode == 0, listed.stderr
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(lines) == 6 and all(line["status"] == "ok" for line in lines)
    unsupported = _cli("check", str(SEEDS["004"]), "--out", str(batch / "r.txt"))
    assert unsupported.returncode == 2 and "不支持的结果文件类型" in unsupported.stderr


def test_a_real_looping_pdf_times_out_and_the_batch_goes_on(tmp_path):
    from tests.hostile import looping_pdf

    (tmp_path / "loop.pdf").write_bytes(looping_pdf())
    shutil.copy(SEEDS["004"], tmp_path / "good.txt")
    out = tmp_path / "r.jsonl"
    start = time.monotonic()
    result = _cli("check", str(tmp_path), "--out", str(out), "--timeout", "4")
    assert time.monotonic() - start < 60
    assert result.returncode == 2  # an input could not be read
    rows = {Path(r["source"]).name: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["loop.pdf"]["status"] == "error" and rows["loop.pdf"]["error"] == "timeout"
    assert "超时" in rows["loop.pdf"]["message"]
    assert rows["good.txt"]["status"] == "ok" and rows["good.txt"]["summary"]["error"] == 0


@pytest.mark.parametrize("prefix", ['=HYPERLINK("http://evil.example","点击")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+2"])
def test_a_hostile_agency_name_stays_text_in_csv_and_excel(tmp_path, prefix):
    """Formula injection: what a report says is written as text a spreadsheet does not run."""
    from openpyxl import load_workbook

    hostile = tmp_path / "hostile.txt"
    hostile.write_text(SEEDS["004"].read_text(encoding="utf-8").replace(
        "济宁高新区王因街道办事处2023年", f"{prefix}王因街道办事处2023年", 1), encoding="utf-8")
    csv_out, xlsx_out = tmp_path / "r.csv", tmp_path / "r.xlsx"
    list(bulk.run([hostile], csv_out, task="check", workers=1))
    list(bulk.run([hostile], xlsx_out, task="check", workers=1))
    with csv_out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    texts = [value for value in row.values() if prefix.strip() in value]
    assert texts and all(value.startswith("'") for value in texts), row
    wb = load_workbook(xlsx_out)  # not read-only: the cells' types are read back
    cells = [cell for r in wb["结果"].iter_rows() for cell in r if isinstance(cell.value, str) and prefix.strip() in cell.value]
    assert cells and all(cell.data_type == "s" and cell.value.startswith("'") for cell in cells)


def test_a_hostile_title_stays_text_in_the_rendered_workbook(tmp_path):
    from openpyxl import load_workbook

    from gongkai.core.report.parsing import parse_text
    from gongkai.core.report.render import build_document, render

    report = parse_text(SEEDS["004"].read_text(encoding="utf-8").replace(
        "济宁高新区王因街道办事处2023年", "=1+2王因街道办事处2023年", 1))
    out = tmp_path / "report.xlsx"
    out.write_bytes(render(build_document(report), "xlsx"))
    sheet = load_workbook(out)["报告"]
    title = sheet.cell(1, 1)
    assert title.data_type == "s" and title.value.startswith("'=1+2")


def test_bulk_reads_the_agency_kind_from_the_agency_list(tmp_path):
    # Two zone committees dated 2 March: one listed as a department (late), one not listed (kind unknown).
    text = SEEDS["001"].read_text(encoding="utf-8").replace("2023年1月29日", "2023年3月2日")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(text.replace("青州市王府街道办事处", "济宁高新区管委会"), encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("青州市王府街道办事处", "淮安经济技术开发区管理委员会"), encoding="utf-8")
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("name,kind\n济宁高新区管委会,department\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    result = _cli("check", str(folder), "--agencies", str(agencies), "--out", str(out), "--workers", "2")
    assert result.returncode == 1, result.stderr
    rows = {Path(r["source"]).name: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    dates = {name: [(f["rule"], f["severity"]) for f in r["findings"] if f["rule"].startswith("D-")] for name, r in rows.items()}
    assert dates == {"a.txt": [("D-late", "error")], "b.txt": [("D-kind-unknown", "notice")]}
