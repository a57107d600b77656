"""HTML and PDF: the writers (render/html.py, render/pdf.py) and the readers (parsing/html.py,
parsing/pdf.py), checked on the seeds and read back through the same text parser.

The PDFs are rendered once per module (WeasyPrint takes from 0.2 s to several seconds per
report, see render/pdf.py)."""

from __future__ import annotations

import copy
import io
import os
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import html as lxml_html

from gongkai.core import standard
from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.model import Cell, CellStatus, MissingReason, Report, report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.parsing.html import collapse, html_to_text
from gongkai.core.report.parsing.pdf import normalize_spaces, pdf_to_text
from gongkai.core.report.render.document import Document, build_document
from gongkai.core.report.render.html import render_html
from gongkai.core.report.render.pdf import cjk_font_families, render_pdf

from tests.conftest import SEEDS

pdfplumber = pytest.importorskip("pdfplumber")


def squeeze(text: str) -> str:
    return "".join(text.split())


def expected_texts(doc: Document) -> list[str]:
    """Each section's text as a reader gives it back: its paragraphs, and where a table is
    missing, the note that says so."""
    out = []
    for section in doc.sections:
        text = section.text
        if section.missing_note and section.missing_note not in text:
            text += section.missing_note
        out.append(squeeze(text))
    return out


def numbered_report() -> Report:
    """Seed 004 with a different number in every cell, a "—", a "/", a "无" and a blank: a
    column shifted by one anywhere shows."""
    report = read_report(SEEDS["004"])
    n = 0
    for key in ("active", "applications", "review_litigation"):
        table = report.tables[key]
        for row, column, _ in list(table.cells()):
            n += 1
            table = table.with_value(row, column, Decimal("12.3456") if column == "amount" else n * 7)
        report.tables[key] = table
    t3 = report.tables["applications"]
    t3.rows["denied_state_secret"]["research"] = Cell(None, "—", None, CellStatus.DASH)
    t3.rows["granted"]["social"] = Cell(None, "", None, CellStatus.BLANK)
    t3.rows["rejected_repeat"]["other"] = Cell(None, "无", None, CellStatus.NONE_WORD)
    report.tables["review_litigation"].rows["review"]["pending"] = Cell(None, "/", None, CellStatus.SLASH)
    return report


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {key: read_report(path) for key, path in SEEDS.items()}


@pytest.fixture(scope="module")
def docs(reports) -> dict[str, Document]:
    return {key: build_document(report) for key, report in reports.items()}


@pytest.fixture(scope="module")
def pages(docs) -> dict[str, str]:
    return {key: render_html(doc) for key, doc in docs.items()}


@pytest.fixture(scope="module")
def long_case() -> tuple[Report, Document]:
    """Numbers in every cell, and section 三 pushed down so that table 3 starts low on a page
    and must continue on the next one."""
    report = numbered_report()
    doc = build_document(report)
    doc.sections[2].paragraphs += ["本部分另附说明一段，用以把表三推到页面中部，使表三跨页。" * 3] * 3
    return report, doc


@pytest.fixture(scope="module")
def pdfs(docs, long_case) -> dict[str, bytes]:
    return {"004": render_pdf(docs["004"]), "003": render_pdf(docs["003"]), "long": render_pdf(long_case[1])}


@pytest.fixture(scope="module")
def pdf_004_file(pdfs, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "004.pdf"
    path.write_bytes(pdfs["004"])
    return path


def case(key: str, reports, docs, long_case) -> tuple[Report, Document]:
    return long_case if key == "long" else (reports[key], docs[key])


# --------------------------------------------------------------------------- HTML: the page


def test_html_page_structure(pages, docs, reports):
    page, doc = pages["004"], docs["004"]
    assert page.startswith("<!DOCTYPE html>")
    root = lxml_html.document_fromstring(page)
    assert root.get("lang") == "zh-CN"
    assert root.xpath("//head/meta/@charset") == ["utf-8"]
    assert root.findtext(".//head/title") == doc.title
    assert [h.text_content() for h in root.iter("h1")] == [doc.title]
    assert [h.text_content() for h in root.iter("h2")] == [s.heading for s in doc.sections]
    assert [h.tag for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")] == ["h1"] + ["h2"] * 6
    assert not root.xpath("//img | //script | //table//table | //*[@role='presentation']")
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))

    tables = root.xpath("//table")
    assert len(tables) == 3
    for table, section in zip(tables, [s for s in doc.sections if s.grid]):
        assert table.findtext("caption") == section.grid.caption
        assert table.find("thead") is not None and table.find("thead").xpath("./tr")
        assert table.getparent().xpath("./h2")[0].text_content() == section.heading
    scopes = [th.get("scope") for th in root.iter("th")]
    assert scopes and set(scopes) <= {"col", "colgroup", "row", "rowgroup"}
    assert not root.xpath("//td[@scope]")

    applicants = root.xpath("//th[normalize-space()='申请人情况']")
    assert len(applicants) == 1 and applicants[0].get("colspan") == "7" and applicants[0].get("scope") == "colgroup"
    results = root.xpath("//th[normalize-space()='三、本年度办理结果']")
    assert len(results) == 1 and results[0].get("scope") == "rowgroup"
    # It spans the rows from （一）予以公开 to （七）总计: 22 outcomes and the total.
    body = results[0].getparent().getparent().xpath("./tr")
    first = body.index(results[0].getparent())
    last = next(i for i, tr in enumerate(body) if "（七）总计" in tr.text_content())
    assert int(results[0].get("rowspan")) == last - first + 1 == len(standard.OUTCOME_KEYS) + 1
    data = root.xpath("//td")
    assert data and all(td.get("class") == "num" for td in data)
    assert [td.text_content() for td in tables[2].xpath(".//tbody//td")] == [
        str(reports["004"].tables["review_litigation"].value(r.key, c)) for r in standard.REVIEW_LITIGATION.rows for c in r.column_keys
    ]


def test_html_tables_follow_the_table_model(pages, docs):
    """Every row covers exactly the table's columns, no cell overlaps another (the HTML
    table model a validator checks), and the slots match the grid's matrix."""
    root = lxml_html.document_fromstring(pages["004"])
    grids = [s.grid for s in docs["004"].sections if s.grid]
    for table, grid in zip(root.xpath("//table"), grids):
        rows = table.xpath("./thead/tr | ./tbody/tr")
        taken: dict[tuple[int, int], str] = {}
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.xpath("./th | ./td"):
                while (r, c) in taken:
                    c += 1
                for dr in range(int(cell.get("rowspan", 1))):
                    for dc in range(int(cell.get("colspan", 1))):
                        assert (r + dr, c + dc) not in taken, (grid.table, r, c)
                        taken[(r + dr, c + dc)] = cell.text_content() if not (dr or dc) else ""
                c += int(cell.get("colspan", 1))
        assert set(taken) == {(r, c) for r in range(len(grid.rows)) for c in range(grid.columns)}
        matrix = [[cell.text if cell else "" for cell in line] for line in grid.matrix()]
        assert [[taken[(r, c)] for c in range(grid.columns)] for r in range(len(grid.rows))] == matrix
        assert len(table.xpath("./colgroup/col")) == grid.columns


def test_html_css_for_screen_and_print(pages):
    page = pages["004"]
    style = lxml_html.document_fromstring(page).findtext(".//head/style")
    for needle in (
        "size: A4",
        "margin: 3.7cm 2.6cm 3.5cm 2.8cm",
        'content: "— " counter(page) " —"',
        '"仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif',
        '"黑体", "SimHei", "Noto Sans CJK SC", sans-serif',
        '"方正小标宋简体", "华文中宋", "Noto Serif CJK SC", serif',
        "font-size: 16pt",
        "border-collapse: collapse",
        "border: 1px solid #000",
        "thead { display: table-header-group; }",
        "tr { break-inside: avoid; }",
        "@media screen",
    ):
        assert needle in style, needle


def test_html_escapes_text(docs):
    doc = copy.deepcopy(docs["004"])
    doc.title = "标题<script>alert(1)</script>&"
    doc.sections[0].paragraphs = ['a < b & c > d "引号" <img src=x onerror=alert(1)>']
    root = lxml_html.document_fromstring(render_html(doc))
    assert not root.xpath("//script | //img")
    assert root.findtext(".//h1") == doc.title
    assert root.xpath("//section[1]/p")[0].text_content() == doc.sections[0].paragraphs[0]


def test_missing_tables_are_notes(pages, docs):
    root = lxml_html.document_fromstring(pages["002"])
    notes = [p.text_content() for p in root.xpath("//p[@class='missing']")]
    assert notes == [s.missing_note for s in docs["002"].sections if s.missing_note] and len(notes) == 3
    assert not root.xpath("//table")


# --------------------------------------------------------------------------- HTML: reading back


def assert_same_report(again: Report, report: Report, doc: Document) -> None:
    assert report_to_json(again)["tables"] == report_to_json(report)["tables"]
    assert [squeeze(s.text) for s in again.sections] == expected_texts(doc)
    assert [s.key for s in again.sections] == [s.key for s in doc.sections]
    assert (again.title, again.agency, again.year) == (doc.title, report.agency, report.year)
    assert squeeze(again.preamble) == squeeze("".join(doc.preamble))
    assert (again.published.raw if again.published else None) == (report.published.raw if report.published else None)
    assert not [n for n in again.notes if n.code in ("row-repeated", "row-cell-count", "table-cell-count")]


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_html_reads_back(key, pages, reports, docs):
    again = read_document(pages[key].encode("utf-8"), ".html")
    assert_same_report(again, reports[key], docs[key])
    # A missing table stays missing (never zeros): the note reads back as the same kind.
    picture = {MissingReason.PICTURE, MissingReason.EMPTY_SECTION}
    expected = [(m.table, MissingReason.PICTURE if m.reason in picture else m.reason) for m in reports[key].missing_tables]
    assert [(m.table, m.reason) for m in again.missing_tables] == expected


def test_html_reads_numbers_in_every_cell(long_case):
    report, doc = long_case
    again = read_document(render_html(doc).encode("utf-8"), ".html")
    assert_same_report(again, report, doc)
    t3 = again.tables["applications"]
    assert t3.cell("denied_state_secret", "research").status is CellStatus.DASH
    assert t3.cell("granted", "social").status is CellStatus.BLANK
    assert t3.cell("rejected_repeat", "other").status is CellStatus.NONE_WORD


@pytest.mark.parametrize(
    "declaration, encoding",
    [
        ('<meta charset="gbk">', "gbk"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
        ('<meta charset="GB18030">', "gb18030"),
    ],
)
def test_html_in_gbk(declaration, encoding, pages, reports, docs):
    page = pages["004"].replace('<meta charset="utf-8">', declaration)
    data = page.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert_same_report(read_document(data, ".html"), reports["004"], docs["004"])


def test_html_utf8_with_bom_no_declaration_or_a_wrong_one(pages, reports, docs):
    page = pages["004"].replace('<meta charset="utf-8">', "")
    assert_same_report(read_document(page.encode("utf-8-sig"), ".html"), reports["004"], docs["004"])
    assert_same_report(read_document(page.encode("gb18030"), ".html"), reports["004"], docs["004"])
    mislabelled = pages["004"].replace('<meta charset="utf-8">', '<meta charset="gb2312">').encode("utf-8")
    assert_same_report(read_document(mislabelled, ".html"), reports["004"], docs["004"])


def portal_page(article: str) -> str:
    """The report inside a government portal's page: site header, menu, breadcrumb, tools,
    share bar, footer, scripts."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>济宁高新区管委会</title>
<style>.nav {{ color: red }}</style><script>var menu = "一、总体情况";</script></head>
<body>
<header class="site"><h1>济宁高新区管理委员会</h1><p>政务公开 · 政务服务 · 互动交流</p></header>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
  <li><a>二、主动公开政府信息情况</a></li><li><a>新闻中心</a></li></ul></div>
<p>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年度报告</p>
<div id="share-bar">分享到：微信 微博</div>
<div style="display:none">隐藏的统计代码 12345</div>
<div class="content">{article}</div>
<p>【打印本页】【关闭窗口】</p>
<div id="footer">主办单位：济宁高新区管委会　版权所有　鲁ICP备12345678号<br>联系电话：0537-1234567</div>
<script>document.write("三、收到和处理政府信息公开申请情况")</script>
<noscript>请启用脚本</noscript>
</body></html>"""


def test_html_page_chrome_is_removed(pages, reports, docs):
    article = re.search(r"<main>.*</main>", pages["004"], re.S).group(0)
    page = portal_page(article)
    text = html_to_text(page.encode("utf-8"))
    for chrome in ("管理委员会", "新闻中心", "当前位置", "分享到", "隐藏的统计代码", "打印本页", "版权所有", "ICP", "请启用脚本", "document.write", "color: red"):
        assert chrome not in text, chrome
    assert text.splitlines()[0] == docs["004"].title
    assert_same_report(read_document(page.encode("utf-8"), ".html"), reports["004"], docs["004"])


def test_html_chrome_class_that_holds_the_report_is_kept(pages, reports, docs):
    """A CMS that wraps the article in class="article-header-wrap" must not lose it."""
    article = re.search(r"<main>.*</main>", pages["004"], re.S).group(0)
    page = portal_page(f'<div class="article-header-wrap">{article}</div>')
    assert_same_report(read_document(page.encode("utf-8"), ".html"), reports["004"], docs["004"])


def test_html_spans_blocks_and_whitespace():
    page = """<html><body>
<h1>某某区2023年政府信息公开
    工作年度报告</h1>
<p>第一行<br>第二行<br/>  第三  行 </p>
<ul><li>甲</li><li>乙 <b>丙</b></li></ul>
<table>
  <tr><th rowspan="2">A</th><th colspan="2">B 组</th><td>x</td></tr>
  <tr><td>c</td><td>d<br>e</td><td>  </td></tr>
  <tr><td>收到和
        处理</td><td colspan="2"><p>4.无正当理由大量</p><p>反复申请</p></td><td>9</td></tr>
  <tr><td></td><td></td><td></td><td></td></tr>
</table>
<div>尾部<span>文字</span>
<div>内层</div>之后</div>
<pre>规章\t0\t0\t0
行政规范性文件  1  2  3</pre>
<p><img src="/upload/table3.png" width="600" height="400"> <img src="/icon.gif" width="16" height="16"></p>
</body></html>"""
    assert html_to_text(page.encode("utf-8")).splitlines() == [
        "某某区2023年政府信息公开工作年度报告",
        "第一行",
        "第二行",
        "第三 行",
        "甲",
        "乙 丙",
        "A\tB 组\t\tx",
        "\tc\td e\t",
        "收到和处理\t4.无正当理由大量反复申请\t\t9",
        "尾部文字",
        "内层",
        "之后",
        "规章\t0\t0\t0",
        "行政规范性文件  1  2  3",
        "[image: table3.png]",
    ]


def test_html_layout_table_is_read_as_blocks():
    page = """<html><body><table><tr><td>
      <h1>某某区2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>
      <table><tr><td>规章</td><td>0</td></tr></table>
    </td></tr></table></body></html>"""
    assert html_to_text(page.encode("utf-8")).splitlines() == [
        "某某区2023年政府信息公开工作年度报告",
        "一、总体情况",
        "规章\t0",
    ]


def test_collapse_whitespace_like_a_browser():
    assert collapse("收到和\n   处理 ") == "收到和处理"
    assert collapse("abc\n def") == "abc def"
    assert collapse("共 5 件") == "共 5 件"  # spaces written by the author stay
    assert collapse("\n 2023年\n") == "2023年"


# --------------------------------------------------------------------------- PDF: the file


def test_a_cjk_font_is_installed():
    assert any("CJK" in f or "WenQuanYi" in f for f in cjk_font_families())


@pytest.mark.needs_tools("fc-list")
def test_no_cjk_font_is_a_clear_error(tmp_path):
    """With a fontconfig that knows no font (FONTCONFIG_FILE), render_pdf refuses with
    no_cjk_font instead of writing a PDF of boxes."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig></fontconfig>', encoding="utf-8")
    code = (
        "import sys\n"
        "from gongkai.core.report.errors import ReportReadError\n"
        "from gongkai.core.report.parsing import read_report\n"
        "from gongkai.core.report.render.document import build_document\n"
        "from gongkai.core.report.render.pdf import render_pdf\n"
        "try:\n"
        "    render_pdf(build_document(read_report(sys.argv[1])))\n"
        "except ReportReadError as error:\n"
        "    print(error.code)\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    result = subprocess.run([sys.executable, "-c", code, str(SEEDS["004"])], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip() == "no_cjk_font", result.stderr


@pytest.mark.needs_tools("pdffonts")
def test_pdf_fonts_are_embedded_cjk_subsets(pdfs, pdf_004_file):
    pdf = pdfs["004"]
    assert pdf.startswith(b"%PDF-")
    out = subprocess.run(["pdffonts", str(pdf_004_file)], capture_output=True, check=True, timeout=60).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name, emb, sub, uni = row[0], row[-5], row[-4], row[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", name), name  # a subset, never the full font
    assert any("CJK" in row[0] for row in rows)
    assert len(pdf) < 3 * 1024 * 1024  # subsets: a few hundred KB, not the 58 MB of full fonts


def _font_file(family: str) -> tuple[str, int]:
    out = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}|%{family}", family], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    path, index, families = out.split("|", 2)
    assert family in families.split(","), f"{family} is not installed (fc-match gave {families})"
    return path, int(index)


@pytest.mark.needs_tools("fc-match")
def test_pdf_chinese_characters_have_glyphs(pdfs):
    """Every Chinese character is drawn with a font whose installed file has a glyph for it:
    no missing-glyph boxes."""
    from fontTools.ttLib import TTFont

    cmaps: dict[str, set[int]] = {}
    seen = 0
    with pdfplumber.open(io.BytesIO(pdfs["long"])) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                if not re.match(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", char["text"]):
                    continue
                family = char["fontname"].split("+", 1)[-1].replace("-", " ")
                assert "CJK" in family, char
                if family not in cmaps:
                    path, index = _font_file(family)
                    cmaps[family] = set(TTFont(path, fontNumber=index, lazy=True).getBestCmap())
                assert ord(char["text"]) in cmaps[family], (char["text"], family)
                seen += 1
    assert seen > 1000
    assert {"Noto Serif CJK SC", "Noto Sans CJK SC"} <= set(cmaps)


@pytest.mark.needs_tools("pdftoppm")
def test_pdf_first_page_has_ink(pdf_004_file):
    out = pdf_004_file.with_name("page1")
    # -gray writes a PGM (poppler's pdftoppm has no -pgm option).
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-f", "1", "-l", "1", "-singlefile", str(pdf_004_file), str(out)],
        capture_output=True, check=True, timeout=60,
    )
    pgm = out.with_suffix(".pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    assert m
    width, height = int(m.group(1)), int(m.group(2))
    pixels = pgm[m.end() : m.end() + width * height]
    assert len(pixels) == width * height
    assert abs(width / height - 210 / 297) < 0.01  # A4 portrait
    dark = sum(1 for p in pixels if p < 128) / len(pixels)
    assert 0.01 < dark < 0.2, dark
    # Ink stays inside the margins (2.8 cm left, 2.6 cm right).
    left, right = int(width * 2.8 / 21) - 2, int(width * (21 - 2.6) / 21) + 2
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        assert min(row[:left], default=255) >= 128 and min(row[right:], default=255) >= 128, y


# --------------------------------------------------------------------------- PDF: reading back


@pytest.mark.parametrize("key", ["004", "003", "long"])
def test_pdf_reads_back(key, pdfs, reports, docs, long_case):
    report, doc = case(key, reports, docs, long_case)
    again = read_document(pdfs[key], ".pdf")
    assert_same_report(again, report, doc)


@pytest.mark.parametrize("key", ["004", "003", "long"])
def test_pdf_and_html_give_the_same_lines(key, pdfs, reports, docs, long_case):
    """Both readers give the parser the same lines. (Trailing empty cells may differ: where a
    table continues on a page with only merged cells on the right, the PDF shows fewer
    columns there.)"""
    _, doc = case(key, reports, docs, long_case)

    def lines(text: str) -> list[str]:
        return [line.rstrip("\t") for line in text.splitlines()]

    assert lines(pdf_to_text(pdfs[key])) == lines(html_to_text(render_html(doc).encode("utf-8")))


def test_pdf_table_across_pages_is_one_table(pdfs):
    with pdfplumber.open(io.BytesIO(pdfs["long"])) as pdf:
        header_pages = [i for i, page in enumerate(pdf.pages) if "申请人情况" in (page.extract_text() or "")]
        footers = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines() if re.fullmatch(r"— ?\d+ ?—", line.strip())]
        page_count = len(pdf.pages)
    assert len(header_pages) == 2 and header_pages[1] == header_pages[0] + 1, "table 3 must continue on the next page"
    assert len(footers) == page_count  # "— 1 —" … on every page
    text = pdf_to_text(pdfs["long"])
    assert text.count("申请人情况") == 1  # the header repeated on the next page is dropped
    assert not [line for line in text.splitlines() if re.fullmatch(r"[—\s\d]+", line)]  # no page numbers
    assert not re.search(r"^表[二三四]", text, re.M)  # table titles are not narrative
    rows = [line for line in text.splitlines() if "\t" in line]
    t3 = [line for line in rows if line.split("\t")[2].startswith(("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."))]
    assert len(t3) == 8 + 3 + 5 + 3  # every numbered sub-row of table 3, once


def test_normalize_spaces():
    assert normalize_spaces("人民政府 2025 年") == "人民政府2025年"
    assert normalize_spaces("2023 年 1 月 1 日") == "2023年1月1日"
    assert normalize_spaces("依 申 请 公 开") == "依申请公开"
    assert normalize_spaces("规章\x1f0\x1f0\x1f0") == "规章 0 0 0"  # cells of a borderless table
    assert normalize_spaces("网站 http://www.jnhn.gov.cn 查阅") == "网站 http://www.jnhn.gov.cn 查阅"


# --------------------------------------------------------------------------- broken inputs


def _empty_page_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<html></html>").write_pdf()


@pytest.mark.parametrize(
    "name, suffix, codes",
    [
        ("random", ".pdf", {"broken_file"}),
        ("random", ".html", {"broken_file"}),
        ("random_with_pdf_header", ".pdf", {"broken_file"}),
        ("truncated_pdf", ".pdf", {"broken_file"}),
        ("empty_page", ".pdf", {"scanned_pdf"}),
        ("nul_html", ".html", {"broken_file"}),
        ("blank_html", ".html", {"empty"}),
    ],
)
def test_broken_inputs_raise_report_read_error(name, suffix, codes, pdfs):
    rng = random.Random(name)
    data = {
        "random": bytes(rng.randrange(256) for _ in range(20000)),
        "random_with_pdf_header": b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20000)),
        "truncated_pdf": pdfs["004"][: len(pdfs["004"]) // 3],
        "empty_page": _empty_page_pdf() if name == "empty_page" else b"",
        "nul_html": b"<html><body>\x00\x00\x00\x01\x02</body></html>",
        "blank_html": b"  \r\n\t ",
    }[name]
    with pytest.raises(ReportReadError) as error:
        read_document(data, suffix)
    assert error.value.code in codes
    assert error.value.message  # a Chinese message for the user


def test_damaged_pdfs_never_raise_anything_else(pdfs):
    rng = random.Random(7)
    good = pdfs["004"]
    for _ in range(25):
        data = bytearray(good)
        for _ in range(30):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_document(bytes(data), ".pdf")
        except ReportReadError:
            pass


def test_hostile_html_is_bounded():
    # The walk is iterative: nesting as deep as the parser keeps (libxml2 stops at 256 levels)
    # is read, deeper nesting neither crashes nor recurses.
    deep = b"<div>" * 200 + "深".encode() + b"</div>" * 200
    assert "深" in html_to_text(deep)
    html_to_text(b"<div>" * 100000 + b"x")
    bomb = b"<table>" + b'<tr><td colspan="1000" rowspan="65534">a</td><td>b</td></tr>' * 500 + b"</table>"
    try:
        text = html_to_text(bomb)
    except ReportReadError as error:
        assert error.code == "too_large"
    else:
        assert max(len(line.split("\t")) for line in text.splitlines()) <= 200
    with pytest.raises(ReportReadError) as error:
        html_to_text(b" " * (50 * 1024 * 1024 + 1))
    assert error.value.code == "too_large"
    # No external entity or network access: the entity stays unexpanded text, nothing is read.
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><p>&x;</p></body></html>'
    assert "root:" not in html_to_text(xxe)

