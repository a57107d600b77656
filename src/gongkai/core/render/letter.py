"""Write a letter to an applicant (告知书, 通知书, 回执) as a Word document.

The page, the styles and the fonts are those of the report writer (``render/docx.py``): A4 with
the official margins, the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号 with the East
Asian font named on every run and in the document defaults, the font table entries Word uses to
substitute a missing font. A letter adds its number line under the title (right-aligned), the
addressee flush left ("张三："), the body paragraphs with a two-character first-line indent,
and the signature and date on the right. The page number in the footer is optional: a letter of
one page usually has none.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..errors import ReportReadError
from ..letters import Letter
from .docx import (
    FONT_BODY,
    FONT_LATIN,
    FONT_TITLE,
    LINE_BODY,
    SIZE_BODY,
    SIZE_TITLE,
    STYLE_BODY,
    STYLE_SIGNATURE,
    STYLE_TITLE,
    _clean,
    _first_line_chars,
    _paragraph,
    official_document,
)


def _body(docx_doc, text: str, indent: bool = True):
    paragraph = _paragraph(docx_doc, text, STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)
    if not indent:  # the addressee and the number line: no first-line indent
        paragraph.paragraph_format.first_line_indent = Pt(0)
        _first_line_chars(paragraph._p.get_or_add_pPr(), 0)
    return paragraph


def _properties(docx_doc, letter: Letter) -> None:
    props = docx_doc.core_properties
    now = datetime.now(timezone.utc).replace(microsecond=0)
    props.title = _clean(letter.title)
    props.author = props.last_modified_by = _clean(letter.signature)
    props.subject = _clean(letter.number)
    props.keywords = ";".join(_clean(k) for k in letter.keywords)
    props.comments = props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = props.modified = now


def render_letter(letter: Letter) -> bytes:
    """The letter as the bytes of a .docx file; ReportReadError("render_failed") on failure."""
    try:
        docx_doc = official_document(page_numbers=letter.page_numbers)

        _paragraph(docx_doc, letter.title, STYLE_TITLE, FONT_TITLE, FONT_TITLE, SIZE_TITLE)
        number = _body(docx_doc, letter.number, indent=False)
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        number.paragraph_format.space_after = LINE_BODY  # one blank line before the addressee
        _body(docx_doc, letter.addressee, indent=False)
        for text in letter.paragraphs:
            _body(docx_doc, text)
        _body(docx_doc, "")  # a blank line above the signature
        _body(docx_doc, "")
        for text in (letter.signature, letter.date):
            _paragraph(docx_doc, text, STYLE_SIGNATURE, FONT_BODY, FONT_LATIN, SIZE_BODY)
        _properties(docx_doc, letter)
        out = io.BytesIO()
        docx_doc.save(out)
        return out.getvalue()
    except Exception as error:  # noqa: BLE001 - any failure to build the file is reported in Chinese
        raise ReportReadError("render_failed", None, f"Word 文件生成失败（{type(error).__name__}: {error}）") from error


__all__ = ["render_letter"]
