"""Write a report: Word, PDF, HTML, Excel, Markdown and plain text, from the report model.

``render(doc, fmt)`` returns the bytes of the file; the writers are imported when first used
(WeasyPrint, for one, takes half a second to import).
"""

from __future__ import annotations

import importlib
from typing import Callable

from .document import Document, build_document

# format -> (module, function, file suffix); every function takes a Document.
WRITERS: dict[str, tuple[str, str, str]] = {
    "docx": ("gongkai.core.report.render.docx", "render_docx", ".docx"),
    "pdf": ("gongkai.core.report.render.pdf", "render_pdf", ".pdf"),
    "html": ("gongkai.core.report.render.html", "render_html", ".html"),
    "xlsx": ("gongkai.core.report.render.xlsx", "render_xlsx", ".xlsx"),
    "md": ("gongkai.core.report.render.markdown", "render_markdown", ".md"),
}
FORMATS = tuple(WRITERS)

# The rules whose failure makes a report unfit to publish: its tables do not add up.
ARITHMETIC_RULES = ("T3-balance", "T3-total", "T3-columns", "T4-blocks", "C-value")


def writer(fmt: str) -> Callable[[Document], bytes | str]:
    module, function, _ = WRITERS[fmt]
    return getattr(importlib.import_module(module), function)


def render(doc: Document, fmt: str) -> bytes:
    """The file's bytes in format ``fmt`` (one of FORMATS)."""
    out = writer(fmt)(doc)
    return out.encode("utf-8") if isinstance(out, str) else out


def suffix(fmt: str) -> str:
    return WRITERS[fmt][2]


__all__ = ["render", "build_document", "Document", "FORMATS", "ARITHMETIC_RULES", "suffix"]
