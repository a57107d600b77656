"""Chinese, terminal-readable presentation of reports and findings (rich)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from ..core import standard
from ..core.report.checking import Finding, Severity
from ..core.report.compare import Comparison
from ..core.report.errors import ReportReadError
from ..core.report.model import CELL_STATUS_LABELS, MISSING_REASON_LABELS, CellStatus, Report, Table, json_number

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTICE: "cyan"}
FACT_LABELS = {
    "applications_received": "收到申请",
    "applications_carried_over": "上年结转",
    "applications_carried_forward": "结转下年度",
    "reviews": "行政复议",
    "lawsuits": "行政诉讼",
    "info_fee_yuan": "信息处理费（元）",
}


def _short(text: str, width: int = 22) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell_text(table: Table, row: str, column: str, decimal: bool) -> Text:
    cell = table.rows[row].get(column)
    if cell is None:
        return Text("")
    if cell.is_number:
        return Text(str(json_number(cell.value, decimal)))
    if cell.status is CellStatus.BLANK:
        return Text("（空）", style="yellow")
    if cell.status is CellStatus.MISSING:
        return Text("缺", style="red")
    if cell.status is CellStatus.UNREADABLE:
        return Text("？", style="red")
    return Text(cell.raw or CELL_STATUS_LABELS[cell.status], style="yellow")


def table_view(table: Table) -> RichTable:
    spec = table.spec
    if spec.key == "active":
        view = RichTable(title=f"{spec.name} {spec.title}", show_lines=False, title_justify="left")
        view.add_column("信息内容")
        for column in ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（万元）"):
            view.add_column(column, justify="right")
        for row in spec.rows:
            cells = [Text("")] * 5
            if row.columns[0].key == "issued":
                cells[0:3] = [_cell_text(table, row.key, c.key, False) for c in row.columns]
            elif row.columns[0].key == "decisions":
                cells[3] = _cell_text(table, row.key, "decisions", False)
            else:
                cells[4] = _cell_text(table, row.key, "amount", True)
            view.add_row(row.label, *cells)
        return view
    if spec.key == "applications":
        view = RichTable(title=f"{spec.name} {spec.title}", title_justify="left")
        view.add_column("")
        for column in standard.APPLICATION_COLUMNS:
            view.add_column(column.label, justify="right")
        rows = [r for r in spec.rows if r.key in table.rows]
        if table.single_other_row:
            index = next((i for i, r in enumerate(rows) if r.key == "total"), len(rows))
            rows.insert(index, spec.row(standard.SINGLE_OTHER_ROW))
        for row in rows:
            view.add_row(row.short_label, *[_cell_text(table, row.key, c, False) for c in standard.APPLICATION_COLUMN_KEYS])
        return view
    if spec.key != "review_litigation":
        return _generic_view(table)
    view = RichTable(title=f"{spec.name} {spec.title}", title_justify="left")
    view.add_column("")
    for column in standard.REVIEW_COLUMNS:
        view.add_column(column.label, justify="right")
    for row in spec.rows:
        label = ("行政诉讼·" if row.group else "") + row.label
        view.add_row(label, *[_cell_text(table, row.key, c, False) for c in standard.REVIEW_COLUMN_KEYS])
    return view


def _generic_view(table: Table) -> RichTable:
    """Any other table (the 2019 format's table 2): one column per distinct column label."""
    spec = table.spec
    columns: list[standard.ColumnSpec] = []
    for row in spec.rows:
        for c in row.columns:
            if all(c.label != known.label for known in columns):
                columns.append(c)
    view = RichTable(title=f"{spec.name} {spec.title}", title_justify="left")
    view.add_column("信息内容")
    for c in columns:
        view.add_column(c.label, justify="right")
    for row in spec.rows:
        if row.key not in table.rows:
            continue
        by_label = {c.label: c for c in row.columns}
        view.add_row(
            row.label,
            *[_cell_text(table, row.key, by_label[c.label].key, c.decimal) if c.label in by_label else Text("") for c in columns],
        )
    return view


def print_report(console: Console, report: Report) -> None:
    meta = RichTable.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    period = report.period
    rows = [
        ("文件", report.source or ""),
        ("编码", report.encoding or ""),
        ("格式", standard.FORMAT_LABELS[report.format]),
        ("机关", report.agency or "（未读到）"),
        ("年度", str(report.year) if report.year else "（未读到）"),
        ("统计期限", f"{period.start} 至 {period.end}" if period else "（未写明）"),
        ("发布日期", (str(report.published.value or report.published.raw)) if report.published else "（未写明）"),
        ("网站", report.website or "（未写明）"),
        ("地址", report.address or "（未写明）"),
        ("电话", report.telephone or "（未写明）"),
    ]
    for k, v in rows:
        meta.add_row(k, v)
    sections = RichTable(title="六个部分", title_justify="left", show_header=True)
    sections.add_column("部分")
    sections.add_column("标题（原文）")
    sections.add_column("行", justify="right")
    present = {s.number: s for s in report.sections}
    for spec in standard.SECTIONS:
        s = present.get(spec.number)
        if s is None:
            sections.add_row(f"{standard.chinese_numeral(spec.number)}、{spec.heading}", Text("未找到", style="red"), "")
        else:
            order = "" if s.in_order else "（顺序不对）"
            sections.add_row(f"{standard.chinese_numeral(spec.number)}、{spec.heading}", _short(s.heading, 30) + order, str(s.line))
    parts: list = [meta, sections]
    for key, table in sorted(report.tables.items(), key=lambda kv: standard.TABLE_BY_KEY[kv[0]].number):
        if table is not None:
            parts.append(table_view(table))
    for missing in report.missing_tables:
        spec = standard.TABLE_BY_KEY[missing.table]
        where = f"（第 {missing.line} 行）" if missing.line else ""
        parts.append(Text(f"{spec.name}「{spec.title}」缺失{where}：{MISSING_REASON_LABELS[missing.reason]}", style="red"))
    if report.narrative_facts:
        facts = RichTable(title="正文所述数字", title_justify="left")
        facts.add_column("事项")
        facts.add_column("数值", justify="right")
        facts.add_column("原文")
        facts.add_column("行", justify="right")
        for fact in report.narrative_facts:
            facts.add_row(FACT_LABELS.get(fact.key, fact.key), str(json_number(fact.value)), _short(fact.text, 40), str(fact.line))
        parts.append(facts)
    title = report.title or report.source or "报告"
    console.print(Panel(Group(*parts), title=title, title_align="left"))


def place_text(f: Finding) -> str:
    bits = []
    if f.line is not None:
        bits.append(f"第{f.line}行")
    if f.table:
        bits.append(standard.TABLE_BY_KEY[f.table].name)
    return " ".join(bits)


def print_findings(console: Console, report: Report, findings: list[Finding]) -> None:
    head = " ".join(
        x for x in (report.agency or report.title or "", f"{report.year}年度" if report.year else "", f"· {report.source}" if report.source else "") if x
    )
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    status = "[bold red]有错误[/]" if counts[Severity.ERROR] else "[green]无错误[/]"
    console.print(f"[bold]{head}[/]  {status}  错误 {counts[Severity.ERROR]} · 警告 {counts[Severity.WARNING]} · 提示 {counts[Severity.NOTICE]}")
    if findings:
        _print_finding_rows(console, findings)


def print_region_findings(console: Console, findings: list[Finding]) -> None:
    """Findings about no single report: the agencies of the list without a report."""
    console.print(f"[bold]本地区（按机关名单）[/]  缺少报告 {len(findings)} 份")
    _print_finding_rows(console, findings)


def _print_finding_rows(console: Console, findings: list[Finding]) -> None:
    view = RichTable(show_header=True, show_edge=False, box=None, padding=(0, 1))
    view.add_column("级别", no_wrap=True)
    view.add_column("规则", no_wrap=True, style="dim")
    view.add_column("位置", no_wrap=True)
    view.add_column("说明", overflow="fold")
    for f in findings:
        view.add_row(Text(f.severity.label, style=SEVERITY_STYLE[f.severity]), f.rule, place_text(f), f.message)
    console.print(view)
    console.print()


def _report_head(report: Report) -> str:
    return " ".join(
        x for x in (report.agency or report.title or "", f"{report.year}年度" if report.year else "", f"· {report.source}" if report.source else "") if x
    )


def print_comparison(console: Console, comparison: Comparison) -> None:
    """Two reports side by side: the cells that changed, then the narrative passages that repeat."""
    console.print(f"[bold]比较[/]  旧：{_report_head(comparison.old)}")
    console.print(f"      新：{_report_head(comparison.new)}")
    for table, side in comparison.tables_missing.items():
        spec = standard.TABLE_BY_KEY[table]
        where = {"old": "旧报告", "new": "新报告", "both": "两份报告"}[side]
        console.print(f"[yellow]{spec.name}「{spec.title}」{where}中缺失，未比较[/]")
    if comparison.changes:
        view = RichTable(title=f"有变化的单元格（{len(comparison.changes)} 个）", title_justify="left")
        view.add_column("表", no_wrap=True)
        view.add_column("行")
        view.add_column("列", no_wrap=True)
        view.add_column("旧", justify="right")
        view.add_column("新", justify="right")
        view.add_column("变化", justify="right")
        for c in comparison.changes:
            spec = standard.TABLE_BY_KEY[c.table]
            row = spec.row(c.row)
            delta = c.delta
            view.add_row(
                spec.name,
                row.short_label,
                row.column(c.column).label,
                _change_value(c.old, c.old_status),
                _change_value(c.new, c.new_status),
                _signed(delta),
            )
        console.print(view)
    else:
        console.print("三张表的数值没有变化")
    for s in comparison.sections:
        spec = standard.SECTION_BY_KEY[s.section]
        head = f"第{standard.chinese_numeral(spec.number)}部分「{spec.heading}」相似度 {s.similarity:.0%}"
        if not s.passages:
            console.print(f"{head}，没有重复的段落")
            continue
        console.print(f"[bold]{head}[/]，重复段落 {len(s.passages)} 处、{s.repeated_chars} 字：")
        for p in s.passages:
            console.print(f"  · {p.text}", overflow="fold")
    console.print()


def _signed(delta) -> str:
    if delta is None:
        return ""
    return ("+" if delta > 0 else "") + str(json_number(delta))


def _change_value(value, status: str) -> Text:
    if value is not None:
        return Text(str(json_number(value)))
    return Text(CELL_STATUS_LABELS[CellStatus(status)], style="dim")


def print_read_error(console: Console, error: ReportReadError) -> None:
    console.print(f"[bold red]无法读取[/] {error.path}：{error.message}  [dim]({error.code})[/]")
