"""The pictures of each kind of document, where they stand in its text.

- **DOCX**: every picture of the body (DrawingML or VML) becomes an ``[image: name]`` marker
  where it is anchored (``parsing/docx.py``), with the bytes of its image part.
- **HTML**: every ``<img>`` becomes a marker (``parsing/html.py``); its picture is read from a
  ``data:`` URI or from a local file beside the saved page (the page's folder and the folders
  under it, as a browser's "save page" writes them). Nothing is ever fetched from the
  network: an ``http(s)://`` picture stays a marker only.
- **PDF**: a large image on a page becomes a marker (``parsing/pdf.py``); its region of the
  page is rendered by pdfium at ``PDF_DPI``. A PDF without a text layer (a scan) is read page
  by page: each page rendered and read as a picture of its own.
- **An image file** (PNG, JPEG, TIFF, BMP): the whole picture, as one page.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from urllib.parse import unquote

import numpy as np

from ...errors import ReportReadError
from .read import DocumentText, SourcePicture, decode_image

PDF_DPI = 200  # rendering resolution of a PDF's pictures and scanned pages
MAX_SCANNED_PAGES = 60


# ----------------------------------------------------------------------------- DOCX


def docx_document(data: bytes, source: str | None = None) -> DocumentText:  # noqa: ARG001
    from ..docx import docx_text_and_pictures

    text, met = docx_text_and_pictures(data)
    return DocumentText(text, [SourcePicture(name, blob) for name, blob in met])


# ----------------------------------------------------------------------------- HTML


_DATA_URI = re.compile(r"^data:image/[\w.+-]+(;[\w=.+-]+)*?(;base64)?,(.*)$", re.S | re.I)


def _data_uri(src: str) -> bytes | None:
    m = _DATA_URI.match(src)
    if not m:
        return None
    payload = m.group(3)
    try:
        return base64.b64decode(payload, validate=False) if m.group(2) else unquote(payload).encode("latin-1")
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _local_file(src: str, source: str | None) -> bytes | None:
    """A picture saved beside the page: a relative path (or file: URL) inside the page's folder."""
    if not source or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) and not src.lower().startswith("file:"):
        return None  # http:, https:, ftp:, … — never fetched
    folder = Path(source).resolve().parent
    path_text = unquote(src.split("?", 1)[0].split("#", 1)[0])
    if path_text.lower().startswith("file://"):
        path_text = path_text[7:]
    elif path_text.lower().startswith("file:"):
        path_text = path_text[5:]
    path = Path(path_text)
    target = (path if path.is_absolute() else folder / path).resolve()
    if folder not in target.parents or not target.is_file():
        return None
    if target.stat().st_size > 30 * 1024 * 1024:
        return None
    return target.read_bytes()


def html_document(data: bytes, source: str | None = None) -> DocumentText:
    from ..html import IMAGES_MET, html_to_text

    met: list[tuple[str, str]] = []
    token = IMAGES_MET.set(met)
    try:
        text = html_to_text(data)
    finally:
        IMAGES_MET.reset(token)
    pictures = []
    for name, src in met:
        blob = _data_uri(src) if src.lower().startswith("data:") else _local_file(src, source)
        if blob:
            pictures.append(SourcePicture(name, blob))
    return DocumentText(text, pictures)


# ------------------------------------------------------------------------------ PDF


def _render_pages(data: bytes, wanted: dict[int, int]) -> list[SourcePicture]:
    """The large images of the pages named (page number -> how many markers it has), each
    rendered from its region of the page, in the order of the markers (top to bottom)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: list[SourcePicture] = []
    scale = PDF_DPI / 72
    pdf = pdfium.PdfDocument(data)
    try:
        for number in sorted(wanted):
            page = pdf[number - 1]
            width, height = page.get_size()
            regions = []
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                if right - left >= 100 and top - bottom >= 50:
                    regions.append((height - top, left, right, height - bottom))
            regions.sort()
            if not regions:
                continue
            bitmap = page.render(scale=scale).to_numpy()
            for top, left, right, bottom in regions[: wanted[number]]:
                y0, y1 = max(0, int(top * scale)), min(bitmap.shape[0], int(bottom * scale) + 1)
                x0, x1 = max(0, int(left * scale)), min(bitmap.shape[1], int(right * scale) + 1)
                crop = np.ascontiguousarray(_bgr(bitmap)[y0:y1, x0:x1])
                out.append(SourcePicture(f"第{number}页图片", b"", number, crop))
            page.close()
    finally:
        pdf.close()
    return out


def _bgr(bitmap: np.ndarray) -> np.ndarray:
    """pdfium's BGRA/BGR bitmap as a BGR picture."""
    if bitmap.ndim == 3 and bitmap.shape[2] == 4:
        return bitmap[:, :, :3]
    return bitmap


def pdf_document(data: bytes, source: str | None = None) -> DocumentText:  # noqa: ARG001
    from ..pdf import pdf_to_text

    try:
        text = pdf_to_text(data)
    except ReportReadError as error:
        if error.code != "scanned_pdf":
            raise
        return scanned_pdf(data)
    wanted: dict[int, int] = {}
    for m in re.finditer(r"\[image: 第(\d+)页图片\]", text):
        wanted[int(m.group(1))] = wanted.get(int(m.group(1)), 0) + 1
    if not wanted:
        return DocumentText(text)
    return DocumentText(text, _render_pages(data, wanted))


def scanned_pdf(data: bytes) -> DocumentText:
    """A PDF without a text layer: every page rendered and read as a picture."""
    import pypdfium2 as pdfium


    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) > MAX_SCANNED_PAGES:
            raise ReportReadError("too_large", None, f"扫描件 {len(pdf)} 页，上限 {MAX_SCANNED_PAGES} 页")
        images = []
        for i in range(len(pdf)):
            page = pdf[i]
            images.append(np.ascontiguousarray(_bgr(page.render(scale=PDF_DPI / 72, grayscale=False).to_numpy())))
            page.close()
    finally:
        pdf.close()
    return DocumentText("", pages=images, empty_code="scanned_pdf")


# ----------------------------------------------------------------------- image files


def image_document(data: bytes, source: str | None = None) -> DocumentText:  # noqa: ARG001
    image = decode_image(data)
    if image is None:
        raise ReportReadError("broken_file", None, "无法读取图片（文件已损坏或不是图片）")
    return DocumentText("", pages=[image], original=data)


__all__ = ["docx_document", "html_document", "pdf_document", "image_document", "scanned_pdf", "PDF_DPI"]
