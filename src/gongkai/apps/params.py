"""Numbers read from request input (query strings, form fields): one guard for every view.

``int()`` takes what ``str.isdigit()`` lets through — and more: superscripts (``²``), digits of
other scripts, thousands of digits (Python refuses over 4,300). A view that reads a number from
a request uses ``plain_int`` (None for anything that is not a plain number, so the view falls
back to its default) or ``integer`` (a 400 with a Chinese message naming the parameter).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest

MAX_DIGITS = 18  # fits a 64-bit integer column: larger is never an id, a page or a year


class BadParameter(BadRequest, ValueError):
    """A request parameter that is not what the page takes (Django answers 400)."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(message)


def plain_int(raw) -> int | None:
    """``raw`` as a non-negative integer if it is ASCII digits only (at most 18), else None."""
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def integer(params, name: str, default: int | None = None, low: int = 1, high: int | None = None) -> int | None:
    """The integer parameter ``name`` of ``params`` (a QueryDict or dict) between ``low`` and
    ``high``; ``default`` when absent or empty; BadParameter (400) otherwise."""
    raw = params.get(name, "")
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw:
        return default
    value = plain_int(raw)
    if value is None or value < low or (high is not None and value > high):
        limits = f"{low}至{high}" if high is not None else f"不小于{low}"
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise BadParameter(name, f"参数 {name} 应为{limits}的整数，实为“{shown}”")
    return value
