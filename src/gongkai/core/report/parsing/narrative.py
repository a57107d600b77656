"""Metadata (title, agency, year, period, publication date, contacts) and the facts the
narrative states that the tables also state (applications, reviews, lawsuits, fees)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from ..model import DateFact, Fact, Period
from ...standard import parse_chinese_numeral
from .lines import Line

# Years written in Chinese digits ("二〇二二年") become ASCII digits before matching.
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")

_NUM = r"(\d+|[零一二三四五六七八九十两]{1,4})"
_COUNT_UNIT = r"\s*(?:件|个|条|份|宗|起|次|例)"


def ascii_years(text: str) -> str:
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def _to_int(text: str) -> int | None:
    return parse_chinese_numeral(text)


# Numbers in slogans and method names are not counts: "三个第一时间", "两个确保", "五个一",
# "一件事一次办", "一次性告知", "一个工作日内". A count is not inside quotation marks or a title,
# and a count in Chinese numerals (or with 个 / 次) ends the phrase or goes on with words a count
# goes on with ("两件均已办结", "十二件，其中…").
_OPENING, _CLOSING = "“「『《‘〈", "”」』》’〉"
_UNIT_AFTER = re.compile(r"\s*(件|个|条|份|宗|起|次|例)")
_COUNT_GOES_ON = re.compile(r"(?:均|全|都|已|其中|中|共|予以|较|同比|比上|结转|申请|案件|政府信息|次)")


def _quoted(text: str, position: int) -> bool:
    before = text[:position]
    if sum(before.count(c) for c in _OPENING) > sum(before.count(c) for c in _CLOSING):
        return True
    return before.count('"') % 2 == 1


def _count(sentence: str, m: re.Match) -> int | None:
    """The count the number of ``m`` (group 1) states, or None when it is not a count."""
    value = _to_int(m.group(1))
    if value is None or _quoted(sentence, m.start(1)):
        return None
    unit = _UNIT_AFTER.match(sentence, m.end(1))
    if unit is None:
        return value
    chinese = not m.group(1).isdigit()
    after = sentence[unit.end():]
    if (chinese or unit.group(1) in "个次") and after and "\u4e00" <= after[0] <= "\u9fff":
        if not _COUNT_GOES_ON.match(after):
            return None
    return value


def _first_count(pattern: re.Pattern, sentence: str) -> tuple[int, str] | None:
    for m in pattern.finditer(sentence):
        value = _count(sentence, m)
        if value is not None:
            return value, m.group(0)
    return None


def _date_or_none(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


# ---------------------------------------------------------------------------- title

_TITLE_AGENCY_FIRST = re.compile(
    r"^(?P<agency>.{2,60}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:的)?(?:政府)?(?:信息|政务)公开"
)
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>.{2,60}?)\s*(?:政府)?(?:信息|政务)公开"
)
_TITLE_WORDS = ("年度报告", "工作报告", "年报")


def find_title(lines: list[Line], limit: int) -> tuple[str | None, int | None, str | None, int | None]:
    """(title, line, agency, year) from the first lines before the first heading."""
    texts: list[tuple[int, str]] = []
    for line in lines[:limit]:
        text = line.stripped
        if not text:
            continue
        if len(text) > 80:
            break
        texts.append((line.number, text))
        if len(texts) > 4:
            break
    for i, (number, text) in enumerate(texts):
        if not any(w in text for w in _TITLE_WORDS):
            continue
        title = text
        # The agency may stand on the line before ("青州市王府街道办事处" / "2022年…年度报告").
        if i > 0 and re.match(r"^\s*(?:19|20)\d{2}\s*年", ascii_years(text)):
            prev_number, prev = texts[i - 1]
            if not any(w in prev for w in _TITLE_WORDS) and len(prev) <= 40:
                title = prev + text
                number = prev_number
        agency, year = agency_and_year(title)
        return title, number, agency, year
    return None, None, None, None


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    text = ascii_years(unicodedata.normalize("NFKC", title)).replace(" ", "")
    for pattern in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST):
        m = pattern.search(text)
        if m:
            agency = m.group("agency").strip(" ，,：:（）()")
            agency = re.sub(r"(关于)$", "", agency)
            return agency or None, int(m.group("year"))
    m = re.search(r"((?:19|20)\d{2})\s*年", text)
    return None, int(m.group(1)) if m else None


# ------------------------------------------------------------------ period, contacts

_DATE = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD = re.compile(
    r"统计(?:期限|时限|期|时间|区间|周期|时段|范围)[^。；;\d]{0,12}?"
    + _DATE
    + r"[^。；;\d]{0,8}?(?:至|到|—|－|-|~|～)[^。；;\d]{0,6}?"
    + _DATE
)
_PERIOD_YEAR_ONLY = re.compile(r"统计(?:期限|时限|期|时间|区间|周期)[^。；;\d]{0,12}?((?:19|20)\d{2})\s*年度?(?:全年|1月至12月|1-12月)")
_URL = re.compile(r"https?://[A-Za-z0-9.\-_/~%?=&#:+]+|(?<![A-Za-z0-9.])www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[A-Za-z0-9.\-_/~%?=&#]*)?")
_ADDRESS = re.compile(r"(?:通讯|通信|联系|办公)?地址(?:为|是)?[:：]?\s*([^，,；;）)。\s]{4,60})")
_PHONE = re.compile(
    r"(?:联系|咨询)?电话(?:号码)?(?:为|是)?[:：]?\s*((?:\(?0\d{2,3}\)?[-－—\s]?)?\d{7,8}(?:[-－—]\d{1,5})?|1[3-9]\d{9})"
)
_PUBLISHED_LABELLED = re.compile(
    r"(?:发布|成文|印发|公开)(?:日期|时间)[:：]\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_DATE_LINE = re.compile(r"^\s*" + _DATE + r"\s*$")
_DATE_ISO_LINE = re.compile(r"^\s*((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")


def find_period(lines: list[Line]) -> Period | None:
    """The statistical period; on one line, or over lines wrapped inside a paragraph (PDF text)."""
    for line in lines:
        if "统计" in line.text:
            found = _period_in(ascii_years(line.text), [(0, line.number)])
            if found:
                return found
    for paragraph, offsets in paragraphs([ln for ln in lines if "\t" not in ln.text]):
        if "统计" in paragraph.text and len(offsets) > 1:
            found = _period_in(ascii_years(paragraph.text), offsets)
            if found:
                return found
    return None


def _period_in(text: str, offsets: list[tuple[int, int]]) -> Period | None:
    m = _PERIOD.search(text)
    if m:
        start = _date_or_none(*m.group(1, 2, 3))
        end = _date_or_none(*m.group(4, 5, 6))
        return Period(start, end, m.group(0), _line_at(offsets, m.start()))
    m = _PERIOD_YEAR_ONLY.search(text)
    if m:
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), m.group(0), _line_at(offsets, m.start()))
    return None


def find_contacts(lines: list[Line]) -> tuple[str | None, str | None, str | None]:
    website = address = phone = None
    for line in lines:
        text = line.text
        if website is None:
            m = _URL.search(text)
            if m:
                website = m.group(0).rstrip(".,;:)）")
        if address is None and "地址" in text:
            m = _ADDRESS.search(text)
            if m:
                address = m.group(1)
        if phone is None and "电话" in text:
            m = _PHONE.search(text)
            if m:
                phone = m.group(1).strip()
        if website and address and phone:
            break
    return website, address, phone


def find_published(lines: list[Line], after_line: int) -> DateFact | None:
    """The publication date: a labelled date anywhere, or a date alone on one of the last lines."""
    for line in lines:
        if "日期" in line.text or "时间" in line.text:
            m = _PUBLISHED_LABELLED.search(ascii_years(line.text))
            if m:
                return DateFact(_date_or_none(*m.group(1, 2, 3)), m.group(0), line.number)
    tail = [ln for ln in lines if ln.number > after_line and not ln.is_blank][-4:]
    for line in reversed(tail):
        text = ascii_years(unicodedata.normalize("NFKC", line.stripped))
        m = _DATE_LINE.match(text) or _DATE_ISO_LINE.match(text)
        if m:
            return DateFact(_date_or_none(*m.group(1, 2, 3)), line.stripped, line.number)
    return None


# ------------------------------------------------------------------- narrative facts

_SENTENCE = re.compile(r"[^。；;!?！？]+")
_YEAR_IN = re.compile(r"((?:19|20)\d{2})\s*年")

_RECEIVED = (
    re.compile(
        r"(?:收到|受理|接到|接收|新收|登记)[^。；;，,]{0,30}?(?:申请|依申请公开件|依申请公开业务|申请件)"
        r"[^。；;\d一二三四五六七八九十两]{0,8}?" + _NUM + _COUNT_UNIT
    ),
    re.compile(r"(?:收到|受理|接到|新收)[^。；;\d]{0,6}?" + _NUM + _COUNT_UNIT + r"[^。；;]{0,14}?申请"),
)
_RECEIVED_NONE = (
    re.compile(r"(?:未|没有|无)(?:收到|受理|接到|接收|发生)[^。；;]{0,30}?申请"),
    re.compile(r"依申请公开(?:工作|办理)?(?:情况|方面)?[:：]\s*无(?:\s*$|[。；;，,])"),
)
_CARRIED_OVER = re.compile(r"上(?:一)?年(?:度)?结转[^。；;\d，,]{0,20}?" + _NUM + _COUNT_UNIT)
_CARRIED_FORWARD = (
    re.compile(r"结转(?:至|到)?下(?:一)?年(?:度)?[^。；;\d，,]{0,20}?" + _NUM + _COUNT_UNIT),
    re.compile(_NUM + _COUNT_UNIT + r"[^。；;]{0,10}?结转(?:至|到)?下(?:一)?年"),
)
_REVIEWS = re.compile(r"行政复议(?:案件|申请)?[^。；;\d，,、]{0,8}?" + _NUM + _COUNT_UNIT)
_LAWSUITS = re.compile(r"行政诉讼(?:案件)?[^。；;\d，,、]{0,8}?" + _NUM + _COUNT_UNIT)
_NONE_BEFORE = r"(?:未|没有|无|未曾)(?:发生|出现|收到|被)?[^。；;]{0,30}?"
_REVIEWS_NONE = re.compile(_NONE_BEFORE + r"行政复议")
_LAWSUITS_NONE = re.compile(_NONE_BEFORE + r"行政诉讼")
_CASES = (("reviews", "复议", _REVIEWS, _REVIEWS_NONE), ("lawsuits", "诉讼", _LAWSUITS, _LAWSUITS_NONE))
_FEE = (
    re.compile(r"收取(?:了)?[^。；;\d]{0,12}?信息处理费[^。；;\d]{0,10}?(\d+(?:\.\d+)?)\s*(万元|元)"),
    re.compile(r"信息处理费[^。；;\d]{0,10}?(\d+(?:\.\d+)?)\s*(万元|元)"),
)
_FEE_NONE = (
    re.compile(r"(?:未|没有|不|无)(?:收取|产生|收)[^。；;]{0,12}?信息处理费"),
    # "未依据《政府信息公开信息处理费管理办法》收取信息处理费" (the sentence our drafting writes)
    re.compile(r"(?:未|没有)(?:依据|依照|按照|根据)《[^》]{1,30}》收取信息处理费"),
    re.compile(r"信息处理费[^。；;]{0,16}?(?:情况)?[:：]\s*(?:无|0|零|未收取|没有)(?:\s*$|[。；;，,元])"),
    re.compile(r"信息处理费[^。；;]{0,6}?(?:为|共)?\s*(?:0|零)\s*元"),
    re.compile(r"收取信息处理费(?:的)?情况[:：]?\s*(?:无|未收取|没有|0元)\s*$"),
)
_FEE_HEADING = re.compile(r"收取信息处理费(?:的)?情况[:：]?\s*$")
_BARE_NONE = re.compile(r"^\s*(?:无|没有|未收取|0元|零)\s*[。.；;]?\s*$")


_FACT_WORDS = ("申请", "结转", "复议", "诉讼", "处理费")


def _plain_decimal(value: Decimal) -> Decimal:
    """3940, not 3.94E+3; 0.5, not 0.50."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _year_allows(sentence: str, year: int | None) -> bool:
    """False when the sentence is about another year ("2021年共收到申请3件")."""
    if year is None:
        return True
    years = {int(y) for y in _YEAR_IN.findall(sentence)}
    return not years or year in years


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+)")
_ENDS_SENTENCE = ("。", "！", "？", "；", ";", "：", ":", "!", "?")


def paragraphs(lines: list[Line]) -> list[tuple[Line, list[tuple[int, int]]]]:
    """Lines wrapped inside a paragraph (as PDF text has them) joined back together.

    Each paragraph comes with (offset, line number) pairs, so that a fact keeps the line it
    stands on. A line joins the one before when that one is long (a full printed line), does not
    end a sentence, and the new line does not start with a numbering; table rows never join.
    """
    out: list[tuple[Line, list[tuple[int, int]]]] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if out:
            prev, offsets = out[-1]
            if (
                "\t" not in prev.text
                and "\t" not in line.text
                and len(prev.text) >= 20
                and not prev.text.endswith(_ENDS_SENTENCE)
                and not _NUMBERED.match(text)
                and offsets[-1][1] == line.number - 1
            ):
                offsets.append((len(prev.text), line.number))
                out[-1] = (Line(prev.number, prev.raw, prev.text + text, (), False), offsets)
                continue
        out.append((Line(line.number, line.raw, text, (), False), [(0, line.number)]))
    return out


def _line_at(offsets: list[tuple[int, int]], position: int) -> int:
    number = offsets[0][1]
    for offset, line in offsets:
        if offset <= position:
            number = line
    return number


def extract_facts(lines: list[Line], year: int | None) -> list[Fact]:
    facts: dict[str, Fact] = {}

    def put(key: str, value: int | Decimal, text: str, line: int) -> None:
        if key not in facts:
            facts[key] = Fact(key, value, text.strip(), line)

    joined = paragraphs(lines)
    plain = [p for p, _ in joined]
    for index, (line, offsets) in enumerate(joined):
        if not any(k in line.text for k in _FACT_WORDS):
            continue
        text = ascii_years(unicodedata.normalize("NFKC", line.text))
        for match in _SENTENCE.finditer(text):
            sentence = match.group(0)
            if len(sentence) > 400:
                sentence = sentence[:400]
            if not _year_allows(sentence, year):
                continue
            n = _line_at(offsets, match.start())
            if "申请" in sentence or "依申请" in sentence:
                for pattern in _RECEIVED:
                    found = _first_count(pattern, sentence)
                    if found is not None:
                        put("applications_received", found[0], found[1], n)
                        break
                else:
                    for pattern in _RECEIVED_NONE:
                        m = pattern.search(sentence)
                        if m:
                            put("applications_received", 0, m.group(0), n)
                            break
            if "结转" in sentence:
                found = _first_count(_CARRIED_OVER, sentence)
                if found is not None:
                    put("applications_carried_over", found[0], found[1], n)
                for pattern in _CARRIED_FORWARD:
                    found = _first_count(pattern, sentence)
                    if found is not None:
                        put("applications_carried_forward", found[0], found[1], n)
                        break
            for key, word, counted, none in _CASES:
                if word not in sentence:
                    continue
                found = _first_count(counted, sentence)
                if found is not None:
                    put(key, found[0], found[1], n)
                else:
                    m = none.search(sentence)
                    if m:
                        put(key, 0, m.group(0), n)
            if "处理费" in sentence:
                found = False
                for pattern in _FEE:
                    m = pattern.search(sentence)
                    if m:
                        amount = Decimal(m.group(1)) * (10000 if m.group(2) == "万元" else 1)
                        put("info_fee_yuan", _plain_decimal(amount), m.group(0), n)
                        found = True
                        break
                if not found:
                    for pattern in _FEE_NONE:
                        m = pattern.search(sentence)
                        if m:
                            put("info_fee_yuan", Decimal(0), m.group(0), n)
                            found = True
                            break
                if not found and _FEE_HEADING.search(sentence):
                    # "（一）…收取信息处理费的情况" as a heading, "无。" on the next line.
                    for following in plain[index + 1 : index + 3]:
                        if following.is_blank:
                            continue
                        if _BARE_NONE.match(following.text):
                            put("info_fee_yuan", Decimal(0), sentence + following.stripped, following.number)
                        break
    return list(facts.values())


_YEAR_OPENING = re.compile(r"^(?:截至|截止|截止到|截至到)?\s*((?:19|20)\d{2})\s*年(?!\d{0,2}月\d{0,2}日起)")


def narrative_years(lines: list[Line]) -> list[tuple[int, int, str]]:
    """Years that open a paragraph ("2022年，…"): the year the paragraph reports on."""
    out: list[tuple[int, int, str]] = []
    for line in lines:
        text = ascii_years(unicodedata.normalize("NFKC", line.stripped))
        text = re.sub(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、]|[一二三四五六七八九十]+、)\s*", "", text)
        m = _YEAR_OPENING.match(text)
        if m:
            out.append((int(m.group(1)), line.number, text[:40]))
    return out
