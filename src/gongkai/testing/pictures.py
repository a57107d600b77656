"""Pictures of the national tables, as agencies publish them: the test set for reading tables
from images (issue 14, "Test data").

Real numbers (the example reports in ``examples/``, and the corpus' ``expected/*.json`` where
that folder is present) are laid out in the national format (the grids of
``core/render/grid.py``: table 2, table 3 with its merged three-level header, table 4's
15-number row) in several *styles* (宋体-like and 黑体-like fonts, 9–12 pt, borders, shading,
72–200 dpi), laid out by WeasyPrint and rasterised by pdfium; then copies are *degraded* as
publishing degrades them (JPEG, small rotations, blur, noise, grey or yellowish paper,
screenshots scaled down and up, a phone photo with a mild perspective, a scan) and put into
the *containers* agencies use: image files, Word reports, saved HTML pages (image files beside
the page, or ``data:`` URIs), PDFs with the table as an image, and scanned PDFs without text.

Every item records its ground truth in ``manifest.json``: the number (or ``null`` for a cell
that holds none) of every cell, by the keys of the standard, and for the single pictures the
box of every cell and row label on the final image (geometric degradations move the boxes with
the picture). The same seed gives the same set, byte for byte.

Rebuild the set with ``python -m gongkai.testing.pictures OUT [--size small|full] [--seed N]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import math
import random
import re
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image, ImageFilter

from gongkai.core import standard
from gongkai.core.report.model import Report, Table, table_from_json, table_values
from gongkai.core.report.render.document import Document, build_document
from gongkai.core.report.render.grid import Grid, table_grid
from gongkai.core.standard import ReportFormat

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
TABLES = ("active", "applications", "review_litigation")
CSS_PX_PER_INCH = 96.0

REPOSITORY = Path(__file__).resolve().parents[3]
DEFAULT_SEEDS = REPOSITORY / "examples"
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus" / "expected"

# ------------------------------------------------------------------------------ sources


@dataclass
class Source:
    """A report whose numbers are drawn: its name and the report model with its tables."""

    name: str
    report: Report


def load_sources(seeds: Path | None = DEFAULT_SEEDS, corpus: Path | None = DEFAULT_CORPUS) -> list[Source]:
    """The reports with all three tables: the example reports read by the project's reader,
    and the corpus' hand-checked numbers (where the folder exists)."""
    from gongkai.core.report.parsing import read_report

    out: list[Source] = []
    if seeds is not None and seeds.is_dir():
        for path in sorted(seeds.glob("*.txt")):
            report = read_report(path)
            if all(report.table(t) is not None for t in TABLES):
                out.append(Source(f"seed/{path.stem.split('_')[0]}", report))
    if corpus is not None and corpus.is_dir():
        for path in sorted(corpus.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            report = Report(source=path.name, agency=data["agency"].split("（")[0], year=data["year"])
            report.format = ReportFormat.F2021
            for key in TABLES:
                report.tables[key] = table_from_json(standard.TABLE_BY_KEY[key], data[key])
            out.append(Source(f"corpus/{data['id']}", report))
    if not out:
        raise FileNotFoundError(f"没有可用的报告数据：{seeds}、{corpus}")
    return out


def truth_of(table: Table) -> dict[str, dict[str, Any] | None]:
    """Row -> column -> number (``null`` for a cell that holds none), as the report JSON has it."""
    return table_values(table)


# ------------------------------------------------------------------------------ styles


@dataclass(frozen=True)
class Style:
    """How a table is typeset before it is photographed."""

    name: str
    font: str  # a font family fontconfig knows
    look: str  # "song" (宋体-like, serif) or "hei" (黑体-like, sans)
    font_pt: float
    dpi: int
    borders: str  # grid | grid-outer | grey | rules | double
    shading: str  # none | header | header-blue | zebra
    bold_header: bool = False
    caption: bool = True
    numbers: str = "center"  # alignment of the numbers: center | right
    width_mm: float = 160.0
    padding_pt: float = 2.0
    ink: str = "#000"


STYLES: tuple[Style, ...] = (
    Style("song-10.5-grid-96", "Noto Serif CJK SC", "song", 10.5, 96, "grid", "none"),
    Style("hei-9-header-150", "Noto Sans CJK SC", "hei", 9, 150, "grid-outer", "header", bold_header=True),
    Style("song-12-rules-120", "AR PL UMing CN", "song", 12, 120, "rules", "none", caption=False, width_mm=170),
    Style("hei-10.5-zebra-72", "WenQuanYi Zen Hei", "hei", 10.5, 72, "grey", "zebra", numbers="right", width_mm=150),
    Style("song-9-double-200", "Noto Serif CJK SC", "song", 9, 200, "double", "header-blue", caption=False),
    Style("hei-12-grid-96", "Noto Sans CJK SC", "hei", 12, 96, "grid", "header", width_mm=175, padding_pt=3),
    Style("song-11-grey-150", "AR PL UMing CN", "song", 11, 150, "grey", "zebra", bold_header=True, ink="#222"),
    Style("hei-9-rules-120", "WenQuanYi Zen Hei", "hei", 9, 120, "rules", "header", numbers="right", width_mm=140),
    Style("song-10.5-outer-72", "Noto Serif CJK SC", "song", 10.5, 72, "grid-outer", "none", width_mm=165),
    Style("hei-11-double-200", "Noto Sans CJK SC", "hei", 11, 200, "double", "none", caption=False, padding_pt=1.5),
)
STYLE_BY_NAME = {s.name: s for s in STYLES}

_BORDERS = {
    "grid": ("border: 0.75pt solid {ink};", "border: 0.75pt solid {ink};"),
    "grid-outer": ("border: 0.5pt solid {ink};", "border: 1.8pt solid {ink};"),
    "grey": ("border: 1px solid #8c8c8c;", "border: 1px solid #8c8c8c;"),
    "rules": (
        "border-top: 0.5pt solid {ink}; border-bottom: 0.5pt solid {ink}; border-left: 0; border-right: 0;",
        "border-top: 1.5pt solid {ink}; border-bottom: 1.5pt solid {ink};",
    ),
    "double": ("border: 0.75pt solid {ink};", "border: 3pt double {ink};"),
}
_SHADING = {
    "none": "",
    "header": "thead th {{ background: #d9d9d9; }}",
    "header-blue": "thead th {{ background: #dbe5f1; }}",
    "zebra": "tbody tr:nth-child(even) td, tbody tr:nth-child(even) th {{ background: #efefef; }}",
}


def style_css(style: Style, page: bool = True) -> str:
    """The CSS of a style: the table's own rules, and (``page``) a page just wide enough for it."""
    cell, table = (b.format(ink=style.ink) for b in _BORDERS[style.borders])
    shading = _SHADING[style.shading].format()
    weight = "bold" if style.bold_header else "normal"
    css = f"""
table {{ border-collapse: collapse; width: {style.width_mm:.1f}mm; table-layout: fixed; line-height: 1.3;
         font-family: "{style.font}"; font-size: {style.font_pt}pt; color: {style.ink}; {table} }}
caption {{ font-size: {style.font_pt + 1.5}pt; padding-bottom: 0.4em; font-weight: {weight}; }}
th, td {{ {cell} padding: {style.padding_pt}pt {style.padding_pt + 1}pt; text-align: center;
          vertical-align: middle; font-weight: normal; text-indent: 0; }}
thead th {{ font-weight: {weight}; }}
th[scope="row"] {{ text-align: left; }}
td.num {{ text-align: {style.numbers}; }}
{shading}
"""
    if page:
        css = f"""
@page {{ size: {style.width_mm + 20:.1f}mm 420mm; margin: 0; }}
body {{ margin: 0; padding: 8mm; background: #fff; }}
""" + css
    return css


def _cell_attrs(grid: Grid, cell) -> str:
    out = ""
    if cell.row_span > 1:
        out += f' rowspan="{cell.row_span}"'
    if cell.col_span > 1:
        out += f' colspan="{cell.col_span}"'
    if cell.key is not None:
        out += f' class="num" data-cell="{grid.table}/{cell.key[0]}/{cell.key[1]}"'
    elif cell.header:
        out += f' scope="{cell.scope}" data-label="1"'
    return out


def table_html(grid: Grid, caption: bool = True) -> str:
    """The table as HTML, every data cell marked with its key (``data-cell``) and every header
    cell with ``data-label``, so that their boxes can be found after layout."""
    out = [f'<table class="t-{grid.table}">']
    if caption:
        out.append(f"<caption>{escape(grid.caption)}</caption>")
    widths = list(grid.column_widths) or [1.0] * grid.columns
    total = sum(widths)
    out.append("<colgroup>" + "".join(f'<col style="width: {w / total * 100:.2f}%">' for w in widths) + "</colgroup>")
    head = grid.header_rows
    for index, row in enumerate(grid.rows):
        if index == 0 and head:
            out.append("<thead>")
        if index == head:
            out.append("</thead><tbody>" if head else "<tbody>")
        cells = "".join(
            f"<{'th' if c.header else 'td'}{_cell_attrs(grid, c)}>{escape(c.text)}</{'th' if c.header else 'td'}>"
            for c in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def table_page(grid: Grid, style: Style) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{style_css(style)}</style></head><body>{table_html(grid, style.caption)}</body></html>"
    )


# ------------------------------------------------------------------------------ rendering


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the picture


@dataclass
class Picture:
    """A table as a picture, with the box of every data cell and header cell on it."""

    image: Image.Image
    cells: dict[str, Box]  # "table/row/column" -> box
    labels: list[tuple[str, Box]]  # (text of a header cell, box)
    text_px: float  # height of the body text in pixels (the font size on this picture)
    pdf: bytes = b""  # the page the picture was cut from, with its text layer
    origin: tuple[float, float] = (0.0, 0.0)  # where the picture starts on the page rendered at ``dpi``


def _walk(box, found: list) -> None:
    element = getattr(box, "element", None)
    name = type(box).__name__
    if element is not None and (name in ("TableCellBox", "TableBox") or getattr(box, "is_table_wrapper", False)):
        found.append(("TableWrapperBox" if getattr(box, "is_table_wrapper", False) else name, element, box))
    for child in getattr(box, "children", None) or ():
        _walk(child, found)


def _border_box(box) -> Box:
    x, y = box.border_box_x(), box.border_box_y()
    return (x, y, x + box.border_width(), y + box.border_height())


@lru_cache(maxsize=1)
def check_fonts() -> None:
    """Every style's font must be installed, or the set would silently change (fontconfig
    substitutes another font without a word)."""
    import subprocess

    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    families = {f.strip() for line in listed.splitlines() for f in line.split(",")}
    missing = sorted({s.font for s in STYLES} - families)
    if missing:
        raise RuntimeError(
            "缺少字体：" + "、".join(missing) + "（Debian：fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming，见 scripts/setup）"
        )


def render_picture(grid: Grid, style: Style) -> Picture:
    """Lay the table out with WeasyPrint, rasterise it with pdfium at the style's dpi and cut
    out the table (with its caption where the style has one)."""
    import pypdfium2
    from weasyprint import HTML

    check_fonts()
    document = HTML(string=table_page(grid, style)).render()
    found: list = []
    _walk(document.pages[0]._page_box, found)
    frame = next(_border_box(b) for n, _, b in found if n == ("TableWrapperBox" if style.caption else "TableBox"))
    pdf_bytes = document.write_pdf()
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = pdf[0].render(scale=style.dpi / 72.0).to_pil().convert("RGB")
    finally:
        pdf.close()
    k = style.dpi / CSS_PX_PER_INCH
    pad = max(3, round(4 * k))
    x0, y0 = max(0, math.floor(frame[0] * k) - pad), max(0, math.floor(frame[1] * k) - pad)
    x1, y1 = math.ceil(frame[2] * k) + pad, math.ceil(frame[3] * k) + pad
    image = image.crop((x0, y0, x1, y1))

    def scaled(b: Box) -> Box:
        return (round(b[0] * k - x0, 1), round(b[1] * k - y0, 1), round(b[2] * k - x0, 1), round(b[3] * k - y0, 1))

    cells: dict[str, Box] = {}
    labels: list[tuple[str, Box]] = []
    for name, element, box in found:
        if name != "TableCellBox":
            continue
        if element.get("data-cell"):
            cells[element.get("data-cell")] = scaled(_border_box(box))
        elif element.get("data-label") and (element.text or "").strip():
            labels.append((element.text.strip(), scaled(_border_box(box))))
    return Picture(image, cells, labels, style.font_pt * style.dpi / 72.0, pdf_bytes, (x0, y0))


# ------------------------------------------------------------------------------ degradations


Op = tuple[str, dict[str, Any]]


def _sign(rng: random.Random) -> int:
    return rng.choice((-1, 1))


def _paper_yellow(rng: random.Random) -> dict[str, Any]:
    return {"paper": [rng.randint(244, 252), rng.randint(234, 244), rng.randint(196, 214)], "ink": [rng.randint(30, 60)] * 3}


DEGRADATIONS: dict[str, Callable[[random.Random], list[Op]]] = {
    "clean": lambda r: [],
    "jpeg-high": lambda r: [("jpeg", {"quality": r.randint(60, 85)})],
    "jpeg-low": lambda r: [("jpeg", {"quality": r.randint(35, 50)})],
    "rotate": lambda r: [("rotate", {"degrees": round(_sign(r) * r.uniform(0.3, 2.0), 2)})],
    "blur": lambda r: [("blur", {"radius": round(r.uniform(0.6, 1.3), 2)})],
    "noise": lambda r: [("noise", {"sigma": round(r.uniform(6, 18), 1)})],
    "paper-grey": lambda r: [("paper", {"paper": [r.randint(205, 228)] * 3, "ink": [r.randint(25, 70)] * 3})],
    "paper-yellow": lambda r: [("paper", _paper_yellow(r))],
    "screenshot-down": lambda r: [("scale", {"factor": round(r.uniform(0.6, 0.85), 3)})],
    "screenshot-down-up": lambda r: (
        lambda f: [("scale", {"factor": f}), ("scale", {"factor": round(1 / f, 4)})]
    )(round(r.uniform(0.45, 0.7), 3)),
    "phone-photo": lambda r: [
        ("paper", _paper_yellow(r)),
        ("margin", {"fraction": 0.06}),
        ("perspective", {"corners": [[round(r.uniform(-0.035, 0.035), 4) for _ in range(2)] for _ in range(4)]}),
        ("light", {"low": round(r.uniform(0.72, 0.88), 3), "angle": r.randint(0, 359)}),
        ("blur", {"radius": round(r.uniform(0.5, 0.9), 2)}),
        ("noise", {"sigma": round(r.uniform(3, 8), 1)}),
        ("jpeg", {"quality": r.randint(70, 88)}),
    ],
    "scan": lambda r: [
        ("paper", {"paper": [r.randint(228, 242)] * 3, "ink": [r.randint(20, 45)] * 3}),
        ("rotate", {"degrees": round(_sign(r) * r.uniform(0.2, 1.0), 2)}),
        ("noise", {"sigma": round(r.uniform(3, 7), 1)}),
        ("grey", {}),
        ("jpeg", {"quality": r.randint(55, 75)}),
    ],
}
DEGRADATION_NAMES = tuple(DEGRADATIONS)


@dataclass
class Degraded:
    image: Image.Image
    matrix: np.ndarray  # picture pixels -> degraded pixels (3×3 homography)
    jpeg_quality: int | None  # the picture is to be saved as JPEG at this quality
    scale: float  # how much the picture was scaled (text height factor)


def _transform(image: Image.Image, step: np.ndarray, size: tuple[int, int], fill, resample=Image.BICUBIC) -> Image.Image:
    inverse = np.linalg.inv(step)
    inverse = inverse / inverse[2, 2]
    return image.transform(size, Image.PERSPECTIVE, tuple(inverse.flatten()[:8]), resample=resample, fillcolor=fill)


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    rows = []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(rows, dtype=float))
    h = vt[-1].reshape(3, 3)
    return h / h[2, 2]


def _corner_fill(image: Image.Image):
    return image.getpixel((1, 1))


def degrade(image: Image.Image, ops: list[Op], seed: int) -> Degraded:
    """Apply the operations in order; the matrix follows every geometric step so that boxes
    drawn on the clean picture can be moved onto the degraded one."""
    noise_rng = np.random.default_rng(seed)
    matrix = np.eye(3)
    scale = 1.0
    quality = None
    img = image.convert("RGB")
    for index, (name, p) in enumerate(ops):
        if name == "jpeg":
            quality = p["quality"]
            if index != len(ops) - 1:
                buffer = io.BytesIO()
                img.save(buffer, "JPEG", quality=quality)
                img = Image.open(io.BytesIO(buffer.getvalue())).convert(img.mode)
                quality = None
        elif name == "rotate":
            w, h = img.size
            a = math.radians(p["degrees"])
            c, s = math.cos(a), math.sin(a)
            rot = np.array([[c, s, 0], [-s, c, 0], [0, 0, 1.0]])
            corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], dtype=float).T
            moved = rot @ corners
            shift = np.array([[1, 0, -moved[0].min()], [0, 1, -moved[1].min()], [0, 0, 1.0]])
            step = shift @ rot
            size = (math.ceil(moved[0].max() - moved[0].min()), math.ceil(moved[1].max() - moved[1].min()))
            img = _transform(img, step, size, _corner_fill(img))
            matrix = step @ matrix
        elif name == "scale":
            w, h = img.size
            f = p["factor"]
            size = (max(1, round(w * f)), max(1, round(h * f)))
            img = img.resize(size, Image.BILINEAR if f < 1 else Image.BICUBIC, reducing_gap=None)
            matrix = np.diag([size[0] / w, size[1] / h, 1.0]) @ matrix
            scale *= f
        elif name == "margin":
            w, h = img.size
            m = round(max(w, h) * p["fraction"])
            canvas = Image.new(img.mode, (w + 2 * m, h + 2 * m), _corner_fill(img))
            canvas.paste(img, (m, m))
            img = canvas
            matrix = np.array([[1, 0, m], [0, 1, m], [0, 0, 1.0]]) @ matrix
        elif name == "perspective":
            w, h = img.size
            src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=float)
            dst = src + np.array(p["corners"]) * np.array([w, h])
            dst -= dst.min(axis=0)
            step = _homography(src, dst)
            size = (math.ceil(dst[:, 0].max()), math.ceil(dst[:, 1].max()))
            img = _transform(img, step, size, (88, 84, 78))
            matrix = step @ matrix
        elif name == "paper":
            arr = np.asarray(img.convert("L"), dtype=float) / 255.0  # 1 = paper, 0 = ink
            paper, ink = np.array(p["paper"], dtype=float), np.array(p["ink"], dtype=float)
            out = ink + arr[..., None] * (paper - ink)
            img = Image.fromarray(np.clip(out, 0, 255).round().astype(np.uint8), "RGB")
        elif name == "light":
            w, h = img.size
            a = math.radians(p["angle"])
            yy, xx = np.mgrid[0:h, 0:w]
            t = (xx * math.cos(a) + yy * math.sin(a)).astype(float)
            t = (t - t.min()) / max(1.0, float(t.max() - t.min()))
            gain = p["low"] + (1 - p["low"]) * t
            arr = np.asarray(img, dtype=float) * gain[..., None]
            img = Image.fromarray(np.clip(arr, 0, 255).round().astype(np.uint8), "RGB")
        elif name == "blur":
            img = img.filter(ImageFilter.GaussianBlur(p["radius"]))
        elif name == "noise":
            arr = np.asarray(img, dtype=float)
            arr = arr + noise_rng.normal(0, p["sigma"], arr.shape[:2])[..., None]
            img = Image.fromarray(np.clip(arr, 0, 255).round().astype(np.uint8), img.mode)
        elif name == "grey":
            img = img.convert("L")
        else:
            raise ValueError(f"unknown degradation step {name}")
    return Degraded(img, matrix, quality, scale)


# A screenshot is never scaled so far that its text falls under this height (in pixels):
# below it nobody reads a table, a person nor a program.
MIN_TEXT_PX = 8.5


def floor_scale(ops: list[Op], text_px: float) -> list[Op]:
    """Limit the downscaling steps so that the text stays at least ``MIN_TEXT_PX`` high; a
    step scaling back up after one is changed to match."""
    out: list[Op] = []
    factor = 1.0
    for name, p in ops:
        if name == "scale" and p["factor"] < 1:
            f = min(1.0, max(p["factor"], round(MIN_TEXT_PX / text_px, 3)))
            factor = f
            p = {"factor": f}
        elif name == "scale" and p["factor"] > 1:
            p = {"factor": round(1 / factor, 4)}
        out.append((name, p))
    return out


def move_box(matrix: np.ndarray, box: Box) -> Box:
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float).T
    moved = matrix @ pts
    xs, ys = moved[0] / moved[2], moved[1] / moved[2]
    return (round(float(xs.min()), 1), round(float(ys.min()), 1), round(float(xs.max()), 1), round(float(ys.max()), 1))


def is_easy(text_px: float, ops: list[Op]) -> bool:
    """A picture a person reads without effort: body text at least 13 pixels high, and none of
    the harder damage (strong JPEG, blur over 1 px, strong noise, rotation over 1°, a photo)."""
    for name, p in ops:
        if (
            (name == "jpeg" and p["quality"] < 50)
            or (name == "blur" and p["radius"] > 1.0)
            or (name == "noise" and p["sigma"] > 12)
            or (name == "rotate" and abs(p["degrees"]) > 1.0)
            or name == "perspective"
        ):
            return False
    return text_px >= 13.0


def encode(image: Image.Image, fmt: str, quality: int | None = None) -> bytes:
    buffer = io.BytesIO()
    if fmt == "jpeg":
        image.save(buffer, "JPEG", quality=quality or 85)
    elif fmt == "png":
        image.save(buffer, "PNG", optimize=False)
    elif fmt == "tiff":
        image.save(buffer, "TIFF", compression="tiff_lzw")
    elif fmt == "bmp":
        image.save(buffer, "BMP")
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


SUFFIX = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif", "bmp": ".bmp"}
MIME = {"jpeg": "image/jpeg", "png": "image/png"}


# ------------------------------------------------------------------------------ the set


def _int_seed(*parts: Any) -> int:
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


@dataclass
class Made:
    """One degraded picture of one table, ready to be written."""

    table: str
    style: Style
    degradation: str
    ops: list[Op]
    data: bytes
    fmt: str
    easy: bool
    text_px: float
    cells: dict[str, Box]
    labels: list[tuple[str, Box]]
    size: tuple[int, int]


class Generator:
    def __init__(self, sources: list[Source], seed: int = 1):
        self.sources = sources
        self.seed = seed
        self._rendered: dict[tuple[str, str, str], Picture] = {}

    def picture(self, source: Source, table: str, style: Style) -> Picture:
        key = (source.name, table, style.name)
        if key not in self._rendered:
            self._rendered[key] = render_picture(table_grid(source.report.table(table)), style)
        return self._rendered[key]

    def make(self, ident: str, source: Source, table: str, style: Style, degradation: str, fmt: str | None = None) -> Made:
        rng = random.Random(f"{self.seed}:{ident}")
        picture = self.picture(source, table, style)
        ops = floor_scale(DEGRADATIONS[degradation](rng), picture.text_px)
        out = degrade(picture.image, ops, _int_seed(self.seed, ident))
        if out.jpeg_quality is not None:
            fmt = "jpeg"
        elif fmt is None or fmt == "jpeg":
            fmt = "png"
        text_px = round(picture.text_px * out.scale, 2)
        return Made(
            table,
            style,
            degradation,
            ops,
            encode(out.image, fmt, out.jpeg_quality),
            fmt,
            is_easy(text_px, ops),
            text_px,
            {k: move_box(out.matrix, b) for k, b in picture.cells.items()},
            [(t, move_box(out.matrix, b)) for t, b in picture.labels],
            out.image.size,
        )


def _degradation_record(made: Made) -> dict[str, Any]:
    return {"name": made.degradation, "steps": [[n, p] for n, p in made.ops]}


def _picture_item(ident: str, path: str, source: Source, made: Made) -> dict[str, Any]:
    table = source.report.table(made.table)
    return {
        "id": ident,
        "file": path,
        "container": {"jpeg": "jpeg", "png": "png", "tiff": "tiff", "bmp": "bmp"}[made.fmt],
        "source": source.name,
        "tables": [made.table],
        "style": asdict(made.style),
        "degradation": _degradation_record(made),
        "easy": made.easy,
        "text_px": made.text_px,
        "size": list(made.size),
        "truth": {made.table: truth_of(table)},
        "cells": {k: list(b) for k, b in made.cells.items()},
        "labels": [[t, list(b)] for t, b in made.labels],
    }


# Degradations used for pictures inside documents: what a table pasted into Word or a web page
# goes through (a screenshot, perhaps scaled, perhaps saved as JPEG).
CONTAINER_DEGRADATIONS = ("clean", "screenshot-down", "jpeg-high", "screenshot-down-up", "paper-grey")
CONTAINERS = ("docx", "html-files", "html-data", "pdf-picture", "pdf-scan")
SIZES = ("small", "full")


def _report_parts(source: Source) -> Document:
    return build_document(source.report, draft=True)


def _page_html(doc: Document, images: dict[str, str], widths_mm: dict[str, float]) -> str:
    """A report page as agencies save it: headings and paragraphs as text, the tables as images."""
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(doc.title)}</title>",
        "<style>@page { size: A4; margin: 2.5cm 2cm; } body { font-family: 'Noto Serif CJK SC'; font-size: 12pt; "
        "line-height: 1.6; } h1 { font-size: 18pt; text-align: center; } h2 { font-size: 13pt; } "
        "p { text-indent: 2em; margin: 0.3em 0; } img { display: block; margin: 0.5em auto; }</style>",
        "</head><body>",
        f"<h1>{escape(doc.title)}</h1>",
        *(f"<p>{escape(p)}</p>" for p in doc.preamble),
    ]
    for section in doc.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        if section.grid is not None:
            key = section.grid.table
            parts.append(f'<p style="text-indent:0"><img src="{images[key]}" alt="" style="width:{widths_mm[key]:.1f}mm"></p>')
    parts += [f'<p style="text-align:right">{escape(s)}</p>' for s in doc.signature]
    parts.append("</body></html>")
    return "\n".join(parts)


def text_report_html(doc: Document, style: Style, tall_page: bool = False) -> str:
    """The report with its tables as real tables typeset in ``style`` (the same HTML and CSS
    the pictures are cut from): the text counterpart of a picture, for checking the truth.
    ``tall_page``: one long page, so that no table is broken across pages."""
    tables = {s.grid.table: table_html(s.grid, style.caption) for s in doc.sections if s.grid is not None}
    page = _page_html(doc, {k: f"@@{k}@@" for k in tables}, {k: 0.0 for k in tables})
    for key, html in tables.items():
        page = re.sub(rf'<p style="text-indent:0"><img src="@@{key}@@"[^>]*></p>', lambda _m, h=html: h, page)
    css = style_css(style, page=False) + ("@page { size: 210mm 1500mm; }" if tall_page else "")
    return page.replace("</style>", css + "</style>", 1)


def _docx(doc: Document, images: dict[str, bytes], widths_mm: dict[str, float]) -> bytes:
    import datetime

    from docx import Document as Docx
    from docx.shared import Mm

    word = Docx()
    props = word.core_properties
    props.created = props.modified = datetime.datetime(2025, 1, 20, 9, 0, 0)
    props.author = props.last_modified_by = "gongkai-testing"
    props.revision = 1
    word.add_heading(doc.title, level=1)
    for p in doc.preamble:
        word.add_paragraph(p)
    for section in doc.sections:
        word.add_heading(section.heading, level=2)
        for p in section.paragraphs:
            word.add_paragraph(p)
        if section.grid is not None:
            key = section.grid.table
            word.add_picture(io.BytesIO(images[key]), width=Mm(min(widths_mm[key], 160)))
    for s in doc.signature:
        word.add_paragraph(s)
    buffer = io.BytesIO()
    word.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every member dated 1 Jan 1980, so that equal content gives equal bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _weasy_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def scanned_pages(doc: Document, dpi: int) -> list[Image.Image]:
    """The whole report typeset as the project writes it (``render_html``), rasterised page by page."""
    import pypdfium2

    from gongkai.core.report.render.html import render_html

    pdf = pypdfium2.PdfDocument(_weasy_pdf(render_html(doc)))
    try:
        return [page.render(scale=dpi / 72.0).to_pil().convert("RGB") for page in pdf]
    finally:
        pdf.close()


class SetWriter:
    def __init__(self, out: Path, generator: Generator):
        self.out = out
        self.gen = generator
        self.items: list[dict[str, Any]] = []

    def write(self, rel: str, data: bytes | str) -> str:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return rel

    def picture(self, index: int, source: Source, table: str, style: Style, degradation: str) -> None:
        ident = f"p{index:03d}-{table}-{source.name.replace('/', '')}-{degradation}"
        fmt = ("png", "png", "tiff", "bmp")[index % 4] if degradation not in ("screenshot-down", "screenshot-down-up") else "png"
        made = self.gen.make(ident, source, table, style, degradation, fmt)
        path = self.write(f"pictures/{ident}{SUFFIX[made.fmt]}", made.data)
        self.items.append(_picture_item(ident, path, source, made))

    def container(self, index: int, kind: str, source: Source) -> None:
        ident = f"c{index:03d}-{kind}-{source.name.replace('/', '')}"
        rng = random.Random(f"{self.gen.seed}:{ident}")
        doc = _report_parts(source)
        truth = {t: truth_of(source.report.table(t)) for t in TABLES}
        item: dict[str, Any] = {"id": ident, "container": kind, "source": source.name, "tables": list(TABLES), "truth": truth}
        if kind == "pdf-scan":
            dpi = rng.choice((150, 200, 300))
            pages = []
            easy = True
            for n, page in enumerate(scanned_pages(doc, dpi)):
                ops = DEGRADATIONS["scan"](random.Random(f"{self.gen.seed}:{ident}:{n}"))
                out = degrade(page, ops, _int_seed(self.gen.seed, ident, n))
                easy = easy and is_easy(10.5 * dpi / 72.0, ops)
                pages.append(encode(out.image, "jpeg", out.jpeg_quality))
            import img2pdf

            data = img2pdf.convert(pages, nodate=True, engine=img2pdf.Engine.internal)  # pikepdf adds a random /ID
            item.update(
                file=self.write(f"containers/{ident}.pdf", data),
                style={"name": f"project-html-{dpi}dpi", "dpi": dpi, "font_pt": 10.5},
                degradation={"name": "scan", "steps": "per page"},
                easy=easy,
            )
            self.items.append(item)
            return
        style = STYLES[(index + rng.randrange(len(STYLES))) % len(STYLES)]
        degradation = CONTAINER_DEGRADATIONS[index % len(CONTAINER_DEGRADATIONS)]
        made = {t: self.gen.make(f"{ident}:{t}", source, t, style, degradation, "png") for t in TABLES}
        # Shown at the picture's own size (96 px per inch), as a pasted screenshot is.
        widths_mm = {t: m.size[0] / CSS_PX_PER_INCH * 25.4 for t, m in made.items()}
        names = {t: f"{ident}_files/{t}{SUFFIX[m.fmt]}" for t, m in made.items()}
        item.update(
            style=asdict(style),
            degradation={"name": degradation, "steps": {t: [[n, p] for n, p in m.ops] for t, m in made.items()}},
            easy=all(m.easy for m in made.values()),
            text_px=min(m.text_px for m in made.values()),
        )
        if kind == "docx":
            item["file"] = self.write(f"containers/{ident}.docx", _docx(doc, {t: m.data for t, m in made.items()}, widths_mm))
        elif kind == "html-files":
            for t, m in made.items():
                self.write(f"containers/{names[t]}", m.data)
            item["file"] = self.write(f"containers/{ident}.html", _page_html(doc, names, widths_mm))
        elif kind == "html-data":
            uris = {t: f"data:{MIME[m.fmt]};base64,{base64.b64encode(m.data).decode()}" for t, m in made.items()}
            item["file"] = self.write(f"containers/{ident}.html", _page_html(doc, uris, widths_mm))
        elif kind == "pdf-picture":
            uris = {t: f"data:{MIME[m.fmt]};base64,{base64.b64encode(m.data).decode()}" for t, m in made.items()}
            widths_mm = {t: min(w, 165.0) for t, w in widths_mm.items()}
            item["file"] = self.write(f"containers/{ident}.pdf", _weasy_pdf(_page_html(doc, uris, widths_mm)))
        else:
            raise ValueError(kind)
        self.items.append(item)


def build_set(out: Path, size: str = "small", seed: int = 1, sources: list[Source] | None = None) -> dict[str, Any]:
    """Write the set into ``out`` (pictures/, containers/, manifest.json) and return the manifest.

    ``small``: every table under every degradation once (sources and styles taken in turn),
    and every container once; ``full``: every source × table × degradation, and every
    container for every source."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}")
    sources = sources if sources is not None else load_sources()
    writer = SetWriter(out, Generator(sources, seed))
    index = 0
    plan: list[tuple[Source, str, str]] = []
    if size == "small":
        for t, table in enumerate(TABLES):
            for d, degradation in enumerate(DEGRADATION_NAMES):
                plan.append((sources[(t + d) % len(sources)], table, degradation))
    else:
        plan = [(s, t, d) for s in sources for t in TABLES for d in DEGRADATION_NAMES]
    for source, table, degradation in plan:
        # styles in turn, shifted per table, so that every style meets every degradation
        style = STYLES[(index + 3 * TABLES.index(table)) % len(STYLES)]
        writer.picture(index, source, table, style, degradation)
        index += 1
    containers = (
        [(kind, sources[k % len(sources)]) for k, kind in enumerate(CONTAINERS)]
        if size == "small"
        else [(kind, s) for s in sources for kind in CONTAINERS]
    )
    for c, (kind, source) in enumerate(containers):
        writer.container(c, kind, source)
    manifest = {
        "version": MANIFEST_VERSION,
        "seed": seed,
        "size": size,
        "sources": [s.name for s in sources],
        "styles": [asdict(s) for s in STYLES],
        "degradations": list(DEGRADATION_NAMES),
        "items": writer.items,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def load_manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gongkai.testing.pictures",
        description="生成表格图片测试集（国家格式的表二、表三、表四，多种样式与降质，放入 DOCX、HTML、PDF）",
    )
    parser.add_argument("out", type=Path, help="输出文件夹")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="示例报告文件夹（*.txt）")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="语料的 expected 文件夹（*.json）")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = build_set(args.out, args.size, args.seed, load_sources(args.seeds, args.corpus))
    items = manifest["items"]
    print(
        f"已生成 {len(items)} 项（图片 {sum(1 for i in items if i['id'].startswith('p'))}，"
        f"文档 {sum(1 for i in items if i['id'].startswith('c'))}）：{args.out / MANIFEST}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
