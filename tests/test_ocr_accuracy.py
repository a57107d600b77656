"""Reading table pictures exactly in the styles where the reader used to flag most cells, and
never overruling a number read surely in a table that, as printed, does not add up.

The pictures are made by the generator of the test set (``gongkai.testing.pictures``): the
project's grids of the national tables, laid out by WeasyPrint in one of the set's styles and
rasterised by pdfium — real pictures, read by the real engine."""

from __future__ import annotations

import io

import pytest

import tempfile
from pathlib import Path

from gongkai.core.report.model import Cell, CellStatus
from gongkai.core.report.parsing import read_document
from gongkai.core.report.render.grid import table_grid
from gongkai.testing.pictures import STYLE_BY_NAME, render_picture

from tests.ocr_pictures import balanced_tables, values, zeroed


def _png(table, style: str) -> bytes:
    picture = render_picture(table_grid(table), STYLE_BY_NAME[style])
    out = io.BytesIO()
    picture.image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def tables():
    return balanced_tables(11)


def test_zeros_in_a_heiti_font_are_read_exactly_among_the_digits(tables):
    """In a 黑体-like font the recogniser doubts a lone "0" against the letter "o" (0.55–0.8);
    among the digits it is sure. Table 2 has no sums to settle it: it is read exactly only
    because the digit's confidence is taken among the digits (``CharBox.digits``)."""
    active = tables["active"]
    report = read_document(_png(active, "hei-9-header-150"), ".png")
    assert values(report.tables["active"]) == values(active)
    read = report.tables["active"]
    assert all(cell.status is CellStatus.NUMBER for _, _, cell in read.cells())
    assert not [n for n in report.notes if n.code.startswith("ocr-")]


def test_a_doubtful_digit_offers_only_the_digits_the_engine_saw():
    from gongkai.core.report.parsing.ocr.engine import get_engine
    from gongkai.core.report.parsing.ocr.grid import read_grid
    from gongkai.core.report.parsing.ocr.settle import ALTERNATIVE

    import cv2
    import numpy as np

    zeros = zeroed(balanced_tables(3)["review_litigation"])
    image = cv2.imdecode(np.frombuffer(_png(zeros, "hei-12-grid-96"), np.uint8), cv2.IMREAD_COLOR)
    grid = read_grid(image, get_engine())
    chars = [c for row in grid.rows for slot in row for c in slot.chars if c.text == "0"]
    assert len(chars) == 15
    for char in chars:
        assert char.digits and char.digits[0][0] == "0"
        assert abs(sum(p for _, p in char.digits) - 1) < 0.01
        # the digits that stand as alternatives are few, not the fixed confusion table's
        assert len([d for d, p in char.digits if p >= ALTERNATIVE]) <= 2


def test_a_table_ruled_only_horizontally_is_read_from_its_gutters(tables):
    """A three-line table (rules between the rows, no vertical lines): the columns come from
    the gutters the text leaves, and table 3 — merged header, group labels — reads exactly."""
    applications = tables["applications"]
    for style in ("song-12-rules-120", "hei-9-rules-120"):
        report = read_document(_png(applications, style), ".png")
        assert values(report.tables["applications"]) == values(applications), style
        assert all(c.origin is not None for _, _, c in report.tables["applications"].cells())


def test_a_double_border_is_not_read_as_ink_of_the_last_column(tables):
    applications = tables["applications"]
    report = read_document(_png(applications, "song-9-double-200"), ".png")
    assert values(report.tables["applications"]) == values(applications)


def test_a_sure_reading_is_never_overruled_in_a_block_that_does_not_add_up():
    """Table 4 as printed does not add up (复议后起诉: 结果维持 5, 总计 0, as in a corpus report).
    Its block is the only sum: no number read surely is changed to make it fit — the cells are
    flagged with the printed reading first, or stand as printed."""
    review = zeroed(balanced_tables(5)["review_litigation"])
    review.rows["review"]["upheld"] = Cell.number(10)
    review.rows["review"]["corrected"] = Cell.number(1)
    review.rows["litigation_after_review"]["upheld"] = Cell.number(5)
    for style in ("hei-9-rules-120", "song-10.5-grid-96"):
        report = read_document(_png(review, style), ".png")
        table = report.tables["review_litigation"]
        assert table is not None, style
        for row, column, cell in table.cells():
            printed = review.rows[row][column].value
            if cell.status is CellStatus.NUMBER:
                assert cell.value == printed, (style, row, column, cell.value)
            else:
                assert cell.status in (CellStatus.UNCERTAIN, CellStatus.UNREADABLE), (style, row, column, cell)
                if cell.status is CellStatus.UNCERTAIN:
                    assert printed in cell.candidates, (style, row, column, cell.candidates)
        assert not [n for n in report.notes if n.code == "ocr-corrected"], style


def test_a_header_repeated_on_the_next_page_is_not_taken_for_the_rows_it_names():
    """A table 3 broken across two pages repeats its header (a scan, a PDF): the header's
    "其他" and "总计", with no numbers after them, read as the labels of 3.其他 and （七）总计.
    The rows are the later lines that carry numbers, not the header's empty labels."""
    from gongkai.core.report.parsing import read_report
    from tests.conftest import ROOT

    path = next((ROOT / "examples").glob("003_*.txt"))
    lines = path.read_text(encoding="utf-8").split("\n")
    header = [line for line in lines if line.startswith("\t自然人\t") or line.startswith("\t\t商业企业\t")]
    assert len(header) == 2
    at = next(i for i, line in enumerate(lines) if "1.信访举报投诉类申请" in line)
    broken = lines[:at] + header + lines[at:]
    original = read_report(path)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_text("\n".join(broken), encoding="utf-8")
        report = read_report(copy)
    assert values(report.tables["applications"]) == values(original.tables["applications"])
    assert not [n for n in report.notes if n.code == "row-repeated"]


def test_a_table_from_a_picture_is_verified_even_when_its_cells_have_no_box():
    """The parser may read a picture's row otherwise than the grid laid it out; its cells then
    have no box. Such a table is still checked (its lines came from the picture), and a lone
    empty cell in a table where no "0" was read — a "0" lost in binarisation as likely as a
    blank for zero — is flagged with 0 as its candidate, never left as "nothing printed"."""
    from gongkai.core.report.model import Report
    from gongkai.core.report.parsing.ocr.verify import verify

    review = balanced_tables(9)["review_litigation"]
    for row, cells in review.rows.items():
        parts = ["upheld", "corrected", "other", "pending"]
        for n, column in enumerate(parts, start=1):
            cells[column] = Cell.number(n)
        cells["total"] = Cell.number(10)
    review.rows["litigation_after_review"]["upheld"] = Cell(None, "", 1, CellStatus.BLANK)
    review.rows["litigation_after_review"]["total"] = Cell.number(9)
    report = Report()
    report.tables["review_litigation"] = review
    verify(report)  # no cell has a picture's box: not known to come from a picture
    assert review.rows["litigation_after_review"]["upheld"].status is CellStatus.BLANK
    verify(report, {"review_litigation"})
    cell = review.rows["litigation_after_review"]["upheld"]
    assert cell.status is CellStatus.UNCERTAIN and cell.candidates == (0,)
    assert [n.code for n in report.notes] == ["ocr-unverified"]
