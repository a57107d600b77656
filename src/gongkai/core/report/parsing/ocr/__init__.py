"""Tables published as pictures, read offline on the CPU (see docs/ocr.md).

``read_with_pictures`` parses a document whose container reader gave its pictures: every
picture that holds a table is read into the text (``read.expand``), the text is parsed by the
same rules as any report, every cell read from a picture keeps its origin (``read.attach``),
and the arithmetic settles the digits the engine was not sure of (``settle.settle``).
"""

from __future__ import annotations

from ...model import Report
from .read import DocumentText, attach, expand


def read_with_pictures(document: DocumentText, source: str | None = None, encoding: str | None = None) -> Report:
    from ..text import parse_text
    from .settle import settle

    text, layout = expand(document)
    report = parse_text(text, source=source, encoding=encoding)
    slots = attach(report, layout)
    settle(report, slots)
    return report


__all__ = ["read_with_pictures", "DocumentText"]
