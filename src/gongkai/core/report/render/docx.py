"""Write the report as a Word document (.docx) laid out as Chinese agencies hand it in.

The layout follows the usual official-document conventions (GB/T 9704 style):

- A4 portrait, margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm;
- the title centred in 方正小标宋简体 二号 (22 pt);
- body text in 仿宋_GB2312 三号 (16 pt), first-line indent of two characters, line spacing
  fixed at 28.95 pt (22 lines on a page); first-level headings (一、…) in 黑体 三号,
  second-level headings （一）… in 楷体_GB2312 三号;
- the page number centred in the footer as "— 1 —" (a PAGE field);
- tables 2–4 as real Word tables with the national merged cells, header rows repeated on
  every page, grid lines on every cell, numbers centred.

Fonts. Every run and the document defaults name the East Asian font (``w:eastAsia``) as
well as ``w:ascii``/``w:hAnsi``/``w:cs``; ``run.font.name`` alone would only set the
latter, and Word would then draw the Chinese in the theme's East Asian font. The theme font
references of python-docx's template are removed, because a theme attribute wins over a
named font on the same element. The font table lists each Chinese font with its GB2312
charset, PANOSE class and, for the ``_GB2312`` fonts of older Windows, the name the same
face has on current Windows (``altName``: 仿宋, 楷体), so Word substitutes a matching face
where the named one is not installed. LibreOffice on Linux has none of these fonts; with
``w:lang w:eastAsia="zh-CN"`` on the text it falls back to an installed CJK font (Noto
Sans/Serif CJK SC from fonts-noto-cjk), glyph by glyph; the tests check every Chinese
character of the converted PDF against the font file that drew it.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.run import Run
from lxml import etree

from ..errors import ReportReadError
from .document import Document
from .grid import Grid, GridCell

# --------------------------------------------------------------------------- layout constants

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
FOOTER_DISTANCE = Cm(2.5)  # the page number sits about 7 mm below the text block
TEXT_WIDTH_TWIPS = round((21 - 2.8 - 2.6) / 2.54 * 1440)  # 15.6 cm = 8844 twips

# Font names as Word on an agency's Windows machine knows them.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_SUBHEADING = "楷体_GB2312"
FONT_TABLE = "宋体"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"  # digits and Latin letters in body text and tables

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_CAPTION = Pt(14)  # 四号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
SIZE_TABLE = Pt(10.5)  # 五号: tables 2 and 3
# Table 4 has 15 columns of 1.04 cm on A4 portrait: with narrow cell margins two characters
# of 五号 fit on a line, so its labels ("结果/维持") wrap onto two lines like the printed form.
SIZE_TABLE_WIDE = Pt(10.5)
ROW_HEIGHT_TWIPS = 340  # 0.6 cm, at least
KEEP_TOGETHER_ROWS = 16  # tables up to this many rows are kept on one page
LINE_BODY = Pt(28.95)  # fixed: 22 lines in the 22.5 cm text block
LINE_TITLE = Pt(36)  # fixed: a 22 pt title needs more than the body's line
INDENT_2_CHARS = Pt(32)  # two characters of 三号

# The font table entries Word uses to substitute a missing font, as Word itself writes them
# for these faces: PANOSE, family, pitch, and an alternative name (current Windows has 仿宋
# and 楷体 but not the older 仿宋_GB2312 and 楷体_GB2312); the charset is 86 (GB2312).
FONT_TABLE_ENTRIES = {
    FONT_TITLE: ("02000000000000000000", "auto", "variable", None),
    FONT_BODY: ("02010609030101010101", "modern", "fixed", "仿宋"),
    FONT_HEADING: ("02010609060101010101", "modern", "fixed", "SimHei"),
    FONT_SUBHEADING: ("02010609030101010101", "modern", "fixed", "楷体"),
    FONT_TABLE: ("02010600030101010101", "auto", "variable", "SimSun"),
}

# Characters XML 1.0 cannot hold (control characters pasted from other programs): dropped,
# or lxml would refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# A second-level heading: "（一）主动公开情况" on a line of its own.
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\S{1,30}$")
_SUBHEADING_END = re.compile(r"[。；;，,：:]$")

# Custom paragraph styles: (name shown in Word's style list, style id).
STYLE_TITLE = ("公文标题", "GongkaiTitle")
STYLE_BODY = ("公文正文", "GongkaiBody")
STYLE_HEADING = ("公文一级标题", "GongkaiHeading1")
STYLE_SUBHEADING = ("公文二级标题", "GongkaiHeading2")
STYLE_CAPTION = ("公文表题", "GongkaiCaption")
STYLE_TABLE = ("公文表格", "GongkaiTable")
STYLE_SIGNATURE = ("公文落款", "GongkaiSignature")


# --------------------------------------------------------------------------- fonts


def _set_fonts(rpr, east_asia: str, latin: str) -> None:
    """Name the fonts for every script on an ``w:rPr`` and drop theme font references."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    # Ambiguous characters (“ ” ‘ ’ — …) take the East Asian font, as Chinese text wants.
    fonts.set(qn("w:hint"), "eastAsia")


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _font_run(paragraph, text: str, east_asia: str, latin: str, size: Pt, bold: bool = False):
    """A run with its fonts named for every script, East Asian included."""
    run = paragraph.add_run(_clean(text))
    run.font.size = size
    if bold:
        run.font.bold = True
    _set_fonts(run._element.get_or_add_rPr(), east_asia, latin)
    return run


def _fix_font_table(docx_doc) -> None:
    """Add our Chinese fonts to word/fontTable.xml, for Word's substitution of missing fonts."""
    part = next(
        (rel.target_part for rel in docx_doc.part.rels.values() if rel.reltype == RT.FONT_TABLE), None
    )
    if part is None:  # pragma: no cover - python-docx's template has one
        return
    root = etree.fromstring(part.blob)
    w = "{%s}" % root.nsmap["w"]
    known = {f.get(w + "name") for f in root.findall(w + "font")}
    for name, (panose, family, pitch, alt) in FONT_TABLE_ENTRIES.items():
        if name in known:
            continue
        font = etree.SubElement(root, w + "font", {w + "name": name})
        if alt:
            etree.SubElement(font, w + "altName", {w + "val": alt})
        etree.SubElement(font, w + "panose1", {w + "val": panose})
        etree.SubElement(font, w + "charset", {w + "val": "86"})
        etree.SubElement(font, w + "family", {w + "val": family})
        etree.SubElement(font, w + "pitch", {w + "val": pitch})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- styles


def _setup_styles(docx_doc) -> None:
    styles = docx_doc.styles
    # Document defaults: named fonts instead of theme fonts, Chinese as the East Asian language.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, FONT_BODY, FONT_LATIN)
    _set_lang(rpr)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), str(int(SIZE_BODY.pt * 2)))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:  # the template's 10 pt space after every paragraph
        ppr.remove(spacing)

    normal = styles["Normal"]
    normal.font.size = SIZE_BODY
    _set_fonts(normal.element.get_or_add_rPr(), FONT_BODY, FONT_LATIN)
    _set_lang(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False

    def add(ident: tuple[str, str], east_asia: str, latin: str, size: Pt, bold: bool = False):
        style = styles.add_style(ident[0], WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = ident[1]
        style.base_style = normal
        style.quick_style = True
        style.font.size = size
        style.font.bold = bold
        _set_fonts(style.element.get_or_add_rPr(), east_asia, latin)
        pf = style.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        return style

    title = add(STYLE_TITLE, FONT_TITLE, FONT_TITLE, SIZE_TITLE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = LINE_TITLE
    title.paragraph_format.keep_with_next = True

    for ident, font, latin in (
        (STYLE_BODY, FONT_BODY, FONT_LATIN),
        (STYLE_HEADING, FONT_HEADING, FONT_HEADING),
        (STYLE_SUBHEADING, FONT_SUBHEADING, FONT_LATIN),
    ):
        style = add(ident, font, latin, SIZE_BODY)
        pf = style.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE_BODY
        pf.first_line_indent = INDENT_2_CHARS
        _first_line_chars(style.element.get_or_add_pPr(), 200)
        if ident is not STYLE_BODY:
            pf.keep_with_next = True

    caption = add(STYLE_CAPTION, FONT_HEADING, FONT_HEADING, SIZE_CAPTION)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    caption.paragraph_format.line_spacing = LINE_BODY
    caption.paragraph_format.keep_with_next = True

    table = add(STYLE_TABLE, FONT_TABLE, FONT_LATIN, SIZE_TABLE)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    signature = add(STYLE_SIGNATURE, FONT_BODY, FONT_LATIN, SIZE_BODY)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    signature.paragraph_format.line_spacing = LINE_BODY
    signature.paragraph_format.right_indent = INDENT_2_CHARS


def _first_line_chars(ppr, hundredths: int) -> None:
    """Word's indent in characters (``w:firstLineChars``), next to the absolute one."""
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(hundredths))


def _apply_style(paragraph, ident: tuple[str, str]) -> None:
    """Set a paragraph's style by its id; ``paragraph.style = …`` scans every style (slow)."""
    paragraph._p.get_or_add_pPr().style = ident[1]


# --------------------------------------------------------------------------- page


def _setup_page(docx_doc, page_numbers: bool = True) -> None:
    section = docx_doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Cm(1.5)
    if not page_numbers:
        return
    # The page number: "— 1 —", centred, 宋体 四号, the number a PAGE field.
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _font_run(paragraph, "— ", FONT_PAGE_NUMBER, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    shown = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    shown.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    shown.append(text)
    field.append(shown)
    paragraph._p.append(field)
    # The field's run gets the same fonts as the dashes.
    Run(shown, paragraph).font.size = SIZE_PAGE_NUMBER
    _set_fonts(rpr, FONT_PAGE_NUMBER, FONT_PAGE_NUMBER)
    _font_run(paragraph, " —", FONT_PAGE_NUMBER, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)


# --------------------------------------------------------------------------- tables


def _twips_widths(grid: Grid) -> list[int]:
    weights = list(grid.column_widths) if len(grid.column_widths) == grid.columns else [1.0] * grid.columns
    total = sum(weights)
    widths = [int(TEXT_WIDTH_TWIPS * w / total) for w in weights]
    widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)
    return widths


def _table_properties(table: Table, widths: list[int], cell_margin: int) -> None:
    """Fixed layout at the text width, grid lines on every cell, narrow cell margins."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    # Explicit borders as well as the "Table Grid" style: every reader draws these.
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0), ("left", cell_margin), ("bottom", 0), ("right", cell_margin)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(value))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    # CT_TblPr's schema order: tblStyle, …, tblW, jc, tblCellSpacing, tblInd, tblBorders, shd,
    # tblLayout, tblCellMar, tblLook. Word reports a file with elements out of order (or twice)
    # as damaged, so replace whatever is there and put ours before tblLook.
    for tag in ("w:tblBorders", "w:tblLayout", "w:tblCellMar"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    look = tbl_pr.find(qn("w:tblLook"))
    for el in (borders, layout, margins):
        if look is not None:
            look.addprevious(el)
        else:
            tbl_pr.append(el)
    for col, w in zip(tbl.tblGrid.gridCol_lst, widths):
        col.w = Twips(w)


def _row_properties(tr, header: bool) -> None:
    """Rows never break across pages (``w:cantSplit``), are at least ``ROW_HEIGHT`` high,
    and header rows repeat at the top of every page (``w:tblHeader``)."""
    tr_pr = tr.get_or_add_trPr()
    # CT_TrPr's order: cantSplit, trHeight, tblHeader.
    tr_pr.append(OxmlElement("w:cantSplit"))
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(ROW_HEIGHT_TWIPS))
    height.set(qn("w:hRule"), "atLeast")
    tr_pr.append(height)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_paragraph(text: str, centred: bool, size: Pt, keep_with_next: bool):
    """A table cell's paragraph: the table style, its alignment, one run with every font named.

    Built as XML directly: python-docx's property setters cost a millisecond per cell, and
    table 3 alone has 280 cells (the benchmark's target is 0.2 s for the whole document)."""
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    p.append(ppr)
    ppr.append(OxmlElement("w:pStyle", {qn("w:val"): STYLE_TABLE[1]}))
    if keep_with_next:
        ppr.append(OxmlElement("w:keepNext"))
    ppr.append(OxmlElement("w:jc", {qn("w:val"): "center" if centred else "left"}))
    if text:
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        run.append(rpr)
        rpr.append(
            OxmlElement(
                "w:rFonts",
                {
                    qn("w:ascii"): FONT_LATIN,
                    qn("w:hAnsi"): FONT_LATIN,
                    qn("w:eastAsia"): FONT_TABLE,
                    qn("w:cs"): FONT_LATIN,
                    qn("w:hint"): "eastAsia",
                },
            )
        )
        half_points = str(round(size.pt * 2))
        rpr.append(OxmlElement("w:sz", {qn("w:val"): half_points}))
        rpr.append(OxmlElement("w:szCs", {qn("w:val"): half_points}))
        t = OxmlElement("w:t")
        t.text = _clean(text).replace("\n", "").replace("\t", " ")
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
        p.append(run)
    return p


def _fill_cell(tc, grid_cell: GridCell | None, size: Pt, keep_with_next: bool) -> None:
    """Give a cell its paragraph (empty for a slot covered by a vertical merge), centred
    vertically. Row labels read from the left; headers, group labels and numbers are centred."""
    tc_pr = tc.get_or_add_tcPr()
    tc_pr.append(OxmlElement("w:vAlign", {qn("w:val"): "center"}))  # last in CT_TcPr's order
    for old in tc.findall(qn("w:p")):
        tc.remove(old)
    text, centred = "", True
    if grid_cell is not None and tc.vMerge != "continue":
        text = grid_cell.text
        centred = not (grid_cell.header and grid_cell.scope == "row" and not grid_cell.numeric)
    tc.append(_cell_paragraph(text, centred, size, keep_with_next))


def _add_table(docx_doc, grid: Grid) -> None:
    matrix = grid.matrix()
    n_rows, n_cols = len(matrix), grid.columns
    wide = n_cols > 10
    size = SIZE_TABLE_WIDE if wide else SIZE_TABLE
    widths = _twips_widths(grid)
    table = docx_doc.add_table(rows=n_rows, cols=n_cols)
    table.style = docx_doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_properties(table, widths, cell_margin=28 if wide else 57)
    trs = table._tbl.tr_lst
    for tr in trs:
        for tc, w in zip(tr.tc_lst, widths):
            tc.width = Twips(w)  # every cell's own width, summed by merge()
    # Merge first (the cells are still empty, so merge() moves no text), then fill.
    for r, line in enumerate(matrix):
        for c, grid_cell in enumerate(line):
            if grid_cell is not None and (grid_cell.row_span > 1 or grid_cell.col_span > 1):
                first = _Cell(_tc_at(trs[r], c), table)
                last = _Cell(_tc_at(trs[r + grid_cell.row_span - 1], c + grid_cell.col_span - 1), table)
                first.merge(last)
    # A short table (tables 2 and 4) stays on one page: every row keeps with the next.
    keep_together = n_rows <= KEEP_TOGETHER_ROWS
    for r, tr in enumerate(trs):
        _row_properties(tr, r < grid.header_rows)
        column = 0
        for tc in tr.tc_lst:
            _fill_cell(tc, matrix[r][column], size, keep_together and r < n_rows - 1)
            column += tc.grid_span


def _tc_at(tr, column: int):
    """The ``w:tc`` of ``tr`` that covers grid column ``column``."""
    at = tr.grid_before
    for tc in tr.tc_lst:
        if at <= column < at + tc.grid_span:
            return tc
        at += tc.grid_span
    raise IndexError(f"no cell at column {column}")


# --------------------------------------------------------------------------- paragraphs


def _paragraph(docx_doc, text: str, style_ident: tuple[str, str], east_asia: str, latin: str, size: Pt):
    paragraph = docx_doc.add_paragraph()
    _apply_style(paragraph, style_ident)
    if text:
        _font_run(paragraph, text, east_asia, latin, size)
    return paragraph


def _is_subheading(text: str) -> bool:
    return bool(_SUBHEADING.match(text)) and not _SUBHEADING_END.search(text)


def _body(docx_doc, text: str) -> None:
    if _is_subheading(text):
        _paragraph(docx_doc, text, STYLE_SUBHEADING, FONT_SUBHEADING, FONT_LATIN, SIZE_BODY)
    else:
        _paragraph(docx_doc, text, STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)


def _core_properties(docx_doc, doc: Document) -> None:
    props = docx_doc.core_properties
    now = datetime.now(timezone.utc).replace(microsecond=0)
    props.title = _clean(doc.title)
    props.author = _clean(doc.agency or "")
    props.last_modified_by = _clean(doc.agency or "")
    props.subject = "政府信息公开工作年度报告"
    props.keywords = "政府信息公开;年度报告" + (f";{doc.year}" if doc.year else "")
    props.comments = ""
    props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = now
    props.modified = now


def _drop_thumbnail(docx_doc) -> None:
    """python-docx's template carries a thumbnail picture of another document: drop it."""
    package = docx_doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
            package.rels.related_parts.pop(r_id, None)


def _settings(docx_doc) -> None:
    """Chinese as the document's East Asian language for Word's theme fonts and line breaking."""
    settings = docx_doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# --------------------------------------------------------------------------- entry point


def official_document(page_numbers: bool = True):
    """An empty python-docx document with the official styles, A4 page, fonts and settings."""
    docx_doc = new_docx()
    _setup_styles(docx_doc)
    _setup_page(docx_doc, page_numbers)
    _fix_font_table(docx_doc)
    _settings(docx_doc)
    _drop_thumbnail(docx_doc)
    body = docx_doc.element.body
    # The template's document starts empty; make sure no stray paragraph precedes the title.
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return docx_doc


def render_docx(doc: Document) -> bytes:
    """The report as the bytes of a .docx file; ReportReadError("render_failed") on failure."""
    try:
        docx_doc = official_document()

        title = _paragraph(docx_doc, doc.title, STYLE_TITLE, FONT_TITLE, FONT_TITLE, SIZE_TITLE)
        title.paragraph_format.space_after = LINE_BODY  # one blank line under the title
        for text in doc.preamble:
            _body(docx_doc, text)
        for section in doc.sections:
            _paragraph(docx_doc, section.heading, STYLE_HEADING, FONT_HEADING, FONT_HEADING, SIZE_BODY)
            for text in section.paragraphs:
                _body(docx_doc, text)
            if section.grid is not None:
                _paragraph(
                    docx_doc, section.grid.caption, STYLE_CAPTION, FONT_HEADING, FONT_HEADING, SIZE_CAPTION
                )
                _add_table(docx_doc, section.grid)
                # A table directly followed by the next heading: a small gap, as in print.
                gap = _paragraph(docx_doc, "", STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)
                gap.paragraph_format.line_spacing = Pt(12)
            if section.missing_note:
                _body(docx_doc, section.missing_note)
        if doc.signature:
            _paragraph(docx_doc, "", STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)  # a blank line above
            for text in doc.signature:
                _paragraph(docx_doc, text, STYLE_SIGNATURE, FONT_BODY, FONT_LATIN, SIZE_BODY)
        _core_properties(docx_doc, doc)
        out = io.BytesIO()
        docx_doc.save(out)
        return out.getvalue()
    except ReportReadError:
        raise
    except Exception as error:  # noqa: BLE001 - any failure to build the file is reported in Chinese
        raise ReportReadError("render_failed", None, f"Word 文件生成失败（{type(error).__name__}: {error}）") from error


__all__ = ["render_docx"]
