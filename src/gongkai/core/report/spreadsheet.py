"""Text cells that stay text in spreadsheets (CSV and Excel exports).

A report is untrusted input: an agency name such as ``=HYPERLINK("http://…","点击")`` or
``@SUM(…)`` written as it is into a CSV file becomes a formula when the file is opened in Excel or
WPS (formula injection, CWE-1236), and openpyxl stores any string that starts with ``=`` as a
formula. Every export therefore writes text through ``safe_text``: a text that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, as OWASP
recommends — unless it is a plain number (``-12``, ``+3.5``), which no program runs.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same characters after the full-width forms that spreadsheet programs also accept.
_FULL_WIDTH = ("＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def safe_text(value: str) -> str:
    """``value`` with an apostrophe in front when a spreadsheet would read it as a formula."""
    if value.startswith(FORMULA_STARTS + _FULL_WIDTH) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_cell(value):
    """``safe_text`` for strings; other values (numbers, None, dates) unchanged."""
    return safe_text(value) if isinstance(value, str) else value
