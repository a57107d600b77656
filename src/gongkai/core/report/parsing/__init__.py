"""Readers that turn a published report into the report model.

Plain text is parsed directly. Every other format has a reader that turns the document into
text lines in reading order, with each table row as tab-separated cells (a merged cell in
its top-left slot, covered slots empty); the text parser then reads that text, so every
format is read by the same rules.
"""

from __future__ import annotations

import importlib
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import ReportReadError
from ..model import Report
from .decoding import MAX_TEXT_BYTES
from .text import parse_bytes, parse_file, parse_text

# File types read as plain text.
TEXT_SUFFIXES = (".txt", ".text")

# suffix -> (module, function) of a reader: bytes -> text lines. Imported when first needed.
DOCUMENT_READERS: dict[str, tuple[str, str]] = {
    ".docx": ("gongkai.core.report.parsing.docx", "docx_to_text"),
    ".html": ("gongkai.core.report.parsing.html", "html_to_text"),
    ".htm": ("gongkai.core.report.parsing.html", "html_to_text"),
    ".pdf": ("gongkai.core.report.parsing.pdf", "pdf_to_text"),
    ".xlsx": ("gongkai.core.report.parsing.xlsx", "xlsx_to_text"),
    ".md": ("gongkai.core.report.parsing.markdown", "markdown_to_text"),
    # converted to .docx with LibreOffice when it is installed (``converter_missing`` otherwise)
    ".doc": ("gongkai.core.report.parsing.office", "doc_to_text"),
    ".wps": ("gongkai.core.report.parsing.office", "wps_to_text"),
    ".rtf": ("gongkai.core.report.parsing.office", "rtf_to_text"),
    ".odt": ("gongkai.core.report.parsing.office", "odt_to_text"),
}
# Pictures: image files are read whole by OCR; in these documents the pictures where a table
# should be are read by OCR too (core/report/parsing/ocr). suffix -> (module, function) of a
# reader (bytes, source path) -> ocr.read.DocumentText.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
_OCR = "gongkai.core.report.parsing.ocr.containers"
PICTURE_READERS: dict[str, tuple[str, str]] = {
    ".docx": (_OCR, "docx_document"),
    ".html": (_OCR, "html_document"),
    ".htm": (_OCR, "html_document"),
    ".pdf": (_OCR, "pdf_document"),
    **{suffix: (_OCR, "image_document") for suffix in IMAGE_SUFFIXES},
}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + tuple(DOCUMENT_READERS) + IMAGE_SUFFIXES
# What a folder is searched for: not image files, which are read when named directly (in a
# folder they are mostly the pictures of saved pages, read with their page).
FOLDER_SUFFIXES = TEXT_SUFFIXES + tuple(DOCUMENT_READERS)
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def document_reader(suffix: str) -> Callable[[bytes], str]:
    module, function = DOCUMENT_READERS[suffix]
    return getattr(importlib.import_module(module), function)


# Seconds one document may take to read. A hostile file (a PDF whose objects refer to
# themselves, say) makes a reader loop; it is stopped and reported as "timeout".
READ_TIMEOUT = 120.0


class _TimeUp(BaseException):
    """Raised by the alarm; a BaseException so that no reader's ``except Exception`` swallows it."""


@contextmanager
def time_limit(seconds: float | None, source: str | None) -> Iterator[None]:
    """Stop the work inside after ``seconds`` (main thread, Unix); elsewhere no limit is set
    here (bulk processing stops stuck worker processes itself)."""
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # someone else's alarm is running
    ):
        yield
        return

    def alarm(signum, frame):  # noqa: ARG001
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, alarm)
    # Repeating: a reader's clean-up may loop again (a finally block that walks what it opened).
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    except _TimeUp:
        raise ReportReadError("timeout", source, f"读取超过 {seconds:g} 秒（文件可能含有循环引用或异常结构）") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_document(data: bytes, suffix: str, source: str | None = None, timeout: float | None = READ_TIMEOUT) -> Report:
    """Parse a document's bytes (``suffix`` names its type: ".docx", ".pdf", …)."""
    suffix = suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return parse_bytes(data, source)
    if suffix not in DOCUMENT_READERS and suffix not in PICTURE_READERS:
        raise ReportReadError("unsupported_type", source, suffix)
    if not data:
        raise ReportReadError("empty", source)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReportReadError("too_large", source, f"{len(data)} 字节，上限 {MAX_DOCUMENT_BYTES} 字节")
    if suffix in PICTURE_READERS:
        from .ocr import OCR_SECONDS_PER_PICTURE, read_with_pictures

        module, function = PICTURE_READERS[suffix]
        reader = getattr(importlib.import_module(module), function)
        try:
            with time_limit(timeout, source):
                document = reader(data, source)
            # OCR takes time by the picture: its own limit, on top of the document's
            work = len(document.pictures) + 3 * len(document.pages)  # a page may hold three tables
            with time_limit(timeout and timeout + OCR_SECONDS_PER_PICTURE * work, source):
                return read_with_pictures(document, source=source, encoding=suffix.lstrip("."))
        except ReportReadError as error:
            error.path = error.path or source
            raise
    try:
        with time_limit(timeout, source):
            text = document_reader(suffix)(data)
    except ReportReadError as error:
        error.path = error.path or source
        raise
    report = parse_text(text, source=source, encoding=suffix.lstrip("."))
    return report


def read_report(path: str | Path) -> Report:
    """Read one report file of any supported type; ReportReadError when it cannot be read."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES or (p.is_file() and suffix == ""):
        return parse_file(p)
    if not p.exists():
        raise ReportReadError("not_found", str(path))
    if suffix not in DOCUMENT_READERS and suffix not in PICTURE_READERS:
        raise ReportReadError(
            "unsupported_type", str(path), f"{suffix or '无扩展名'}（目前支持：{'、'.join(SUPPORTED_SUFFIXES)}）"
        )
    if not p.is_file():
        raise ReportReadError("not_a_file", str(path))
    size = p.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise ReportReadError("too_large", str(path), f"{size} 字节，上限 {MAX_DOCUMENT_BYTES} 字节")
    return read_document(p.read_bytes(), suffix, str(path))


__all__ = [
    "read_report",
    "read_document",
    "parse_text",
    "parse_file",
    "parse_bytes",
    "SUPPORTED_SUFFIXES",
    "FOLDER_SUFFIXES",
    "IMAGE_SUFFIXES",
    "MAX_TEXT_BYTES",
]
