"""The Word writer and reader: reports written as .docx read back exactly; the file's XML has
the official layout (merged cells, repeated header rows, East Asian fonts, page number);
LibreOffice opens it and draws every Chinese character with a font that has it; broken and
hostile files are refused with ReportReadError, never a traceback.

No mocks: real files, real python-docx, real LibreOffice (skipped where it is not
installed; CI installs it with scripts/setup, so there it runs).
"""

from __future__ import annotations

import copy
import io
import random
import re
import subprocess
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from lxml import etree

from gongkai.core import standard
from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.model import Cell, CellStatus, report_from_json, report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.parsing.docx import MAX_UNCOMPRESSED_BYTES, docx_to_text
from gongkai.core.report.render.document import build_document
from gongkai.core.report.render.docx import render_docx

from tests.conftest import SEEDS
from tests.strategies import table_values

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}
W = "{%s}" % W_NS


def w(name: str) -> str:
    return W + name


# --------------------------------------------------------------------------- reports


def filled_report():
    """Seed 004 with a different number in every cell of every table, a decimal fee amount,
    and placeholders ("—", "/", "无", blank) in a few cells: every value is distinguishable."""
    report = read_report(SEEDS["004"])
    data = report_to_json(report)
    counter = iter(range(1, 10_000))
    tables = copy.deepcopy(data["tables"])
    for key, rows in tables.items():
        for row, columns in rows.items():
            if columns is None:
                continue
            for column in columns:
                columns[column] = next(counter)
    tables["active"]["admin_fees"]["amount"] = "12.3456"
    data["tables"], data["cells"] = tables, {}
    filled = report_from_json(data)
    placeholders = {
        ("applications", "granted", "research"): ("—", CellStatus.DASH),
        ("applications", "denied_third_party", "other"): ("/", CellStatus.SLASH),
        ("review_litigation", "litigation_direct", "pending"): ("无", CellStatus.NONE_WORD),
        ("active", "rules", "repealed"): ("", CellStatus.BLANK),
    }
    for (table, row, column), (text, status) in placeholders.items():
        filled.tables[table].rows[row][column] = Cell(None, text, None, status)
    return filled


def report_with_single_other_row():
    """A 2021-format report whose （六）其他处理 is one row (the sub-rows unknown)."""
    report = read_report(SEEDS["004"])
    data = report_to_json(report)
    rows = data["tables"]["applications"]
    rows[standard.SINGLE_OTHER_ROW] = {c: 0 for c in standard.APPLICATION_COLUMN_KEYS}
    for key in standard.OTHER_SUB_ROWS:
        rows[key] = None
    data["cells"] = {}
    return report_from_json(data)


REPORTS = {
    **{f"seed-{key}": (lambda path=path: read_report(path)) for key, path in SEEDS.items()},
    "filled": filled_report,
    "single-other-row": report_with_single_other_row,
}


@lru_cache(maxsize=None)
def rendered(name: str):
    """(report, document, .docx bytes), rendered once per test session."""
    report = REPORTS[name]()
    doc = build_document(report)
    return report, doc, render_docx(doc)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", list(REPORTS))
def test_docx_reads_back_every_value_and_section(name):
    report, doc, data = rendered(name)
    assert data[:2] == b"PK"
    back = read_document(data, ".docx", source=f"{name}.docx")
    assert report_to_json(back)["tables"] == report_to_json(report)["tables"]
    assert back.title == doc.title
    assert back.agency == report.agency and back.year == report.year
    assert [s.number for s in back.sections] == [1, 2, 3, 4, 5, 6]
    for written, read in zip(doc.sections, back.sections):
        assert read.key == written.key
        # The section's paragraphs and its missing-table note (DocSection.text has both).
        assert squeeze(read.text) == squeeze(written.text), written.heading
    if doc.signature:
        assert back.published is not None and back.published.value == report.published.value


def test_placeholders_keep_their_status():
    report, _, data = rendered("filled")
    sources = report_to_json(read_document(data, ".docx"))["cells"]
    assert sources["applications"]["granted"]["research"]["status"] == "dash"
    assert sources["applications"]["denied_third_party"]["other"]["status"] == "slash"
    assert sources["review_litigation"]["litigation_direct"]["pending"]["status"] == "none_word"
    assert sources["active"]["rules"]["repealed"]["status"] == "blank"
    assert report_to_json(read_document(data, ".docx"))["tables"]["active"]["admin_fees"]["amount"] == "12.3456"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=table_values())
def test_random_tables_round_trip(tables):
    data = report_to_json(read_report(SEEDS["004"]))
    data["tables"], data["cells"] = tables, {}
    report = report_from_json(data)
    back = read_document(render_docx(build_document(report)), ".docx")
    assert report_to_json(back)["tables"] == report_to_json(report)["tables"]


def test_reader_text_is_body_in_order_with_tables_on_their_grid():
    _, doc, data = rendered("seed-004")
    lines = docx_to_text(data).split("\n")
    assert lines[0] == doc.title
    assert "— 1 —" not in "".join(lines) and "PAGE" not in "".join(lines)  # no footer
    headings = [lines.index(s.heading) for s in doc.sections]
    assert headings == sorted(headings)
    # Table 3 as its grid: 10 slots per row, merged text in the top-left slot only.
    grid = doc.sections[2].grid
    start = lines.index(grid.caption) + 1
    rows = [ln.split("\t") for ln in lines[start : start + len(grid.rows)]]
    expected = [[c.text if c else "" for c in row] for row in grid.matrix()]
    assert rows == expected


# --------------------------------------------------------------------------- the file's XML


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


def xml_spans(tbl) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) -> (row span, column span) of every cell that starts there, from XML."""
    starts: dict[tuple[int, int], list[int]] = {}
    open_in_column: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(tbl.findall("w:tr", NS)):
        before = tr.find("w:trPr/w:gridBefore", NS)
        c = int(before.get(w("val"))) if before is not None else 0
        for tc in tr.findall("w:tc", NS):
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_el.get(w("val"))) if span_el is not None else 1
            vmerge = tc.find("w:tcPr/w:vMerge", NS)
            if vmerge is not None and vmerge.get(w("val"), "continue") == "continue":
                starts[open_in_column[c]][0] += 1
            else:
                starts[(r, c)] = [1, span]
                open_in_column[c] = (r, c)
            c += span
    return {k: (v[0], v[1]) for k, v in starts.items()}


def tc_text(tc) -> str:
    return "".join(tc.itertext())


@pytest.mark.parametrize("name", ["seed-004", "single-other-row"])
def test_tables_have_the_national_merged_cells_and_repeated_headers(name):
    _, doc, data = rendered(name)
    body = parts(data)["word/document.xml"].find("w:body", NS)
    tables = body.findall("w:tbl", NS)
    grids = [s.grid for s in doc.sections if s.grid is not None]
    assert len(tables) == len(grids) == 3
    for tbl, grid in zip(tables, grids):
        assert len(tbl.findall("w:tblGrid/w:gridCol", NS)) == grid.columns
        assert xml_spans(tbl) == {(r, c): (cell.row_span, cell.col_span) for r, c, cell in grid.spans()}
        headers = [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in tbl.findall("w:tr", NS)]
        assert headers == [i < grid.header_rows for i in range(len(grid.rows))]
        borders = tbl.find("w:tblPr/w:tblBorders", NS)
        assert {b.tag.split("}")[1] for b in borders} >= {"top", "left", "bottom", "right", "insideH", "insideV"}
        assert all(b.get(w("val")) == "single" for b in borders)
    # Table 3: "申请人情况" spans the 7 applicant columns; "三、本年度办理结果" runs down the
    # outcome rows by vMerge.
    t3 = tables[1]
    first_row = t3.findall("w:tr", NS)[0].findall("w:tc", NS)
    assert tc_text(first_row[1]) == "申请人情况"
    assert first_row[1].find("w:tcPr/w:gridSpan", NS).get(w("val")) == "7"
    results = [tc for tc in t3.iter(w("tc")) if tc_text(tc) == standard.G_RESULTS]
    assert len(results) == 1
    assert results[0].find("w:tcPr/w:vMerge", NS).get(w("val")) == "restart"
    # It starts in row 5 (after 3 header rows, 一 and 二) and covers every row but 四.
    outcome_rows = len(grids[1].rows) - 3 - 2 - 1
    assert xml_spans(t3)[(5, 0)] == (outcome_rows, 1)
    continued = [
        tr.find("w:tc/w:tcPr/w:vMerge", NS) for tr in t3.findall("w:tr", NS)[6 : 5 + outcome_rows]
    ]
    assert all(v is not None and v.get(w("val"), "continue") == "continue" for v in continued)
    # Numbers are centred.
    for tbl in tables:
        for tc in tbl.iter(w("tc")):
            if re.fullmatch(r"\d+(\.\d+)?", tc_text(tc)):
                assert tc.find("w:p/w:pPr/w:jc", NS).get(w("val")) == "center"


# The order of children that WordprocessingML's schema prescribes for the property elements
# the writer builds (ECMA-376 Part 1, CT_PPrBase, CT_RPr, CT_TblPr, CT_TcPr, CT_SectPr). Word,
# unlike LibreOffice, calls a file with children out of order or doubled "damaged".
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
    "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
    "hideMark headers cellIns cellDel cellMerge tcPrChange",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
    "printerSettings sectPrChange",
}


@pytest.mark.parametrize("name", ["seed-004", "seed-001", "filled"])
def test_property_elements_follow_the_schema_order(name):
    _, _, data = rendered(name)
    xml = parts(data)
    for part in ("word/document.xml", "word/styles.xml", *[n for n in xml if n.startswith("word/footer")]):
        for parent, order in SCHEMA_ORDER.items():
            rank = {tag: i for i, tag in enumerate(order.split())}
            for element in xml[part].iter(w(parent)):
                tags = [c.tag.split("}")[1] for c in element if c.tag.startswith(W)]
                unknown = [t for t in tags if t not in rank]
                assert not unknown, f"{part}: unexpected {unknown} in w:{parent}"
                repeatable = {"headerReference", "footerReference"}
                assert len(set(tags)) == len(tags) or set(t for t in tags if tags.count(t) > 1) <= repeatable, (
                    f"{part}: doubled children in w:{parent}: {tags}"
                )
                positions = [rank[t] for t in tags]
                assert positions == sorted(positions), f"{part}: w:{parent} children out of order: {tags}"


def test_every_run_names_its_east_asian_font_and_the_footer_has_a_page_field():
    _, _, data = rendered("seed-004")
    xml = parts(data)
    checked = 0
    for name, root in xml.items():
        if name == "word/document.xml" or name.startswith("word/footer"):
            for fonts in root.iterfind(".//w:r/w:rPr/w:rFonts", NS):
                for attr in ("eastAsia", "ascii", "hAnsi"):
                    assert fonts.get(w(attr)), f"{name}: w:rFonts without w:{attr}"
                assert not any(a.endswith("Theme") or a.endswith("theme") for a in fonts.attrib)
                checked += 1
            for run in root.iterfind(".//w:r", NS):
                if run.find("w:t", NS) is not None:
                    assert run.find("w:rPr/w:rFonts", NS) is not None, f"{name}: a run without fonts"
    assert checked > 100
    styles = xml["word/styles.xml"]
    for fonts in (
        styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS),
        styles.find("w:style[@w:styleId='Normal']/w:rPr/w:rFonts", NS),
    ):
        assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
        assert fonts.get(w("asciiTheme")) is None and fonts.get(w("eastAsiaTheme")) is None
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(w("eastAsia")) == "zh-CN"
    font_table = {f.get(w("name")) for f in xml["word/fontTable.xml"].findall("w:font", NS)}
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体", "楷体_GB2312", "宋体"} <= font_table
    footers = [root for name, root in xml.items() if name.startswith("word/footer")]
    assert footers
    footer = footers[0]
    simple = [f.get(w("instr")) for f in footer.iterfind(".//w:fldSimple", NS)]
    complex_ = ["".join(t.itertext()) for t in footer.iterfind(".//w:instrText", NS)]
    assert any(i.strip().split()[0] == "PAGE" for i in simple + complex_)
    assert "".join(footer.itertext()) == "— 1 —"
    assert footer.find(".//w:p/w:pPr/w:jc", NS).get(w("val")) == "center"


def test_page_fonts_and_paragraph_layout():
    report, doc, data = rendered("seed-001")  # has a signature
    sect = parts(data)["word/document.xml"].find("w:body/w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    twips = lambda cm: cm / 2.54 * 1440  # noqa: E731
    assert abs(int(size.get(w("w"))) - twips(21)) <= 2 and abs(int(size.get(w("h"))) - twips(29.7)) <= 2
    for side, cm in (("top", 3.7), ("bottom", 3.5), ("left", 2.8), ("right", 2.6)):
        assert abs(int(margins.get(w(side))) - twips(cm)) <= 2, side

    word = open_docx(io.BytesIO(data))
    paragraphs = word.paragraphs
    title = paragraphs[0]
    assert title.text == doc.title
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER or title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(w("eastAsia")) == "方正小标宋简体"

    body = next(p for p in paragraphs if p.text == doc.preamble[0])
    pf = body.style.paragraph_format
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert pf.first_line_indent == Pt(32)
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and Pt(28) <= pf.line_spacing <= Pt(29)

    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._element.rPr.rFonts.get(w("eastAsia")) == "黑体"
    assert heading.runs[0].font.size == Pt(16)

    signature = [p for p in paragraphs if p.text in doc.signature]
    assert [p.text for p in signature[-len(doc.signature) :]] == doc.signature
    assert all(p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in signature[-2:])
    assert paragraphs[-1].text == doc.signature[-1]

    props = word.core_properties
    assert props.title == doc.title and props.author == report.agency


def test_missing_tables_are_a_note_paragraph():
    _, doc, data = rendered("seed-000")
    notes = [s.missing_note for s in doc.sections if s.missing_note]
    assert notes and not parts(data)["word/document.xml"].findall(".//w:tbl", NS)
    texts = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    for note in notes:
        assert note in texts


# --------------------------------------------------------------------------- LibreOffice

needs_soffice = pytest.mark.needs_tools("soffice")  # fails (not skips) without LibreOffice


@pytest.fixture(scope="module")
def lo_pdf(tmp_path_factory) -> Path:
    """Seed 004 as .docx, converted to PDF by LibreOffice (once for the module)."""
    _, _, data = rendered("seed-004")
    work = tmp_path_factory.mktemp("lo")
    source = work / "report.docx"
    source.write_bytes(data)
    profile = (work / "profile").as_uri()  # a private profile: parallel runs don't collide
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    pdf = work / "report.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), f"LibreOffice wrote no PDF: {result.stdout} {result.stderr}"
    return pdf


@needs_soffice
def test_libreoffice_converts_the_docx_to_a_pdf(lo_pdf):
    import pdfplumber

    _, doc, _ = rendered("seed-004")
    with pdfplumber.open(lo_pdf) as pdf:
        assert len(pdf.pages) >= 3
        first = pdf.pages[0]
        assert round(first.width) == 595 and round(first.height) == 842  # A4 portrait
        text = "".join(squeeze(p.extract_text() or "") for p in pdf.pages)
        assert squeeze(doc.title) in text
        for section in doc.sections:
            assert squeeze(section.heading) in text
        assert "—1—" in squeeze(first.extract_text())  # the PAGE field, "— 1 —"
        # Every page is A4 portrait, including the one with the 15-column table 4.
        for page in pdf.pages:
            assert round(page.width) == 595 and round(page.height) == 842
            assert all(0 <= ch["x0"] and ch["x1"] <= page.width for ch in page.chars)


def _font_file(pdf_font: str) -> tuple[str, int]:
    """The installed font file (and face index) behind a font name in the PDF."""
    name = re.sub(r"^[A-Z]{6}\+", "", pdf_font)  # the subset prefix "ABCDEF+"
    candidates = [name]
    # LibreOffice names a CID font after its CFF top dict and sub-font ("…-Regular-VKana");
    # Noto CJK's faces share one CFF table named after the JP face, so strip the sub-font.
    while "-" in candidates[-1]:
        candidates.append(candidates[-1].rsplit("-", 1)[0])
    for candidate in candidates:
        for pattern in (f":postscriptname={candidate}", f":family={candidate}"):
            out = subprocess.run(
                ["fc-list", pattern, "file", "index"], capture_output=True, text=True, timeout=30
            ).stdout
            for line in out.splitlines():
                m = re.match(r"(.+?): :index=(\d+)", line.strip())
                if m:
                    return m.group(1), int(m.group(2))
    raise AssertionError(f"PDF font {pdf_font} is not an installed font")


@lru_cache(maxsize=None)
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True) if path.lower().endswith((".ttc", ".otc")) else TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@needs_soffice
@pytest.mark.needs_tools("fc-list")
def test_every_chinese_character_is_drawn_with_a_font_that_has_it(lo_pdf):
    import pdfplumber

    cjk = 0
    by_font: dict[str, set[str]] = {}
    with pdfplumber.open(lo_pdf) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                text = ch["text"]
                if len(text) == 1 and not text.isspace():
                    by_font.setdefault(ch["fontname"], set()).add(text)
                    cjk += "\u4e00" <= text <= "\u9fff"
    assert cjk > 1000  # the report's text, not a handful of fallback glyphs
    missing = {}
    for font, chars in by_font.items():
        path, index = _font_file(font)
        cmap = _cmap(path, index)
        lacking = sorted(c for c in chars if ord(c) not in cmap)
        if lacking:
            missing[f"{font} ({path})"] = "".join(lacking[:40])
    assert not missing, f"characters drawn with a font that lacks them (boxes): {missing}"
    # Chinese text is drawn in a CJK font, not in a Latin font lacking it.
    cjk_fonts = {f for f, chars in by_font.items() if any("\u4e00" <= c <= "\u9fff" for c in chars)}
    assert all("CJK" in f or "Hei" in f or "Song" in f or "Ming" in f for f in cjk_fonts), cjk_fonts


def _read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """A binary PGM (P5) image: width, height, one byte per pixel."""
    tokens: list[bytes] = []
    pos = 0
    while len(tokens) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        tokens.append(data[pos:end])
        pos = end
    assert tokens[0] == b"P5" and int(tokens[3]) < 256
    width, height = int(tokens[1]), int(tokens[2])
    pixels = data[pos + 1 : pos + 1 + width * height]
    assert len(pixels) == width * height
    return width, height, pixels


@needs_soffice
@pytest.mark.needs_tools("pdftoppm")
def test_first_page_image_has_text_inside_the_margins(lo_pdf, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-f", "1", "-l", "1", str(lo_pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    (image,) = tmp_path.glob("page*.pgm")
    width, height, pixels = _read_pgm(image.read_bytes())
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
    dark = [i for i, v in enumerate(pixels) if v < 128]
    share = len(dark) / len(pixels)
    assert 0.01 < share < 0.3, share  # text, not an empty or a black page
    per_cm = 60 / 2.54
    rows = [i // width for i in dark]
    columns = [i % width for i in dark]
    # Nothing in the left margin (2.8 cm) but the text block begins near it.
    assert min(columns) > 2.5 * per_cm and min(columns) < 3.5 * per_cm
    # The title starts below the 3.7 cm top margin; the page number sits in the bottom margin.
    assert min(rows) > 3.4 * per_cm
    assert any(height - 3.4 * per_cm < r < height - 2.0 * per_cm for r in rows)


# --------------------------------------------------------------------------- broken files


def _docx_with(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a .docx with some parts replaced (None: removed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name in replace:
                if replace[name] is not None:
                    target.writestr(name, replace[name])
            else:
                target.writestr(name, source.read(name))
    return out.getvalue()


def _zeros_zip(size: int) -> bytes:
    """A ZIP with one member of ``size`` zero bytes, written in 1 MiB chunks (stays small)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "你好")
    return out.getvalue()


W_DECL = f'xmlns:w="{W_NS}"'
LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefghi", "bcdefghij"))
    + f"]><w:document {W_DECL}><w:body><w:p><w:r><w:t>开始&j;结束</w:t></w:r></w:p></w:body></w:document>"
)


def broken_inputs() -> dict[str, bytes]:
    _, _, good = rendered("seed-004")
    return {
        "random-bytes": random.Random(7).randbytes(5000),
        "truncated": good[: len(good) // 2],
        "truncated-end": good[:-30],
        "old-word-doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000),
        "zip-not-word": _plain_zip(),
        "no-document-part": _docx_with(good, {"word/document.xml": None}),
        "no-content-types": _docx_with(good, {"[Content_Types].xml": None}),
        "bad-xml": _docx_with(good, {"word/document.xml": b"<w:document><w:body><w:p>"}),
        "billion-laughs": _docx_with(good, {"word/document.xml": LAUGHS.encode()}),
        "empty-zip": _empty_zip(),
    }


def _empty_zip() -> bytes:
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    return out.getvalue()


BROKEN_CASES = [
    "random-bytes",
    "truncated",
    "truncated-end",
    "old-word-doc",
    "zip-not-word",
    "no-document-part",
    "no-content-types",
    "bad-xml",
    "billion-laughs",
    "empty-zip",
]


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_broken_docx_is_a_read_error(case):
    data = broken_inputs()[case]
    start = time.perf_counter()
    with pytest.raises(ReportReadError) as error:
        read_document(data, ".docx", source="x.docx")
    assert error.value.code == "broken_file"
    assert error.value.path == "x.docx"
    assert error.value.message.startswith("文件已损坏或格式不正确")
    assert time.perf_counter() - start < 5
    with pytest.raises(ReportReadError):
        docx_to_text(data)


def test_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _zeros_zip(300 * 1024 * 1024)  # 300 MB of zeros, about 300 KB packed
    assert len(bomb) < 2 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(ReportReadError) as error:
        read_document(bomb, ".docx")
    assert error.value.code in ("too_large", "broken_file")
    assert time.perf_counter() - start < 1  # refused from the directory, nothing inflated
    assert 300 * 1024 * 1024 > MAX_UNCOMPRESSED_BYTES


def test_high_compression_ratio_is_refused():
    bomb = _zeros_zip(20 * 1024 * 1024)  # under the size limit, but about 1000:1
    with pytest.raises(ReportReadError) as error:
        docx_to_text(bomb)
    assert error.value.code in ("too_large", "broken_file") and "压缩比" in error.value.message


def test_external_entities_are_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-4711", encoding="utf-8")
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f"<w:document {W_DECL}><w:body><w:p><w:r><w:t>开始&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    _, _, good = rendered("seed-004")
    try:
        text = docx_to_text(_docx_with(good, {"word/document.xml": xml.encode()}))
    except ReportReadError as error:
        assert error.code == "broken_file"
    else:
        assert "SECRET" not in text and text.startswith("开始")


def test_empty_bytes():
    with pytest.raises(ReportReadError) as error:
        read_document(b"", ".docx")
    assert error.value.code == "empty"
    with pytest.raises(ReportReadError) as error:
        docx_to_text(b"")
    assert error.value.code == "broken_file"


# --------------------------------------------------------------------------- reading Word's own constructs


def test_reader_handles_merges_grid_before_breaks_revisions_and_content_controls():
    """A document made by hand the way Word writes it, not by our writer."""
    word = open_docx()
    word.add_paragraph("标题")
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0))  # vertical merge
    table.cell(0, 1).merge(table.cell(0, 2))  # horizontal merge
    table.cell(0, 0).paragraphs[0].add_run("合并")
    table.cell(0, 1).paragraphs[0].add_run("申请人")
    cell = table.cell(1, 1)
    cell.paragraphs[0].add_run("法人或")
    cell.add_paragraph("其他组织")  # wraps over two paragraphs
    run = table.cell(1, 2).paragraphs[0].add_run("总")
    run.add_break()  # a line break inside a cell
    run.add_text("计")
    table.cell(2, 0).paragraphs[0].add_run("1")
    table.cell(2, 2).paragraphs[0].add_run("3")
    word.sections[0].footer.paragraphs[0].add_run("页脚文字")
    tail = word.add_paragraph("前")
    body = word.element.body
    # A tracked insertion counts, a tracked deletion does not.
    ins = etree.SubElement(tail._p, w("ins"), {w("id"): "1", w("author"): "a"})
    etree.SubElement(etree.SubElement(ins, w("r")), w("t")).text = "插入"
    deleted = etree.SubElement(tail._p, w("del"), {w("id"): "2", w("author"): "a"})
    etree.SubElement(etree.SubElement(deleted, w("r")), w("delText")).text = "删除"
    # A paragraph inside a block-level content control.
    sdt = etree.Element(w("sdt"))
    content = etree.SubElement(sdt, w("sdtContent"))
    p = etree.SubElement(content, w("p"))
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = "控件内容"
    body.insert(list(body).index(body.find(w("sectPr"))), sdt)
    # Row 3 starts one column in (gridBefore): its cells shift right.
    last = table._tbl.tr_lst[2]
    last.remove(last.tc_lst[0])
    tr_pr = last.get_or_add_trPr()
    etree.SubElement(tr_pr, w("gridBefore"), {w("val"): "1"})
    out = io.BytesIO()
    word.save(out)
    lines = docx_to_text(out.getvalue()).rstrip("\n").split("\n")
    assert lines == [
        "标题",
        "合并\t申请人\t",
        "\t法人或其他组织\t总计",
        "\t\t3",
        "前插入",
        "控件内容",
    ]


# --------------------------------------------------------------------------- writer edge cases


def test_control_characters_are_dropped_not_fatal():
    _, doc, _ = rendered("seed-004")
    odd = copy.deepcopy(doc)
    odd.sections[0].paragraphs[0] = "第一段\x0b含有\x0c控制字符\x00。"
    data = render_docx(odd)
    texts = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    assert "第一段含有控制字符。" in texts


def test_a_grid_that_does_not_add_up_is_a_render_error():
    from gongkai.core.report.render.grid import GridCell

    _, doc, _ = rendered("seed-004")
    bad = copy.deepcopy(doc)
    bad.sections[1].grid.rows[0].append(GridCell("多出来的一格"))  # wider than the table
    with pytest.raises(ReportReadError) as error:
        render_docx(bad)
    assert error.value.code == "render_failed" and error.value.message.startswith("无法生成文件")
