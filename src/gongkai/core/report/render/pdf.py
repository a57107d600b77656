"""Write a report document as PDF: the HTML page (``html.py``) laid out by WeasyPrint.

Fonts are embedded as subsets (never ``full_fonts=True``: a 58 MB file). Before laying out,
the machine must have a Chinese font, or every character would come out as a box; that is
checked once per process.

Speed: WeasyPrint subsets fonts with HarfBuzz when the system library ``libharfbuzz-subset``
is installed (Debian: ``libharfbuzz-subset0``), about 0.2 s for a report; without it, it falls
back to fontTools, which takes several seconds per CJK font.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess
from functools import lru_cache

from ..errors import ReportReadError
from .document import Document
from .html import render_html

# Where fonts live when fontconfig's command-line tools are not installed.
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"), os.path.expanduser("~/.local/share/fonts"))
_CJK_FILE_HINTS = ("cjk", "wqy", "droidsansfallback", "arphic", "uming", "ukai", "simsun", "simhei", "simfang", "fangsong", "msyh", "sourcehan", "hansans", "hanserif")


@lru_cache(maxsize=1)
def cjk_font_families() -> tuple[str, ...]:
    """The installed font families that cover Chinese (``fc-list :lang=zh family``)."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        # WeasyPrint finds fonts through fontconfig: what fontconfig lists is what it can use.
        try:
            result = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            result = None
        if result is not None and result.returncode == 0:
            return tuple(sorted({n.strip() for line in result.stdout.splitlines() for n in line.split(",") if n.strip()}))
    # No fontconfig tools: look for CJK font files by name.
    found = set()
    for base in _FONT_DIRS:
        for path in glob.glob(os.path.join(base, "**", "*"), recursive=True):
            name = os.path.basename(path).lower()
            if name.endswith((".ttf", ".ttc", ".otf", ".otc")) and any(h in name for h in _CJK_FILE_HINTS):
                found.add(os.path.splitext(os.path.basename(path))[0])
    return tuple(sorted(found))


def check_cjk_font() -> None:
    if not cjk_font_families():
        raise ReportReadError("no_cjk_font")


class _SubsetWarningFilter(logging.Filter):
    """WeasyPrint warns at every render, per font, when it subsets with fontTools: a matter
    of speed for the administrator (install libharfbuzz-subset0), not of the document:
    say it once."""

    seen = False

    def filter(self, record: logging.LogRecord) -> bool:
        if "HarfBuzz-Subset" not in str(record.msg):
            return True
        first, self.seen = not self.seen, True
        return first  # once per process is enough


@lru_cache(maxsize=1)
def _quiet_subset_warning() -> None:
    logging.getLogger("weasyprint").addFilter(_SubsetWarningFilter())


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes (A4, fonts embedded as subsets)."""
    check_cjk_font()
    html = render_html(doc)
    try:
        from weasyprint import HTML

        _quiet_subset_warning()
        pdf = HTML(string=html).write_pdf()
    except ReportReadError:
        raise
    except Exception as exc:  # WeasyPrint, Pango, fontTools: anything that stops the layout
        raise ReportReadError("render_failed", None, f"PDF：{type(exc).__name__}: {exc}") from exc
    if not pdf:
        raise ReportReadError("render_failed", None, "PDF：WeasyPrint 没有输出")
    return pdf


__all__ = ["render_pdf", "check_cjk_font", "cjk_font_families"]
