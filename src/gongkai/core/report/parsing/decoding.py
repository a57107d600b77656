"""Turn the bytes of a plain-text report into text: UTF-8, GB18030 (GBK, GB2312) or UTF-16."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import ReportReadError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text report is a few dozen KiB; 20 MiB is far beyond any

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Characters a Chinese report is made of: ASCII, whitespace, CJK ideographs (and extension A),
# CJK and general punctuation, full-width forms, circled numbers, box drawing, a few symbols.
_REPORT_CHARS = re.compile(
    "[^\t\n\r\f\v\x20-\x7e\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef"
    "\u2000-\u206f\u2460-\u24ff\u2500-\u257f\u00a0\u00b7\u00d7\ufeff]"
)


def _text_score(text: str) -> float:
    """Share of characters that a Chinese report is made of."""
    sample = text[:20000]
    if not sample:
        return 0.0
    return 1 - len(_REPORT_CHARS.findall(sample)) / len(sample)


def decode_bytes(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name) or raise ReportReadError."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReportReadError("empty", path)
    if len(data) > MAX_TEXT_BYTES:
        raise ReportReadError("too_large", path, f"{len(data)} 字节，上限 {MAX_TEXT_BYTES} 字节")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise ReportReadError("undecodable", path, f"带 {name} 标记但内容无效") from exc
            if "\x00" in text or _text_score(text) < 0.8:
                raise ReportReadError("binary", path)
            return text.lstrip("\ufeff"), "utf-16" if name == "utf-16" else "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text and _text_score(text) >= 0.8:
            return text, "utf-8"
    if len(data) % 2 == 0:
        for name in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and _text_score(text) >= 0.95:
                return text, "utf-16"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text and _text_score(text) >= 0.95:
        return text, "gb18030"
    if b"\x00" in data[:65536] or _text_score(data[:4096].decode("latin-1")) < 0.7:
        raise ReportReadError("binary", path)
    raise ReportReadError("undecodable", path)


def read_text_file(path: str | Path) -> tuple[str, str]:
    """Read a plain-text report from disk; errors as ReportReadError with a Chinese message."""
    p = Path(path)
    name = str(path)
    try:
        if not p.exists():
            raise ReportReadError("not_found", name)
        if not p.is_file():
            raise ReportReadError("not_a_file", name)
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ReportReadError("too_large", name, f"{size} 字节，上限 {MAX_TEXT_BYTES} 字节")
        data = p.read_bytes()
    except PermissionError as exc:
        raise ReportReadError("permission", name) from exc
    except IsADirectoryError as exc:
        raise ReportReadError("not_a_file", name) from exc
    return decode_bytes(data, name)
