"""Working days and the statutory deadlines of disclosure applications (条例 Art. 30, 32–34).

The State Council's yearly holiday notice decides which days are working days, including the
make-up working Saturdays and Sundays (调休). ``chinese_calendar`` holds the notices of
2004–2026; a table of days that staff edit (``DayRule``s, later a database table) adds the
years it lacks (2027 once its notice is out) and corrects any day. For a year that neither
knows, days count as Monday to Friday and every deadline touching it is *provisional*, and
says so — never silently wrong.

Counting conventions (spec section 7): the day an event happens is not counted; the reply is due
on the 20th working day after receipt, or after the day a correction (补正) arrives; a
consultation pause from A to B (both inclusive) takes its working days out of the count; an
approved extension adds at most 20 working days after the original due date; a correction is
requested by the 7th working day after receipt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Iterable

import chinese_calendar

REPLY_WORKING_DAYS = 20  # 条例 Art. 33
EXTENSION_WORKING_DAYS = 20  # 条例 Art. 33, at most
CORRECTION_REQUEST_WORKING_DAYS = 7  # 条例 Art. 30
# The period the applicant is given to correct (条例 Art. 30: "合理的补正期限"), by default; each
# agency sets its own (Agency.correction_working_days).
CORRECTION_PERIOD_WORKING_DAYS = 15
THIRD_PARTY_WORKING_DAYS = 15  # 条例 Art. 32
ACTIVE_DISCLOSURE_WORKING_DAYS = 20  # 条例 Art. 26

WEEKDAYS = "一二三四五六日"

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def weekday_name(d: date) -> str:
    return f"星期{WEEKDAYS[d.weekday()]}"


def show(d: date) -> str:
    return f"{d.isoformat()}（{weekday_name(d)}）"


@dataclass(frozen=True)
class DayRule:
    """One day of a holiday notice: a holiday (``workday=False``) or a make-up working day."""

    day: date
    workday: bool
    name: str = ""


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    kind: str  # "workday", "weekend", "holiday", "makeup" (a weekend day that is worked)
    name: str  # the holiday, in Chinese, where there is one
    known: bool  # False: no notice for this year, Monday to Friday assumed


class WorkCalendar:
    """The working-day calendar: chinese_calendar, corrected and extended by staff's table."""

    def __init__(self, rules: Iterable[DayRule] = (), complete_years: Iterable[int] = ()):
        self.rules = {r.day: r for r in rules}
        # Years staff entered from the notice (the table, with Monday to Friday, decides every
        # day): those named, and any year of the table that chinese_calendar does not know.
        self.complete_years = set(complete_years) | {
            r.day.year for r in self.rules.values() if not library_covers(r.day.year)
        }
        self._days: dict[date, DayInfo] = {}  # what ``info`` worked out, day by day

    def known_year(self, year: int) -> bool:
        return year in self.complete_years or library_covers(year)

    def info(self, d: date) -> DayInfo:
        known = self._days.get(d)
        if known is None:
            known = self._days[d] = self._info(d)
        return known

    def _info(self, d: date) -> DayInfo:
        weekend = d.weekday() >= 5
        rule = self.rules.get(d)
        if rule is not None:
            if rule.workday:
                kind = "makeup" if weekend else "workday"
            else:
                kind = "holiday" if rule.name or not weekend else "weekend"
            return DayInfo(d, rule.workday, kind, rule.name, True)
        if d.year in self.complete_years or not library_covers(d.year):
            # A year from staff's table (its notice days are all rules) or no notice at all.
            return DayInfo(d, not weekend, "weekend" if weekend else "workday", "", d.year in self.complete_years)
        holiday, name = chinese_calendar.get_holiday_detail(d)
        workday = chinese_calendar.is_workday(d)
        chinese = HOLIDAY_NAMES.get(name or "", name or "")
        if workday:
            return DayInfo(d, True, "makeup" if weekend else "workday", chinese if weekend else "", True)
        if holiday and name:
            return DayInfo(d, False, "holiday", chinese, True)
        return DayInfo(d, False, "weekend", "", True)

    def is_workday(self, d: date) -> bool:
        return self.info(d).workday


@lru_cache(maxsize=None)
def library_covers(year: int) -> bool:
    """Whether chinese_calendar holds the State Council's notice for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


DEFAULT_CALENDAR = WorkCalendar()


@dataclass(frozen=True)
class Pause:
    """A pause of the reply period from ``start`` to ``end`` (both inclusive): a consultation
    (third party, Art. 32; other agency, Art. 34), or the days from a fee notice to the payment."""

    start: date
    end: date
    reason: str = "征求意见"


FEE_PAUSE_REASON = "收费通知至缴费"


class DeadlineError(ValueError):
    """Dates that cannot be counted from (in Chinese, for people)."""


# The days a deadline is counted from: the 条例 took effect in 2008; far later days are typing
# mistakes (and near year 9999 the count would run off the calendar).
COUNTABLE = (date(2000, 1, 1), date(2099, 12, 31))


def ensure_countable(day: date, what: str) -> date:
    """``day`` if deadlines can be counted from it, else DeadlineError naming ``what``."""
    if not COUNTABLE[0] <= day <= COUNTABLE[1]:
        raise DeadlineError(f"{what} {day.isoformat()} 超出可计算的范围（{COUNTABLE[0].year}年至{COUNTABLE[1].year}年）")
    return day


@dataclass
class Count:
    """Working days counted after a day, with what was skipped and why."""

    start: date
    days: int
    due: date
    skipped: list[DayInfo] = field(default_factory=list)  # weekends and holidays passed over
    makeup: list[DayInfo] = field(default_factory=list)  # weekend days counted as working days
    paused: list[date] = field(default_factory=list)  # working days taken out by a pause
    unknown_years: set[int] = field(default_factory=set)


def count_working_days(
    start: date, days: int, calendar: WorkCalendar = DEFAULT_CALENDAR, pauses: Iterable[Pause] = ()
) -> Count:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    pauses = list(pauses)
    result = Count(start, days, start)
    d = start
    counted = 0
    limit = start + timedelta(days=days * 10 + 400)
    while counted < days:
        d += timedelta(days=1)
        if d > limit:  # pragma: no cover - a calendar with no working days at all
            raise DeadlineError("日历中找不到足够的工作日，请检查节假日表")
        info = calendar.info(d)
        if not info.known:
            result.unknown_years.add(d.year)
        if not info.workday:
            result.skipped.append(info)
            continue
        if any(p.start <= d <= p.end for p in pauses):
            result.paused.append(d)
            continue
        if info.kind == "makeup":
            result.makeup.append(info)
        counted += 1
    result.due = d
    return result


@dataclass
class Deadline:
    due: date
    provisional: bool
    explanation: list[str]
    kind: str = "reply"
    original_due: date | None = None  # before the extension
    counts: list[Count] = field(default_factory=list)

    @property
    def provisional_years(self) -> list[int]:
        return sorted({y for c in self.counts for y in c.unknown_years})

    def to_json(self) -> dict[str, Any]:
        def days(infos: list[DayInfo]) -> list[dict[str, str]]:
            return [{"date": i.day.isoformat(), "kind": i.kind, "name": i.name} for i in infos]

        return {
            "kind": self.kind,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "provisional_years": self.provisional_years,
            "original_due": self.original_due.isoformat() if self.original_due else None,
            "explanation": self.explanation,
            "skipped_days": [d for c in self.counts for d in days(c.skipped)],
            "makeup_workdays": [d for c in self.counts for d in days(c.makeup)],
            "paused_workdays": [d.isoformat() for c in self.counts for d in c.paused],
        }


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _span(a: date, b: date) -> str:
    return show(a) if a == b else f"{show(a)}至{show(b)}"


def _explain(count: Count, what: str, pauses: Iterable[Pause] = ()) -> list[str]:
    lines = [f"{what}：自{show(count.start)}的次日起算（当日不计入），第 {count.days} 个工作日为{show(count.due)}。"]
    holidays = [i for i in count.skipped if i.kind == "holiday"]
    weekends = [i for i in count.skipped if i.kind == "weekend"]
    by_name: dict[str, list[date]] = {}
    for i in holidays:
        by_name.setdefault(i.name or "节假日", []).append(i.day)
    for name, days in by_name.items():
        spans = "、".join(_span(a, b) for a, b in _ranges(days))
        lines.append(f"跳过法定节假日（{name}）{len(days)} 天：{spans}。")
    if weekends:
        lines.append(f"跳过周末 {len(weekends)} 天：" + "、".join(_span(a, b) for a, b in _ranges([i.day for i in weekends])) + "。")
    for i in count.makeup:
        lines.append(f"{show(i.day)}为{i.name or '节假日'}调休上班日，计为工作日。")
    by_reason: dict[str, list[date]] = {}
    for d in count.paused:
        reason = next((p.reason for p in pauses if p.start <= d <= p.end), Pause.reason)
        by_reason.setdefault(reason, []).append(d)
    for reason, days in by_reason.items():
        spans = "、".join(_span(a, b) for a, b in _ranges(days))
        lines.append(f"{reason}期间的 {len(days)} 个工作日不计入期限：{spans}。")
    for year in sorted(count.unknown_years):
        lines.append(
            f"注意：尚未录入{year}年国务院办公厅节假日安排，{year}年暂按周一至周五为工作日计算，"
            "期限为暂定；请在节假日表中录入该年安排后重新计算。"
        )
    return lines


def reply_deadline(
    received: date,
    corrected: date | None = None,
    pauses: Iterable[Pause] = (),
    extended: bool = False,
    calendar: WorkCalendar = DEFAULT_CALENDAR,
) -> Deadline:
    """The day the reply is due (条例 Art. 33), with the reasons."""
    pauses = sorted(pauses, key=lambda p: p.start)
    ensure_countable(received, "收到申请日期")
    if corrected is not None:
        ensure_countable(corrected, "收到补正日期")
    for p in pauses:
        ensure_countable(p.start, "暂停开始日")
        ensure_countable(p.end, "暂停结束日")
    if corrected is not None and corrected < received:
        raise DeadlineError(f"补正日期 {corrected.isoformat()} 早于收到申请的日期 {received.isoformat()}")
    start = corrected or received
    for p in pauses:
        if p.end < p.start:
            raise DeadlineError(f"暂停期间 {p.start.isoformat()}:{p.end.isoformat()} 的结束日早于开始日")
        # A pause may begin on the day of receipt (or of the correction): that day is not counted
        # anyway. Days of a pause before the count starts do not matter.
        if p.start < received:
            raise DeadlineError(f"暂停期间不能早于收到申请之日开始：{p.start.isoformat()}")
    first = count_working_days(start, REPLY_WORKING_DAYS, calendar, pauses)
    what = "答复期限（《条例》第三十三条，20个工作日）" + ("，自收到补正之日重新计算（第三十条）" if corrected else "")
    explanation = [f"收到申请：{show(received)}。"]
    if corrected:
        explanation.append(f"收到补正：{show(corrected)}，答复期限自此重新计算。")
    explanation += _explain(first, what, pauses)
    counts = [first]
    due, original = first.due, None
    if extended:
        second = count_working_days(first.due, EXTENSION_WORKING_DAYS, calendar, pauses)
        counts.append(second)
        original, due = first.due, second.due
        explanation += _explain(second, "经批准延长答复期限（最长20个工作日），自原期限届满之后起算", pauses)
    deadline = Deadline(due, False, explanation, "reply", original, counts)
    deadline.provisional = bool(deadline.provisional_years)
    return deadline


def correction_request_deadline(received: date, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline:
    """By when an unclear application is sent back for correction (条例 Art. 30: 7 working days)."""
    count = count_working_days(received, CORRECTION_REQUEST_WORKING_DAYS, calendar)
    lines = [f"收到申请：{show(received)}。"] + _explain(count, "一次性告知补正的期限（《条例》第三十条，7个工作日）")
    deadline = Deadline(count.due, bool(count.unknown_years), lines, "correction_request", None, [count])
    return deadline


def correction_period_deadline(requested: date, working_days: int = CORRECTION_PERIOD_WORKING_DAYS,
                               calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline:
    """The end of the period the applicant is given to correct (条例 Art. 30: "合理的补正期限",
    the agency's setting), counted from the day the correction was asked for."""
    count = count_working_days(requested, working_days, calendar)
    lines = [f"告知补正：{show(requested)}。"] + _explain(count, f"申请人的补正期限（本机关设定为{working_days}个工作日，《条例》第三十条）")
    lines.append("申请人无正当理由逾期不补正的，视为放弃申请。")
    return Deadline(count.due, bool(count.unknown_years), lines, "correction_period", None, [count])


def consultation_deadline(sent: date, received: date | None = None,
                          calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline:
    """By when the third party gives its opinion (条例 Art. 32: 15 working days from its receipt
    of the request for opinion). Without a recorded receipt day the sending day stands in for it."""
    start = received or sent
    count = count_working_days(start, THIRD_PARTY_WORKING_DAYS, calendar)
    lines = [f"发出征求意见：{show(sent)}。"]
    if received is not None:
        lines.append(f"第三方收到征求意见书：{show(received)}。")
    else:
        lines.append("未登记第三方收到征求意见书的日期，暂以发出之日近似计算（法定期限自第三方收到之日起算）。")
    lines += _explain(count, f"第三方提出意见的期限（《条例》第三十二条，{THIRD_PARTY_WORKING_DAYS}个工作日）")
    lines.append("第三方逾期未提出意见的，由行政机关依照《条例》规定决定是否公开。")
    return Deadline(count.due, bool(count.unknown_years), lines, "consultation", None, [count])


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise DeadlineError(f"{what}“{text}”不是有效日期（格式：YYYY-MM-DD）") from exc


def parse_pause(text: str) -> Pause:
    start, sep, end = text.partition(":")
    if not sep:
        raise DeadlineError(f"暂停期间“{text}”应写作 YYYY-MM-DD:YYYY-MM-DD")
    return Pause(parse_day(start, "暂停开始日"), parse_day(end, "暂停结束日"))


def load_day_rules(text: str) -> list[DayRule]:
    """Staff's holiday table as text: one day a line, ``YYYY-MM-DD 休 春节`` or ``YYYY-MM-DD 班 春节``
    (also 假/holiday and 上班/workday); blank lines and ``#`` comments are skipped."""
    rules: list[DayRule] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.replace(",", " ").replace("，", " ").split()
        if len(parts) < 2:
            raise DeadlineError(f"节假日表第 {number} 行应为“日期 休/班 名称”：{line}")
        day = parse_day(parts[0], f"节假日表第 {number} 行的日期")
        kind = parts[1].lower()
        if kind in ("休", "假", "holiday", "off"):
            workday = False
        elif kind in ("班", "上班", "workday", "work"):
            workday = True
        else:
            raise DeadlineError(f"节假日表第 {number} 行的类别应为“休”或“班”：{parts[1]}")
        rules.append(DayRule(day, workday, " ".join(parts[2:])))
    return rules
