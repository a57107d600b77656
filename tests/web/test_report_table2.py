"""Table 2 of the annual report: the office's figures are what it publishes; the catalogue's
counts are a suggestion beside them, differences flagged on the staff page only (issue 11 item 8)."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
from django.urls import reverse
from docx import Document as DocxDocument

from gongkai.apps.catalogue import table2
from gongkai.apps.catalogue.models import Item
from gongkai.apps.reports.services import assemble, render_report, save_narrative, save_table2
from gongkai.core import standard
from gongkai.core.report.model import table_values

from .test_catalogue import TODAY, draft, office, publish  # noqa: F401 - the fixture

YEAR = TODAY.year - 1


def typed(office) -> dict:
    """The office's table 2: rules 8/0/46, normative documents 3/1/20, the rest 0."""
    values = {r.key: {c.key: 0 for c in r.columns} for r in standard.ACTIVE.rows}
    values["rules"] = {"issued": 8, "repealed": 0, "in_force": 46}
    values["normative_documents"] = {"issued": 3, "repealed": 1, "in_force": 20}
    save_table2(office.drafter, office.bureau, YEAR, values)
    save_narrative(office.drafter, office.bureau, YEAR, {"overview": "本年度继续推进政务公开。"}, date(YEAR + 1, 1, 20))
    return values


def one_normative_document(office) -> Item:
    """The catalogue has one normative document issued and in force in YEAR (1/0/1, no rules)."""
    made = date(YEAR, 5, 6)
    return publish(office, draft(office, kind=Item.Kind.NORMATIVE_DOCUMENT, document_number="某财规〔2025〕1号",
                                 made_on=made, effective_on=made))


def row_cells(document, label: str) -> list[str]:
    for t in document.tables:
        for row in t.rows:
            cells = [c.text.strip() for c in row.cells]
            if cells and cells[0] == label:
                return cells
    raise AssertionError(f"no row {label}")


def test_the_offices_figures_are_published_in_docx_pdf_and_html(office):
    one_normative_document(office)
    typed(office)
    assembled = assemble(office.bureau, YEAR)
    active = table_values(assembled.report.tables["active"])
    assert active["rules"] == {"issued": 8, "repealed": 0, "in_force": 46}
    assert active["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 20}
    document = DocxDocument(io.BytesIO(render_report(assembled, "docx")))
    assert row_cells(document, "规章")[-3:] == ["8", "0", "46"]
    assert row_cells(document, "行政规范性文件")[-3:] == ["3", "1", "20"]
    html = render_report(assembled, "html").decode()
    assert "<td>46</td>" in html.replace(" ", "") or ">46<" in html
    with pdfplumber.open(io.BytesIO(render_report(assembled, "pdf"))) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert any(line.split()[-3:] == ["8", "0", "46"] for line in text.splitlines() if line.startswith("规章"))
    # Nothing of the catalogue's suggestion goes into the published report.
    assert "目录" not in html.split("主动公开政府信息情况", 1)[1].split("</table>", 1)[0]


def test_the_year_page_shows_the_catalogues_counts_beside_and_flags_differences(office, client):
    one_normative_document(office)
    typed(office)
    client.force_login(office.drafter)
    page = client.get(reverse("reports:year", args=[office.bureau.pk, YEAR])).content.decode()
    assert "目录统计" in page
    assert "行政规范性文件" in page and "本年制发：填报 3 件，目录统计 1 件" in page
    assert "现行有效：填报 20 件，目录统计 1 件" in page
    assert "表二与目录统计不同" in page  # among the findings of the staff page
    assembled = assemble(office.bureau, YEAR)
    assert [(d.row, d.column, d.entered, d.counted) for d in assembled.table2_differences] == [
        ("normative_documents", "issued", 3, 1), ("normative_documents", "repealed", 1, 0),
        ("normative_documents", "in_force", 20, 1)]


def test_no_difference_flagged_when_the_office_typed_the_catalogues_counts(office, client):
    one_normative_document(office)
    values = typed(office)
    values["normative_documents"] = {"issued": 1, "repealed": 0, "in_force": 1}
    save_table2(office.drafter, office.bureau, YEAR, values)
    assert assemble(office.bureau, YEAR).table2_differences == []
    client.force_login(office.drafter)
    page = client.get(reverse("reports:year", args=[office.bureau.pk, YEAR])).content.decode()
    assert "表二与目录统计不同" not in page


def test_issued_is_counted_by_the_date_the_document_was_made_not_the_date_it_takes_effect(office):
    made, effective = date(YEAR - 1, 12, 20), date(YEAR, 1, 1)
    publish(office, draft(office, kind=Item.Kind.RULE, document_number="某政府令第3号", made_on=made,
                          effective_on=effective))
    before, this = table2.table2_counts(office.bureau, YEAR - 1), table2.table2_counts(office.bureau, YEAR)
    assert before["rules"] == {"issued": 1, "repealed": 0, "in_force": 0}
    assert this["rules"] == {"issued": 0, "repealed": 0, "in_force": 1}
