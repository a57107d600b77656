"""Read an annual report published as PDF (with a text layer) into text lines for the parser.

Per page, ruled tables are found with pdfplumber's ``lines`` strategy (the boundary of each
table is closed explicitly, so that a merged cell cut by a page break is still a cell); text
outside the tables is read as lines; both are put in order by their vertical position.

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
  (``text`` strategy), and kept only where they form a clean grid of numbers; otherwise the
  rows stay lines with their cells apart, which the text parser reads as well.
- A large picture becomes an ``[image: …]`` marker, so that a table pasted as a picture is
  reported as missing, not as zeros.
- A PDF without any text (a scan) raises ``scanned_pdf``; bytes that are no PDF, ``broken_file``.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import ReportReadError
from .tables import HEADER_WORDS

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PAGES = 2000

# pdfminer logs a warning for every damaged operator of a broken file (hundreds of lines);
# what matters reaches the caller as a ReportReadError or as the text that could be read.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
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
    text = _SPACE_CJK_CJK.sub("", text)
    text = _SPACED_NUMBER.sub(r"\1", text)
    text = _LEADING_NUMBER.sub(r"\1", text)
    text = re.sub(rf"[ \u00a0{GAP}]*{GAP}[ \u00a0{GAP}]*", " ", text)
    return re.sub(r"[ \u00a0]{2,}", " ", text).strip()


def line_text(chars: list[dict[str, Any]]) -> str:
    """A line's text from its characters: a space where they stand apart, ``GAP`` where the
    gap is wider than one and a half characters."""
    out: list[str] = []
    prev = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if prev is not None:
            gap = float(char["x0"]) - float(prev["x1"])
            size = max(float(char["size"]), float(prev["size"]), 1.0)
            if gap > 1.5 * size:
                out.append(GAP)
            elif gap > 0.2 * size:
                out.append(" ")
        out.append(char["text"])
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


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)


def _closing_lines(bboxes: list[tuple[float, float, float, float]]) -> list[dict[str, Any]]:
    """Lines along the top and bottom of each table: a merged cell cut by the page break has
    no border there, and without one pdfplumber loses the cell and its text."""
    lines = []
    for x0, top, x1, bottom in bboxes:
        for y in (top, bottom):
            lines.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0})
    return lines


def _find_tables(page: Any, strategy: str) -> list[Any]:
    if strategy == "lines":
        tables = page.find_tables(_LINES)
        if not tables:
            return []
        settings = dict(_LINES, explicit_horizontal_lines=_closing_lines([t.bbox for t in tables]))
        return page.find_tables(settings)
    return page.find_tables(_TEXT)


def _table_rows(table: Any) -> list[list[str]]:
    return [[join_cell_lines(cell) for cell in row] for row in table.extract()]


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


def _read_page(page: Any, number: int, strategy: str) -> _Page:
    out = _Page(number, float(page.height))
    tables = []
    for table in _find_tables(page, strategy):
        rows = _table_rows(table)
        if not rows or not any(any(c for c in row) for row in rows):
            continue
        if strategy == "text" and not _clean_text_table(rows):
            continue
        tables.append((table.bbox, rows))
    boxes = [bbox for bbox, _ in tables]
    for bbox, rows in tables:
        out.items.append(_Table(bbox[1], bbox[3], rows))
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) if boxes else page
    for line in text_page.extract_text_lines(strip=True, return_chars=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars or not line["text"].strip():
            continue
        size = statistics.median(float(c["size"]) for c in chars)
        font = Counter(c["fontname"] for c in chars).most_common(1)[0][0]
        text = line_text(line["chars"])
        out.items.append(
            _Text(text, float(line["x0"]), float(line["x1"]), float(line["top"]), float(line["bottom"]), size, font, _row_like(text))
        )
    # A picture that fills part of the page (a table pasted as an image, a scanned page).
    for image in page.images:
        width, height = float(image["x1"]) - float(image["x0"]), float(image["bottom"]) - float(image["top"])
        if width >= 100 and height >= 50:
            out.items.append(_Text(f"[image: 第{number}页图片]", float(image["x0"]), float(image["x1"]), float(image["top"]), float(image["bottom"]), 0.0, ""))
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
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except ReportReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        raise ReportReadError("broken_file", None, f"无法打开 PDF：{type(exc).__name__}") from exc
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReportReadError("too_large", None, f"{len(pdf.pages)} 页，上限 {MAX_PAGES} 页")
            pages = [_read_page(page, i + 1, "lines") for i, page in enumerate(pdf.pages)]
            if not any(isinstance(item, _Text) and item.size for p in pages for item in p.items) and not any(
                isinstance(item, _Table) for p in pages for item in p.items
            ):
                raise ReportReadError("scanned_pdf")
            if not any(isinstance(item, _Table) for p in pages for item in p.items):
                words = {w for ws in HEADER_WORDS.values() for w in ws}
                for i, page in enumerate(pdf.pages):
                    page_text = "".join(t.text for t in pages[i].items if isinstance(t, _Text))
                    if any(w in normalize_spaces(page_text).replace(" ", "") for w in words):
                        candidate = _read_page(page, i + 1, "text")
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
