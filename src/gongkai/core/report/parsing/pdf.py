"""Read an annual report published as PDF (with a text layer) into text lines for the parser.

The pages are read through pdfium (``pdfpages.read_pages``: characters with their boxes,
ruling edges, pictures). Per page, ruled tables are found from the ruling edges by
pdfplumber's ``lines`` rules (``pdflayout.ruled_tables``; the boundary of each table is closed
explicitly, so that a merged cell cut by a page break is still a cell); text outside the
tables is read as lines; both are put in order by their vertical position.

- Table rows become tab-separated cells (covered slots of merged cells empty); the lines of
  wrapped cell text are joined, Chinese without a space.
- The spaces a text layer has between Chinese characters, and around a number inside a
  Chinese sentence ("人民政府 2025 年"), are removed; a gap wider than a character (between
  the cells of a table without borders, "规章   0   0   0") stays a space, and such a line is
  never joined to another.
- Page numbers ("— 3 —", "-3-", "第3页") are dropped, as is a table's title ("表三 …")
  straight above it, which is not part of the narrative.
- Lines of one paragraph are joined back into one line (a line that fills the measure,
  followed by an unindented line in the same font, continues the paragraph).
- A table continued on the next page is one table: when the next page's part starts with the
  header rows of the first part (repeated by the typesetter), they are dropped.
- Only when no page has a ruled table, tables are looked for by the alignment of words
  (pdfplumber's ``text`` strategy, its ``TableFinder`` run on pdfium's characters: the one
  place pdfplumber is still used, for pages that name a table's header and have no ruling),
  and kept only where they form a clean grid of numbers; otherwise the rows stay lines with
  their cells apart, which the text parser reads as well.
- A large picture becomes an ``[image: …]`` marker, so that a table pasted as a picture is
  reported as missing, not as zeros.
- A PDF without any text (a scan) raises ``scanned_pdf``; bytes that are no PDF, ``broken_file``.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..errors import ReportReadError
from .pdflayout import ruled_tables, text_lines
from .pdfpages import Char, PageContent, read_pages
from .tables import HEADER_WORDS

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PAGES = 2000

# pdfminer (under pdfplumber, imported for the text strategy) logs a warning for every damaged
# operator it meets; what matters reaches the caller as a ReportReadError or as text.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text", "min_words_vertical": 3, "min_words_horizontal": 2}

# Chinese characters and the punctuation that stands among them.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’…—·"
_SPACE_CJK_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_CJK}])")
# A number inside a sentence ("人民政府 2025 年", "共 5 件"): Chinese on both sides.
_SPACED_NUMBER = re.compile(rf"(?<=[{_CJK}])[ \u00a0]*([0-9][0-9.,:/%\-]*)[ \u00a0]*(?=[{_CJK}])")
_LEADING_NUMBER = re.compile(rf"^([0-9][0-9.,:/%\-]*)[ \u00a0]+(?=[{_CJK}])")
# What stands between the cells of a borderless table: a gap wider than 1.5 characters.
GAP = "\x1f"
_NUMERIC_SEGMENT = re.compile(r"^[\s\d.,%/—\-－/无]*\d[\s\d.,%/—\-－/无]*$|^[—\-－/／无×\s]+$")
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_~·•－]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4}|\s*[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–－_~·•－]*$"
    r"|^[\s\-—–－]*(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[\s\-—–－]*$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^(?:附)?表\s*[一二三四五六七八九十\d]{1,3}(?:\s|[:：、.．]|(?=[\u4e00-\u9fff]))")
_NUMBER_CELL = re.compile(r"^[\d,.\s]+$")
_TWO_NUMBERS = re.compile(r"\d\s+\d")


def normalize_spaces(text: str) -> str:
    """Remove the spaces a PDF's text layer puts between Chinese characters, and around a
    number inside a Chinese sentence; a wide gap (``GAP``, between the cells of a borderless
    table) stays a space, so that "规章 0 0 0" keeps its cells apart."""
    if " " not in text and "\u00a0" not in text and GAP not in text:
        return text.strip()  # nothing to remove (most table cells)
    text = _SPACE_CJK_CJK.sub("", text)
    text = _SPACED_NUMBER.sub(r"\1", text)
    text = _LEADING_NUMBER.sub(r"\1", text)
    text = re.sub(rf"[ \u00a0{GAP}]*{GAP}[ \u00a0{GAP}]*", " ", text)
    return re.sub(r"[ \u00a0]{2,}", " ", text).strip()


def line_text(chars: Sequence[Char]) -> str:
    """A line's text from its characters: a space where they stand apart, ``GAP`` where the
    gap is wider than one and a half characters."""
    out: list[str] = []
    prev = None
    for char in sorted(chars, key=lambda c: c.x0):
        if prev is not None:
            gap = char.x0 - prev.x1
            size = max(char.size, prev.size, 1.0)
            if gap > 1.5 * size:
                out.append(GAP)
            elif gap > 0.2 * size:
                out.append(" ")
        out.append(char.text)
        prev = char
    return "".join(out)


_WIDE = re.compile(f"[{_CJK}]")


def _row_like(text: str) -> bool:
    """A line with wide gaps that is a table row ("行政许可   49", "规章  0  0  0"), not a
    justified line whose one space took up the slack ("(一)    主动公开情况：…")."""
    segments = [seg for seg in text.split(GAP) if seg.strip()]
    if len(segments) < 2:
        return False
    return len(segments) >= 3 or any(_NUMERIC_SEGMENT.match(seg) for seg in segments[1:])


def _wide(ch: str) -> bool:
    return bool(_WIDE.match(ch))


def join_cell_lines(text: str | None) -> str:
    """A cell's text: wrapped lines joined (Chinese and digits without a space)."""
    if not text:
        return ""
    out = ""
    for piece in text.split("\n"):
        piece = normalize_spaces(piece)
        if not piece:
            continue
        if out and not (_wide(out[-1]) or _wide(piece[0]) or (out[-1].isdigit() and piece[0].isdigit())):
            out += " "
        out += piece
    return out.replace("\t", " ")


@dataclass
class _Text:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    gappy: bool = False  # wide gaps between its characters: a row of a borderless table


@dataclass
class _Table:
    top: float
    bottom: float
    rows: list[list[str]]


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Text | _Table] = field(default_factory=list)


def _outside(chars: list[Char], boxes: list[tuple[float, float, float, float]]) -> list[Char]:
    """The characters whose centre is not inside any of the boxes (with 1 pt to spare)."""
    grown = [(x0 - 1, top - 1, x1 + 1, bottom + 1) for x0, top, x1, bottom in boxes]
    out = []
    for char in chars:
        cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        for x0, top, x1, bottom in grown:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            out.append(char)
    return out


def _ruled_tables(page: PageContent) -> list[tuple[tuple[float, float, float, float], list[list[str | None]]]]:
    """The ruled tables of a page, with their cells' text."""
    return [(t.bbox, t.extract(page.chars)) for t in ruled_tables(page.edges)]


class _CharsPage:
    """What pdfplumber's ``TableFinder`` (``text`` strategy) reads of a page: its characters."""

    def __init__(self, page: PageContent) -> None:
        self.bbox = (0.0, 0.0, page.width, page.height)
        self.chars = [
            {
                "text": c.text, "x0": c.x0, "x1": c.x1, "top": c.top, "bottom": c.bottom, "doctop": c.top,
                "width": c.x1 - c.x0, "height": c.bottom - c.top, "size": c.size, "fontname": c.font, "upright": True,
            }
            for c in page.chars
        ]

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]:
        from pdfplumber.utils import extract_words

        return extract_words(self.chars, **kwargs)


def _aligned_tables(page: PageContent) -> list[tuple[tuple[float, float, float, float], list[list[str | None]]]]:
    """Tables found by the alignment of words (pdfplumber's ``text`` strategy)."""
    from pdfplumber.table import TableFinder

    return [(t.bbox, t.extract()) for t in TableFinder(_CharsPage(page), _TEXT).tables]


def _table_rows(cells: list[list[str | None]]) -> list[list[str]]:
    return [[join_cell_lines(cell) for cell in row] for row in cells]


def _numeric_share(rows: list[list[str]]) -> float:
    with_numbers = sum(1 for row in rows if any(c and _NUMBER_CELL.match(c) for c in row))
    return with_numbers / len(rows) if rows else 0.0


def _clean_text_table(rows: list[list[str]]) -> bool:
    """A table found by the alignment of words is kept only when it looks like a grid of
    numbers: enough rows and columns, most rows with numbers, no cell with two numbers in it
    (the sign of a column boundary drawn in the wrong place)."""
    if len(rows) < 3 or max(len(r) for r in rows) < 3 or _numeric_share(rows) < 0.6:
        return False
    return not any(_TWO_NUMBERS.search(cell) for row in rows for cell in row)


def _read_page(page: PageContent, strategy: str) -> _Page:
    out = _Page(page.number, page.height)
    tables = []
    for bbox, cells in _ruled_tables(page) if strategy == "lines" else _aligned_tables(page):
        rows = _table_rows(cells)
        if not rows or not any(any(c for c in row) for row in rows):
            continue
        if strategy == "text" and not _clean_text_table(rows):
            continue
        tables.append((bbox, rows))
    boxes = [bbox for bbox, _ in tables]
    for bbox, rows in tables:
        out.items.append(_Table(bbox[1], bbox[3], rows))
    chars = _outside(page.chars, boxes) if boxes else page.chars
    for line in text_lines(chars):
        if not line:
            continue
        size = statistics.median([c.size for c in line])
        font = line[0].font if all(c.font == line[0].font for c in line) else Counter([c.font for c in line]).most_common(1)[0][0]
        text = line_text(line)
        x0, x1 = min([c.x0 for c in line]), max([c.x1 for c in line])
        top, bottom = min([c.top for c in line]), max([c.bottom for c in line])
        out.items.append(_Text(text, x0, x1, top, bottom, size, font, _row_like(text)))
    # A picture that fills part of the page (a table pasted as an image, a scanned page).
    for image in page.images:
        if image.x1 - image.x0 >= 100 and image.bottom - image.top >= 50:
            out.items.append(_Text(f"[image: 第{page.number}页图片]", image.x0, image.x1, image.top, image.bottom, 0.0, ""))
    out.items.sort(key=lambda item: (item.top, getattr(item, "x0", 0.0)))
    return out


def _drop_page_furniture(page: _Page) -> None:
    """Page numbers in the top or bottom margin."""
    kept: list[_Text | _Table] = []
    for item in page.items:
        if isinstance(item, _Text) and _PAGE_NUMBER.match(normalize_spaces(item.text)):
            if item.top > page.height * 0.8 or item.bottom < page.height * 0.15:
                continue
        kept.append(item)
    page.items = kept


def _drop_captions(pages: list[_Page]) -> None:
    """A table's title ("表三 …") straight above it, or last on the page before it."""
    sequence = [(page, item) for page in pages for item in page.items]
    doomed: set[int] = set()
    for i, (page, item) in enumerate(sequence[:-1]):
        next_page, nxt = sequence[i + 1]
        if not (isinstance(item, _Text) and isinstance(nxt, _Table)):
            continue
        if len(item.text) > 60 or not _CAPTION.match(normalize_spaces(item.text)):
            continue
        if next_page is page:
            if nxt.top - item.bottom > max(item.size, 8) * 2.5:
                continue
        elif next_page.number != page.number + 1 or page.items[-1] is not item or next_page.items[0] is not nxt:
            continue
        doomed.add(id(item))
    for page in pages:
        page.items = [item for item in page.items if id(item) not in doomed]


def _same_rows(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and all("".join(x.split()) == "".join(y.split()) for x, y in zip(a, b))


def _repeated_header(head: list[list[str]], rows: list[list[str]]) -> int:
    """How many of ``rows``' first rows repeat the first rows of the table's first part."""
    k = 0
    while k < len(head) and k < len(rows) - 1 and _same_rows(head[k], rows[k]):
        k += 1
    if k and not any(any(c for c in row) for row in rows[:k]):
        return 0
    return k


@dataclass
class _Layout:
    left: float
    right: float


def _layout(pages: list[_Page]) -> _Layout:
    texts = [item for page in pages for item in page.items if isinstance(item, _Text) and item.size]
    if not texts:
        return _Layout(0.0, 0.0)
    left = Counter(round(t.x0) for t in texts).most_common(1)[0][0]
    # The right edge of the measure: the longest lines, but not a line that overflows it
    # (a long web address).
    ends = sorted(t.x1 for t in texts)
    size = statistics.median(t.size for t in texts)
    usual = ends[int(0.9 * (len(ends) - 1))]
    right = max(x for x in ends if x <= usual + 2 * size)
    return _Layout(float(left), float(right))


def _continues(prev: _Text, cur: _Text, layout: _Layout, same_page: bool) -> bool:
    """``cur`` continues the paragraph of ``prev`` (the same block, wrapped)."""
    if not prev.size or not cur.size or prev.font != cur.font or abs(prev.size - cur.size) > 0.6:
        return False
    if prev.gappy or cur.gappy:
        return False  # rows of a table without borders are lines of their own
    size = cur.size
    # The line before must fill the measure (up to a character or two that the line breaking
    # rules pushed on: "息，" does not start a line with its comma); else it ended a paragraph.
    if prev.x1 < layout.right - 2.5 * size:
        return False
    if same_page and not (0 <= cur.top - prev.bottom <= 1.6 * size):
        return False
    if abs(cur.x0 - layout.left) <= 0.5 * size:
        return True
    # The second line of a centred title.
    centre = (layout.left + layout.right) / 2

    def centred(t: _Text) -> bool:
        return abs((t.x0 + t.x1) / 2 - centre) <= size

    return centred(cur) and (centred(prev) or abs(prev.x0 - layout.left) <= 0.5 * size)


def _emit(pages: list[_Page]) -> list[str]:
    layout = _layout(pages)
    lines: list[str] = []
    prev: _Text | _Table | None = None
    prev_page = -1
    head: list[list[str]] = []  # the first rows of the table being continued
    width = 0
    for page in pages:
        for index, item in enumerate(page.items):
            first_on_page = index == 0 and page.number != prev_page
            if isinstance(item, _Table):
                rows = item.rows
                cols = max(len(r) for r in rows)
                if isinstance(prev, _Table) and first_on_page and cols == width:
                    rows = rows[_repeated_header(head, rows) :]
                else:
                    head, width = rows[:6], cols
                for row in rows:
                    if any(c for c in row):
                        lines.append("\t".join(row))
            else:
                text = normalize_spaces(item.text)
                if not text:
                    continue
                if isinstance(prev, _Text) and lines and _continues(prev, item, layout, page.number == prev_page):
                    lines[-1] = lines[-1] + ("" if _wide(lines[-1][-1:] or "x") or _wide(text[0]) else " ") + text
                else:
                    lines.append(text)
            prev = item
            prev_page = page.number
    return lines


def pdf_to_text(data: bytes) -> str:
    """The text lines of a PDF report (see the module's docstring)."""
    if len(data) > MAX_PDF_BYTES:
        raise ReportReadError("too_large", None, f"{len(data)} 字节，上限 {MAX_PDF_BYTES} 字节")
    if b"%PDF-" not in data[:1024]:  # the header may follow up to 1 KB of junk
        raise ReportReadError("broken_file", None, "不是 PDF 文件")
    words = {w for ws in HEADER_WORDS.values() for w in ws}
    pages: list[_Page] = []
    # pages that name a table's header, kept while no page has a ruled table (then their
    # tables are looked for by the alignment of words)
    candidates: dict[int, PageContent] = {}
    ruled = False
    try:
        with closing(read_pages(data, MAX_PAGES)) as contents:  # closed at once, even on a timeout
            for content in contents:
                page = _read_page(content, "lines")
                pages.append(page)
                if ruled:
                    continue
                if any(isinstance(item, _Table) for item in page.items):
                    ruled = True
                    candidates.clear()
                    continue
                page_text = "".join(t.text for t in page.items if isinstance(t, _Text))
                if any(w in normalize_spaces(page_text).replace(" ", "") for w in words):
                    candidates[len(pages) - 1] = content
        if not ruled and not any(isinstance(item, _Text) and item.size for p in pages for item in p.items):
            raise ReportReadError("scanned_pdf")
        for i, content in candidates.items():
            candidate = _read_page(content, "text")
            if any(isinstance(item, _Table) for item in candidate.items):
                pages[i] = candidate
    except ReportReadError:
        raise
    except Exception as exc:
        raise ReportReadError("broken_file", None, f"无法读取 PDF：{type(exc).__name__}") from exc
    for page in pages:
        _drop_page_furniture(page)
    _drop_captions(pages)
    return "\n".join(_emit(pages)) + "\n"


__all__ = ["pdf_to_text", "normalize_spaces", "join_cell_lines", "MAX_PDF_BYTES"]
