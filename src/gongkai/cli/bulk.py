"""Bulk ``parse`` / ``check`` on the command line: options, progress bar, summary, exit code."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Iterable, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..core.report import bulk
from ..core.report.inputs import AgencyKinds

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
AUTO_BULK = 50  # more inputs than this: the bulk path, on all cores, with a progress bar

OutOpt = typer.Option(
    None, "--out", help="批量处理，结果写入文件：.jsonl（每行一份）、.csv 或 .xlsx（每份报告一行）；已处理的文件再次运行时跳过"
)
WorkersOpt = typer.Option(None, "--workers", min=1, help="并行进程数（默认：CPU 核数）")
TimeoutOpt = typer.Option(60.0, "--timeout", min=0.1, help="每个文件的处理时限（秒），超时的文件记为错误 timeout")
ForceOpt = typer.Option(False, "--force", help="重新处理 --out 中已有结果的文件（结果文件从头写起）")


def wanted(paths: List[str], out: Optional[Path], workers: Optional[int]) -> bool:
    """The bulk path: an output file or a number of workers is given, an input is a ZIP archive
    or a list file (@list.txt), or there are more than AUTO_BULK inputs."""
    if out is not None or workers is not None:
        return True
    if any(p.startswith("@") or p.lower().endswith(".zip") for p in paths):
        return True
    n = 0
    for _ in bulk.expand(paths):
        n += 1
        if n > AUTO_BULK:
            return True
    return False


def run(task: str, paths: List[str], out: Optional[Path], workers: Optional[int], timeout: float, force: bool, as_json: bool,
        kinds: AgencyKinds = AgencyKinds()) -> int:
    """Run the batch; returns the exit code (0 / 1 / 2 as for a single run)."""
    err = Console(stderr=True)
    if out is not None and out.suffix.lower() not in bulk.OUTPUT_SUFFIXES:
        err.print(f"[bold red]不支持的结果文件类型[/]：{escape(str(out))}（支持 .jsonl、.csv、.xlsx）")
        return EXIT_UNREADABLE
    total = bulk.count(paths)
    if not total:
        err.print(f"[bold red]没有找到报告文件[/]：{escape('、'.join(paths))}")
        return EXIT_UNREADABLE
    stats = {"ok": 0, "error": 0, "skipped": 0, "with_errors": 0}
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    label = "读取" if task == "parse" else "核对"
    results: Iterable[dict[str, Any]]
    if out is not None:
        results = bulk.run(paths, out, task, workers, timeout, redo=force, kinds=kinds)
    else:
        results = bulk.process(paths, task, workers, timeout, kinds=kinds)
    start = time.monotonic()
    with progress:
        bar = progress.add_task(label, total=total, rate="")
        for result in results:
            status = result["status"]
            stats[status] = stats.get(status, 0) + 1
            if status == "error":
                progress.console.print(f"[red]无法处理[/] {escape(result['source'])}：{escape(result['message'])}（{result['error']}）")
            elif status == "ok" and (result.get("summary") or {}).get("error"):
                stats["with_errors"] += 1
            if out is None and status != "skipped":
                _print(result, task, as_json)
            done = stats["ok"] + stats["error"]
            elapsed = time.monotonic() - start
            progress.update(bar, advance=1, rate=f"{done / elapsed:.1f} 份/秒" if elapsed > 0 and done else "")
    if out is not None:
        final = _final_stats(bulk.state_path(out), task)
        stats["error"], stats["with_errors"] = final["error"], final["with_errors"]
    err.print(
        f"共 {total} 个文件：本次处理 {total - stats['skipped']} 个，"
        f"跳过已完成的 {stats['skipped']} 个；无法读取 {stats['error']} 个"
        + (f"，有错误的报告 {stats['with_errors']} 份" if task == "check" else "")
        + (f"。结果已写入 {escape(str(out))}" if out is not None else "。")
    )
    if stats["error"]:
        return EXIT_UNREADABLE
    if task == "check" and stats["with_errors"]:
        return EXIT_FINDINGS
    return EXIT_OK


def _final_stats(state: Path, task: str) -> dict[str, int]:
    out = {"error": 0, "with_errors": 0}
    for result in bulk.read_results(state):
        if result.get("task", task) != task:
            continue
        if result.get("status") == "error":
            out["error"] += 1
        elif (result.get("summary") or {}).get("error"):
            out["with_errors"] += 1
    return out


def _print(result: dict[str, Any], task: str, as_json: bool) -> None:
    """Without --out: JSON Lines on stdout (--json), or one Chinese line per report."""
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    if result["status"] == "error":
        return  # already said on stderr
    if task == "check":
        s = result["summary"]
        line = f"{result['source']}：{result.get('agency') or '（机关未识别）'} {result.get('year') or ''}  错误 {s['error']}，警告 {s['warning']}，提示 {s['notice']}"
    else:
        r = result["report"]
        line = f"{result['source']}：{r.get('agency') or '（机关未识别）'} {r.get('year') or ''}  格式 {r.get('format')}"
    sys.stdout.write(line + "\n")
