"""Tables published as pictures, read by OCR offline: every container, the arithmetic's
discipline (exact or flagged, never silently wrong), provenance, no network."""

from __future__ import annotations

import json
import socket

import pytest

from gongkai.core.report.checking import check_report
from gongkai.core.report.model import CellStatus, report_from_json, report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.parsing.ocr.engine import TextBox, get_engine, register_engine

from tests.conftest import ROOT
from tests.ocr_pictures import (
    balanced_tables,
    data_uri,
    degrade,
    docx_report,
    html_report,
    pdf_report,
    picture_blocks,
    scanned_pdf,
    table_png,
    values,
    zeroed,
)

SEEDS = {
    "000": "000_9ec173a047955ff9.txt",
    "001": "001_3207f0398fafbe08.txt",
    "002": "002_27800a91591f9d9c.txt",
}
TABLES = ["active", "applications", "review_litigation"]


@pytest.fixture(scope="module")
def numbers():
    return {seed: balanced_tables(int(seed) + 7) for seed in SEEDS}


@pytest.fixture(scope="module")
def pictures(numbers):
    styles = {"000": {"font": "song", "size_pt": 10.5}, "001": {"font": "song", "size_pt": 11, "border": "1.5px solid #333"}, "002": {"font": "song", "size_pt": 12, "shade": "#e8e8e8"}}
    dpis = {"000": 150, "001": 150, "002": 180}
    return {
        seed: {k: table_png(t, dpi=dpis[seed], **styles[seed]) for k, t in numbers[seed].items()} for seed in SEEDS
    }


def _seed_text(seed: str) -> str:
    return (ROOT / "examples" / SEEDS[seed]).read_text(encoding="utf-8")


def _assert_read_exactly(report, expected):
    for key in TABLES:
        assert values(report.tables[key]) == values(expected[key]), key
        for row, column, cell in report.tables[key].cells():
            assert cell.origin is not None, (key, row, column)
    findings = [f for f in check_report(report) if f.rule == "T-picture"]
    assert {f.table for f in findings} == set(TABLES)
    assert all(f.severity.value == "notice" for f in findings)


def test_seed_text_files_still_say_their_tables_are_pictures():
    for seed in SEEDS:
        report = read_report(ROOT / "examples" / SEEDS[seed])
        assert all(report.tables[k] is None for k in TABLES)
        assert {m.table for m in report.missing_tables if m.is_picture} == set(TABLES)
        assert [f.severity.value for f in check_report(report) if f.rule == "T-picture"] == ["error"] * 3


@pytest.fixture(scope="module")
def docx_000(pictures):
    blocks = picture_blocks(_seed_text("000"), TABLES)
    return read_document(docx_report(blocks, pictures["000"]), ".docx", "000.docx")


def test_seed_000_as_docx_with_its_pictures_put_back_reads_exactly(numbers, docx_000):
    report = docx_000
    _assert_read_exactly(report, numbers["000"])
    assert [p.name for p in report.pictures] == ["image1.png", "image2.png", "image3.png"]
    assert report.title and "兴隆庄街道" in report.title


def test_seed_001_as_saved_html_page_reads_pictures_from_its_folder_and_data_uris(tmp_path, numbers, pictures):
    folder = tmp_path / "page_files"
    folder.mkdir()
    (folder / "t2.png").write_bytes(pictures["001"]["active"])
    (folder / "t3.png").write_bytes(pictures["001"]["applications"])
    sources = {
        "active": "page_files/t2.png",
        "applications": "./page_files/t3.png?v=1",
        "review_litigation": data_uri(pictures["001"]["review_litigation"]),
    }
    page = tmp_path / "page.html"
    page.write_text(html_report(picture_blocks(_seed_text("001"), TABLES), sources), encoding="utf-8")
    report = read_report(page)
    _assert_read_exactly(report, numbers["001"])


def test_html_picture_outside_the_page_folder_or_on_the_network_is_not_read(tmp_path, pictures):
    outside = tmp_path / "secret.png"
    outside.write_bytes(pictures["001"]["applications"])
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "page.html"
    blocks = [("p", "三、收到和处理政府信息公开申请情况"), ("img", "a"), ("img", "b")]
    page.write_text(html_report(blocks, {"a": "../secret.png", "b": "https://example.invalid/t3.png"}), encoding="utf-8")
    report = read_report(page)
    assert report.tables["applications"] is None
    assert report.missing("applications").is_picture
    assert report.pictures == []


def test_seed_002_as_pdf_with_picture_tables_reads_exactly(numbers, pictures):
    blocks = picture_blocks(_seed_text("002"), TABLES)
    report = read_document(pdf_report(blocks, pictures["002"]), ".pdf", "002.pdf")
    _assert_read_exactly(report, numbers["002"])
    assert all(p.page is not None for p in report.pictures)


def test_image_file_and_scanned_pdf_are_read(tmp_path, numbers, pictures):
    png = tmp_path / "t3.png"
    png.write_bytes(pictures["000"]["applications"])
    report = read_report(png)
    assert values(report.tables["applications"]) == values(numbers["000"]["applications"])
    scan = read_document(scanned_pdf([pictures["000"]["active"], pictures["000"]["review_litigation"]]), ".pdf")
    assert values(scan.tables["active"]) == values(numbers["000"]["active"])
    assert values(scan.tables["review_litigation"]) == values(numbers["000"]["review_litigation"])
    assert {p.page for p in scan.pictures} == {1, 2}


def test_parse_json_keeps_each_cells_picture_box_and_confidence(docx_000):
    report = docx_000
    data = json.loads(json.dumps(report_to_json(report), ensure_ascii=False))
    cell = data["cells"]["applications"]["new_received"]["total"]
    assert cell["picture"]["index"] == 1
    x0, y0, x1, y1 = cell["picture"]["box"]
    assert 0 <= x0 < x1 <= data["pictures"][1]["width"] and 0 <= y0 < y1 <= data["pictures"][1]["height"]
    assert 0 < cell["picture"]["confidence"] <= 1
    assert data["pictures"][1]["tables"] == ["applications"]
    # table 4's three blocks stand on one line of the picture: each cell has its own box
    review = data["cells"]["review_litigation"]
    boxes = [review[row][column]["picture"]["box"] for row in ("review", "litigation_direct", "litigation_after_review") for column in ("upheld", "total")]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes) and len({b[0] for b in boxes}) == 6
    again = report_from_json(data)
    assert report_to_json(again) == data


class _Misreading:
    """The real engine, but chosen cells come out wrong, as on a degraded picture: the n-th
    cell (in the grid's reading order, rows top to bottom) whose text is ``text`` is given as
    ``instead`` with ``confidence``."""

    name = "misreading"

    def __init__(self, swaps: list[tuple[str, int, str, float]]):
        self.engine = get_engine()
        self.swaps = swaps  # (text read, its occurrence, text given instead, confidence)

    def recognise(self, image):
        return self.engine.recognise(image)

    def read_lines(self, crops):
        from gongkai.core.report.parsing.ocr.engine import CharBox

        seen: dict[str, int] = {}
        out = []
        for box in self.engine.read_lines(crops):
            seen[box.text] = seen.get(box.text, 0) + 1
            for text, occurrence, instead, confidence in self.swaps:
                if box.text == text and seen[text] == occurrence:
                    chars = tuple(CharBox(ch, box.box, confidence) for ch in instead)
                    box = TextBox(instead, box.box, confidence, chars)
                    break
            out.append(box)
        return out


def _read_with(engine, png: bytes):
    from gongkai.core.report.parsing.ocr import engine as engines
    from gongkai.core.report.parsing.ocr import grid

    register_engine("test-misreading", lambda: engine)
    previous, dedupe = engines.DEFAULT_ENGINE, grid.READ_ONCE
    engines.DEFAULT_ENGINE = "test-misreading"
    grid.READ_ONCE = False  # every cell read on its own, so that one cell can be misread
    try:
        return read_document(png, ".png")
    finally:
        engines.DEFAULT_ENGINE, grid.READ_ONCE = previous, dedupe


def test_a_confident_misreading_is_corrected_by_the_sums_and_noted(numbers, pictures):
    expected = numbers["000"]["applications"]
    total = str(expected.rows["new_received"]["total"].value)
    # one digit read as a digit it is commonly confused with (a 3 as 8, a 2 as 7, …), confidently
    from gongkai.core.report.parsing.ocr.settle import CONFUSED

    wrong = CONFUSED[total[-1]][0] if len(total) == 1 else total[:-1] + CONFUSED[total[-1]][0]
    # the first cell reading ``total`` is new_received's total (no row above it has that number)
    report = _read_with(_Misreading([(total, 1, wrong, 0.97)]), pictures["000"]["applications"])
    assert values(report.tables["applications"]) == values(expected)
    notes = [n for n in report.notes if n.code == "ocr-corrected"]
    assert [n.row for n in notes] == ["new_received"]
    assert f"识别为 {wrong}，应为 {total}" in notes[0].message
    assert any(f.rule == "T-ocr-corrected" for f in check_report(report))


def test_a_doubtful_digit_with_several_fits_is_uncertain_not_guessed():
    # Table 4 has only its block sums: a doubtful 3 in 结果维持 and a doubtful 3 in 总计 fit
    # as 3/3, 8/8, 5/5, 2/2, 9/9: the cells are uncertain, with the candidates.
    from gongkai.core.report.model import Cell

    review = zeroed(balanced_tables(3)["review_litigation"])
    review.rows["review"]["upheld"] = Cell.number(3)
    review.rows["review"]["total"] = Cell.number(3)
    png = table_png(review, dpi=150)
    report = _read_with(_Misreading([("3", 1, "3", 0.4), ("3", 2, "3", 0.4)]), png)
    cells = report.tables["review_litigation"].rows["review"]
    assert cells["upheld"].status is CellStatus.UNCERTAIN and cells["total"].status is CellStatus.UNCERTAIN
    assert cells["upheld"].candidates[0] == 3 and set(cells["upheld"].candidates) >= {3, 8}
    assert cells["corrected"].value == 0 and cells["corrected"].status is CellStatus.NUMBER
    assert [n.code for n in report.notes if n.code.startswith("ocr-")] == ["ocr-uncertain"]
    assert any(f.rule == "T-uncertain" for f in check_report(report))
    # render --to html shows the picture, and each flagged cell cut out of it
    from gongkai.core.report.render import build_document, render

    html = render(build_document(report), "html").decode("utf-8")
    aside = html.split('<aside class="pictures">', 1)[1]
    assert aside.count("<figure>") == 1 and "data:image/png;base64," in aside
    assert "表四「行政复议」· 结果维持" in aside and "无法唯一确定：3 或 8" in aside
    assert aside.count('alt="原图局部"') == 2  # 结果维持 and 总计


DEGRADATIONS = {
    "jpeg35": {"jpeg": 35},
    "blur": {"blur": 1.1, "jpeg": 70},
    "noise_yellow": {"noise": 14, "paper": (1.0, 0.96, 0.82)},
    "screenshot_small": {"scale": 0.62, "jpeg": 80},
    "grey_rotated": {"paper": (0.86, 0.86, 0.86), "rotate": 0.4},
}


@pytest.mark.parametrize("name", sorted(DEGRADATIONS))
def test_degraded_pictures_give_every_cell_exact_or_flagged(name, numbers, pictures):
    expected = numbers["000"]["applications"]
    data = degrade(pictures["000"]["applications"], seed=5, **DEGRADATIONS[name])
    report = read_document(data, ".jpg" if DEGRADATIONS[name].get("jpeg") else ".png")
    table = report.tables["applications"]
    assert table is not None
    wrong = []
    exact = 0
    for row, column, cell in table.cells():
        truth = expected.rows[row][column].value
        if cell.is_number:
            if cell.value == truth:
                exact += 1
            else:
                wrong.append((row, column, cell.value, truth))
        else:
            assert cell.status in (CellStatus.UNCERTAIN, CellStatus.UNREADABLE, CellStatus.MISSING), (row, column, cell)
    assert wrong == []
    assert exact >= 0.9 * 25 * 7


def test_no_socket_is_opened_while_reading_pictures(monkeypatch, tmp_path, numbers, pictures):
    get_engine()  # loading the models is not reading; it opens no socket either, but load it first

    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened during a read")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    blocks = [("p", "四、政府信息公开行政复议、行政诉讼情况"), ("img", "review_litigation")]
    docx = read_document(docx_report(blocks, pictures["000"]), ".docx")
    page = tmp_path / "p.html"
    page.write_text(
        html_report(blocks + [("img", "remote")], {"review_litigation": data_uri(pictures["000"]["review_litigation"]), "remote": "http://192.0.2.1/t.png"}),
        encoding="utf-8",
    )
    html = read_report(page)
    pdf = read_document(pdf_report(blocks, pictures["000"]), ".pdf")
    for report in (docx, html, pdf):
        assert values(report.tables["review_litigation"]) == values(numbers["000"]["review_litigation"])


def test_a_zero_the_engine_missed_is_never_a_blank_cell(numbers, pictures):
    """A "0" the engine gives back as nothing: the sums give it, or it is flagged — never a blank
    that reads as "nothing printed" (ocr/settle.py, ocr/verify.py)."""
    expected = numbers["000"]["applications"]
    report = _read_with(_Misreading([("0", 3, "", 0.99)]), pictures["000"]["applications"])
    table = report.tables["applications"]
    for row, cells in table.rows.items():
        for column, cell in cells.items():
            assert cell.status is not CellStatus.BLANK, (row, column)
            if cell.status is CellStatus.NUMBER:
                assert cell.value == expected.rows[row][column].value, (row, column)


def test_a_number_no_sum_confirms_and_read_unclearly_is_flagged(numbers, pictures):
    """Every number of a picture's table 3 is confirmed by a row or column sum that holds, or was
    read clearly: a digit read with 0.93 (above the doubt threshold) in a row whose other numbers
    make its sums fail is not left standing as read."""
    expected = numbers["000"]["applications"]
    total = str(expected.rows["total"]["total"].value)
    wrong = str(int(total) + 1)
    report = _read_with(_Misreading([(total, 1, wrong, 0.93)]), pictures["000"]["applications"])
    table = report.tables["applications"]
    for row, cells in table.rows.items():
        for column, cell in cells.items():
            if cell.status is CellStatus.NUMBER:
                assert cell.value == expected.rows[row][column].value, (row, column)
