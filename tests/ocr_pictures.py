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
        arr = np.asarray(image).astype(np.float32) / 255.0
        arr = arr * np.array(paper, dtype=np.float32)
        image = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if rotate:
        image = image.rotate(rotate, resample=Image.BICUBIC, expand=True, fillcolor=paper or (255, 255, 255))
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
