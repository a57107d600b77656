"""Checks across reports: the same agency's neighbouring years, other agencies, the region.

``cross_check(reports)`` groups the reports by agency (``agency_key``) and year and

1. settles run-together digits that one report alone leaves uncertain, where exactly one
   candidate split makes the identities between neighbouring years hold (``X-settled``);
2. checks those identities: 上年结转 of Y = 结转下年度继续办理 of Y−1 (``X-carry-over``), 现行有效
   of Y = 现行有效 of Y−1 + 本年制发 − 本年废止 (``X-in-force``), and table 4's 尚未审结 of Y−1
   against Y (``X-appeal-pending``);
3. finds narrative sections copied from last year's report or another agency's (``X-copied``);
4. checks publication against the deadline of the agency's kind as the office states it
   (``X-late``) and finds agencies of the office's list without a report (``X-missing-report``).

Every finding has the shape of a single report's findings; ``details["sources"]`` lists the
reports involved, the report the finding is about first.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping, Sequence

from ... import standard
from ..errors import ReportReadError
from ..inputs import agency_list_from_text
from ..model import Cell, CellStatus, Number, Report, Table
from ..parsing import digits
from ..similarity import common_passages, similar_pairs, squeeze
from ...standard import APPLICATION_COLUMN_KEYS, AgencyKind, agency_kind, publication_deadline
from . import findings as F
from .findings import Finding, Severity, finding

DEFAULT_COPY_THRESHOLD = 0.8
COPY_MIN_CHARS = 100  # a shorter section ("无。", one sentence on the fee) is not compared

IN_FORCE_ROWS = ("rules", "normative_documents")
_DOC_COLUMNS = tuple(c.key for c in standard.DOCUMENT_COLUMNS)  # issued, repealed, in_force

# ------------------------------------------------------------------------- agencies

_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_SPACE = re.compile(r"\s+")
# A province and a prefecture-level city (or prefecture) written before a county-level unit:
# "江苏省淮安市洪泽区人民政府" is the same agency as "洪泽区人民政府".
_UPPER_LEVELS = re.compile(
    r"^(?P<prefix>(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?(?:市|自治州|州|盟|地区))?)"
    r"(?=[\u4e00-\u9fff]{2,7}?(?:区|县|市|旗))"
)


def agency_name(name: str | None) -> str:
    """The name as compared: NFKC, no spaces, no bracketed additions ("（江苏省）")."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))
    return _BRACKETS.sub("", text)


def _short_name(name: str) -> tuple[str, str]:
    """(prefix of upper levels, the rest): "淮安市洪泽区人民政府" -> ("淮安市", "洪泽区人民政府")."""
    m = _UPPER_LEVELS.match(name)
    prefix = m.group("prefix") if m else ""
    return prefix, name[len(prefix):]


def agency_keys(names: Iterable[str | None]) -> dict[str, str]:
    """Each name -> the key of its agency among ``names``.

    Names that differ only by the province or city written before a county-level unit are one
    agency ("淮安市洪泽区人民政府", "洪泽区人民政府"), unless two different upper levels are written
    for the same rest (two 朝阳区 of two cities): then each full name is its own agency.
    """
    normal = {n: agency_name(n) for n in names if n and agency_name(n)}
    prefixes: dict[str, set[str]] = {}
    for full in normal.values():
        prefix, rest = _short_name(full)
        prefixes.setdefault(rest, set())
        if prefix:
            prefixes[rest].add(prefix)
    out: dict[str, str] = {}
    for original, full in normal.items():
        prefix, rest = _short_name(full)
        out[original] = rest if len(prefixes[rest]) <= 1 else full
    return out


KIND_WORDS: dict[str, str] = {
    "government": "government", "政府": "government", "人民政府": "government", "本级政府": "government",
    "department": "department", "部门": "department", "政府部门": "department",
    "township": "township", "乡镇": "township", "街道": "township", "乡镇街道": "township",
    "uncertain": "uncertain", "未定": "uncertain", "不确定": "uncertain",
}


def parse_agency_list(text: str, path: str | None = None) -> tuple[list[str], dict[str, str]]:
    """The office's list of agencies (``inputs.agency_list_from_text``: one a line, optionally
    followed by its kind): the names, and name -> kind for those that give one ("uncertain"
    where the list says 未定)."""
    listed = agency_list_from_text(text, path)
    return list(listed.names), listed.kind_words()


def _known_kind(kind: AgencyKind | str) -> str:
    """An agency kind as given by the office: an ``AgencyKind``, its value or a word of ``KIND_WORDS``."""
    value = kind.value if isinstance(kind, AgencyKind) else KIND_WORDS.get(str(kind).strip())
    if value is None:
        raise ValueError(f"unknown agency kind: {kind!r} (one of {sorted(set(KIND_WORDS.values()))})")
    return value


def _kind_value(kind: Any) -> str | None:
    if kind is None:
        return None
    return kind.value if isinstance(kind, AgencyKind) else str(kind)


# -------------------------------------------------------------------- the result


def source_of(report: Report, role: str, line: int | None = None) -> dict[str, Any]:
    return {"role": role, "source": report.source, "agency": report.agency, "year": report.year, "line": line}


@dataclass(frozen=True)
class Timeliness:
    """A report's publication against the deadline of its agency's kind."""

    index: int  # of the report in the list checked
    agency: str | None
    year: int | None
    kind: str | None  # government / department / township, or "uncertain"
    kind_given: bool  # stated by the office (``kinds``) rather than read from the name
    published: date | None
    deadline: date | None  # None when the kind is uncertain (see ``deadlines``)
    status: str  # on_time / late / undated / unknown_year / late_if_department
    days_late: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "year": self.year,
            "kind": self.kind,
            "kind_given": self.kind_given,
            "published": self.published.isoformat() if self.published else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status,
            "days_late": self.days_late,
        }


@dataclass
class CrossCheck:
    """What ``cross_check`` found: per report (by index in the list given) and for the region."""

    reports: list[Report]  # the reports given; a copy where cells were settled by neighbouring years
    by_report: dict[int, list[Finding]] = field(default_factory=dict)
    region: list[Finding] = field(default_factory=list)  # about no report: the missing ones
    timeliness: list[Timeliness] = field(default_factory=list)
    groups: dict[str, list[int]] = field(default_factory=dict)  # agency key -> report indexes by year

    @property
    def findings(self) -> list[Finding]:
        out = [f for i in sorted(self.by_report) for f in self.by_report[i]]
        return out + list(self.region)

    def add(self, index: int, f: Finding) -> None:
        self.by_report.setdefault(index, []).append(f)

    def kind_given(self, index: int) -> bool:
        return any(t.index == index and t.kind_given for t in self.timeliness)


def check_across(
    reports: Sequence[Report],
    *,
    expected_agencies: Iterable[str] | None = None,
    copy_threshold: float = DEFAULT_COPY_THRESHOLD,
    kinds: Mapping[str, AgencyKind | str] | None = None,
    years: Iterable[int] | None = None,
) -> list[Finding]:
    """The cross-report findings for ``reports`` (see ``cross_check`` for the parameters)."""
    return cross_check(
        reports, expected_agencies=expected_agencies, copy_threshold=copy_threshold, kinds=kinds, years=years
    ).findings


def cross_check(
    reports: Sequence[Report],
    *,
    expected_agencies: Iterable[str] | None = None,
    copy_threshold: float = DEFAULT_COPY_THRESHOLD,
    kinds: Mapping[str, AgencyKind | str] | None = None,
    years: Iterable[int] | None = None,
) -> CrossCheck:
    """Check ``reports`` against each other.

    ``expected_agencies``: the agencies of the region that must publish a report (names as
    written anywhere: "淮安市洪泽区人民政府" matches a report of "洪泽区人民政府"); each without a
    report for one of ``years`` (default: the years of the reports given) is ``X-missing-report``.
    ``copy_threshold``: the Jaccard similarity (0–1) of two sections' character shingles from
    which they count as copied. ``kinds``: agency name -> kind (``AgencyKind`` or its value, or
    "uncertain") as the office knows it; a report whose agency has a kind here is checked by
    ``X-late``.
    """
    if not 0 < copy_threshold <= 1:
        raise ValueError("copy_threshold must lie in (0, 1]")
    expected = list(expected_agencies or [])
    kinds = {name: _known_kind(kind) for name, kind in (kinds or {}).items()}
    keys = agency_keys([r.agency for r in reports] + expected + list(kinds))
    result = CrossCheck(list(reports))  # a report is copied before a cell of it is settled
    for i, r in enumerate(result.reports):
        key = keys.get(r.agency) if r.agency else None
        if key is not None and r.year is not None:
            result.groups.setdefault(key, []).append(i)
    for indexes in result.groups.values():
        indexes.sort(key=lambda i: result.reports[i].year)  # type: ignore[arg-type, return-value]
    _settle(result)
    for indexes in result.groups.values():
        for prev, cur in _neighbours(result.reports, indexes):
            for check in PAIR_CHECKS:
                for f in check(result.reports[prev], result.reports[cur]):
                    result.add(cur, f)
    _copies(result, keys, copy_threshold)
    given_kinds = {keys[name]: kind for name, kind in kinds.items() if name in keys}
    _timeliness(result, keys, given_kinds)
    _missing(result, keys, expected, years, given_kinds)
    for index, found in result.by_report.items():
        found[:] = _ordered(found)
    return result


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then in the order of the report (as ``check_report`` orders its findings)."""
    return sorted(findings, key=lambda f: (f.severity.rank, f.line if f.line is not None else 10**9))


def _neighbours(reports: list[Report], indexes: list[int]) -> Iterable[tuple[int, int]]:
    """(Y−1, Y) pairs of one agency's reports; every combination when a year has several."""
    for a in indexes:
        for b in indexes:
            if reports[b].year == reports[a].year + 1:  # type: ignore[operator]
                yield a, b


# ---------------------------------------------------------------------- values


def _row_values(table: Table | None, row: str, columns: Sequence[str]) -> list[tuple[Number | None, ...]] | None:
    """The possible values of a row: one tuple when read, the candidate splits when uncertain,
    None when the table or row is absent. A cell without a number is None in the tuple."""
    if table is None or not table.has_row(row):
        return None
    if row in table.uncertain:
        keys = table.spec.row(row).column_keys
        return [tuple(c[keys.index(k)] for k in columns) for c in table.uncertain[row]]
    return [tuple(table.cell(row, c).value if table.cell(row, c).is_number else None for c in columns)]


def _line(table: Table | None, row: str, column: str | None = None) -> int | None:
    if table is None or not table.has_row(row):
        return None
    cells = table.rows[row]
    cell = cells.get(column) if column else next(iter(cells.values()), None)
    return cell.line if cell is not None else None


def _j(value: Number | None) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _name(report: Report) -> str:
    return f"{report.year}年度报告" if report.year is not None else "报告"


# ----------------------------------------------------------- identities between years


@dataclass(frozen=True)
class Identity:
    """An identity between a row of year Y and a row of year Y−1, over some columns."""

    code: str  # carry_over / in_force
    table: str
    row: str  # in year Y
    previous_row: str  # in year Y−1
    columns: tuple[str, ...]  # of the row in Y
    previous_columns: tuple[str, ...]  # of the row in Y−1
    holds: Callable[[tuple, tuple], bool | None]  # None: cannot be told (a cell without a number)
    explain: Callable[[tuple, tuple], str]


def _carry_over_holds(cur: tuple, prev: tuple) -> bool | None:
    pairs = [(a, b) for a, b in zip(cur, prev) if a is not None and b is not None]
    if not pairs:
        return None
    return all(a == b for a, b in pairs)


def _in_force_holds(cur: tuple, prev: tuple) -> bool | None:
    issued, repealed, in_force = cur
    (previous,) = prev
    if None in (issued, repealed, in_force, previous):
        return None
    return previous + issued - repealed == in_force


def _carry_over_text(cur: tuple, prev: tuple) -> str:
    return "上年结转 " + " | ".join(map(str, cur)) + " 等于上年结转下年度 " + " | ".join(map(str, prev))


def _in_force_text(cur: tuple, prev: tuple) -> str:
    issued, repealed, in_force = cur
    return f"上年现行有效 {prev[0]} + 本年制发 {issued} − 本年废止 {repealed} = 现行有效 {in_force}"


IDENTITIES: tuple[Identity, ...] = (
    Identity(
        "carry_over", "applications", "carried_over", "carried_forward",
        APPLICATION_COLUMN_KEYS, APPLICATION_COLUMN_KEYS, _carry_over_holds, _carry_over_text,
    ),
    *(
        Identity("in_force", "active", row, row, _DOC_COLUMNS, ("in_force",), _in_force_holds, _in_force_text)
        for row in IN_FORCE_ROWS
    ),
)


# -------------------------------------------------------------------- settling


@dataclass
class _Open:
    """An uncertain row while it is being settled."""

    index: int
    table: str
    row: str
    candidates: list[tuple]  # full rows, in the row's column order
    original: int  # how many candidates one report alone left
    reasons: list[tuple[int, Identity, tuple]] = field(default_factory=list)  # (other report, identity, its values)
    confirmed: bool = False  # a single candidate (a run that might also be one number) that an identity confirms


def _settle(result: CrossCheck) -> None:
    """Narrow uncertain rows with the identities between neighbouring years; settle a row
    that keeps exactly one candidate, then let table 3's own equations settle others."""
    reports = result.reports
    opened: dict[tuple[int, str, str], _Open] = {}
    for i, r in enumerate(reports):
        for key, table in r.tables.items():
            if table is not None:
                for row, cands in table.uncertain.items():
                    opened[(i, key, row)] = _Open(i, key, row, list(cands), len(cands))
    if not opened:
        return
    pairs = [pair for indexes in result.groups.values() for pair in _unique_year_pairs(reports, indexes)]
    changed = True
    while changed:
        changed = False
        for prev, cur in pairs:
            for identity in IDENTITIES:
                changed |= _narrow(reports, opened, prev, cur, identity)
    settled_rows: dict[int, list[tuple[str, str]]] = {}
    for (i, key, row), o in opened.items():
        if len(o.candidates) == 1 and (o.original > 1 or o.confirmed):
            if i not in settled_rows:
                reports[i] = copy.deepcopy(reports[i])  # the report given stays as it was read
            _apply(reports[i], key, row, o.candidates[0])
            settled_rows.setdefault(i, []).append((key, row))
            result.add(i, _settled_finding(reports, o))
    for i, rows in settled_rows.items():
        if any(key == "applications" for key, _ in rows):
            for row, values in _resolve_table3(reports[i]).items():
                raw = reports[i].tables["applications"].cell(row, "total").raw
                _apply(reports[i], "applications", row, values)
                result.add(i, _by_columns_finding(reports[i], row, raw, values))


def _unique_year_pairs(reports: list[Report], indexes: list[int]) -> Iterable[tuple[int, int]]:
    """(Y−1, Y) pairs where each year has exactly one report of the agency (else nothing is settled)."""
    years: dict[int, list[int]] = {}
    for i in indexes:
        years.setdefault(reports[i].year, []).append(i)  # type: ignore[arg-type]
    for year, mine in years.items():
        before = years.get(year - 1)
        if before and len(before) == 1 and len(mine) == 1:
            yield before[0], mine[0]


def _options(
    reports: list[Report], opened: dict, index: int, table: str, row: str, columns: Sequence[str]
) -> tuple[_Open | None, list[tuple] | None]:
    """The open row (if uncertain) and the possible values of ``columns`` of a row."""
    o = opened.get((index, table, row))
    t = reports[index].tables.get(table)
    if o is not None:
        keys = t.spec.row(row).column_keys  # type: ignore[union-attr]
        return o, [tuple(c[keys.index(k)] for k in columns) for c in o.candidates]
    return None, _row_values(t, row, columns)


def _narrow(reports: list[Report], opened: dict, prev: int, cur: int, identity: Identity) -> bool:
    o_cur, cur_values = _options(reports, opened, cur, identity.table, identity.row, identity.columns)
    o_prev, prev_values = _options(reports, opened, prev, identity.table, identity.previous_row, identity.previous_columns)
    if cur_values is None or prev_values is None or (o_cur is None and o_prev is None):
        return False
    changed = False
    for side, o, mine, theirs, other in ((0, o_cur, cur_values, prev_values, prev), (1, o_prev, prev_values, cur_values, cur)):
        if o is None:
            continue
        results: list[bool | None] = []  # per candidate: holds for some value of the other row, cannot tell, fails
        for values in mine:
            answers = [identity.holds(values, t) if side == 0 else identity.holds(t, values) for t in theirs]
            results.append(True if True in answers else None if all(a is None for a in answers) else False)
        if False not in results and not (len(results) == 1 and results[0] is True):
            continue  # tells nothing
        if all(r is False for r in results):
            continue  # holds for no split: an error the identity's own rule reports, not a way to split
        if len(theirs) == 1 and (other, identity) not in [(x, i) for x, i, _ in o.reasons]:
            o.reasons.append((other, identity, theirs[0]))
        if len(results) == 1:
            o.confirmed = True  # the one split a run that might be one number allows: confirmed
            continue
        o.candidates = [c for c, r in zip(o.candidates, results) if r is not False]
        changed = True
    return changed


def _apply(report: Report, key: str, row: str, values: tuple) -> None:
    table = report.tables[key]
    assert table is not None
    cells = table.rows[row]
    table.rows[row] = {
        column: (
            Cell(value, cell.raw, cell.line, CellStatus.NUMBER)
            if value is not None
            else Cell(None, cell.raw, cell.line, CellStatus.UNREADABLE)
        )
        for (column, cell), value in zip(cells.items(), values)
    }
    table.uncertain.pop(row, None)
    report.notes = [n for n in report.notes if not (n.code == "row-uncertain" and n.table == key and n.row == row)]


def _shown(values: Iterable[Number | None]) -> str:
    return " | ".join("?" if v is None else str(v) for v in values)


def _settled_finding(reports: list[Report], o: _Open) -> Finding:
    report = reports[o.index]
    table = report.tables[o.table]
    assert table is not None
    spec = table.spec
    values = o.candidates[0]
    raw = table.cell(o.row, spec.row(o.row).column_keys[0]).raw
    sources = [source_of(report, "subject", _line(table, o.row))]
    because = []
    for other, identity, their_values in o.reasons:
        other_report = reports[other]
        if not any(s["role"] != "subject" and s["year"] == other_report.year for s in sources):
            row = identity.previous_row if other_report.year < report.year else identity.row  # type: ignore[operator]
            sources.append(source_of(other_report, "neighbour", _line(other_report.tables.get(identity.table), row)))
        if other_report.year < report.year:  # type: ignore[operator]
            cur = tuple(values[spec.row(o.row).column_keys.index(c)] for c in identity.columns)
            prev = their_values
        else:
            cur = their_values
            prev = tuple(values[spec.row(o.row).column_keys.index(c)] for c in identity.previous_columns)
        because.append(f"{_name(other_report)}：{identity.explain(cur, prev)}")
    reason = "；".join(dict.fromkeys(because)) or "与相邻年度报告的勾稽关系"
    label = spec.row(o.row).label
    alone = (
        f"单看本报告有 {o.original} 种拆分；按相邻年度的勾稽关系只有一种成立"
        if o.original > 1
        else "单看本报告无法排除这些数字本是一个数；按相邻年度的勾稽关系，拆分后成立"
    )
    return finding(
        F.X_SETTLED,
        f"{spec.name}「{label}」一行的数连在一起（{raw}），{alone}（{reason}），已确定为 {_shown(values)}",
        table=o.table,
        row=o.row,
        line=_line(table, o.row),
        details={
            "raw": raw,
            "values": [_j(v) for v in values],
            "candidates": o.original,
            "by": "neighbouring_year",
            "sources": sources,
        },
    )


def _resolve_table3(report: Report) -> dict[str, tuple]:
    """Table 3's rows that its own equations settle once a row was settled by a neighbour."""
    table = report.tables.get("applications")
    if table is None or not table.uncertain:
        return {}
    known = {
        row: tuple(c.value if c.is_number else None for c in cells.values())
        for row, cells in table.rows.items()
        if row not in table.uncertain
    }
    candidates = {row: list(c) for row, c in table.uncertain.items()}
    narrowed = digits.resolve_columns(known, candidates)  # type: ignore[arg-type]
    return {row: c[0] for row, c in narrowed.items() if len(c) == 1 and len(candidates[row]) > 1}


def _by_columns_finding(report: Report, row: str, raw: str | None, values: tuple) -> Finding:
    spec = standard.APPLICATIONS
    table = report.tables["applications"]
    return finding(
        F.X_SETTLED,
        f"{spec.name}「{spec.row(row).label}」一行的数连在一起（{raw}）；相邻年度确定了本表另一行之后，"
        f"本表的勾稽关系（一+二=三+四，总计=各项之和）只剩一种拆分，已确定为 {_shown(values)}",
        table="applications",
        row=row,
        line=_line(table, row),
        details={
            "raw": raw,
            "values": [_j(v) for v in values],
            "by": "table_equations",
            "sources": [source_of(report, "subject", _line(table, row))],
        },
    )


# ---------------------------------------------------------------- pair checks


def check_carry_over(prev: Report, cur: Report) -> Iterable[Finding]:
    """X-carry-over: 上年结转 of Y equals 结转下年度继续办理 of Y−1, column by column."""
    t_cur, t_prev = cur.tables.get("applications"), prev.tables.get("applications")
    cur_values = _row_values(t_cur, "carried_over", APPLICATION_COLUMN_KEYS)
    prev_values = _row_values(t_prev, "carried_forward", APPLICATION_COLUMN_KEYS)
    if cur_values is None or prev_values is None or len(cur_values) != 1 or len(prev_values) != 1:
        return
    for i, column in enumerate(APPLICATION_COLUMN_KEYS):
        a, b = cur_values[0][i], prev_values[0][i]
        if a is None or b is None or a == b:
            continue
        label = standard.APPLICATIONS.row("carried_over").column(column).label
        yield finding(
            F.X_CARRY_OVER,
            f"表三「{label}」列：本报告“二、上年结转政府信息公开申请数量”为 {a}，而{_name(prev)}"
            f"“四、结转下年度继续办理”为 {b}；上年结转下来的申请数应与上年报告一致",
            table="applications",
            row="carried_over",
            column=column,
            line=_line(t_cur, "carried_over", column),
            details={
                "carried_over": _j(a),
                "previous_carried_forward": _j(b),
                "sources": [
                    source_of(cur, "subject", _line(t_cur, "carried_over", column)),
                    source_of(prev, "previous", _line(t_prev, "carried_forward", column)),
                ],
            },
        )


def check_in_force(prev: Report, cur: Report) -> Iterable[Finding]:
    """X-in-force: 现行有效 of Y = 现行有效 of Y−1 + 本年制发 − 本年废止 (rules, normative documents)."""
    t_cur, t_prev = cur.tables.get("active"), prev.tables.get("active")
    for row in IN_FORCE_ROWS:
        cur_values = _row_values(t_cur, row, _DOC_COLUMNS)
        prev_values = _row_values(t_prev, row, ("in_force",))
        if cur_values is None or prev_values is None or len(cur_values) != 1 or len(prev_values) != 1:
            continue
        issued, repealed, in_force = cur_values[0]
        (previous,) = prev_values[0]
        if None in (issued, repealed, in_force, previous):
            continue
        expected = previous + issued - repealed  # type: ignore[operator]
        if expected == in_force:
            continue
        label = standard.ACTIVE.row(row).label
        yield finding(
            F.X_IN_FORCE,
            f"表二「{label}」：{_name(prev)}现行有效 {previous} 件 + 本年制发 {issued} 件 − 本年废止 {repealed} 件 = {expected} 件，"
            f"而本报告现行有效 {in_force} 件（相差 {in_force - expected:+d} 件）。"  # type: ignore[operator]
            "文件清理、失效、统计口径调整等都可能造成差异，如有请在报告中说明",
            table="active",
            row=row,
            column="in_force",
            line=_line(t_cur, row, "in_force"),
            details={
                "previous_in_force": _j(previous),
                "issued": _j(issued),
                "repealed": _j(repealed),
                "expected": _j(expected),
                "in_force": _j(in_force),
                "sources": [
                    source_of(cur, "subject", _line(t_cur, row, "in_force")),
                    source_of(prev, "previous", _line(t_prev, row, "in_force")),
                ],
            },
        )


# A sentence of section 四 that speaks of last year's cases: it may explain where they went.
_PENDING_EXPLAINED = re.compile(r"(上年|上一年|去年|以前年度|往年|结转)[^。；;]{0,40}(未审结|尚未审结|审结|结案|结转|案件)")


def check_appeal_pending(prev: Report, cur: Report) -> Iterable[Finding]:
    """X-appeal-pending: a block of table 4 with p > 0 cases 尚未审结 at the end of Y−1 must count
    at least p cases in Y (concluded in Y under a result, or still pending), unless section 四
    of Y speaks of last year's cases."""
    t_cur, t_prev = cur.tables.get("review_litigation"), prev.tables.get("review_litigation")
    section = cur.section("review_litigation")
    text = squeeze(section.text) if section is not None else ""
    if _PENDING_EXPLAINED.search(text) or (prev.year is not None and f"{prev.year}年" in text and "审结" in text):
        return
    for block in standard.REVIEW_LITIGATION.rows:
        prev_values = _row_values(t_prev, block.key, ("pending",))
        cur_values = _row_values(t_cur, block.key, ("total",))
        if prev_values is None or cur_values is None or len(prev_values) != 1 or len(cur_values) != 1:
            continue
        (pending,) = prev_values[0]
        (total,) = cur_values[0]
        if pending is None or total is None or pending <= 0 or total >= pending:
            continue
        name = ("行政诉讼·" if block.group else "") + block.label
        yield finding(
            F.X_APPEAL_PENDING,
            f"表四「{name}」：{_name(prev)}有 {pending} 件尚未审结，本报告同一项总计只有 {total} 件。"
            "上年未审结的案件在本年审结的，应按结果计入本年表四，仍未审结的应计入“尚未审结”；"
            "本报告第四部分也没有说明上年案件的情况",
            table="review_litigation",
            row=block.key,
            column="total",
            line=_line(t_cur, block.key, "total"),
            details={
                "previous_pending": _j(pending),
                "total": _j(total),
                "sources": [
                    source_of(cur, "subject", _line(t_cur, block.key, "total")),
                    source_of(prev, "previous", _line(t_prev, block.key, "pending")),
                ],
            },
        )


PAIR_CHECKS: tuple[Callable[[Report, Report], Iterable[Finding]], ...] = (
    check_carry_over,
    check_in_force,
    check_appeal_pending,
)


# --------------------------------------------------------------------- copying


def _copies(result: CrossCheck, keys: dict[str, str], threshold: float) -> None:
    """X-copied: a narrative section nearly the same as the same section of the agency's report of
    the year before, or of another agency's report of the same or the year before."""
    reports = result.reports
    texts: dict[tuple[int, str], str] = {}
    for i, r in enumerate(reports):
        for s in r.sections:
            if s.text and len(squeeze(s.text)) >= COPY_MIN_CHARS:
                texts[(i, s.key)] = s.text
    for (a, key_a), (b, key_b), score in similar_pairs(texts, threshold):  # type: ignore[misc]
        if key_a != key_b or a == b:
            continue
        ra, rb = reports[a], reports[b]
        same = ra.agency is not None and keys.get(ra.agency) == keys.get(rb.agency)
        for subject, other in ((a, b), (b, a)):
            rs, ro = reports[subject], reports[other]
            if rs.year is not None and ro.year is not None:
                gap = rs.year - ro.year
                if (same and gap != 1) or (not same and gap not in (0, 1)):
                    continue
            elif same:
                continue
            result.add(subject, _copied_finding(rs, ro, key_a, score, threshold, same))


def _copied_finding(subject: Report, other: Report, key: str, score: float, threshold: float, same: bool) -> Finding:
    s, o = subject.section(key), other.section(key)
    assert s is not None and o is not None
    passages = common_passages(s.text, o.text)
    whom = f"本机关{_name(other)}" if same else f"{other.agency or other.source or '另一机关'}{_name(other)}"
    spec = standard.SECTION_BY_KEY[key]
    shown = "；".join(f"“{p.text[:40]}{'…' if len(p.text) > 40 else ''}”（{len(p.text)}字）" for p in passages[:3])
    return finding(
        F.X_COPIED,
        f"第{standard.chinese_numeral(spec.number)}部分「{spec.heading}」与{whom}的同一部分相似度为 {score:.0%}"
        f"（按四字片段计算的 Jaccard 相似度，达到设定的阈值 {threshold:.0%}）。重复的段落如：{shown}",
        section=key,
        line=s.line,
        details={
            "similarity": round(score, 3),
            "threshold": threshold,
            "same_agency": same,
            "passages": [p.to_json() for p in passages],
            "sources": [source_of(subject, "subject", s.line), source_of(other, "other", o.line)],
        },
    )


# ------------------------------------------------------------------ timeliness


def _timeliness(result: CrossCheck, keys: dict[str, str], given: dict[str, Any]) -> None:
    for i, r in enumerate(result.reports):
        key = keys.get(r.agency) if r.agency else None
        explicit = key is not None and key in given
        kind = _kind_value(given[key]) if explicit else _kind_value(agency_kind(r.agency))
        record = _timeliness_of(i, r, kind, explicit)
        result.timeliness.append(record)
        if explicit and record.status in ("late", "late_if_department"):
            result.add(i, _late_finding(r, record))


def _timeliness_of(index: int, report: Report, kind: str | None, explicit: bool) -> Timeliness:
    published = report.published.value if report.published else None
    base = dict(index=index, agency=report.agency, year=report.year, kind=kind, kind_given=explicit, published=published)
    if report.year is None:
        return Timeliness(**base, deadline=None, status="unknown_year")  # type: ignore[arg-type]
    concrete = kind in {k.value for k in AgencyKind if k.value != "uncertain"}
    if concrete:
        deadline = publication_deadline(report.year, AgencyKind(kind))
        if published is None:
            return Timeliness(**base, deadline=deadline, status="undated")  # type: ignore[arg-type]
        late = (published - deadline).days
        return Timeliness(**base, deadline=deadline, status="late" if late > 0 else "on_time", days_late=max(late, 0))  # type: ignore[arg-type]
    # The kind is not known: the two deadlines of Art. 49 bound the answer.
    if published is None:
        return Timeliness(**base, deadline=None, status="undated")  # type: ignore[arg-type]
    early = publication_deadline(report.year, AgencyKind.DEPARTMENT)
    latest = publication_deadline(report.year, AgencyKind.GOVERNMENT)
    if published > latest:
        return Timeliness(**base, deadline=latest, status="late", days_late=(published - latest).days)  # type: ignore[arg-type]
    if published > early:
        return Timeliness(**base, deadline=early, status="late_if_department", days_late=(published - early).days)  # type: ignore[arg-type]
    return Timeliness(**base, deadline=early, status="on_time", days_late=0)  # type: ignore[arg-type]


_KIND_LABELS = {
    "government": "县级以上人民政府（3月31日前）",
    "department": "政府部门（1月31日前）",
    "township": "乡镇人民政府、街道办事处（按1月31日前执行）",
}


def _late_finding(report: Report, t: Timeliness) -> Finding:
    line = report.published.line if report.published else None
    details = {**t.to_json(), "sources": [source_of(report, "subject", line)]}
    published = t.published.isoformat() if t.published else ""
    if t.kind in _KIND_LABELS:
        severity = Severity.WARNING if t.kind == "township" else Severity.ERROR
        message = (
            f"落款日期 {published} 晚于 {t.deadline.isoformat() if t.deadline else ''}"
            f"（主管部门确定该机关为{_KIND_LABELS[t.kind]}，逾期 {t.days_late} 天）"
        )
    elif t.status == "late":
        severity = Severity.WARNING
        message = f"落款日期 {published} 晚于《条例》第四十九条的两个期限（1月31日、3月31日）；机关类别未确定，按最宽的期限也已逾期 {t.days_late} 天"
    else:
        severity = Severity.NOTICE
        message = f"落款日期 {published} 晚于1月31日、早于3月31日；机关类别未确定：如为政府部门则已逾期，如为县级以上人民政府则按期"
    return finding(F.X_LATE, message, severity, line=line, details=details)


def _missing(
    result: CrossCheck, keys: dict[str, str], expected: list[str], years: Iterable[int] | None, given: dict[str, Any]
) -> None:
    wanted_years = sorted(set(years) if years is not None else {r.year for r in result.reports if r.year is not None})
    seen: set[str] = set()
    for name in expected:
        key = keys.get(name)
        if key is None or key in seen:
            continue
        seen.add(key)
        have = {result.reports[i].year for i in result.groups.get(key, [])}
        for year in wanted_years:
            if year not in have:
                kind = _kind_value(given.get(key))
                if kind in _KIND_LABELS:
                    due = f"应于{publication_deadline(year, AgencyKind(kind)).isoformat()}前公布"
                else:
                    due = f"政府部门应于{year + 1}年1月31日前、县级以上人民政府应于{year + 1}年3月31日前公布"
                result.region.append(
                    finding(
                        F.X_MISSING_REPORT,
                        f"名单内的{name}没有{year}年度政府信息公开工作年度报告（{due}）",
                        details={"agency": name, "year": year, "agency_kind": kind, "sources": []},
                    )
                )


def without_superseded(findings: list[Finding], cross: list[Finding], kind_given: bool) -> list[Finding]:
    """A report's single-report findings with the cross-report ones: where the office gave the
    agency's kind, ``X-late`` judges the deadline and the name-based ``D-late`` is left out."""
    return _ordered([f for f in findings if not (kind_given and f.rule == F.D_LATE.id)] + list(cross))


__all__ = [
    "CrossCheck",
    "DEFAULT_COPY_THRESHOLD",
    "Timeliness",
    "agency_keys",
    "agency_name",
    "check_across",
    "parse_agency_list",
    "cross_check",
    "without_superseded",
]
