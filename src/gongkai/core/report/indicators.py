"""Indicators of annual reports, region totals, rankings and outliers — every figure with its
formula, every rating a visible rule with its thresholds (no hidden scores).

Stable API (the region pages of ``apps/supervision`` and the bulletin use it; keep these names):

- ``INDICATORS`` / ``INDICATOR_BY_KEY``: the definitions (``IndicatorSpec``): key, Chinese name,
  unit, the formula in Chinese (``formula``) and as data (``numerator`` / ``denominator``: tuples
  of ``Term`` = table, row, column; ``scale``).
- ``compute(report) -> dict[str, Value]``: the indicators of one report, given as the report
  model (``model.Report``) or its JSON (``model.report_to_json``; only ``tables`` and
  ``narrative_facts`` are read). A missing or zero denominator gives ``NOT_APPLICABLE`` (never 0);
  a missing numerator cell gives ``MISSING``.
- ``change(current, previous) -> Change``: year-over-year change of one indicator (absolute,
  and relative in % for counts; percentage points for rates).
- ``region_totals(reports) -> RegionTotals``: tables 2, 3 and 4 summed over the agencies'
  reports — a sum of the agencies, labelled so, never the government's own report.
- ``rank(values, descending=True) -> dict[key, int]``: competition ranking (1, 2, 2, 4).
- ``median`` / ``mad``; ``SuddenChange`` and ``FarFromMedian`` (the outlier rules, with
  ``describe()`` giving the rule and its thresholds in Chinese) and ``find_outliers(...)``.

Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from ..standard import (
    APPLICATIONS,
    OTHER_SUB_ROWS,
    REVIEW_LITIGATION,
    SINGLE_OTHER_ROW,
    TABLES,
    TABLE_BY_KEY,
)
from .model import Report, json_number, table_values

Number = int | Decimal

# Table 3 rows grouped as the format groups them (三（三）不予公开).
DENIED_ROWS: tuple[str, ...] = tuple(r.key for r in APPLICATIONS.rows if r.key.startswith("denied_"))
REVIEW_BLOCKS: tuple[str, ...] = REVIEW_LITIGATION.row_keys  # review, litigation_direct, litigation_after_review
LAWSUIT_BLOCKS: tuple[str, ...] = ("litigation_direct", "litigation_after_review")
FEE_FACT = "info_fee_yuan"  # 信息处理费 as the narrative of section 六 states it, in yuan


@dataclass(frozen=True)
class Term:
    """One cell of a table (table key, row key, column key), or a narrative fact (table "fact")."""

    table: str
    row: str
    column: str = "total"

    @property
    def label(self) -> str:
        if self.table == "fact":
            return "第六部分所述信息处理费（元）"
        spec = TABLE_BY_KEY[self.table]
        row = spec.row(self.row)
        if self.table == "applications":
            return f"表三{row.short_label}（{row.column(self.column).label}）"
        if self.table == "review_litigation":
            return f"表四{row.label}{row.column(self.column).label}"
        return f"{spec.name}{row.label}{row.column(self.column).label}"


class Unit(str, Enum):
    COUNT = "count"  # 件
    PERCENT = "percent"  # %
    PER_100 = "per_100"  # 每百件申请
    YUAN = "yuan"  # 元

    @property
    def label(self) -> str:
        return {"count": "件", "percent": "%", "per_100": "件/百件申请", "yuan": "元"}[self.value]

    @property
    def is_rate(self) -> bool:
        return self in (Unit.PERCENT, Unit.PER_100)


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str  # Chinese
    unit: Unit
    formula: str  # Chinese, as shown to people
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...] = ()  # empty: not a ratio
    scale: int = 1  # 100 for a percentage or "per 100 applications"
    # the denominator must be at least this for the rate to enter the region's median rule
    note: str = ""


def _t3(*rows: str) -> tuple[Term, ...]:
    return tuple(Term("applications", r) for r in rows)


def _t4(column: str, *blocks: str) -> tuple[Term, ...]:
    return tuple(Term("review_litigation", b, column) for b in blocks)


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("received", "本年新收申请数", Unit.COUNT, "表三“一、本年新收政府信息公开申请数量”总计",
                  _t3("new_received")),
    IndicatorSpec("decided", "本年办结申请数", Unit.COUNT, "表三“三（七）总计”总计", _t3("total")),
    IndicatorSpec(
        "disclosure_rate", "公开率", Unit.PERCENT,
        "（予以公开 + 部分公开）÷ 办理结果总计 × 100%（表三 三（一）+ 三（二），÷ 三（七））",
        _t3("granted", "partial"), _t3("total"), 100),
    IndicatorSpec(
        "refusal_rate", "不予公开率", Unit.PERCENT,
        "不予公开（表三 三（三）1–8 项之和）÷ 办理结果总计（三（七））× 100%",
        _t3(*DENIED_ROWS), _t3("total"), 100),
    IndicatorSpec(
        "not_held_share", "“本机关不掌握”占比", Unit.PERCENT,
        "本机关不掌握相关政府信息（表三 三（四）1）÷ 办理结果总计（三（七））× 100%",
        _t3("unable_not_held"), _t3("total"), 100),
    IndicatorSpec(
        "carried_forward_rate", "结转率", Unit.PERCENT,
        "结转下年度继续办理（表三 四）÷（本年新收 + 上年结转）（表三 一 + 二）× 100%",
        _t3("carried_forward"), _t3("new_received", "carried_over"), 100),
    IndicatorSpec(
        "reviews_per_100", "每百件申请行政复议数", Unit.PER_100,
        "行政复议总计（表四）÷ 本年新收申请数（表三 一）× 100",
        _t4("total", "review"), _t3("new_received"), 100),
    IndicatorSpec(
        "lawsuits_per_100", "每百件申请行政诉讼数", Unit.PER_100,
        "行政诉讼总计（表四 未经复议直接起诉 + 复议后起诉）÷ 本年新收申请数（表三 一）× 100",
        _t4("total", *LAWSUIT_BLOCKS), _t3("new_received"), 100),
    IndicatorSpec(
        "correction_rate", "复议诉讼纠错率", Unit.PERCENT,
        "结果纠正 ÷ 已审结（结果维持 + 结果纠正 + 其他结果）× 100%，行政复议与行政诉讼三栏合计（表四）",
        _t4("corrected", *REVIEW_BLOCKS),
        _t4("upheld", *REVIEW_BLOCKS) + _t4("corrected", *REVIEW_BLOCKS) + _t4("other", *REVIEW_BLOCKS), 100,
        note="已审结按三项结果之和计，不用“总计”减“尚未审结”，以免总计填错时影响比率"),
    IndicatorSpec("info_fee", "信息处理费", Unit.YUAN, "第六部分所述收取的信息处理费（元）",
                  (Term("fact", FEE_FACT, "value"),)),
)
INDICATOR_BY_KEY: dict[str, IndicatorSpec] = {i.key: i for i in INDICATORS}
RATE_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS if i.denominator)


class Status(str, Enum):
    OK = "ok"
    NOT_APPLICABLE = "not_applicable"  # the denominator is 0 or missing: no rate, not 0
    MISSING = "missing"  # a cell of the numerator is missing from the report

    @property
    def label(self) -> str:
        return {"ok": "", "not_applicable": "不适用", "missing": "缺数据"}[self.value]


@dataclass(frozen=True)
class Value:
    """One indicator of one report: the figure, and the two sides it was computed from."""

    key: str
    status: Status
    value: Decimal | None = None  # rounded to 2 decimal places (a count: exact)
    numerator: Number | None = None
    denominator: Number | None = None
    exact: Fraction | None = None  # the unrounded figure, for arithmetic
    missing: tuple[Term, ...] = ()  # the cells that were not numbers

    @property
    def spec(self) -> IndicatorSpec:
        return INDICATOR_BY_KEY[self.key]

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    def display(self) -> str:
        """The figure as a person reads it: "85.71%", "12 件", "不适用", "缺数据"."""
        if not self.ok or self.value is None:
            return self.status.label
        return format_value(self.value, self.spec.unit)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "value": json_number(self.value),
            "numerator": json_number(self.numerator),
            "denominator": json_number(self.denominator),
            "missing": [[t.table, t.row, t.column] for t in self.missing],
        }

    @classmethod
    def from_json(cls, key: str, data: Mapping[str, Any]) -> "Value":
        def num(v: Any) -> Number | None:
            return None if v is None else (Decimal(v) if isinstance(v, str) else v)

        value = num(data.get("value"))
        return cls(key, Status(data["status"]), None if value is None else Decimal(value),
                   num(data.get("numerator")), num(data.get("denominator")),
                   None if value is None else Fraction(Decimal(value)),
                   tuple(Term(*t) for t in data.get("missing") or ()))


def format_value(value: Decimal | float | int, unit: Unit) -> str:
    v = Decimal(str(value))
    if unit is Unit.COUNT:
        return f"{int(v)}"
    if unit is Unit.YUAN:
        return f"{v.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"
    text = f"{v.quantize(Decimal('0.1'), ROUND_HALF_UP):f}"
    return text + ("%" if unit is Unit.PERCENT else "")


# ---------------------------------------------------------------------------- reading cells


class Cells:
    """Read numbers from a report (model or JSON): ``get(term)`` is the number or None."""

    def __init__(self, report: Report | Mapping[str, Any]):
        self._report = report

    def get(self, term: Term) -> Number | None:
        report = self._report
        if isinstance(report, Report):
            if term.table == "fact":
                fact = report.fact(term.row)
                return fact.value if fact is not None else None
            table = report.table(term.table)
            if table is None:
                return None
            cell = table.rows.get(term.row, {}).get(term.column)
            return cell.value if cell is not None and cell.is_number else None
        if term.table == "fact":
            fact = (report.get("narrative_facts") or {}).get(term.row)
            value = fact.get("value") if fact else None
        else:
            table = (report.get("tables") or {}).get(term.table)
            row = table.get(term.row) if table else None
            value = row.get(term.column) if row else None
        return _number(value)


def _sum(cells: Cells, terms: Sequence[Term]) -> tuple[Number | None, tuple[Term, ...]]:
    total: Number = 0
    missing = []
    for term in terms:
        v = cells.get(term)
        if v is None:
            missing.append(term)
        else:
            total += v
    return (None if missing else total), tuple(missing)


def _round(f: Fraction) -> Decimal:
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def compute_one(spec: IndicatorSpec, cells: Cells) -> Value:
    numerator, missing = _sum(cells, spec.numerator)
    if not spec.denominator:
        if numerator is None:
            return Value(spec.key, Status.MISSING, missing=missing)
        return Value(spec.key, Status.OK, Decimal(numerator), numerator, None, Fraction(Decimal(numerator)))
    denominator, missing_d = _sum(cells, spec.denominator)
    if denominator is None or denominator == 0:
        return Value(spec.key, Status.NOT_APPLICABLE, None, numerator, denominator, missing=missing_d)
    if numerator is None:
        return Value(spec.key, Status.MISSING, None, None, denominator, missing=missing)
    exact = Fraction(Decimal(numerator)) * spec.scale / Fraction(Decimal(denominator))
    return Value(spec.key, Status.OK, _round(exact), numerator, denominator, exact)


def compute(report: Report | Mapping[str, Any]) -> dict[str, Value]:
    """Every indicator of one report (the model or its JSON), in the order of ``INDICATORS``."""
    cells = Cells(report)
    return {spec.key: compute_one(spec, cells) for spec in INDICATORS}


# ------------------------------------------------------------------------ year over year


@dataclass(frozen=True)
class Change:
    key: str
    current: Decimal | None
    previous: Decimal | None
    delta: Decimal | None  # current − previous (percentage points for a rate)
    percent: Decimal | None  # (current − previous) ÷ previous × 100, for counts; None when previous is 0

    def display(self) -> str:
        if self.delta is None:
            return "不适用"
        unit = INDICATOR_BY_KEY[self.key].unit
        sign = "+" if self.delta > 0 else ""
        if unit.is_rate:
            return f"{sign}{self.delta.quantize(Decimal('0.1'), ROUND_HALF_UP):f} 个百分点" \
                if unit is Unit.PERCENT else f"{sign}{self.delta.quantize(Decimal('0.1'), ROUND_HALF_UP):f}"
        text = f"{sign}{format_value(self.delta, unit)}"
        if self.percent is not None:
            text += f"（{sign}{self.percent.quantize(Decimal('0.1'), ROUND_HALF_UP):f}%）"
        return text


def change(current: Value | None, previous: Value | None) -> Change:
    """The change of one indicator from the previous year to this one."""
    key = (current or previous).key  # type: ignore[union-attr]
    cur = current.value if current is not None and current.ok else None
    prev = previous.value if previous is not None and previous.ok else None
    if cur is None or prev is None:
        return Change(key, cur, prev, None, None)
    delta = cur - prev
    percent = None
    if not INDICATOR_BY_KEY[key].unit.is_rate and prev != 0:
        percent = (delta * 100 / prev).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Change(key, cur, prev, delta, percent)


# -------------------------------------------------------------------------- region totals

TOTALS_LABEL = "各机关年度报告数据之和（由本系统相加得出，不等同于本级政府自身的年度报告）"


@dataclass
class RegionTotals:
    """Tables 2, 3 and 4 summed cell by cell over the reports given: ``sums[table][row][column]``,
    with, per cell, how many reports gave a number (``counts``) — a report whose cell is blank,
    a placeholder or missing adds nothing and is counted in ``reports − counts``."""

    reports: int = 0
    sums: dict[str, dict[str, dict[str, Number]]] = field(default_factory=dict)
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    label: str = TOTALS_LABEL

    def value(self, table: str, row: str, column: str) -> Number:
        return self.sums.get(table, {}).get(row, {}).get(column, 0)

    def lacking(self, table: str, row: str, column: str) -> int:
        """Reports that gave no number for this cell."""
        return self.reports - self.counts.get(table, {}).get(row, {}).get(column, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "reports": self.reports,
            "sums": {t: {r: {c: json_number(v) for c, v in cols.items()} for r, cols in rows.items()}
                     for t, rows in self.sums.items()},
            "counts": self.counts,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RegionTotals":
        sums = {t: {r: {c: (Decimal(v) if isinstance(v, str) else v) for c, v in cols.items()}
                    for r, cols in rows.items()} for t, rows in (data.get("sums") or {}).items()}
        return cls(data.get("reports", 0), sums, data.get("counts") or {}, data.get("label") or TOTALS_LABEL)

    def as_report_json(self) -> dict[str, Any]:
        """The sums in the shape of a report JSON's ``tables`` (so ``compute`` gives the region's rates)."""
        return {"tables": self.to_json()["sums"], "narrative_facts": {}}


def _row_keys(table_key: str) -> list[str]:
    spec = TABLE_BY_KEY[table_key]
    keys = list(spec.row_keys)
    if table_key == APPLICATIONS.key:
        keys.insert(keys.index("total"), SINGLE_OTHER_ROW)
    return keys


def _values_of(report: Report | Mapping[str, Any]) -> Mapping[str, Any]:
    """table -> row -> column -> number, from the model or the JSON's ``tables``."""
    if isinstance(report, Report):
        return {key: (table_values(t) if t is not None else None) for key, t in report.tables.items()}
    return report.get("tables") or {}


def _number(value: Any) -> Number | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def region_totals(reports: Iterable[Report | Mapping[str, Any]]) -> RegionTotals:
    """Sum tables 2, 3 and 4 of the reports, cell by cell (a table 3 printed with a single
    （六）其他处理 row adds to that row only; its sub-rows count it as lacking)."""
    totals = RegionTotals()
    layout = [(spec.key, [(row_key, spec.row(row_key).column_keys) for row_key in _row_keys(spec.key)])
              for spec in TABLES]
    for table_key, rows in layout:
        totals.sums[table_key] = {r: dict.fromkeys(columns, 0) for r, columns in rows}
        totals.counts[table_key] = {r: dict.fromkeys(columns, 0) for r, columns in rows}
    for report in reports:
        totals.reports += 1
        values = _values_of(report)
        for table_key, rows in layout:
            table = values.get(table_key)
            if not table:
                continue
            sums, counts = totals.sums[table_key], totals.counts[table_key]
            for row_key, columns in rows:
                row = table.get(row_key)
                if not row:
                    continue
                for column in columns:
                    v = _number(row.get(column))
                    if v is not None:
                        sums[row_key][column] += v
                        counts[row_key][column] += 1
    return totals


# ------------------------------------------------------------------------------- rankings


def rank(values: Mapping[Any, Decimal | float | int | None], descending: bool = True) -> dict[Any, int]:
    """Competition ranking ("1224"): equal values share a rank, the next rank skips. Keys whose
    value is None are not ranked (absent from the result)."""
    present = [(k, v) for k, v in values.items() if v is not None]
    present.sort(key=lambda kv: kv[1], reverse=descending)
    out: dict[Any, int] = {}
    previous = object()
    current_rank = 0
    for position, (k, v) in enumerate(present, start=1):
        if v != previous:
            current_rank = position
            previous = v
        out[k] = current_rank
    return out


def median(values: Sequence[Decimal | float | int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(Decimal(str(v)) for v in values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def mad(values: Sequence[Decimal | float | int]) -> Decimal | None:
    """Median absolute deviation from the median (unscaled)."""
    m = median(values)
    if m is None:
        return None
    return median([abs(Decimal(str(v)) - m) for v in values])


# -------------------------------------------------------------------------------- outliers


@dataclass(frozen=True)
class Outlier:
    """One figure a visible rule flagged: which rule, with which thresholds, and why."""

    rule: str
    indicator: str
    value: Decimal
    reference: Decimal  # the previous year's figure, or the region's median
    message: str  # Chinese

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "indicator": self.indicator, "value": json_number(self.value),
                "reference": json_number(self.reference), "message": self.message}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Outlier":
        return cls(data["rule"], data["indicator"], Decimal(str(data["value"])), Decimal(str(data["reference"])),
                   data["message"])


@dataclass(frozen=True)
class SuddenChange:
    """Rule ``O-sudden-change``: applications received changed by at least ``percent`` % from the
    previous year AND by at least ``min_applications`` applications (small numbers are not sudden)."""

    percent: int = 50
    min_applications: int = 10
    indicator: str = "received"
    id: str = "O-sudden-change"
    title: str = "申请数量突变"

    def describe(self) -> str:
        return (f"本年新收申请数与上年相比变化幅度不低于{self.percent}%，"
                f"且增减件数不少于{self.min_applications}件")

    def check(self, c: Change) -> Outlier | None:
        if c.delta is None or c.previous is None:
            return None
        if abs(c.delta) < self.min_applications:
            return None
        if c.previous == 0:
            flagged = True  # from none to at least min_applications: an unbounded change
        else:
            flagged = abs(c.delta) * 100 >= self.percent * c.previous
        if not flagged:
            return None
        word = "增加" if c.delta > 0 else "减少"
        pct = f"（{c.percent:+.1f}%）" if c.percent is not None else "（上年为0）"
        return Outlier(self.id, self.indicator, c.current, c.previous,  # type: ignore[arg-type]
                       f"本年新收申请{c.current:f}件，上年{c.previous:f}件，{word}{abs(c.delta):f}件{pct}")


@dataclass(frozen=True)
class FarFromMedian:
    """Rule ``O-far-from-median``: a rate outside the region's median ± max(k × MAD, floor)
    (percentage points), among the agencies whose denominator is at least ``min_base``."""

    k: Decimal = Decimal(3)
    floor: Decimal = Decimal(20)
    min_base: int = 10
    id: str = "O-far-from-median"
    title: str = "比率远离全区中位数"
    indicators: tuple[str, ...] = ("disclosure_rate", "refusal_rate", "not_held_share", "carried_forward_rate",
                                   "correction_rate")

    def describe(self) -> str:
        return (f"比率落在全区中位数 ±（{self.k}×绝对中位差，且至少{self.floor}个百分点）之外；"
                f"只比较分母不少于{self.min_base}件的机关")

    def band(self, values: Sequence[Decimal]) -> tuple[Decimal, Decimal] | None:
        """(median, half-width) of the region's figures, or None when there are none."""
        m, d = median(values), mad(values)
        if m is None or d is None:
            return None
        return m, max(self.k * d, self.floor)

    def eligible(self, v: Value) -> bool:
        return v.ok and v.denominator is not None and v.denominator >= self.min_base

    def check(self, v: Value, band: tuple[Decimal, Decimal] | None) -> Outlier | None:
        if band is None or not self.eligible(v) or v.value is None:
            return None
        m, half = band
        if abs(v.value - m) <= half:
            return None
        spec = INDICATOR_BY_KEY[v.key]
        side = "高于" if v.value > m else "低于"
        return Outlier(self.id, v.key, v.value, m,
                       f"{spec.name}{format_value(v.value, spec.unit)}，{side}全区中位数"
                       f"{format_value(m, spec.unit)}超过{half.quantize(Decimal('0.1'), ROUND_HALF_UP):f}个百分点")


SUDDEN_CHANGE = SuddenChange()
FAR_FROM_MEDIAN = FarFromMedian()
OUTLIER_RULES = (SUDDEN_CHANGE, FAR_FROM_MEDIAN)


def find_outliers(
    current: Mapping[Any, Mapping[str, Value]],
    previous: Mapping[Any, Mapping[str, Value]] | None = None,
    sudden: SuddenChange = SUDDEN_CHANGE,
    far: FarFromMedian = FAR_FROM_MEDIAN,
) -> tuple[dict[Any, list[Outlier]], dict[str, tuple[Decimal, Decimal]]]:
    """The outliers of a region's year: agency key -> the figures the rules flagged, and the
    median bands used (indicator -> (median, half-width)). ``current``/``previous``: agency key
    -> its indicators this year / last year."""
    out: dict[Any, list[Outlier]] = {}
    bands: dict[str, tuple[Decimal, Decimal]] = {}
    for key in far.indicators:
        values = [ind[key].value for ind in current.values() if key in ind and far.eligible(ind[key])]
        band = far.band(values)  # type: ignore[arg-type]
        if band is not None:
            bands[key] = band
    for agency, indicators in current.items():
        flags: list[Outlier] = []
        if previous is not None and agency in previous:
            hit = sudden.check(change(indicators.get(sudden.indicator), previous[agency].get(sudden.indicator)))
            if hit:
                flags.append(hit)
        for key in far.indicators:
            if key in indicators:
                hit = far.check(indicators[key], bands.get(key))
                if hit:
                    flags.append(hit)
        if flags:
            out[agency] = flags
    return out, bands


__all__ = [
    "INDICATORS", "INDICATOR_BY_KEY", "RATE_KEYS", "IndicatorSpec", "Term", "Unit", "Status", "Value", "Cells",
    "compute", "compute_one", "format_value", "Change", "change", "RegionTotals", "region_totals", "TOTALS_LABEL",
    "rank", "median", "mad", "Outlier", "SuddenChange", "FarFromMedian", "SUDDEN_CHANGE", "FAR_FROM_MEDIAN",
    "OUTLIER_RULES", "find_outliers", "DENIED_ROWS", "OTHER_SUB_ROWS",
]
