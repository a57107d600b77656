"""PDF pages through pdfium (parsing/pdfpages.py) and their lines and ruled tables
(parsing/pdflayout.py), on PDFs made by WeasyPrint and pypdfium2 and on hand-written ones."""

from __future__ import annotations

import base64
import io
import zlib

import pypdfium2 as pdfium
import pytest
from weasyprint import HTML

from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.parsing.pdf import pdf_to_text
from gongkai.core.report.parsing.pdfpages import page_count, read_pages
from gongkai.core.report.render.document import build_document
from gongkai.core.report.render.pdf import render_pdf

from tests.conftest import SEEDS
from tests.hostile import _pdf


@pytest.fixture(scope="module")
def seed_pdf():
    report = read_report(SEEDS["004"])
    return report, render_pdf(build_document(report))


def turned(data: bytes, degrees: int) -> bytes:
    """Each page drawn turned the other way inside a form XObject on a page whose /Rotate turns
    it back: how a landscape page is often stored. Shown, it looks like the original."""
    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    try:
        for index in range(len(source)):
            width, height = source[index].get_size()
            w, h = (height, width) if degrees in (90, 270) else (width, height)
            page = out.new_page(w, h)
            form = source.page_as_xobject(index, out)
            obj = form.as_pageobject()
            matrix = {
                90: pdfium.PdfMatrix(0, 1, -1, 0, height, 0),  # counter-clockwise, shown clockwise
                180: pdfium.PdfMatrix(-1, 0, 0, -1, width, height),
                270: pdfium.PdfMatrix(0, -1, 1, 0, 0, width),
            }[degrees]
            obj.transform(matrix)
            page.insert_obj(obj)
            page.gen_content()
            page.set_rotation(degrees)
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        out.close()
        source.close()


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_rotated_pages_read_as_they_are_shown(seed_pdf, degrees):
    report, data = seed_pdf
    again = turned(data, degrees)
    pages = list(read_pages(again))
    assert [p.rotation for p in pages] == [degrees] * len(pages)
    assert all(p.width < p.height for p in pages)  # portrait as shown
    straight = list(read_pages(data))
    first, first_turned = straight[0].chars[0], pages[0].chars[0]
    assert first.text == first_turned.text
    assert (first.x0, first.top) == pytest.approx((first_turned.x0, first_turned.top), abs=0.05)
    read = read_document(again, ".pdf")
    assert report_to_json(read)["tables"] == report_to_json(report)["tables"]
    assert [s.number for s in read.sections] == [s.number for s in build_document(report).sections]


def test_characters_from_cid_fonts_come_as_unicode(seed_pdf):
    _, data = seed_pdf
    text = "".join(c.text for p in read_pages(data) for c in p.chars)
    assert "政府信息公开" in text and "(cid:" not in text
    assert page_count(data) == len(list(read_pages(data)))


# ----------------------------------------------------------------- hand-written tables

ROWS = [["11", "12", "13"], ["21", "22", "23"], ["31", "32", "33"]]


def grid_pdf(ruling: str) -> bytes:
    """A 3×3 table of numbers ruled by stroked lines, by thin filled rectangles (as Word and
    WPS draw borders) or by one stroked path of many segments."""
    x = [100, 200, 300, 400]
    y = [700, 670, 640, 610]
    ops = []
    if ruling == "stroked":
        ops += [f"0.5 w {x[0]} {v} m {x[-1]} {v} l S" for v in y]
        ops += [f"0.5 w {u} {y[0]} m {u} {y[-1]} l S" for u in x]
    elif ruling == "filled":
        ops += [f"{x[0]} {v - 0.25} {x[-1] - x[0]} 0.5 re f" for v in y]
        ops += [f"{u - 0.25} {y[-1]} 0.5 {y[0] - y[-1]} re f" for u in x]
    else:  # one path: the outer box closed with h, the inner lines as moves and lines
        inner = " ".join(f"{x[0]} {v} m {x[-1]} {v} l" for v in y[1:-1]) + " " + " ".join(f"{u} {y[0]} m {u} {y[-1]} l" for u in x[1:-1])
        ops.append(f"0.5 w {x[0]} {y[0]} m {x[-1]} {y[0]} l {x[-1]} {y[-1]} l {x[0]} {y[-1]} l h {inner} S")
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            ops.append(f"BT /F1 10 Tf {x[c] + 10} {y[r] - 20} Td ({value}) Tj ET")
    stream = zlib.compress("\n".join(ops).encode())
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


@pytest.mark.parametrize("ruling", ["stroked", "filled", "one_path"])
def test_ruling_from_lines_rectangles_and_paths(ruling):
    data = grid_pdf(ruling)
    (page,) = read_pages(data)
    assert {e.orientation for e in page.edges} == {"h", "v"}
    assert pdf_to_text(data) == "".join("\t".join(row) + "\n" for row in ROWS)


def test_character_boxes_have_the_origin_at_the_top_left():
    (page,) = read_pages(grid_pdf("stroked"))
    first = next(c for c in page.chars if c.text == "1")
    # drawn at x=110, baseline y=680 on an 842 pt page: 162 pt from the top
    assert first.x0 == pytest.approx(110, abs=0.1)
    assert first.top < 842 - 680 < first.bottom + 3
    assert first.size == pytest.approx(10, abs=0.01)
    assert first.font == "Helvetica"  # the base name, without a subset tag


# ----------------------------------------------------------------------------- pictures

def png(width: int = 60, height: int = 30) -> str:
    """A grey picture as a PNG, base64 (Pillow: WeasyPrint's own dependency)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 128).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def picture_pdf(with_text: bool) -> bytes:
    text = "<p>二、收到和处理政府信息公开申请情况</p>" if with_text else ""
    html = f'<html><body>{text}<img src="data:image/png;base64,{png()}" style="width:300pt;height:150pt"></body></html>'
    return HTML(string=html).write_pdf()


def test_a_picture_is_marked_where_it_stands():
    data = picture_pdf(with_text=True)
    (page,) = read_pages(data)
    (image,) = page.images
    assert image.x1 - image.x0 == pytest.approx(300, abs=1) and image.bottom - image.top == pytest.approx(150, abs=1)
    assert image.path and image.top > min(c.top for c in page.chars)
    assert pdf_to_text(data).splitlines() == ["二、收到和处理政府信息公开申请情况", "[image: 第1页图片]"]


def test_pictures_without_text_are_a_scan():
    with pytest.raises(ReportReadError) as info:
        pdf_to_text(picture_pdf(with_text=False))
    assert info.value.code == "scanned_pdf"


def test_an_encrypted_pdf_says_so():
    encrypted = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]).replace(
        b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>"
    )
    with pytest.raises(ReportReadError) as info:
        pdf_to_text(encrypted)
    assert info.value.code == "broken_file" and "加密" in info.value.message
