"""Tables published as pictures, read offline on the CPU (see docs/ocr.md).

``read_with_pictures`` parses a document whose container reader gave its pictures: every
picture that holds a table is read into the text (``read.expand``), the text is parsed by the
same rules as any report, every cell read from a picture keeps its origin (``read.attach``),
and the arithmetic settles the digits the engine was not sure of (``settle.settle``).
"""

from __future__ import annotations

from ...errors import ReportReadError
from ...model import Report
from .read import DocumentText, attach, expand

# Seconds of OCR allowed per picture or scanned page, on top of the document's read time limit
# (a table-3 picture takes 2–5 s of CPU; a machine shared with other work takes longer).
OCR_SECONDS_PER_PICTURE = 120.0


def read_with_pictures(document: DocumentText, source: str | None = None, encoding: str | None = None) -> Report:
    from ..text import parse_text
    from .page import page_text
    from .settle import settle
    from .verify import verify

    if document.pages:  # a scan or an image file: the pages' text and tables first
        empty = document.empty_code
        document = page_text(document.pages, document.original)
        if not document.text.strip() and not document.pictures:
            raise ReportReadError(empty, source)
    text, layout = expand(document)
    report = parse_text(text, source=source, encoding=encoding)
    slots = attach(report, layout)
    settle(report, slots)
    # the tables whose lines came from a picture, though the parser read some of them otherwise
    # than the grid laid them out (then their cells have no box): verified all the same
    pictured = {
        key
        for key, table in report.tables.items()
        if table is not None and any(c.line in layout.rows for cells in table.rows.values() for c in cells.values())
    }
    verify(report, pictured)
    return report


__all__ = ["read_with_pictures", "DocumentText", "OCR_SECONDS_PER_PICTURE"]
