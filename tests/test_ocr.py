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
    styles = {"000": {"font": "song", "size_pt": 10.5}, "001": {"font": "hei", "size_pt": 9.5}, "002": {"font": "song", "size_pt": 12, "shade": "#e8e8e8"}}
    dpis = {"000": 150, "001": 120, "002": 180}
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


def test_seed_000_as_docx_with_its_pictures_put_back_reads_exactly(numbers, pictures):
    blocks = picture_blocks(_seed_text("000"), TABLES)
    report = read_document(docx_report(blocks, pictures["000"]), ".docx", "000.docx")
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
    scan = read_document(scanned_pdf([pictures["000"]["applications"], pictures["000"]["review_litigation"]]), ".pdf")
    assert values(scan.tables["applications"]) == values(numbers["000"]["applications"])
    assert values(scan.tables["review_litigation"]) == values(numbers["000"]["review_litigation"])
    assert {p.page for p in scan.pictures} == {1, 2}


def test_parse_json_keeps_each_cells_picture_box_and_confidence(numbers, pictures):
    blocks = picture_blocks(_seed_text("000"), TABLES)
    report = read_document(docx_report(blocks, pictures["000"]), ".docx", "000.docx")
    data = json.loads(json.dumps(report_to_json(report), ensure_ascii=False))
    cell = data["cells"]["applications"]["new_received"]["total"]
    assert cell["picture"]["index"] == 1
    x0, y0, x1, y1 = cell["picture"]["box"]
    assert 0 <= x0 < x1 <= data["pictures"][1]["width"] and 0 <= y0 < y1 <= data["pictures"][1]["height"]
    assert 0 < cell["picture"]["confidence"] <= 1
    assert data["pictures"][1]["tables"] == ["applications"]
    again = report_from_json(data)
    assert report_to_json(again) == data


class _Misreading:
    """The real engine, but some digits come out wrong, as on a degraded picture."""

    name = "misreading"

    def __init__(self, swap: dict[str, tuple[str, float]]):
        self.engine = get_engine()
        self.swap = swap  # text read -> (text given instead, confidence)

    def recognise(self, image):
        return self.engine.recognise(image)

    def read_lines(self, crops):
        out = []
        for box in self.engine.read_lines(crops):
            if box.text in self.swap:
                text, confidence = self.swap.pop(box.text)
                from gongkai.core.report.parsing.ocr.engine import CharBox

                chars = tuple(CharBox(ch, box.box, confidence) for ch in text)
                box = TextBox(text, box.box, confidence, chars)
            out.append(box)
        return out


def _read_with(engine, png: bytes):
    from gongkai.core.report.parsing.ocr import engine as engines

    register_engine("test-misreading", lambda: engine)
    previous = engines.DEFAULT_ENGINE
    engines.DEFAULT_ENGINE = "test-misreading"
    try:
        return read_document(png, ".png")
    finally:
        engines.DEFAULT_ENGINE = previous


def test_a_confident_misreading_is_corrected_by_the_sums_and_noted(numbers, pictures):
    expected = numbers["000"]["applications"]
    total = expected.rows["new_received"]["total"].value
    wrong = str(total).replace("3", "8") if "3" in str(total) else str(total) + "8"
    report = _read_with(_Misreading({str(total): (wrong, 0.97)}), pictures["000"]["applications"])
    assert values(report.tables["applications"]) == values(expected)
    notes = [n for n in report.notes if n.code == "ocr-corrected"]
    assert len(notes) == 1 and notes[0].row == "new_received" and f"→{total}" in notes[0].message
    assert any(f.rule == "T-ocr-corrected" for f in check_report(report))


def test_a_doubtful_digit_with_several_fits_is_uncertain_not_guessed():
    # Table 4 has only its block sums: a doubtful "0" in 结果维持 and a doubtful total cannot
    # both be settled (0/8/6/9 … all fit when the total moves with them).
    tables = balanced_tables(3)
    review = tables["review_litigation"]
    png = table_png(review, dpi=150)
    row = review.rows["review"]
    upheld, total = str(row["upheld"].value), str(row["total"].value)
    engine = _Misreading({upheld: (upheld, 0.4)})
    engine.swap[total] = (total, 0.4) if total != upheld else (total, 0.4)
    report = _read_with(engine, png)
    cells = report.tables["review_litigation"].rows["review"]
    assert cells["upheld"].status is CellStatus.UNCERTAIN
    assert row["upheld"].value in cells["upheld"].candidates
    assert any(n.code == "ocr-uncertain" for n in report.notes)
    assert any(f.rule == "T-uncertain" for f in check_report(report))


DEGRADATIONS = {
    "jpeg35": {"jpeg": 35},
    "blur": {"blur": 1.1, "jpeg": 70},
    "noise_yellow": {"noise": 14, "paper": (1.0, 0.96, 0.82)},
    "screenshot_small": {"scale": 0.62, "jpeg": 80},
    "grey_rotated": {"paper": (0.86, 0.86, 0.86), "rotate": 0.4},
}


@pytest.mark.parametrize("name", sorted(DEGRADATIONS))
def test_degraded_pictures_give_every_cell_exact_or_flagged(name, numbers, pictures):
    expected = numbers["001"]["applications"]
    data = degrade(pictures["001"]["applications"], seed=5, **DEGRADATIONS[name])
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
    blocks = [("p", "三、收到和处理政府信息公开申请情况"), ("img", "applications")]
    docx = read_document(docx_report(blocks, pictures["000"]), ".docx")
    page = tmp_path / "p.html"
    page.write_text(
        html_report(blocks + [("img", "remote")], {"applications": data_uri(pictures["000"]["applications"]), "remote": "http://192.0.2.1/t.png"}),
        encoding="utf-8",
    )
    html = read_report(page)
    pdf = read_document(pdf_report(blocks, pictures["000"]), ".pdf")
    for report in (docx, html, pdf):
        assert values(report.tables["applications"]) == values(numbers["000"]["applications"])
