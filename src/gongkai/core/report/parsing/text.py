"""Parse a plain-text annual report into the report model."""

from __future__ import annotations

import re
from pathlib import Path

from ... import standard
from ..errors import ReportReadError
from ..model import MissingReason, MissingTable, ParseNote, Report, Section
from ...standard import SECTIONS, TABLES, ReportFormat
from .decoding import decode_bytes, read_text_file
from .dump import unflatten
from .headings import find_headings
from .lines import Line, split_lines, tokenize
from .narrative import (
    extract_facts,
    find_contacts,
    find_period,
    find_published,
    find_title,
    narrative_years,
)
from .tables import HEADER_WORDS, read_table

_CITATION_2021 = re.compile(r"国办公开办函\s*[〔\[【(（]\s*(?:2021|２０２１)\s*[〕\]】)）]\s*(?:30|３０)\s*号")
_CITATION_2019 = re.compile(r"国办公开办函\s*[〔\[【(（]\s*(?:2019|２０１９)\s*[〕\]】)）]\s*(?:60|６０)\s*号")


# No count of a report has a thousand digits (cells run together have a few dozen); a longer run
# is not a report's number, and Python refuses to read one of over 4,300 digits.
MAX_NUMBER_DIGITS = 1000
_LONG_NUMBER = re.compile(r"(?<![\d,，])\d(?:[,，]?\d){%d}" % MAX_NUMBER_DIGITS)  # tried at run starts only

_PICTURE_NOTE = "本表以图片形式粘贴"
# Header words of the 2019 table 2 (its column names and the 条例 items it cites).
_HEADER_WORDS_2019 = ("第二十条", "信息内容", *standard.FORMAT_2019_MARKERS)


def parse_file(path: str | Path) -> Report:
    text, encoding = read_text_file(path)
    return parse_text(text, source=str(path), encoding=encoding)


def parse_bytes(data: bytes, source: str | None = None) -> Report:
    text, encoding = decode_bytes(data, source)
    return parse_text(text, source=source, encoding=encoding)


def parse_text(text: str, source: str | None = None, encoding: str | None = None) -> Report:
    too_long = _LONG_NUMBER.search(text)
    if too_long:
        line = text.count("\n", 0, too_long.start()) + 1
        raise ReportReadError("invalid_input", source,
                              f"第{line}行有一个超过{MAX_NUMBER_DIGITS}位的数字，不是年度报告中的数字")
    text = unflatten(text)  # a crawler's dump of a web page: the whole body on one line
    lines = split_lines(text)
    report = Report(source=source, encoding=encoding, line_count=len(lines))
    chain = find_headings(lines)
    first_heading = chain[0].line if chain else len(lines) + 1

    title, title_line, agency, year = find_title(lines, min(first_heading - 1, 12))
    report.title, report.title_line, report.agency, report.year = title, title_line, agency, year
    preamble_start = (title_line or 0) + (1 if title_line else 0)
    if title and title_line is not None:
        # A title over two lines ends on the line that names the report.
        for ln in lines[title_line - 1 : title_line + 1]:
            if ln.stripped and ln.stripped in title:
                preamble_start = ln.number + 1
    preamble_lines = [ln for ln in lines if preamble_start <= ln.number < first_heading]
    report.preamble = "\n".join(ln.stripped for ln in preamble_lines if ln.stripped)

    report.sections = _sections(lines, chain)
    report.period = find_period(lines)
    if report.year is None and report.period and report.period.start:
        report.year = report.period.start.year

    report.format, report.format_evidence = _detect_format(lines, report)
    consumed = _read_tables(lines, report)
    last = report.section("other_matters")
    report.published = find_published(lines, last.line if last else first_heading)
    if report.published and report.published.value is None:
        report.notes.append(
            ParseNote("invalid-date", f"落款日期“{report.published.raw}”不是有效日期", report.published.line)
        )
    signature = _signature_lines(lines, report)
    for section in report.sections:
        body = [
            ln.stripped
            for ln in lines[section.line : section.end_line]
            if ln.number not in consumed and ln.number not in signature and ln.stripped
        ]
        section.text = "\n".join(body)

    narrative = [ln for ln in lines if ln.number not in consumed and ln.number != title_line]
    report.website, report.address, report.telephone = find_contacts(preamble_lines or narrative)
    if not (report.website and report.address and report.telephone):
        website, address, telephone = find_contacts(narrative)
        report.website = report.website or website
        report.address = report.address or address
        report.telephone = report.telephone or telephone
    report.narrative_facts = extract_facts(narrative, report.year)
    overview = report.section("overview")
    if overview:
        report.narrative_years = narrative_years(
            [ln for ln in lines[overview.line : overview.end_line] if ln.number not in consumed]
        )
    return report


def _signature_lines(lines: list[Line], report: Report) -> set[int]:
    """The signature at the end (the agency's name, the date): not part of section 六's text."""
    published = report.published
    if published is None or published.line <= 0 or lines[published.line - 1].stripped != published.raw:
        return set()
    out = {published.line}
    before = [ln for ln in lines[: published.line - 1] if ln.stripped]
    if before:
        prev = before[-1]
        text = prev.stripped
        if len(text) <= 40 and not text.endswith(("。", "；", ";", "：", ":")) and (
            (report.agency and (report.agency in text or text in report.agency))
            or re.search(r"(政府|办事处|街道|局|委员会|办公室|中心|院|厅|部|署)$", text)
        ):
            out.add(prev.number)
    return out


def _sections(lines: list[Line], chain) -> list[Section]:
    sections: list[Section] = []
    for i, cand in enumerate(chain):
        end = chain[i + 1].line - 1 if i + 1 < len(chain) else len(lines)
        heading_line = lines[cand.line - 1]
        section = Section(cand.section.number, cand.section.key, heading_line.stripped, cand.line, end)
        section.in_order = not cand.misplaced
        section.numeral = cand.numeral
        if heading_line.pictures and not heading_line.picture_before_text:
            section.pictures += [(cand.line, p) for p in heading_line.pictures]
        for ln in lines[cand.line : end]:
            section.pictures += [(ln.number, p) for p in ln.pictures]
        # A picture anchored before the next heading's text belongs to this section.
        if i + 1 < len(chain):
            nxt = lines[chain[i + 1].line - 1]
            if nxt.pictures and nxt.picture_before_text:
                section.pictures += [(nxt.number, p) for p in nxt.pictures]
        sections.append(section)
    return sections


def _region(lines: list[Line], report: Report, spec: standard.TableSpec) -> tuple[list[Line], Section | None]:
    """The lines where a table belongs: its section, or the gap where its section should be."""
    section = report.section(spec.section)
    if section is not None:
        return lines[section.line : section.end_line], section
    number = standard.SECTION_BY_KEY[spec.section].number
    before = [s for s in report.sections if s.number < number]
    after = [s for s in report.sections if s.number > number]
    start = before[-1].line if before else 0
    end = after[0].line - 1 if after else len(lines)
    return lines[start:end], None


def _read_tables(lines: list[Line], report: Report) -> set[int]:
    consumed: set[int] = set()
    for spec in TABLES:
        region, section = _region(lines, report, spec)
        if report.format is ReportFormat.PRE2019:
            report.missing_tables.append(
                MissingTable(spec.key, MissingReason.NOT_PARSED, section.line if section else None)
            )
            continue
        missing_spec = spec
        if report.format is ReportFormat.F2019 and spec is standard.ACTIVE:
            # The 2019 table 2 has rows and columns of its own: kept as tables["active_2019"];
            # tables["active"] stays None, and a 2019 table 2 not found is table 2 missing.
            spec = standard.ACTIVE_2019
        result = read_table(spec, tokenize(region))
        if result.table is not None:
            report.tables[spec.key] = result.table
            report.notes += result.notes
            start = result.first_line or 0
            # Header lines and the table's caption above the first row label belong to it too.
            for ln in region:
                if ln.number >= start:
                    break
                text = ln.stripped
                if not text or "。" in text:
                    continue
                caption = len(text) <= 40 and (text.startswith(spec.name) or spec.title in text)
                if caption or (len(text) <= 200 and any(w in ln.text for w in HEADER_WORDS.get(spec.key, _HEADER_WORDS_2019))):
                    start = ln.number
                    break
            consumed.update(range(start, (result.last_line or start) + 1))
            result.table.line = start
            continue
        report.missing_tables.append(_missing(missing_spec, region, section, lines))
    return consumed


def _missing(spec, region: list[Line], section: Section | None, lines: list[Line]) -> MissingTable:
    if section is not None:
        pictures = tuple(p for _, p in section.pictures)
        if pictures:
            return MissingTable(spec.key, MissingReason.PICTURE, section.line, pictures)
        body = [ln.stripped for ln in lines[section.line : section.end_line] if ln.stripped]
        if not body:
            return MissingTable(spec.key, MissingReason.EMPTY_SECTION, section.line)
        if any(_PICTURE_NOTE in text for text in body):
            # A re-written report says so where the original's picture stood.
            return MissingTable(spec.key, MissingReason.PICTURE, section.line)
        return MissingTable(spec.key, MissingReason.ABSENT, section.line)
    pictures = tuple(p for ln in region for p in ln.pictures)
    if pictures:
        first = next(ln.number for ln in region if ln.pictures)
        return MissingTable(spec.key, MissingReason.PICTURE, first, pictures)
    return MissingTable(spec.key, MissingReason.ABSENT, None)


def _detect_format(lines: list[Line], report: Report) -> tuple[ReportFormat, list[str]]:
    text = "\n".join(ln.text for ln in lines)
    evidence: list[str] = []
    markers_2019 = [m for m in standard.FORMAT_2019_MARKERS if m in text]
    if len(markers_2019) >= 2:
        evidence.append("表格使用2019年版栏目：" + "、".join(markers_2019))
        return ReportFormat.F2019, evidence
    if _CITATION_2021.search(text):
        evidence.append("正文引用" + standard.FORMAT_2021_CITATION)
    if "本年制发件数" in text or "本年处理决定数量" in text:
        evidence.append("表二使用2021年版栏目（本年制发件数、本年处理决定数量）")
    if "逾期不补正" in text and "逾期未按收费通知" in text:
        evidence.append("表三“其他处理”分为三个子项（2021年版）")
    if evidence:
        return ReportFormat.F2021, evidence
    if _CITATION_2019.search(text):
        return ReportFormat.F2019, ["正文引用" + standard.FORMAT_2019_CITATION]
    markers_old = [m for m in standard.PRE2019_MARKERS if m in text]
    if report.year is not None:
        if report.year >= 2021:
            return ReportFormat.F2021, [f"报告年度为{report.year}年，应采用2021年版格式"]
        if report.year >= 2019:
            return ReportFormat.F2019, [f"报告年度为{report.year}年，应采用2019年版格式"]
        return ReportFormat.PRE2019, [f"报告年度为{report.year}年（2019年以前）"] + (
            ["使用旧式用语：" + "、".join(markers_old)] if markers_old else []
        )
    if len(markers_old) >= 2:
        return ReportFormat.PRE2019, ["使用旧式用语：" + "、".join(markers_old)]
    if any(s.number for s in report.sections) and len(report.sections) >= 4:
        return ReportFormat.F2021, ["六个部分的标题与2021年版格式一致"]
    return ReportFormat.UNKNOWN, []


__all__ = ["parse_text", "parse_file", "parse_bytes", "SECTIONS"]
