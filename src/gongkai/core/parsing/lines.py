"""Lines of a text report: stray markup removed, pictures noted, cells split into tokens."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..model import Cell, CellStatus
from ..standard import PLACEHOLDERS

IMAGE_MARKER = re.compile(r"\[image:[^\]\n]{0,500}\]", re.IGNORECASE)
BOOKMARK_MARKER = re.compile(r"\[bookmark:[^\]\n]{0,200}\]", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>\n]{0,300})?/?>")
HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,6});")
# Characters that carry nothing (zero-width, BOM, soft hyphen, object replacement).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffc"), None)


@dataclass(frozen=True)
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


def clean_line(number: int, raw: str) -> Line:
    pictures = tuple(IMAGE_MARKER.findall(raw))
    before = False
    text = raw
    if pictures:
        first = IMAGE_MARKER.search(raw)
        head = BOOKMARK_MARKER.sub("", raw[: first.start()]) if first else ""
        before = not head.strip()
        text = IMAGE_MARKER.sub(" ", text)
    if "[" in text:
        text = BOOKMARK_MARKER.sub("", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    if "&" in text:
        text = HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = text.translate(_INVISIBLE).replace("\xa0", " ").replace("\u3000", " ")
    return Line(number, raw, text, pictures, before and bool(text.strip()))


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
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
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return Cell(None, raw.strip(), line, CellStatus.BLANK)
    if text in PLACEHOLDERS:
        return Cell(None, raw.strip(), line, CellStatus(PLACEHOLDERS[text]))
    candidate = _UNIT.sub("", text).strip() if len(text) <= 24 else text
    if _NUMBER.match(candidate):
        plain = candidate.replace(",", "")
        try:
            number = Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return Cell(None, raw.strip(), line, CellStatus.UNREADABLE)
        value: int | Decimal = int(number) if "." not in plain else number
        return Cell(value, raw.strip(), line, CellStatus.NUMBER)
    return None


def tokenize(lines: list[Line]) -> list[Token]:
    """Cells of the lines in reading order.

    Cells are separated by tabs; inside a cell, runs of spaces separate numbers from a
    label ("规章 0 0 0"), while words of a label stay together ("(一) 予以公开").
    """
    tokens: list[Token] = []
    for line in lines:
        if line.is_blank:
            continue
        position = 0
        for piece in line.text.split("\t"):
            piece = piece.strip()
            if not piece:
                tokens.append(Token("", line.number, position, "empty"))
                position += 1
                continue
            for word in _split_piece(piece):
                cell = read_cell(word, line.number)
                if cell is not None:
                    tokens.append(Token(word, line.number, position, "value", cell))
                else:
                    tokens.append(Token(word, line.number, position, "text"))
                position += 1
    return tokens


def _split_piece(piece: str) -> list[str]:
    """Split "规章 0 0 0" into label and numbers; keep "(一) 予以公开" whole."""
    words = _WORD_SPLIT.split(piece)
    if len(words) == 1:
        return words
    out: list[str] = []
    label: list[str] = []
    for word in words:
        if read_cell(word) is not None:
            if label:
                out.append(" ".join(label))
                label = []
            out.append(word)
        else:
            label.append(word)
    if label:
        out.append(" ".join(label))
    return out
