"""Reports a person writes: a YAML or JSON file with the numbers and the narrative.

Two inputs are accepted: the JSON that ``gongkai parse`` writes (it has ``cells`` and a list
of ``sections``), and the simpler schema documented in ``docs/report-input.md``::

    agency: 某某县财政局
    year: 2025
    sections: {overview: "…", problems: "…", other_matters: "…"}
    info_fee_yuan: 0
    tables: {active: {…}, applications: {…}, review_litigation: {…}}

Mistakes get a message in Chinese naming the exact place (``tables.applications.granted.commercial``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .. import standard
from .errors import ReportReadError
from .model import (
    Cell,
    CellStatus,
    DateFact,
    MissingReason,
    MissingTable,
    Period,
    Report,
    Section,
    Table,
    report_from_json,
)
from .parsing.lines import read_cell
from ..standard import ReportFormat

MAX_INPUT_BYTES = 5 * 1024 * 1024

TOP_KEYS = {
    "agency", "year", "title", "published", "website", "address", "telephone", "preamble",
    "sections", "tables", "info_fee_yuan",
}


class InputError(ReportReadError):
    """A person's input file that does not follow the schema."""

    def __init__(self, where: str, problem: str, path: str | None = None):
        super().__init__("invalid_input", path, f"{where}：{problem}" if where else problem)
        self.where = where


@dataclass
class AuthoredReport:
    report: Report
    fee_yuan: Decimal | None = None
    authored: bool = True  # written as data by a person (False: a parsed, published report)


def load_input(path: str | Path) -> AuthoredReport:
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise ReportReadError("not_found" if not p.exists() else "not_a_file", name)
    if p.stat().st_size > MAX_INPUT_BYTES:
        raise ReportReadError("too_large", name, f"上限 {MAX_INPUT_BYTES} 字节")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportReadError("undecodable", name, "输入文件应为 UTF-8 编码") from exc
    return load_input_text(text, name, p.suffix.lower())


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: "2026-02-30" stays text and is checked by us."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_input_text(text: str, name: str | None = None, suffix: str = ".yaml") -> AuthoredReport:
    try:
        data = json.loads(text) if suffix == ".json" else yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader
    except (ValueError, TypeError, RecursionError) as exc:
        if not isinstance(exc, (json.JSONDecodeError,)):
            raise InputError("", f"无法解析（{exc}）", name) from exc
        raise InputError(f"第 {exc.lineno} 行第 {exc.colno} 列", "格式错误，无法解析（JSON）", name) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else (
            f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else "")
        raise InputError(where, "格式错误，无法解析（" + ("JSON" if suffix == ".json" else "YAML") + "）", name) from exc
    if not isinstance(data, dict):
        raise InputError("", "顶层应为键值对（agency、year、sections、tables …）", name)
    if isinstance(data.get("sections"), list) or "cells" in data:
        return _from_parse_json(data, name)
    return from_authored(data, name)


def _from_parse_json(data: dict[str, Any], name: str | None) -> AuthoredReport:
    try:
        report = report_from_json(data)
    except (KeyError, ValueError, TypeError, InvalidOperation) as exc:
        raise InputError("", f"不是有效的 gongkai parse 输出（{exc}）", name) from exc
    return AuthoredReport(report, None, authored=False)


def _int(value: Any, where: str, name: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(where, f"应为整数，实为“{value}”", name)
    return value


def _cell(value: Any, where: str, decimal: bool, name: str | None) -> Cell:
    if value is None:
        return Cell(None, "", None, CellStatus.BLANK)
    if isinstance(value, bool):
        raise InputError(where, f"应为数字，实为“{value}”", name)
    if isinstance(value, int) and not decimal:
        return Cell(value, str(value), None, CellStatus.NUMBER)
    if isinstance(value, (int, float, str)):
        text = str(value).strip()
        cell = read_cell(text)
        if cell is None or cell.status is CellStatus.UNREADABLE:
            raise InputError(where, f"应为数字，或“—”“/”“无”，实为“{value}”", name)
        if cell.is_number and decimal:
            return Cell(Decimal(str(cell.value)), text, None, CellStatus.NUMBER)
        return cell
    raise InputError(where, f"应为数字，实为“{value}”", name)


def _table(spec: standard.TableSpec, data: Any, name: str | None) -> Table:
    where = f"tables.{spec.key}"
    if not isinstance(data, dict):
        raise InputError(where, "应为“行：{列：数字}”的键值对", name)
    known = {r.key for r in (*spec.rows, *spec.alternative_rows)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(where, f"不认识的行：{'、'.join(map(str, unknown))}（可用的行：{'、'.join(spec.row_keys)}）", name)
    rows: dict[str, dict[str, Cell]] = {}
    for key, columns in data.items():
        row = spec.row(key)
        if columns is None:
            continue
        if columns == 0 and not isinstance(columns, bool):
            columns = {c: 0 for c in row.column_keys}  # "granted: 0": the whole row is zero
        if not isinstance(columns, dict):
            raise InputError(f"{where}.{key}", "应为“列：数字”的键值对（整行为零时可简写为 0）", name)
        unknown = sorted(set(columns) - set(row.column_keys))
        if unknown:
            raise InputError(f"{where}.{key}", f"不认识的列：{'、'.join(map(str, unknown))}（可用的列：{'、'.join(row.column_keys)}）", name)
        rows[key] = {}
        for column in row.columns:
            if column.key not in columns:
                if column.key == "total" and spec is not standard.ACTIVE:
                    continue  # computed below from the other cells of the row
                raise InputError(f"{where}.{key}.{column.key}", "缺少这一格（没有发生的事项请填 0）", name)
            rows[key][column.key] = _cell(columns[column.key], f"{where}.{key}.{column.key}", column.decimal, name)
        if "total" in row.column_keys and "total" not in rows[key]:
            parts = [rows[key][c] for c in row.column_keys if c != "total"]
            if not all(p.is_number for p in parts):
                raise InputError(f"{where}.{key}.total", "有的格不是数字，无法计算总计，请填写总计", name)
            rows[key]["total"] = Cell.number(sum(p.value for p in parts))  # type: ignore[misc]
    single = standard.SINGLE_OTHER_ROW in rows
    if spec is standard.APPLICATIONS and "total" not in rows:
        outcomes = [k for k in standard.OUTCOME_KEYS if not (single and k in standard.OTHER_SUB_ROWS)]
        outcomes += [standard.SINGLE_OTHER_ROW] if single else []
        missing = [k for k in outcomes if k not in rows]
        if not missing:
            if not all(rows[k][c].is_number for k in outcomes for c in standard.APPLICATION_COLUMN_KEYS):
                raise InputError(f"{where}.total", "有的办理结果不是数字，无法计算（七）总计，请填写总计行", name)
            rows["total"] = {
                c: Cell.number(sum(rows[k][c].value for k in outcomes))  # type: ignore[misc]
                for c in standard.APPLICATION_COLUMN_KEYS
            }
    for row in spec.rows:
        if row.key in rows or (single and row.key in standard.OTHER_SUB_ROWS):
            continue
        raise InputError(f"{where}.{row.key}", f"缺少“{row.label}”这一行（整行为零时可写 {row.key}: 0）", name)
    return Table(spec, rows)


def _date(value: Any, where: str, name: str | None) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(where, f"应为日期（例如 2026-01-20），实为“{value}”", name) from exc


def _mapping(value: Any, where: str, what: str, known: Any, name: str | None) -> dict[str, Any]:
    """A mapping whose keys must be among ``known``; the message names the allowed keys."""
    if value is None:
        return {}
    allowed = "、".join(known)
    if not isinstance(value, dict):
        raise InputError(where, f"应为键值对（{allowed}）", name)
    unknown = sorted(map(str, set(value) - set(known)))
    if unknown:
        raise InputError(where, f"不认识的{what}：{'、'.join(unknown)}（可用的{what}：{allowed}）", name)
    return value


def from_authored(data: dict[str, Any], name: str | None = None) -> AuthoredReport:
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise InputError("", f"不认识的项：{'、'.join(map(str, unknown))}（可用的项：{'、'.join(sorted(TOP_KEYS))}）", name)
    if not data.get("agency") or not isinstance(data["agency"], str):
        raise InputError("agency", "请填写机关名称", name)
    year = _int(data.get("year"), "year", name)
    if not 2008 <= year <= 2100:
        raise InputError("year", f"报告年度“{year}”不合理", name)
    report = Report(source=name, format=ReportFormat.F2021, format_evidence=["由结构化数据生成"])
    report.agency = data["agency"].strip()
    report.year = year
    report.title = data.get("title") or f"{report.agency}{year}年政府信息公开工作年度报告"
    report.period = Period(date(year, 1, 1), date(year, 12, 31), f"{year}年1月1日至{year}年12月31日", 0)
    if data.get("published") is not None:
        d = _date(data["published"], "published", name)
        report.published = DateFact(d, f"{d.year}年{d.month}月{d.day}日", 0)
    for key in ("website", "address", "telephone"):
        if data.get(key) is not None:
            setattr(report, key, str(data[key]).strip())
    report.preamble = str(data.get("preamble") or "").strip()
    sections = _mapping(data.get("sections"), "sections", "部分", standard.SECTION_BY_KEY, name)
    for spec in standard.SECTIONS:
        text = sections.get(spec.key) or ""
        if not isinstance(text, str):
            raise InputError(f"sections.{spec.key}", "应为文字", name)
        report.sections.append(Section(spec.number, spec.key, f"{standard.chinese_numeral(spec.number)}、{spec.heading}", 0, 0, text.strip()))
    tables = _mapping(data.get("tables"), "tables", "表", standard.TABLE_BY_KEY, name)
    for spec in standard.TABLES:
        if tables.get(spec.key) is None:
            report.missing_tables.append(MissingTable(spec.key, MissingReason.ABSENT))
            continue
        report.tables[spec.key] = _table(spec, tables[spec.key], name)
    fee = None
    if data.get("info_fee_yuan") is not None:
        try:
            fee = Decimal(str(data["info_fee_yuan"]))
        except InvalidOperation as exc:
            raise InputError("info_fee_yuan", f"应为金额（元），实为“{data['info_fee_yuan']}”", name) from exc
        if fee < 0:
            raise InputError("info_fee_yuan", "金额不能为负数", name)
    return AuthoredReport(report, fee)
