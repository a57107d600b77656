"""Write a letter to an applicant (告知书, 通知书, 回执) as a Word document.

The page, the styles and the fonts are those of the report writer (``core/report/render/docx.py``): A4 with
the official margins, the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号 with the East
Asian font named on every run and in the document defaults, the font table entries Word uses to
substitute a missing font. A letter adds its number line under the title (right-aligned), the
addressee flush left ("张三："), the body paragraphs with a two-character first-line indent,
and the signature and date on the right. The page number in the footer is optional: a letter of
one page usually has none.

The PDF (``render_letter_pdf``) is the same letter as an HTML page laid out by WeasyPrint, with
the fonts and page of the report PDF (``core/report/render/pdf.py``, ``core/report/render/html.py``). ``read_letter``
takes a letter back from the DOCX this module wrote, so that an issued letter's PDF is made from
the very text that was kept.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from html import escape

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..report.errors import ReportReadError
from .letters import Letter
from ..report.render.html import BODY_FONTS, TITLE_FONTS
from ..report.render.docx import (
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


def read_letter(data: bytes) -> Letter:
    """The letter written by ``render_letter`` read back from its DOCX bytes."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - a damaged file is said in Chinese
        raise ReportReadError("render_failed", None, f"文书文件无法读取（{type(error).__name__}: {error}）") from error
    texts = [p.text for p in document.paragraphs]
    if len(texts) < 5:
        raise ReportReadError("render_failed", None, "文书文件的内容不完整")
    title, number, addressee, *rest = texts
    signature, day = rest[-2], rest[-1]
    paragraphs = tuple(t for t in rest[:-2] if t.strip())
    footer = document.sections[0].footer
    page_numbers = not footer.is_linked_to_previous and "PAGE" in footer._element.xml
    props = document.core_properties
    return Letter(title=title, number=number, addressee=addressee, paragraphs=paragraphs, signature=signature,
                  date=day, page_numbers=page_numbers,
                  keywords=tuple(k for k in (props.keywords or "").split(";") if k))


LETTER_CSS = f"""
@page {{
  size: A4;
  margin: 3.7cm 2.6cm 3.5cm 2.8cm;
}}
@page numbered {{
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {BODY_FONTS}; font-size: 14pt; }}
}}
body.numbered {{ page: numbered; }}
html {{ color: #000; }}
body {{ font-family: {BODY_FONTS}; font-size: 16pt; line-height: 28.95pt; margin: 0; }}
h1 {{ font-family: {TITLE_FONTS}; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5;
      margin: 0; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.number {{ text-align: right; text-indent: 0; margin-bottom: 28.95pt; }}
p.addressee {{ text-indent: 0; }}
.signature {{ margin-top: 57.9pt; }}
.signature p {{ text-align: right; text-indent: 0; }}
"""


def letter_html(letter: Letter) -> str:
    """The letter as one self-contained HTML page (for the PDF)."""
    body = "".join(f"<p>{escape(text)}</p>" for text in letter.paragraphs)
    numbered = ' class="numbered"' if letter.page_numbers else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(letter.title)}</title><style>{LETTER_CSS}</style></head><body{numbered}>"
        f'<h1>{escape(letter.title)}</h1><p class="number">{escape(letter.number)}</p>'
        f'<p class="addressee">{escape(letter.addressee)}</p>{body}'
        f'<div class="signature"><p>{escape(letter.signature)}</p><p>{escape(letter.date)}</p></div>'
        "</body></html>"
    )


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as PDF bytes (A4, fonts embedded as subsets); ReportReadError on failure."""
    from ..report.render.pdf import _quiet_subset_warning, check_cjk_font

    check_cjk_font()
    try:
        from weasyprint import HTML

        _quiet_subset_warning()
        pdf = HTML(string=letter_html(letter)).write_pdf()
    except Exception as error:  # noqa: BLE001 - WeasyPrint, Pango, fontTools: said in Chinese
        raise ReportReadError("render_failed", None, f"PDF 文件生成失败（{type(error).__name__}: {error}）") from error
    if not pdf:
        raise ReportReadError("render_failed", None, "PDF 文件生成失败（WeasyPrint 没有输出）")
    return pdf


__all__ = ["render_letter", "render_letter_pdf", "read_letter", "letter_html"]
