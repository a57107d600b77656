"""Pictures of the national tables for the OCR tests: a table rendered by the project's own
HTML renderer (merged three-level header of table 3, table 4's 15-number row), printed by
WeasyPrint and rasterised by pdfium, then degraded as publishing does."""

from __future__ import annotations

import io

import numpy as np

from gongkai.core.report.model import Table
from gongkai.core.report.render.grid import table_grid
from gongkai.core.report.render.html import render_table

FONTS = {"song": '"Noto Serif CJK SC", serif', "hei": '"Noto Sans CJK SC", sans-serif'}


def table_html(table: Table, font: str = "song", size_pt: float = 10.5, border: str = "1px solid #000", shade: str | None = None) -> str:
    head_bg = f"th {{ background: {shade}; }}" if shade else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: 260mm 400mm; margin: 8mm; }}
body {{ font-family: {FONTS[font]}; font-size: {size_pt}pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: {border}; padding: 3pt 2pt; text-align: center; font-weight: normal; }}
caption {{ display: none; }}
{head_bg}
</style></head><body>{render_table(table_grid(table))}</body></html>"""


def render_png(html: str, dpi: int = 150) -> bytes:
    """The first page of the HTML printed to PDF, rasterised at ``dpi`` and cut to its content."""
    import pypdfium2 as pdfium
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    grey = np.asarray(image.convert("L"))
    ys, xs = np.where(grey < 200)
    pad = max(4, dpi // 20)
    box = (max(0, xs.min() - pad), max(0, ys.min() - pad), min(image.width, xs.max() + pad), min(image.height, ys.max() + pad))
    out = io.BytesIO()
    image.crop(box).save(out, "PNG")
    return out.getvalue()


def table_png(table: Table, dpi: int = 150, **style) -> bytes:
    return render_png(table_html(table, **style), dpi)


def degrade(png: bytes, *, jpeg: int | None = None, rotate: float = 0.0, blur: float = 0.0, noise: float = 0.0,
            paper: tuple[int, int, int] | None = None, scale: float = 1.0, seed: int = 0) -> bytes:
    """A degraded copy: paper colour, rotation, scaling (down and back up), blur, noise, JPEG."""
    from PIL import Image, ImageFilter

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if paper:
        arr = np.asarray(image).astype(np.float32)
        arr = arr * np.array(paper, dtype=np.float32)
        image = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if rotate:
        image = image.rotate(rotate, resample=Image.BICUBIC, expand=True, fillcolor=tuple(int(255 * p) for p in paper) if paper else (255, 255, 255))
    if scale != 1.0:
        w, h = image.size
        image = image.resize((int(w * scale), int(h * scale)), Image.BILINEAR).resize((w, h), Image.BICUBIC)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rng = np.random.default_rng(seed)
        arr = np.asarray(image).astype(np.float32) + rng.normal(0, noise, (image.height, image.width, 1))
        image = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    out = io.BytesIO()
    if jpeg:
        image.save(out, "JPEG", quality=jpeg)
    else:
        image.save(out, "PNG")
    return out.getvalue()


# ------------------------------------------------------------------ numbers of a report


def balanced_tables(seed: int) -> dict[str, Table]:
    """Tables 2-4 whose numbers satisfy every sum of the format (row sums, table 3's column
    balance, table 4's blocks), drawn from ``seed``: the numbers a real report prints, with
    one-, two- and three-digit cells and blank-free zeros."""
    import random
    from decimal import Decimal

    from gongkai.core import standard
    from gongkai.core.report.model import Cell

    rng = random.Random(seed)

    def small() -> int:
        return rng.choice([0, 0, 0, 1, 2, 3, 5, 7, 8, 9, 12, 16, 23, 38, 45, 61, 86, 103, 138, 290, 357])

    active = Table.empty(standard.ACTIVE)
    for row in standard.ACTIVE.rows:
        for column in row.columns:
            value = Decimal(rng.choice(["0", "1.5", "12.36", "0.8"])) if column.decimal else small()
            active.rows[row.key][column.key] = Cell.number(value, str(value))
    apps = Table.empty(standard.APPLICATIONS)
    keys = standard.APPLICATION_COLUMN_KEYS  # six kinds of applicant, then the total
    outcome = list(standard.OUTCOME_KEYS)
    per_column: dict[str, dict[str, int]] = {k: {} for k in standard.APPLICATIONS.row_keys}
    for column in keys[:-1]:
        busy = rng.random() < 0.6
        values = {k: (small() if busy and rng.random() < 0.45 else 0) for k in outcome}
        total = sum(values.values())
        forward = rng.choice([0, 0, 1, 2, 4, 11]) if busy else 0
        carried = rng.randint(0, min(total + forward, 9))
        new = total + forward - carried
        values.update(new_received=new, carried_over=carried, total=total, carried_forward=forward)
        for k, v in values.items():
            per_column[k][column] = v
    for row in standard.APPLICATIONS.rows:
        cells = per_column[row.key]
        cells[keys[-1]] = sum(cells[c] for c in keys[:-1])
        for column in keys:
            apps.rows[row.key][column] = Cell.number(cells[column])
    review = Table.empty(standard.REVIEW_LITIGATION)
    for row in standard.REVIEW_LITIGATION.rows:
        parts = [rng.choice([0, 0, 1, 2, 3, 6, 13]) for _ in range(4)]
        for column, v in zip(row.column_keys, [*parts, sum(parts)]):
            review.rows[row.key][column] = Cell.number(v)
    return {"active": active, "applications": apps, "review_litigation": review}


def values(table: Table | None) -> dict[str, dict[str, object]] | None:
    if table is None:
        return None
    return {r: {c: cell.value for c, cell in cols.items()} for r, cols in table.rows.items()}


def zeroed(table: Table) -> Table:
    """The table with every cell set to 0 (then set the few cells a test is about)."""
    from gongkai.core.report.model import Cell

    for row in table.rows:
        for column in table.rows[row]:
            table.rows[row][column] = Cell.number(0)
    return table


# --------------------------------------------------------------- reports with pictures


SECTION_WORDS = {"active": "主动公开政府信息情况", "applications": "收到和处理政府信息公开申请情况", "review_litigation": "行政复议"}


def picture_blocks(text: str, tables: list[str]) -> list[tuple[str, str]]:
    """The report's text as blocks ("p", line) and ("img", table key): each table's picture put
    back under its section's heading, or, where the headings were lost with the pictures, in
    place of the picture markers, in order; markers with no picture left are dropped."""
    import re

    marker = re.compile(r"\[image:[^\]]*\]")
    lines = text.splitlines()
    headed = {k for k in tables if any(SECTION_WORDS[k] in ln and len(ln) < 40 for ln in lines)}
    queue = [k for k in tables if k not in headed]
    blocks: list[tuple[str, str]] = []
    for ln in lines:
        pieces = marker.split(ln)
        clean = "".join(pieces).strip()
        if clean:
            blocks.append(("p", clean))
        for k in headed:
            if SECTION_WORDS[k] in ln and len(ln) < 40:
                blocks.append(("img", k))
        for _ in marker.findall(ln):
            if queue:
                blocks.append(("img", queue.pop(0)))
    for k in queue:
        blocks.append(("img", k))
    return blocks


def docx_report(blocks: list[tuple[str, str]], pictures: dict[str, bytes]) -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    for kind, value in blocks:
        if kind == "p":
            document.add_paragraph(value)
        else:
            document.add_picture(io.BytesIO(pictures[value]), width=Cm(16))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def html_report(blocks: list[tuple[str, str]], sources: dict[str, str]) -> str:
    from html import escape

    body = []
    for kind, value in blocks:
        body.append(f"<p>{escape(value)}</p>" if kind == "p" else f'<p><img src="{escape(sources[value])}" alt=""></p>')
    return '<!doctype html><html><head><meta charset="utf-8"><title>报告</title></head><body>' + "\n".join(body) + "</body></html>"


def data_uri(png: bytes, media: str = "image/png") -> str:
    import base64

    return f"data:{media};base64," + base64.b64encode(png).decode("ascii")


def pdf_report(blocks: list[tuple[str, str]], pictures: dict[str, bytes]) -> bytes:
    """A PDF as agencies print one: text, and each table a picture on the page."""
    from weasyprint import HTML

    html = html_report(blocks, {k: data_uri(v) for k, v in pictures.items()}).replace(
        "<head>", '<head><style>@page { size: A4; margin: 20mm } body { font-family: "Noto Serif CJK SC"; font-size: 11pt } img { width: 100% }</style>'
    )
    return HTML(string=html).write_pdf()


def scanned_pdf(pngs: list[bytes]) -> bytes:
    """An image-only PDF: one scanned page per picture."""
    from PIL import Image

    pages = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return out.getvalue()
