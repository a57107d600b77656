"""Readers that turn a published report into the report model."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportReadError
from ..model import Report
from .text import parse_bytes, parse_file, parse_text

# File types read as plain text. Other readers (HTML, DOCX, PDF) register here as they come.
TEXT_SUFFIXES = (".txt", ".text")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES


def read_report(path: str | Path) -> Report:
    """Read one report file of any supported type; ReportReadError when it cannot be read."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES or (p.is_file() and suffix == ""):
        return parse_file(p)
    if not p.exists():
        raise ReportReadError("not_found", str(path))
    raise ReportReadError(
        "unsupported_type", str(path), f"{suffix or '无扩展名'}（目前支持：{'、'.join(SUPPORTED_SUFFIXES)}）"
    )


__all__ = ["read_report", "parse_text", "parse_file", "parse_bytes", "SUPPORTED_SUFFIXES"]
