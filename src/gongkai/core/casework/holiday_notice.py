"""Read the State Council's yearly holiday notice (国务院办公厅关于X年部分节假日安排的通知).

Each year's notice fixes the holidays and the weekend days that are worked instead (调休上班), in
one sentence per festival::

    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

``read_notice(text, year)`` turns the pasted text into the days the working-day calendar needs
(``workdays.DayRule``): every day of each holiday range, and each named make-up working day. It
checks what the notice itself states — the range's length against "共N天", make-up days on a
Saturday or Sunday, dates that exist — and refuses with the line and the problem in Chinese
(``NoticeError``) rather than guess: a misread notice would move every statutory deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .workdays import DayRule

_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*")
_PAREN = r"(?:[（(][^）)]*[）)])?"
_DAY = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日" + _PAREN
_RANGE = re.compile(_DAY.format(p="a") + r"(?:\s*(?:至|—|-|－|~|～)\s*" + _DAY.format(p="b") + r")?\s*放假")
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_WORK_SENTENCE = re.compile(r"([^。；;]*?)上班")
_WORK_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


class NoticeError(ValueError):
    """The pasted notice cannot be read safely: ``line`` (1-based) and a Chinese ``problem``."""

    def __init__(self, line: int, text: str, problem: str):
        super().__init__(f"第{line}行“{text[:40]}”：{problem}")
        self.line, self.text, self.problem = line, text, problem


@dataclass(frozen=True)
class Festival:
    """One festival's line of the notice, as read."""

    name: str
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    line: int


def _date(year: int, month: int, day: int, line: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NoticeError(line, text, f"{year}年{month}月{day}日不是有效日期") from None


def read_festivals(text: str, year: int) -> list[Festival]:
    """The festivals of a notice for ``year``, line by line (lines without a holiday are skipped:
    the title, the preamble, the closing paragraph)."""
    festivals: list[Festival] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        match = _RANGE.search(line)
        if not match:
            continue
        head = _NUMBERING.sub("", line[: match.start()])
        name = re.split(r"[：:]", head)[0].strip() if re.search(r"[：:]", head) else head.strip()
        if not name:
            raise NoticeError(number, line, "找不到节日名称（应为“节日名称：日期放假”）")
        a_year = int(match["ay"] or year)
        a_month = int(match["am"] or 0)
        if not a_month:
            raise NoticeError(number, line, "放假开始日期缺少月份")
        first = _date(a_year, a_month, int(match["ad"]), number, line)
        last = first
        if match["bd"]:
            b_year = int(match["by"] or (a_year if match["bm"] is None or int(match["bm"]) >= a_month else a_year + 1))
            b_month = int(match["bm"] or a_month)
            last = _date(b_year, b_month, int(match["bd"]), number, line)
        if last < first:
            raise NoticeError(number, line, "放假结束日期早于开始日期")
        if (last - first).days > 15:
            raise NoticeError(number, line, f"放假{(last - first).days + 1}天，超过任何法定节假日安排，请核对日期")
        holidays = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
        rest = line[match.end():]
        total = _TOTAL.search(rest)
        if total and int(total.group(1)) != len(holidays):
            raise NoticeError(number, line, f"通知写“共{total.group(1)}天”，而{first.month}月{first.day}日至"
                                            f"{last.month}月{last.day}日是{len(holidays)}天，请核对")
        if not total and "放假1天" not in rest.replace(" ", "") and len(holidays) > 1:
            raise NoticeError(number, line, "没有写明共几天，无法核对放假日期")
        workdays = []
        for sentence in _WORK_SENTENCE.finditer(rest):
            for y, m, d in _WORK_DAY.findall(sentence.group(1)):
                day = _date(int(y or year), int(m), int(d), number, line)
                if day.weekday() < 5:
                    raise NoticeError(number, line, f"{day.month}月{day.day}日是工作日（周一至周五），不是调休上班的周末")
                workdays.append(day)
        festivals.append(Festival(name, holidays, tuple(workdays), number))
    if not festivals:
        raise NoticeError(1, text.strip()[:40], "没有找到任何“……放假”的安排；请粘贴通知正文")
    return festivals


def read_notice(text: str, year: int) -> list[DayRule]:
    """The days of the notice for ``year`` as calendar rules: holidays and make-up working days,
    in date order. Days outside ``year`` (a New Year holiday that starts on 31 December) are kept."""
    festivals = read_festivals(text, year)
    rules: dict[date, DayRule] = {}
    for festival in festivals:
        for day in festival.holidays:
            rules[day] = DayRule(day, False, festival.name)
        for day in festival.workdays:
            if day in rules and not rules[day].workday:
                raise NoticeError(festival.line, festival.name, f"{day.month}月{day.day}日既是放假日又是上班日")
            rules[day] = DayRule(day, True, f"{festival.name}调休上班")
    if not any(rule.day.year == year for rule in rules.values()):
        raise NoticeError(festivals[0].line, festivals[0].name, f"通知中的日期都不在{year}年；请核对年度")
    return sorted(rules.values(), key=lambda r: r.day)


__all__ = ["read_notice", "read_festivals", "Festival", "NoticeError"]
