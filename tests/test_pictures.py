"""The generator of table pictures (``gongkai.testing.pictures``): its ground truth is what the
pictures show, its boxes follow the pictures through every degradation, and the same seed gives
the same set."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile

import numpy as np
import pypdfium2
import pytest
from PIL import Image

from gongkai.core.report.model import json_number, table_values
from gongkai.core.report.parsing import read_document
from gongkai.core.report.render.document import build_document
from gongkai.core.report.render.grid import table_grid, value_text
from gongkai.testing import pictures
from gongkai.testing.pictures import STYLES, TABLES, Generator, degrade, load_sources, move_box, render_picture

SOURCES = load_sources()


def _chars_by_cell(picture, style) -> dict[str, str]:
    """The characters of the page's text layer, placed on the picture, gathered per cell box."""
    pdf = pypdfium2.PdfDocument(picture.pdf)
    try:
        page = pdf[0]
        height = page.get_height()
        text = page.get_textpage()
        k = style.dpi / 72.0
        out: dict[str, str] = {key: "" for key in picture.cells}
        for i in range(text.count_chars()):
            ch = text.get_text_range(i, 1)
            if not ch.strip():
                continue
            left, bottom, right, top = text.get_charbox(i)
            cx = (left + right) / 2 * k - picture.origin[0]
            cy = (height - (top + bottom) / 2) * k - picture.origin[1]
            for key, (x0, y0, x1, y1) in picture.cells.items():
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    out[key] += ch
        return out
    finally:
        pdf.close()


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_every_cell_box_holds_the_number_of_its_key(style):
    """Read back the page the picture was cut from: the characters inside each cell's box on
    the picture are the number the manifest records for that cell's key."""
    source = SOURCES[STYLES.index(style) % len(SOURCES)]
    for key in TABLES:
        table = source.report.table(key)
        picture = render_picture(table_grid(table), style)
        found = _chars_by_cell(picture, style)
        expected = {
            f"{key}/{row}/{column}": value_text(cell, table.spec.row(row).column(column).decimal)
            for row, column, cell in table.cells()
            if cell.status.value != "missing"
        }
        assert set(expected) == set(picture.cells)
        assert found == expected
        truth = pictures.truth_of(table)
        for cell_key, text in found.items():
            _, row, column = cell_key.split("/")
            value = truth[row][column]
            assert (str(value) if value is not None else "") == text
        # the picture is the page cut at the table: nothing of the table lies outside it
        width, height = picture.image.size
        assert all(0 <= b[0] < b[2] <= width and 0 <= b[1] < b[3] <= height for b in picture.cells.values())


def _two_sources(style):
    """Two of the reports, a different pair for each style (every report is met by several styles)."""
    i = STYLES.index(style)
    return [SOURCES[i % len(SOURCES)], SOURCES[(i + 2) % len(SOURCES)]] if len(SOURCES) > 1 else SOURCES


BORDERED = [s for s in STYLES if s.borders != "rules"]
RULED = [s for s in STYLES if s.borders == "rules"]


@pytest.mark.parametrize("style", BORDERED, ids=lambda s: s.name)
def test_the_same_tables_as_text_read_back_exactly(style):
    """The report with the same tables, same HTML and CSS, as a text PDF: the project's PDF
    reader, exact on text PDFs, reads back every number of the ground truth."""
    for source in _two_sources(style):
        html = pictures.text_report_html(build_document(source.report), style, tall_page=True)
        report = read_document(pictures._weasy_pdf(html), ".pdf", source.name)
        for key in TABLES:
            assert report.table(key) is not None, (source.name, key)
            assert table_values(report.table(key)) == pictures.truth_of(source.report.table(key)), (source.name, key)


@pytest.mark.parametrize("style", RULED, ids=lambda s: s.name)
def test_ruled_tables_as_text_give_no_wrong_number(style):
    """Tables with horizontal rules only (no column lines) are harder for the PDF reader: every
    number it gives still matches the ground truth; the rows it cannot place are flagged."""
    for source in _two_sources(style):
        html = pictures.text_report_html(build_document(source.report), style, tall_page=True)
        report = read_document(pictures._weasy_pdf(html), ".pdf", source.name)
        for key in TABLES:
            truth = pictures.truth_of(source.report.table(key))
            table = report.table(key)
            assert table is not None
            for row, column, cell in table.cells():
                if cell.is_number:
                    value = json_number(cell.value, table.spec.row(row).column(column).decimal)
                    assert truth[row] is not None and truth[row][column] == value, (source.name, row, column)


def _dot_picture() -> tuple[Image.Image, tuple[float, float, float, float]]:
    image = Image.new("RGB", (400, 300), (255, 255, 255))
    box = (250.0, 80.0, 262.0, 92.0)
    image.paste((0, 0, 0), tuple(int(v) for v in box))
    return image, box


def _ink_centre(image: Image.Image) -> tuple[float, float]:
    arr = np.asarray(image.convert("L"), dtype=float)
    ys, xs = np.nonzero(arr < 40)  # the dark desk around a photo is lighter than ink
    return float(xs.mean()) + 0.5, float(ys.mean()) + 0.5


@pytest.mark.parametrize(
    "ops",
    [
        [("rotate", {"degrees": 1.7})],
        [("rotate", {"degrees": -0.6})],
        [("scale", {"factor": 0.6})],
        [("scale", {"factor": 0.5}), ("scale", {"factor": 2.0})],
        [("margin", {"fraction": 0.06}), ("perspective", {"corners": [[0.03, -0.02], [-0.03, 0.01], [0.02, 0.03], [-0.01, -0.03]]})],
    ],
    ids=["rotate", "rotate-back", "scale", "down-up", "perspective"],
)
def test_boxes_follow_the_geometric_degradations(ops):
    image, box = _dot_picture()
    out = degrade(image, ops, seed=1)
    x0, y0, x1, y1 = move_box(out.matrix, box)
    cx, cy = _ink_centre(out.image)
    assert abs(cx - (x0 + x1) / 2) < 1.0 and abs(cy - (y0 + y1) / 2) < 1.0
    # and the matrix is not the identity: the dot did move (a test that can fail)
    assert out.image.size != image.size or ops[0][0] == "scale"


def test_the_same_seed_gives_the_same_picture_and_another_seed_another():
    source, style = SOURCES[0], STYLES[3]
    made = [Generator(SOURCES, seed).make("x", source, "applications", style, "phone-photo") for seed in (5, 5, 6)]
    assert made[0].data == made[1].data and made[0].ops == made[1].ops and made[0].cells == made[1].cells
    assert made[0].data != made[2].data and made[0].ops != made[2].ops


def test_containers_are_byte_for_byte_the_same_for_the_same_seed(tmp_path):
    for run in ("a", "b"):
        writer = pictures.SetWriter(tmp_path / run, Generator(SOURCES, 3))
        for index, kind in enumerate(pictures.CONTAINERS):
            writer.container(index, kind, SOURCES[index % len(SOURCES)])
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) >= len(pictures.CONTAINERS)
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_the_command_builds_the_small_set_with_its_manifest(tmp_path, capsys):
    assert pictures.main([str(tmp_path), "--seed", "2"]) == 0
    assert "manifest.json" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    items = manifest["items"]
    singles = [i for i in items if i["id"].startswith("p")]
    assert {i["degradation"]["name"] for i in singles} == set(pictures.DEGRADATION_NAMES)
    assert {i["tables"][0] for i in singles} == set(TABLES)
    assert {i["container"] for i in items} >= {"png", "jpeg", "tiff", "bmp", *pictures.CONTAINERS}
    assert any(i["easy"] for i in singles) and not all(i["easy"] for i in singles)
    for item in items:
        path = tmp_path / item["file"]
        assert path.is_file()
        assert set(item["truth"]) == set(item["tables"])
        if item["id"].startswith("p"):
            image = Image.open(path)
            assert list(image.size) == item["size"]
            assert all(0 <= b[0] < b[2] <= image.size[0] + 1 and 0 <= b[1] < b[3] <= image.size[1] + 1 for b in item["cells"].values())
        elif item["container"] == "docx":
            media = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/")]
            assert len(media) == 3
        elif item["container"] == "html-files":
            sources = re.findall(r'<img src="([^"]+)"', path.read_text(encoding="utf-8"))
            assert len(sources) == 3 and all((path.parent / s).is_file() for s in sources)
        elif item["container"] == "html-data":
            uris = re.findall(r'<img src="data:image/\w+;base64,([^"]+)"', path.read_text(encoding="utf-8"))
            assert len(uris) == 3
            assert all(Image.open(io.BytesIO(base64.b64decode(u))).size[0] > 100 for u in uris)
        else:
            pdf = pypdfium2.PdfDocument(path)
            try:
                chars = sum(page.get_textpage().count_chars() for page in pdf)
            finally:
                pdf.close()
            # a scanned PDF has no text layer; a PDF with pictured tables has text around them
            assert (chars == 0) == (item["container"] == "pdf-scan")
