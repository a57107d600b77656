"""The rules of section 5 of the spec that apply to one report."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable, Iterator

from ... import standard
from ..model import CELL_STATUS_LABELS, MISSING_REASON_LABELS, Cell, CellStatus, MissingReason, Report, Table
from ...standard import (
    APPLICANT_KEYS,
    APPLICATION_COLUMN_KEYS,
    APPLICATIONS,
    OUTCOME_KEYS,
    OTHER_SUB_ROWS,
    REVIEW_LITIGATION,
    REVIEW_PART_KEYS,
    SECTIONS,
    SINGLE_OTHER_ROW,
    TABLE_BY_KEY,
    AgencyKind,
    ReportFormat,
    agency_kind,
    chinese_numeral,
    publication_deadline,
)
from . import findings as F
from .findings import Finding, Severity, finding
from .rules_2019 import check_active_2019

Check = Callable[[Report], Iterable[Finding]]


def _column_label(table: str, column: str) -> str:
    spec = TABLE_BY_KEY[table]
    for row in (*spec.rows, *spec.alternative_rows):
        for c in row.columns:
            if c.key == column:
                return c.label
    return column


def _row_label(table: str, row: str) -> str:
    return TABLE_BY_KEY[table].row(row).label


def _section_name(number: int) -> str:
    return f"第{chinese_numeral(number)}部分「{standard.SECTION_BY_NUMBER[number].heading}」"


# ---------------------------------------------------------------------- structure


def check_is_report(report: Report) -> Iterator[Finding]:
    if report.title is None and not report.sections and all(t is None for t in report.tables.values()):
        yield finding(
            F.R_NOT_A_REPORT,
            "没有找到报告标题、六个部分的标题或任何表格，这份文件看起来不是政府信息公开工作年度报告",
        )


def check_format(report: Report) -> Iterator[Finding]:
    label = standard.FORMAT_LABELS[report.format]
    evidence = "；".join(report.format_evidence)
    if report.format is ReportFormat.F2021:
        yield finding(F.F_FORMAT, f"本报告采用{label}" + (f"。依据：{evidence}" if evidence else ""))
    elif report.format is ReportFormat.F2019:
        year = report.year
        severity = Severity.WARNING if year is not None and year >= 2021 else Severity.NOTICE
        extra = f"；{year}年度报告应采用2021年版格式" if severity is Severity.WARNING else ""
        yield finding(F.F_FORMAT, f"本报告采用{label}。依据：{evidence}{extra}", severity)
    elif report.format is ReportFormat.PRE2019:
        yield finding(
            F.F_FORMAT,
            f"本报告采用{label}。依据：{evidence}。当时没有统一表格，只核对能读到的内容",
        )
    else:
        yield finding(F.F_FORMAT, "未能识别本报告采用的格式", Severity.WARNING)


def check_metadata(report: Report) -> Iterator[Finding]:
    if report.title is not None and report.agency is None:
        yield finding(F.M_AGENCY, f"标题“{report.title}”中没有读到机关名称", line=report.title_line)
    if report.year is None:
        yield finding(F.M_YEAR, "标题和统计期限中都没有读到报告年度", line=report.title_line)


def check_sections(report: Report) -> Iterator[Finding]:
    if report.format is ReportFormat.PRE2019:
        return
    present = {s.number: s for s in report.sections}
    for spec in SECTIONS:
        section = present.get(spec.number)
        if section is None:
            missing = report.missing(spec.table) if spec.table else None
            if missing is not None and missing.reason is MissingReason.PICTURE:
                yield finding(
                    F.S_MISSING,
                    f"没有以文字形式找到{_section_name(spec.number)}的标题；该处有图片，标题和表格可能都在图片中",
                    Severity.WARNING,
                    section=spec.key,
                    line=missing.line,
                )
            else:
                yield finding(F.S_MISSING, f"缺少{_section_name(spec.number)}", section=spec.key)
        elif not section.in_order:
            yield finding(
                F.S_ORDER,
                f"{_section_name(spec.number)}（第 {section.line} 行）没有按规定的顺序排列",
                section=spec.key,
                line=section.line,
            )
    renumbered = [s for s in report.sections if s.numeral is not None and s.numeral != s.number]
    if renumbered:
        listed = "；".join(
            f"第 {s.line} 行“{s.heading}”是{_section_name(s.number)}，应编为“{chinese_numeral(s.number)}”"
            for s in renumbered
        )
        yield finding(
            F.S_NUMBERING,
            f"各部分按标题识别，但编号与规定格式不一致：{listed}",
            section=renumbered[0].key,
            line=renumbered[0].line,
            details={"headings": [{"section": s.key, "numeral": s.numeral, "line": s.line} for s in renumbered]},
        )


def check_tables_present(report: Report) -> Iterator[Finding]:
    for missing in report.missing_tables:
        spec = TABLE_BY_KEY[missing.table]
        where = f"{spec.name}「{spec.title}」"
        place = {"table": spec.key, "line": missing.line, "section": spec.section}
        if missing.reason is MissingReason.NOT_PARSED:
            yield finding(F.T_NOT_PARSED, f"{where}{MISSING_REASON_LABELS[missing.reason]}", **place)
        elif missing.is_picture:
            yield finding(
                F.T_PICTURE,
                f"{where}缺失：{MISSING_REASON_LABELS[missing.reason]}；表格应以文字表格发布，图片无法被检索、核对或由读屏软件朗读",
                details={"reason": missing.reason.value, "pictures": list(missing.pictures)},
                **place,
            )
        else:
            yield finding(F.T_MISSING, f"缺少{where}", details={"reason": missing.reason.value}, **place)
    # A table read from a picture: said as a notice (the numbers were read, by OCR).
    for note in report.notes:
        if note.code == "table-from-picture" and note.table in TABLE_BY_KEY:
            spec = TABLE_BY_KEY[note.table]
            pictures = [p.name for p in report.pictures if note.table in p.tables]
            yield finding(
                F.T_PICTURE,
                note.message + "；表格应以文字表格发布，图片无法被检索或由读屏软件朗读",
                Severity.NOTICE,
                table=spec.key,
                section=spec.section,
                line=None,
                details={"reason": "read_from_picture", "pictures": pictures},
            )


def check_parse_notes(report: Report) -> Iterator[Finding]:
    rules = {
        "row-missing": F.T_ROW_MISSING,
        "row-cell-count": F.T_UNREADABLE,
        "table-cell-count": F.T_UNREADABLE,
        "row-repeated": F.T_ROW_REPEATED,
        "row-label-approx": F.T_LABEL_APPROX,
        "invalid-date": F.D_INVALID,
        "row-uncertain": F.T_UNCERTAIN,
        "row-split": F.T_SPLIT,
        "row-misplaced": F.T_UNREADABLE,
        "rows-shifted": F.T_UNREADABLE,
        "ocr-uncertain": F.T_UNCERTAIN,
        "ocr-unverified": F.T_UNCERTAIN,
        "ocr-corrected": F.T_OCR_CORRECTED,
        "ocr-unread": F.T_UNREADABLE,
    }
    for note in report.notes:
        rule = rules.get(note.code)
        if rule is not None:
            details = _split_details(report, note.table, note.row) if rule in (F.T_UNCERTAIN, F.T_SPLIT) else {}
            if note.code.startswith("ocr-"):
                details["from_picture"] = True
            yield finding(
                rule, note.message, table=note.table, row=note.row, column=note.column, line=note.line, details=details
            )


def _split_details(report: Report, table_key: str | None, row: str | None) -> dict:
    """The digits that ran together and, for an uncertain row, the candidate splits."""
    table = report.tables.get(table_key) if table_key else None
    if table is None or row is None or not table.has_row(row):
        return {}
    cells = list(table.rows[row].values())
    details: dict = {"raw": cells[0].raw if cells else None}
    if row in table.uncertain:
        details["candidates"] = [[_j(v) if v is not None else None for v in c] for c in table.uncertain[row]]
    else:
        details["values"] = [_j(c.value) if c.is_number else None for c in cells]  # type: ignore[arg-type]
    return details


# -------------------------------------------------------------------------- cells


_PLACEHOLDER_STATUSES = (
    CellStatus.BLANK,
    CellStatus.DASH,
    CellStatus.SLASH,
    CellStatus.NONE_WORD,
    CellStatus.CROSS,
)


def check_cells(report: Report) -> Iterator[Finding]:
    for key, table in report.tables.items():
        if table is None:
            continue
        spec = table.spec
        placeholders: dict[str, list[tuple[str, Cell]]] = {}  # column -> (row, cell), in reading order
        for row_key, column, cell in table.cells():
            if cell.status in _PLACEHOLDER_STATUSES:
                placeholders.setdefault(column, []).append((row_key, cell))
                continue
            if cell.status is not CellStatus.NUMBER:
                continue
            col = spec.row(row_key).column(column)
            value = cell.value
            negative = value < 0 and not col.signed  # type: ignore[operator]
            fraction = not col.decimal and isinstance(value, Decimal) and value != value.to_integral_value()
            if not (negative or fraction):
                continue
            where = f"{spec.name}「{_row_label(key, row_key)}」行「{_column_label(key, column)}」列"
            kind = "整数" if col.signed else ("非负金额" if col.decimal else "非负整数")
            yield finding(
                F.C_VALUE, f"{where}为“{cell.raw}”，应为{kind}", details={"raw": cell.raw},
                table=key, row=row_key, column=column, line=cell.line,
            )
        for column, cells in placeholders.items():
            yield _placeholder_finding(table, key, column, cells)


def _written(cell: Cell) -> str:
    return CELL_STATUS_LABELS[cell.status] if cell.status is CellStatus.BLANK else f"“{cell.raw}”"


def _placeholder_finding(table: Table, key: str, column: str, cells: list[tuple[str, Cell]]) -> Finding:
    """One finding for the blank or placeholder cells of one column of one table (a report whose
    法人 columns are all blank has five, not 125)."""
    spec = table.spec
    listed = [
        {"row": row, "raw": cell.raw, "status": cell.status.value, "line": cell.line} for row, cell in cells
    ]
    first_row, first = cells[0]
    if len(cells) == 1:
        where = f"{spec.name}「{_row_label(key, first_row)}」行「{_column_label(key, column)}」列"
        message = f"{where}填写的是{_written(first)}，不等同于0；没有发生的事项应填0"
        return finding(
            F.C_PLACEHOLDER, message, details={"raw": first.raw, "status": first.status.value, "cells": listed},
            table=key, row=first_row, column=column, line=first.line,
        )
    written = "、".join(dict.fromkeys(_written(cell) for _, cell in cells))
    rows = [row for row, _ in cells]
    if len(rows) == len(table.rows):
        which = f"各行全部 {len(rows)} 个单元格"
    else:
        names = "、".join(f"「{_row_label(key, r)}」" for r in rows[:3])
        which = f"{names}{'等' if len(rows) > 3 else ''} {len(rows)} 个单元格"
    lines = sorted({c.line for _, c in cells if c.line is not None})
    span = ""
    if lines:
        span = f"（第 {lines[0]} 行）" if len(lines) == 1 else f"（第 {lines[0]}—{lines[-1]} 行）"
    message = (
        f"{spec.name}「{_column_label(key, column)}」列{which}{span}填写的是{written}，不等同于0；没有发生的事项应填0"
    )
    return finding(
        F.C_PLACEHOLDER, message, details={"cells": listed}, table=key, column=column, line=first.line,
    )


# --------------------------------------------------------------------- arithmetic


def _numbers(table: Table, cells: list[tuple[str, str]]) -> list[int | Decimal] | None:
    """The values of the cells, or None when any is not a number (flagged elsewhere)."""
    values = []
    for row, column in cells:
        if not table.has_row(row):
            return None
        cell = table.cell(row, column)
        if not cell.is_number:
            return None
        values.append(cell.value)
    return values  # type: ignore[return-value]


def _outcome_rows(table: Table) -> list[str]:
    if table.single_other_row and not all(table.has_row(k) for k in OTHER_SUB_ROWS):
        return [k for k in OUTCOME_KEYS if k not in OTHER_SUB_ROWS] + [SINGLE_OTHER_ROW]
    return list(OUTCOME_KEYS)


def check_applications(report: Report) -> Iterator[Finding]:
    table = report.table("applications")
    if table is None:
        return
    name = APPLICATIONS.name
    if (
        report.format is ReportFormat.F2021
        and table.single_other_row
        and not all(table.has_row(k) for k in OTHER_SUB_ROWS)
    ):
        yield finding(
            F.T3_SINGLE_OTHER,
            f"{name}把“（六）其他处理”作为一行填写，三个子项（逾期不补正、逾期未缴费、其他）的分布无法得知",
            table="applications",
            row=SINGLE_OTHER_ROW,
            line=table.cell(SINGLE_OTHER_ROW, "total").line,
        )
    outcomes = _outcome_rows(table)
    for column in APPLICATION_COLUMN_KEYS:
        label = _column_label("applications", column)
        values = _numbers(table, [(r, column) for r in ("new_received", "carried_over", "total", "carried_forward")])
        if values is not None:
            new, carried_over, total, carried_forward = values
            if new + carried_over != total + carried_forward:
                yield finding(
                    F.T3_BALANCE,
                    f"{name}「{label}」列：一、本年新收（{new}）+ 二、上年结转（{carried_over}）= {new + carried_over}，"
                    f"而三、办理结果总计（{total}）+ 四、结转下年度（{carried_forward}）= {total + carried_forward}",
                    table="applications",
                    column=column,
                    line=table.cell("new_received", column).line,
                    details={"left": _j(new + carried_over), "right": _j(total + carried_forward)},
                )
        parts = _numbers(table, [(r, column) for r in outcomes])
        total_values = _numbers(table, [("total", column)])
        if parts is not None and total_values is not None:
            total = total_values[0]
            if sum(parts) != total:
                yield finding(
                    F.T3_TOTAL,
                    f"{name}「{label}」列：各项办理结果之和为 {sum(parts)}，但（七）总计为 {total}",
                    table="applications",
                    row="total",
                    column=column,
                    line=table.cell("total", column).line,
                    details={"sum": _j(sum(parts)), "total": _j(total)},
                )
    for row in table.rows:
        values = _numbers(table, [(row, c) for c in APPLICATION_COLUMN_KEYS])
        if values is None:
            continue
        *applicants, total = values
        if sum(applicants) != total:
            yield finding(
                F.T3_COLUMNS,
                f"{name}「{_row_label('applications', row)}」行：六类申请人之和为 {sum(applicants)}，但总计为 {total}",
                table="applications",
                row=row,
                column="total",
                line=table.cell(row, "total").line,
                details={"sum": _j(sum(applicants)), "total": _j(total)},
            )


def check_review_litigation(report: Report) -> Iterator[Finding]:
    table = report.table("review_litigation")
    if table is None:
        return
    for block in REVIEW_LITIGATION.rows:
        values = _numbers(table, [(block.key, c) for c in (*REVIEW_PART_KEYS, "total")])
        if values is None:
            continue
        *parts, total = values
        if sum(parts) != total:
            detail = "+".join(
                f"{_column_label('review_litigation', c)}{v}" for c, v in zip(REVIEW_PART_KEYS, parts)
            )
            name = ("行政诉讼·" if block.group else "") + block.label
            yield finding(
                F.T4_BLOCKS,
                f"{REVIEW_LITIGATION.name}「{name}」：{detail} = {sum(parts)}，但总计为 {total}",
                table="review_litigation",
                row=block.key,
                column="total",
                line=table.cell(block.key, "total").line,
                details={"sum": _j(sum(parts)), "total": _j(total)},
            )


def _j(value: int | Decimal) -> int | str:
    return value if isinstance(value, int) else str(value)


# -------------------------------------------------------------------- years, dates


def check_years(report: Report) -> Iterator[Finding]:
    year = report.year
    period = report.period
    if period is None:
        if report.format is not ReportFormat.PRE2019:
            yield finding(F.Y_PERIOD_MISSING, "报告没有写明统计期限（通常为报告年度1月1日至12月31日）")
    elif year is not None:
        start, end = period.start, period.end
        if start is None or end is None:
            yield finding(F.Y_PERIOD, f"统计期限“{period.raw}”中有无效日期", Severity.WARNING, line=period.line)
        elif start.year != year or end.year != year:
            yield finding(
                F.Y_PERIOD,
                f"报告年度为 {year} 年，但统计期限为 {start.isoformat()} 至 {end.isoformat()}",
                line=period.line,
                details={"year": year, "start": start.isoformat(), "end": end.isoformat()},
            )
        elif (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
            yield finding(
                F.Y_PERIOD,
                f"统计期限为 {start.isoformat()} 至 {end.isoformat()}，不是完整的报告年度（1月1日至12月31日）",
                Severity.WARNING,
                line=period.line,
            )
    if year is not None:
        for other, line, text in report.narrative_years:
            if other != year:
                yield finding(
                    F.Y_NARRATIVE,
                    f"第一部分第 {line} 行以“{other}年”开头（“{text}…”），而报告年度为 {year} 年",
                    line=line,
                    section="overview",
                    details={"year": other},
                )


def check_publication(report: Report) -> Iterator[Finding]:
    published = report.published
    if published is None:
        if report.format is not ReportFormat.PRE2019 and report.year is not None:
            yield finding(
                F.D_MISSING,
                "报告正文没有落款日期或发布日期，无法核对是否在法定期限内发布（如发布日期只在网页上，请一并核对）",
            )
        return
    if published.value is None or report.year is None:
        return
    given = report.agency_kind
    kind = given or agency_kind(report.agency)
    value = published.value
    if kind is None:
        yield from _publication_of_unknown_kind(report, value)
        return
    deadline = publication_deadline(report.year, kind)
    details = {"published": value.isoformat(), "deadline": deadline.isoformat(), "agency_kind": kind.value,
               "kind_given": given is not None}
    place = {"line": published.line, "details": details}
    if value > deadline:
        if kind is AgencyKind.GOVERNMENT:
            basis = "《条例》第四十九条：县级以上地方人民政府的年度报告应于每年3月31日前公布"
            severity = Severity.ERROR
        elif kind is AgencyKind.DEPARTMENT:
            basis = "《条例》第四十九条：县级以上人民政府部门的年度报告应于每年1月31日前公布"
            severity = Severity.ERROR
        else:
            basis = "乡镇人民政府、街道办事处的年度报告通常按1月31日前公布的要求执行"
            severity = Severity.WARNING
        yield finding(
            F.D_LATE,
            f"落款日期 {value.isoformat()} 晚于 {deadline.isoformat()}（{basis}）",
            severity,
            **place,
        )
    elif published.value.year <= report.year:
        yield finding(
            F.D_EARLY,
            f"落款日期 {published.value.isoformat()} 早于报告年度 {report.year} 年结束，统计期限尚未结束",
            **place,
        )


def _publication_of_unknown_kind(report: Report, value) -> Iterator[Finding]:
    """The agency's kind is not known (neither given nor told by its name): late only after both
    deadlines; between them, say that it depends on the kind."""
    year = report.year
    government = publication_deadline(year, AgencyKind.GOVERNMENT)  # type: ignore[arg-type]
    department = publication_deadline(year, AgencyKind.DEPARTMENT)  # type: ignore[arg-type]
    name = f"“{report.agency}”" if report.agency else "（未读到机关名称）"
    details = {"published": value.isoformat(), "deadline": None, "agency_kind": None, "kind_given": False,
               "deadlines": {"government": government.isoformat(), "department": department.isoformat()}}
    place = {"line": report.published.line, "details": details}  # type: ignore[union-attr]
    if value > government:
        yield finding(
            F.D_LATE,
            f"落款日期 {value.isoformat()} 晚于 {government.isoformat()}：机关名称{name}无法确定机关类别，"
            f"但无论是本级人民政府（3月31日前）还是政府部门（1月31日前），都已晚于《条例》第四十九条规定的期限",
            **place,
        )
    elif value > department:
        yield finding(
            F.D_KIND_UNKNOWN,
            f"落款日期 {value.isoformat()} 晚于政府部门的期限 {department.isoformat()}，早于本级人民政府的期限 "
            f"{government.isoformat()}（《条例》第四十九条）。从机关名称{name}无法确定机关类别（开发区、新区的管委会等），"
            "是否按期发布取决于类别；可用 gongkai check --agency-kind 或 --agencies 机关名单 指定",
            **place,
        )
    elif value.year <= year:  # type: ignore[operator]
        yield finding(
            F.D_EARLY,
            f"落款日期 {value.isoformat()} 早于报告年度 {year} 年结束，统计期限尚未结束",
            **place,
        )


# ------------------------------------------------------------------ cross-checks


def _table_value(report: Report, table: str, row: str, column: str) -> int | Decimal | None:
    t = report.table(table)
    if t is None or not t.has_row(row):
        return None
    cell = t.cell(row, column)
    return cell.value if cell.is_number else None


def check_narrative(report: Report) -> Iterator[Finding]:
    pairs = [
        ("applications_received", F.N_APPLICATIONS, [("applications", "new_received", "total")], "表三“本年新收政府信息公开申请数量”总计"),
        ("applications_carried_over", F.N_CARRIED_OVER, [("applications", "carried_over", "total")], "表三“上年结转政府信息公开申请数量”总计"),
        ("applications_carried_forward", F.N_CARRIED_FORWARD, [("applications", "carried_forward", "total")], "表三“结转下年度继续办理”总计"),
        ("reviews", F.N_REVIEWS, [("review_litigation", "review", "total")], "表四“行政复议”总计"),
        (
            "lawsuits",
            F.N_LAWSUITS,
            [("review_litigation", "litigation_direct", "total"), ("review_litigation", "litigation_after_review", "total")],
            "表四“行政诉讼”两项总计之和",
        ),
    ]
    for key, rule, cells, where in pairs:
        fact = report.fact(key)
        if fact is None:
            continue
        values = [_table_value(report, *c) for c in cells]
        if any(v is None for v in values):
            continue
        table_value = sum(values)  # type: ignore[arg-type]
        if table_value != fact.value:
            yield finding(
                rule,
                f"正文第 {fact.line} 行写“{fact.text}”（{fact.value}），而{where}为 {table_value}；"
                "如两者统计口径不同，请在报告中说明",
                line=fact.line,
                table=cells[0][0],
                row=cells[0][1],
                column=cells[0][2],
                details={"narrative": _j(fact.value), "table": _j(table_value)},
            )


def check_fee_statement(report: Report) -> Iterator[Finding]:
    if report.format is not ReportFormat.F2021:
        return
    section = report.section("other_matters")
    if section is None or report.fact("info_fee_yuan") is not None:
        return
    if "处理费" not in section.text:
        yield finding(
            F.S6_FEE,
            "第六部分没有说明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况（未收取也应写明）",
            section="other_matters",
            line=section.line,
        )


CHECKS: tuple[Check, ...] = (
    check_format,
    check_metadata,
    check_sections,
    check_tables_present,
    check_parse_notes,
    check_cells,
    check_applications,
    check_review_litigation,
    check_years,
    check_publication,
    check_narrative,
    check_fee_statement,
    check_active_2019,
)


def check_report(report: Report) -> list[Finding]:
    """All findings for one report, errors first, then in the order of the report."""
    not_a_report = list(check_is_report(report))
    if not_a_report:
        return not_a_report
    out: list[Finding] = []
    for check in CHECKS:
        out.extend(check(report))
    return sorted(out, key=lambda f: (f.severity.rank, f.line if f.line is not None else 10**9))


__all__ = ["check_report", "CHECKS", "APPLICANT_KEYS"]
