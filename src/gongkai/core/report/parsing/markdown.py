"""Read Markdown as text lines: headings and paragraphs as lines, pipe-table rows as
tab-separated cells, the separator rows (|---|) dropped, emphasis and HTML tags removed."""

from __future__ import annotations

import re

from ..errors import ReportReadError
from .decoding import decode_bytes

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_PIPE = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip().replace("\\|", "|").replace("\\\\", "\\") for c in _PIPE.split(body)]


def markdown_to_text(data: bytes) -> str:
    try:
        text, _ = decode_bytes(data)
    except ReportReadError:
        raise
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _SEPARATOR.match(line) and "-" in line:
            continue
        stripped = line.strip()
        if stripped.startswith("|") or (stripped.count("|") >= 2 and _PIPE.search(stripped)):
            out.append("\t".join(_EMPHASIS.sub(r"\2", c) for c in _cells(stripped)))
            continue
        line = _HEADING.sub("", line)
        line = _EMPHASIS.sub(r"\2", line)
        line = _TAG.sub("", line)
        out.append(line)
    return "\n".join(out) + "\n"
