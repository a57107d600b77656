"""The ``gongkai`` command line: thin wrappers around the core package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from enum import Enum
from typing import Any, Iterable, List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..core.report.checking import RULES, Severity, check_report
from ..core.report.checking.cross import DEFAULT_COPY_THRESHOLD, cross_check, without_superseded
from ..core.report.compare import compare
from ..core.report.errors import ReportReadError
from ..core.report.inputs import AgencyKinds, iter_report_paths, read_agency_list
from ..core.report.model import Report, report_to_json
from ..core.report.parsing import read_report
from ..core.standard import parse_agency_kind
from . import bulk as bulk_cli
from . import case as case_cli
from . import display

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="公开（Gongkai）：政府信息公开工作年度报告的读取与核对工具。",
    rich_markup_mode="rich",
)

app.add_typer(case_cli.app, name="case")

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


def _no_input(paths: List[str], as_json: bool) -> None:
    """No report file among the paths: say so, and exit 2 (an empty list for machines)."""
    Console(stderr=True).print(f"[bold red]没有找到报告文件[/]：{'、'.join(paths)}")
    if as_json:
        _emit_json([], False)
    raise typer.Exit(EXIT_UNREADABLE)


@app.command("parse")
def parse_command(
    paths: List[str] = PathsArg,
    as_json: bool = JsonOpt,
    out: Optional[Path] = bulk_cli.OutOpt,
    workers: Optional[int] = bulk_cli.WorkersOpt,
    timeout: float = bulk_cli.TimeoutOpt,
    force: bool = bulk_cli.ForceOpt,
) -> None:
    """读取报告，输出结构化内容：基本信息、六个部分、三张表、正文所述数字。

    批量：输入可以是文件、文件夹、ZIP 压缩包和清单文件（@list.txt），--out 写入 .jsonl/.csv/.xlsx。
    """
    if bulk_cli.wanted(paths, out, workers):
        raise typer.Exit(bulk_cli.run("parse", paths, out, workers, timeout, force, as_json))
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
        _no_input(paths, as_json)
    if as_json:
        _emit_json(items, _single(paths))
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_OK)


CopyThresholdOpt = typer.Option(
    DEFAULT_COPY_THRESHOLD, "--copy-threshold", min=0.01, max=1.0, help="判定正文雷同的相似度阈值（0–1，默认 0.8）"
)
AgencyKindOpt = typer.Option(
    None,
    "--agency-kind",
    help="机关类别，决定年度报告的发布期限（《条例》第四十九条）：government（县级以上人民政府，3月31日前）、"
    "department（政府部门，1月31日前）或 township（乡镇、街道）；默认按机关名称判断，无法判断的（如开发区管委会）两种期限都列出",
    show_default=False,
)
AgenciesOpt = typer.Option(
    None,
    "--agencies",
    help="本地区应发布年度报告的机关名单（每行一个机关，可在名称后用逗号写类别：government/本级政府、"
    "department/政府部门、township/乡镇街道、uncertain/未定）：按报告中的机关名称确定类别，并核对名单内机关是否缺少报告",
    show_default=False,
)


def _agency_kinds(kind: Optional[str], agencies: Optional[Path]) -> AgencyKinds:
    """The kinds given on the command line; a Chinese message and exit 2 when they are wrong."""
    err = Console(stderr=True)
    given = None
    if kind is not None:
        given = parse_agency_kind(kind)
        if given is None:
            err.print(f"[bold red]机关类别“{escape(kind)}”无法识别[/]：应为 government（本级政府）、department（政府部门）或 township（乡镇街道）")
            raise typer.Exit(EXIT_UNREADABLE)
    if agencies is None:
        return AgencyKinds(given)
    try:
        return read_agency_list(agencies, given)
    except ReportReadError as error:
        err.print(f"[bold red]{escape(error.message)}[/]（{escape(str(agencies))}）")
        raise typer.Exit(EXIT_UNREADABLE) from None


@app.command("check")
def check_command(
    paths: List[str] = PathsArg,
    as_json: bool = JsonOpt,
    out: Optional[Path] = bulk_cli.OutOpt,
    workers: Optional[int] = bulk_cli.WorkersOpt,
    timeout: float = bulk_cli.TimeoutOpt,
    force: bool = bulk_cli.ForceOpt,
    agency_kind: Optional[str] = AgencyKindOpt,
    agencies: Optional[Path] = AgenciesOpt,
    copy_threshold: float = CopyThresholdOpt,
) -> None:
    """核对报告：表格是否平衡、部分是否齐全、年度与日期、正文与表格是否一致。

    给出多份报告时，另做跨报告核对：同一机关相邻年度的结转数和现行有效件数、上年未审结的复议诉讼、
    按相邻年度拆分连在一起的数字、正文雷同；给出 --agencies 名单时，还核对名单内机关是否缺少报告、
    按名单所定类别核对发布期限。
    批量：输入可以是文件、文件夹、ZIP 压缩包和清单文件（@list.txt），--out 写入 .jsonl/.csv/.xlsx。
    退出码：0 无错误；1 有报告存在错误；2 有文件无法读取。
    """
    kinds = _agency_kinds(agency_kind, agencies)
    if bulk_cli.wanted(paths, out, workers):
        raise typer.Exit(bulk_cli.run("check", paths, out, workers, timeout, force, as_json, kinds))
    console = Console()
    err = Console(stderr=True)
    results = [(path, kinds.apply(r) if isinstance(r, Report) else r) for path, r in _reports(paths)]
    reports = [r for _, r in results if isinstance(r, Report)]
    cross = (
        cross_check(reports, expected_agencies=list(kinds.names), copy_threshold=copy_threshold,
                    kinds=kinds.kind_words())
        if len(reports) > 1 or kinds.names
        else None
    )
    items: list[dict[str, Any]] = []
    totals = {s: 0 for s in Severity}
    reports_with_errors = 0
    checked = 0
    unreadable = 0

    def emit(report: Report | None, findings: list) -> None:
        nonlocal reports_with_errors
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        for s in Severity:
            totals[s] += counts[s]
        if counts[Severity.ERROR] and report is not None:
            reports_with_errors += 1
        if as_json:
            items.append(
                {
                    "source": report.source if report else None,
                    "agency": report.agency if report else None,
                    "year": report.year if report else None,
                    "format": report.format.value if report else None,
                    "summary": {s.value: counts[s] for s in Severity},
                    "findings": [f.to_json() for f in findings],
                }
            )
        elif report is not None:
            display.print_findings(console, report, findings)
        else:
            display.print_region_findings(console, findings)

    index = 0
    for path, result in results:
        if isinstance(result, ReportReadError):
            unreadable += 1
            if as_json:
                items.append({"source": str(path), **result.to_json()})
            else:
                display.print_read_error(err, result)
            continue
        checked += 1
        if cross is None:
            emit(result, check_report(result))
        else:
            settled = cross.reports[index]
            emit(
                settled,
                without_superseded(check_report(settled), cross.by_report.get(index, []), cross.kind_given(index)),
            )
        index += 1
    region_errors = False
    if cross is not None and cross.region:
        emit(None, cross.region)
        region_errors = any(f.severity is Severity.ERROR for f in cross.region)
    if not checked and not unreadable:
        _no_input(paths, as_json)
    if as_json:
        _emit_json(items, _single(paths) and cross is None)
    else:
        console.print(
            f"共核对 {checked} 份报告，其中 {reports_with_errors} 份有错误"
            + (f"，{unreadable} 个文件无法读取" if unreadable else "")
            + (f"，名单内缺少报告 {len(cross.region)} 份" if cross is not None and cross.region else "")
            + f"；错误 {totals[Severity.ERROR]} 条，警告 {totals[Severity.WARNING]} 条，提示 {totals[Severity.NOTICE]} 条。"
        )
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    raise typer.Exit(EXIT_FINDINGS if reports_with_errors or region_errors else EXIT_OK)


@app.command("compare")
def compare_command(
    old: Path = typer.Argument(..., help="较早的报告（如上一年度）", show_default=False),
    new: Path = typer.Argument(..., help="较新的报告（如本年度）", show_default=False),
    as_json: bool = JsonOpt,
) -> None:
    """比较两份报告：列出每个数值有变化的单元格，以及两份报告正文中重复的段落。"""
    err = Console(stderr=True)
    pair: list[Report] = []
    for path in (old, new):
        try:
            pair.append(read_report(path))
        except ReportReadError as error:
            if as_json:
                _emit_json([{"source": str(path), **error.to_json()}], True)
            display.print_read_error(err, error)
            raise typer.Exit(EXIT_UNREADABLE)
    comparison = compare(pair[0], pair[1])
    if as_json:
        _emit_json([comparison.to_json()], True)
    else:
        display.print_comparison(Console(), comparison)
    raise typer.Exit(EXIT_OK)


class OutputFormat(str, Enum):
    docx = "docx"
    pdf = "pdf"
    html = "html"
    xlsx = "xlsx"
    md = "md"


@app.command("render")
def render_command(
    source: Path = typer.Argument(..., help="输入：gongkai parse 输出的 JSON、按 docs/report-input.md 填写的 YAML/JSON，或一份报告文件", show_default=False),
    to: OutputFormat = typer.Option(..., "--to", help="输出格式：docx、pdf、html、xlsx、md"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件（默认与输入同名，扩展名随格式）"),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="表格不平衡时仍然生成，并列出问题"),
    no_draft: bool = typer.Option(False, "--no-draft", help="不根据数字补写第一部分的申请情况和第六部分的收费情况"),
) -> None:
    """按国家格式生成年度报告：Word、PDF、HTML、Excel 或 Markdown。

    表格不平衡（表三、表四的勾稽关系不成立，或有负数、小数）时拒绝生成，除非指定 --allow-errors。
    """
    from ..core.report import render as rendering
    from ..core.report.authoring import AuthoredReport, load_input
    from ..core.report.parsing import SUPPORTED_SUFFIXES

    console = Console()
    err = Console(stderr=True)
    try:
        if source.suffix.lower() in (".json", ".yaml", ".yml"):
            authored = load_input(source)
        elif source.suffix.lower() in SUPPORTED_SUFFIXES:
            authored = AuthoredReport(read_report(source), None, authored=False)
        else:
            raise ReportReadError("unsupported_type", str(source), f"{source.suffix or '无扩展名'}（输入应为 .yaml、.yml、.json 或报告文件）")
    except ReportReadError as error:
        display.print_read_error(err, error)
        raise typer.Exit(EXIT_UNREADABLE)
    report = authored.report
    findings = check_report(report)
    arithmetic = [f for f in findings if f.rule in rendering.ARITHMETIC_RULES]
    if arithmetic and not allow_errors:
        err.print("[bold red]拒绝生成[/]：报告的表格不平衡，请先更正下列问题（或用 --allow-errors 强制生成）。")
        display.print_findings(err, report, arithmetic)
        raise typer.Exit(EXIT_FINDINGS)
    doc = rendering.build_document(report, authored.fee_yuan, draft=not no_draft, draft_preamble=authored.authored)
    target = output or source.with_suffix(rendering.suffix(to.value))
    if target.resolve() == source.resolve():
        err.print(f"[bold red]输出文件与输入文件相同[/]：{target}，请用 -o 指定其他文件名")
        raise typer.Exit(EXIT_UNREADABLE)
    try:
        data = rendering.render(doc, to.value)
    except ReportReadError as error:
        display.print_read_error(err, error)
        raise typer.Exit(EXIT_UNREADABLE)
    _write_atomically(target, data)
    console.print(f"已生成 {target}（{len(data):,} 字节）")
    for part in doc.drafted:
        console.print(f"  [cyan]已根据数据补写[/]：{part}")
    if arithmetic:
        err.print("[yellow]注意：报告的表格不平衡，已按 --allow-errors 生成：[/]")
        display.print_findings(err, report, arithmetic)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write next to the target, then rename: a failure never leaves half a file behind."""
    import os
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@app.command("deadline")
def deadline_command(
    received: str = typer.Option(..., "--received", help="收到申请的日期（YYYY-MM-DD）"),
    corrected: Optional[str] = typer.Option(None, "--corrected", help="收到补正的日期：答复期限自此重新计算"),
    pause: List[str] = typer.Option([], "--pause", help="征求意见暂停期间 YYYY-MM-DD:YYYY-MM-DD（含首尾，可多次）"),
    extended: bool = typer.Option(False, "--extended", help="经批准延长答复期限（20个工作日）"),
    holidays: Optional[Path] = typer.Option(None, "--holidays", help="节假日表（每行“日期 休/班 名称”），补充或更正节假日安排"),
    as_json: bool = JsonOpt,
) -> None:
    """计算依申请公开的答复期限（按国务院节假日安排，含调休上班日），并说明计算过程。"""
    from ..core.casework import workdays

    err = Console(stderr=True)
    try:
        calendar = workdays.DEFAULT_CALENDAR
        if holidays is not None:
            try:
                text = holidays.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise workdays.DeadlineError(f"无法读取节假日表 {holidays}") from exc
            calendar = workdays.WorkCalendar(workdays.load_day_rules(text))
        deadline = workdays.reply_deadline(
            workdays.parse_day(received, "收到申请日期"),
            workdays.parse_day(corrected, "收到补正日期") if corrected else None,
            [workdays.parse_pause(p) for p in pause],
            extended,
            calendar,
        )
    except workdays.DeadlineError as error:
        if as_json:
            _emit_json([{"error": "invalid_dates", "message": str(error)}], True)
        err.print(f"[bold red]无法计算[/]：{error}")
        raise typer.Exit(EXIT_UNREADABLE)
    if as_json:
        _emit_json([deadline.to_json()], True)
        return
    console = Console()
    status = "（暂定）" if deadline.provisional else ""
    console.print(f"[bold]答复期限：{workdays.show(deadline.due)}{status}[/]")
    for line in deadline.explanation:
        console.print(f"  {line}")


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
