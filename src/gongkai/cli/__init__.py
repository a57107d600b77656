"""The ``gongkai`` command line: thin wrappers around the core package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterable, List

import typer
from rich.console import Console

from ..core.checking import RULES, Severity, check_report
from ..core.errors import ReportReadError
from ..core.inputs import iter_report_paths
from ..core.model import Report, report_to_json
from ..core.parsing import read_report
from . import display

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="公开（Gongkai）：政府信息公开工作年度报告的读取与核对工具。",
    rich_markup_mode="rich",
)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

PathsArg = typer.Argument(..., help="报告文件或文件夹（文件夹中的报告会递归读取）", show_default=False)
JsonOpt = typer.Option(False, "--json", help="输出 JSON（供程序使用）")


def _reports(paths: Iterable[str]) -> Iterable[tuple[Path, Report | ReportReadError]]:
    for path in iter_report_paths(paths):
        try:
            yield path, read_report(path)
        except ReportReadError as error:
            yield path, error


def _emit_json(items: list[dict[str, Any]], single: bool) -> None:
    payload: Any = items[0] if single and len(items) == 1 else items
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _single(paths: List[str]) -> bool:
    return len(paths) == 1 and not Path(paths[0]).is_dir()


def _no_input(console: Console, paths: List[str]) -> None:
    console.print(f"[bold red]没有找到报告文件[/]：{'、'.join(paths)}")


@app.command("parse")
def parse_command(paths: List[str] = PathsArg, as_json: bool = JsonOpt) -> None:
    """读取报告，输出结构化内容：基本信息、六个部分、三张表、正文所述数字。"""
    console = Console()
    items: list[dict[str, Any]] = []
    unreadable = False
    seen = False
    for path, result in _reports(paths):
        seen = True
        if isinstance(result, ReportReadError):
            unreadable = True
            if as_json:
                items.append({"source": str(path), **result.to_json()})
            else:
                display.print_read_error(Console(stderr=True), result)
            continue
        if as_json:
            items.append(report_to_json(result))
        else:
            display.print_report(console, result)
    if not seen:
        _no_input(Console(stderr=True), paths)
        if as_json:
            _emit_json([], False)
        raise typer.Exit(EXIT_UNREADABLE)
    if as_json:
        _emit_json(items, _single(paths))
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_OK)


@app.command("check")
def check_command(paths: List[str] = PathsArg, as_json: bool = JsonOpt) -> None:
    """核对报告：表格是否平衡、部分是否齐全、年度与日期、正文与表格是否一致。

    退出码：0 无错误；1 有报告存在错误；2 有文件无法读取。
    """
    console = Console()
    items: list[dict[str, Any]] = []
    totals = {s: 0 for s in Severity}
    reports_with_errors = 0
    checked = 0
    unreadable = 0
    for path, result in _reports(paths):
        if isinstance(result, ReportReadError):
            unreadable += 1
            if as_json:
                items.append({"source": str(path), **result.to_json()})
            else:
                display.print_read_error(Console(stderr=True), result)
            continue
        checked += 1
        findings = check_report(result)
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        for s in Severity:
            totals[s] += counts[s]
        if counts[Severity.ERROR]:
            reports_with_errors += 1
        if as_json:
            items.append(
                {
                    "source": result.source,
                    "agency": result.agency,
                    "year": result.year,
                    "format": result.format.value,
                    "summary": {s.value: counts[s] for s in Severity},
                    "findings": [f.to_json() for f in findings],
                }
            )
        else:
            display.print_findings(console, result, findings)
    if not checked and not unreadable:
        _no_input(Console(stderr=True), paths)
        if as_json:
            _emit_json([], False)
        raise typer.Exit(EXIT_UNREADABLE)
    if as_json:
        _emit_json(items, _single(paths))
    else:
        console.print(
            f"共核对 {checked} 份报告，其中 {reports_with_errors} 份有错误"
            + (f"，{unreadable} 个文件无法读取" if unreadable else "")
            + f"；错误 {totals[Severity.ERROR]} 条，警告 {totals[Severity.WARNING]} 条，提示 {totals[Severity.NOTICE]} 条。"
        )
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    raise typer.Exit(EXIT_FINDINGS if reports_with_errors else EXIT_OK)


@app.command("rules")
def rules_command(as_json: bool = JsonOpt) -> None:
    """列出核对规则：编号、级别、说明、依据。"""
    if as_json:
        _emit_json(
            [
                {"id": r.id, "severity": r.severity.value, "title": r.title, "basis": r.basis}
                for r in RULES.values()
            ],
            False,
        )
        return
    from rich.table import Table

    view = Table(title="核对规则")
    view.add_column("编号", no_wrap=True)
    view.add_column("级别", no_wrap=True)
    view.add_column("说明")
    view.add_column("依据")
    for r in RULES.values():
        view.add_row(r.id, r.severity.label, r.title, r.basis)
    Console().print(view)


def main() -> None:  # console-script entry point
    app()
