"""Matching the labels printed in a report to the national format's rows and columns.

``core/standard.py`` is the format as data (sections, tables, rows with the label cores that
identify them); this module reads labels: it strips numbering ("三、", "（一）"), reduces a label
to its core, and finds the row or column a core names — exactly, after a group prefix, or
approximately for long labels with one slip. The readers of text, Word, web, PDF and pictures
all match through it.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from ..standard import APPLICATION_GROUP_CORES, TABLE_BY_KEY, ColumnSpec, RowSpec, TableSpec

_NUMBERING = re.compile(
    r"^(?:"
    r"第[一二三四五六七八九十\d]+(?:部分|项|条)?[、.．:：]?"
    r"|[一二三四五六七八九十]+[、.．,，]"
    r"|[(（][一二三四五六七八九十\d]+[)）][、.．]?"
    r"|\d{1,2}(?:[、.．,，]|[)）](?!\d))"
    r")"
)
_STRIP = re.compile(r"[\s\u3000\"'“”‘’「」『』《》<>〈〉()（）\[\]【】、,，.．。:：;；!！?？·•…\-—_]+")


def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) and stray spaces removed at the ends."""
    return unicodedata.normalize("NFKC", text).strip()


def strip_numbering(text: str) -> str:
    """Remove leading numbering such as "三、", "（一）", "1.", "4、" (repeatedly)."""
    text = text.strip()
    for _ in range(4):
        m = _NUMBERING.match(text)
        if not m:
            break
        text = text[m.end():].lstrip()
    return text


@lru_cache(maxsize=8192)
def label_core(text: str) -> str:
    """The comparable core of a label: no numbering, no spaces, no punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_numbering(text)
    return _STRIP.sub("", text)


def match_row(table: TableSpec, text: str, include_alternatives: bool = True) -> RowSpec | None:
    """The row of ``table`` whose label ``text`` is, or None."""
    core = label_core(text)
    if not core:
        return None
    return match_row_core(table, core, include_alternatives)


def match_row_core(table: TableSpec, core: str, include_alternatives: bool = True) -> RowSpec | None:
    return _match_row_core(table.key, core, include_alternatives)


@lru_cache(maxsize=8192)
def _match_row_core(table_key: str, core: str, include_alternatives: bool) -> RowSpec | None:
    table = TABLE_BY_KEY[table_key]
    candidates = (*table.rows, *(table.alternative_rows if include_alternatives else ()))
    best: tuple[int, RowSpec] | None = None
    for row in candidates:
        for m in row.match:
            if core == m or (not row.exact and core.startswith(m)):
                score = len(m) + (100 if core == m else 0)
                if best is None or score > best[0]:
                    best = (score, row)
    if best is None and len(core) >= 6:
        # The first part of a label wrapped over lines ("申请人逾期未按收费" / "通知要求缴纳费用"):
        # the start of exactly one row's label.
        rows = {row.key: row for row in candidates if not row.exact for m in row.match if m.startswith(core)}
        if len(rows) == 1:
            return next(iter(rows.values()))
    return best[1] if best else None


def match_row_after_fragment(table: TableSpec, core: str) -> RowSpec | None:
    """A row label behind a fragment of a wrapped group label on the same line ("三、本（一）予以公开"
    where "三、本年度办理结果" wraps beside it): the row, when dropping at most three leading
    characters leaves a label of four characters or more that names it."""
    for cut in (1, 2, 3):
        rest = strip_numbering(core[cut:])
        if len(rest) < 4:
            break
        row = _match_row_core(table.key, rest, False)
        if row is not None and not row.exact:
            return row
    return None


def strip_group_prefix(text: str) -> str | None:
    """"三、本年度办理结果 (一)予以公开" -> "(一)予以公开": the row label after a group heading
    written in the same cell; None when the text does not start with a group heading."""
    rest = strip_numbering(unicodedata.normalize("NFKC", text))
    for group in APPLICATION_GROUP_CORES:
        if rest.startswith(group):
            tail = rest[len(group):].strip()
            return tail or None
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=4096)
def _approximate_row(table_key: str, core: str) -> RowSpec | None:
    table = TABLE_BY_KEY[table_key]
    scored: list[tuple[float, RowSpec]] = []
    for row in table.rows:
        if row.exact:
            continue
        best = 0.0
        for m in row.match:
            if len(m) < 4:
                continue
            # Compare with the label's start, as long as the match string (labels run on).
            head = core[: len(m)]
            best = max(best, SequenceMatcher(None, head, m).ratio())
        scored.append((best, row))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][0] < 0.75:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.15 and scored[1][1] is not scored[0][1]:
        return None  # two rows fit almost as well: no guess
    return scored[0][1]


def approximate_row(table: TableSpec, core: str) -> RowSpec | None:
    """The row a label names despite a slip (OCR: "子以公开", "法規"), when one row clearly fits.

    Only labels of at least five Chinese characters are tried, and only rows whose labels are not
    one word; the caller says so in a parse note.
    """
    if len(_CJK.findall(core)) < 5:  # "反复申请" is one slip away from "重复申请": too short to guess
        return None
    return _approximate_row(table.key, core)


def application_group_core(core: str) -> str | None:
    """The table-3 group heading a label core names (e.g. "不予公开"), or None."""
    for g in APPLICATION_GROUP_CORES:
        if core == g:
            return g
    return None


def match_column(columns: tuple[ColumnSpec, ...], text: str) -> ColumnSpec | None:
    core = label_core(text)
    for c in columns:
        if core in (label_core(label) for label in c.labels):
            return c
    return None
