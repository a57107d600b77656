"""Lines of a text report: stray markup removed, pictures noted, cells split into tokens."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..model import Cell, CellStatus
from ...standard import PLACEHOLDERS

IMAGE_MARKER = re.compile(r"\[image:[^\]\n]{0,500}\]", re.IGNORECASE)
BOOKMARK_MARKER = re.compile(r"\[bookmark:[^\]\n]{0,200}\]", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>\n]{0,300})?/?>")
HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,6});")
# Characters that carry nothing (zero-width, BOM, soft hyphen, object replacement).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffc"), None)


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based, as an editor shows it
    raw: str
    text: str  # markup removed, pictures removed, invisible characters removed
    pictures: tuple[str, ...]  # the [image: …] markers on this line
    picture_before_text: bool  # a picture stands before the line's first text

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split the report into lines (CR LF, CR, LF) and clean each one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [clean_line(i, raw) for i, raw in enumerate(text.split("\n"), 1)]


# A line that is only a page number ("- 3 -", "— 3 —", "第3页 共5页", "3/5"), as text copied
# from a printed report has between the rows of a table: not content.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_SPECIAL = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffc\xa0\u3000]")


def clean_line(number: int, raw: str) -> Line:
    text = raw
    pictures: tuple[str, ...] = ()
    before = False
    if "[" in raw:
        pictures = tuple(IMAGE_MARKER.findall(raw))
        if pictures:
            first = IMAGE_MARKER.search(raw)
            head = BOOKMARK_MARKER.sub("", raw[: first.start()]) if first else ""
            before = not head.strip()
            text = IMAGE_MARKER.sub(" ", text)
        text = BOOKMARK_MARKER.sub("", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    if "&" in text:
        text = HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if _SPECIAL.search(text):
        text = text.translate(_INVISIBLE).replace("\xa0", " ").replace("\u3000", " ")
    if len(text) <= 24 and PAGE_NUMBER.match(text):
        text = ""
    return Line(number, raw, text, pictures, before and bool(text.strip()))


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # stripped
    line: int
    position: int  # index of the cell within its line (tab-separated)
    kind: str  # "value", "text" or "empty"
    cell: Cell | None = None  # for values


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT = re.compile(r"(?:件|个|条|项|次|宗|起|人次|万元|元)$")
_WORD_SPLIT = re.compile(r"[ \u3000]+")


def read_cell(raw: str, line: int | None = None) -> Cell | None:
    """A cell value read from its text, or None when the text is a label, not a value."""
    if raw.isascii() and raw.isdigit():  # the common case, "0" or "12"
        return Cell(int(raw), raw, line, CellStatus.NUMBER)
    kind = _classify(raw)
    if kind is None:
        return None
    status, value = kind
    return Cell(value, raw.strip(), line, status)


# Written by the OCR reader in a cell where something is printed that it could not read.
UNREAD_MARK = "〔未识别〕"


@lru_cache(maxsize=16384)
def _classify(raw: str) -> tuple[CellStatus, int | Decimal | None] | None:
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return CellStatus.BLANK, None
    if text in PLACEHOLDERS:
        return CellStatus(PLACEHOLDERS[text]), None
    if text == UNREAD_MARK:
        return CellStatus.UNREADABLE, None
    candidate = _UNIT.sub("", text).strip() if len(text) <= 24 else text
    if _NUMBER.match(candidate):
        plain = candidate.replace(",", "")
        try:
            number = Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return CellStatus.UNREADABLE, None
        return CellStatus.NUMBER, (int(number) if "." not in plain else number)
    return None


def tokenize(lines: list[Line]) -> list[Token]:
    """Cells of the lines in reading order.

    Cells are separated by tabs; inside a cell, runs of spaces separate numbers from a
    label ("规章 0 0 0"), while words of a label stay together ("(一) 予以公开").
    """
    tokens: list[Token] = []
    append = tokens.append
    for line in lines:
        if line.is_blank:
            continue
        position = 0
        number = line.number
        for piece in line.text.split("\t"):
            piece = piece.strip()
            if not piece:
                append(Token("", number, position, "empty"))
                position += 1
                continue
            words = _split_piece(piece) if (" " in piece or "\u3000" in piece) else ((piece, read_cell(piece, number)),)
            for word, cell in words:
                if cell is not None:
                    append(Token(word, number, position, "value", Cell(cell.value, cell.raw, number, cell.status)))
                else:
                    append(Token(word, number, position, "text"))
                position += 1
    return tokens


def _split_piece(piece: str) -> list[tuple[str, Cell | None]]:
    """Split "规章 0 0 0" into label and numbers; keep "(一) 予以公开" whole."""
    out: list[tuple[str, Cell | None]] = []
    label: list[str] = []
    words = _WORD_SPLIT.split(piece)
    if len(words) > 1 and len(words[0]) == 1 and "\u4e00" <= words[0] <= "\u9fff" and read_cell(words[0]) is None:
        # One character of a group label printed vertically ("年 / 度 / 办 …") that shares
        # the line of a row label: a cell of its own, not part of the row's label.
        out.append((words.pop(0), None))
    for word in words:
        cell = read_cell(word)
        if cell is not None:
            if label:
                out.append((" ".join(label), None))
                label = []
            out.append((word, cell))
        else:
            label.append(word)
    if label:
        out.append((" ".join(label), None))
    return out
