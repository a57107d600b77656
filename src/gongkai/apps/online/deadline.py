"""The public deadline calculator: the same computation as ``gongkai deadline`` (core.workdays),
on the holiday calendar staff keep (``work_calendar()``)."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.apps.holidays.models import work_calendar
from gongkai.core.casework.workdays import Deadline, DeadlineError, parse_day, parse_pause, reply_deadline


@dataclass(frozen=True)
class DeadlineQuery:
    """What a person typed: dates as text, pauses one ``YYYY-MM-DD:YYYY-MM-DD`` a line."""

    received: str = ""
    corrected: str = ""
    pauses: tuple[str, ...] = ()
    extended: bool = False

    @classmethod
    def from_params(cls, params) -> "DeadlineQuery":
        """From a QueryDict: ``pause`` may repeat and each value may hold several lines."""
        lines = [line.strip() for value in params.getlist("pause") for line in value.splitlines() if line.strip()]
        extended = params.get("extended", "").lower() in ("1", "on", "true", "yes")
        return cls(params.get("received", "").strip(), params.get("corrected", "").strip(), tuple(lines), extended)

    @property
    def pause_text(self) -> str:
        return "\n".join(self.pauses)


class MissingReceived(DeadlineError):
    code = "missing_received"


def compute(query: DeadlineQuery) -> Deadline:
    """The reply's due date and its explanation; DeadlineError (in Chinese) for bad input."""
    if not query.received:
        raise MissingReceived("请填写收到申请的日期（格式：YYYY-MM-DD）")
    received = parse_day(query.received, "收到申请日期")
    corrected = parse_day(query.corrected, "收到补正日期") if query.corrected else None
    pauses = [parse_pause(text) for text in query.pauses]
    return reply_deadline(received, corrected, pauses, query.extended, work_calendar())


def error_code(error: DeadlineError) -> str:
    return getattr(error, "code", "invalid_dates")
