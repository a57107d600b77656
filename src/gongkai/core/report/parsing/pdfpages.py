"""What is on a PDF's pages, read through pdfium (``pypdfium2``'s raw API): the characters with
their boxes, the ruling edges of tables, and the boxes of pictures.

``read_pages(data)`` yields one ``PageContent`` per page; everything in it is in points with the
origin at the top left of the page as it is displayed (pdfium's own origin is the bottom left of
the unrotated page; a page with ``/Rotate`` is turned as a viewer shows it). The boxes follow
pdfminer's conventions, which the table and line reconstruction in ``pdf.py`` was built on:

- a character's box runs across its advance width (``x0``–``x1``) and from the font's descent
  (``bottom``) up one em (``top = bottom - size``); ``size`` is the font size on the page;
  the spaces and line breaks that pdfium makes up between characters are left out, the
  spaces that the file has are kept (``text == " "``); ligatures (ﬁ, ﬂ…) are spelt out;
  ``font`` is the font's name without its subset tag ("SimSun", not "ABCDEF+SimSun");
- an ``Edge`` is a horizontal or vertical straight piece of a path, stroked or filled: each
  side of a rectangle, each straight segment of a polygon; curves and slanted segments are not
  edges. A path less than 1 pt thick (a drawn line, or a thin filled rectangle: the usual ruling
  of Word and WPS) gives the sides of its box (two long edges a hair apart, which the table
  finder snaps together); paths inside form XObjects count, placed by the form's matrix;
- an ``ImageBox`` is where a picture is drawn (pictures inside forms included), with its index
  path among the page objects so that a caller can fetch its pixels.

The document and every page and text page are closed before the generator moves on or stops;
pdfium is not thread-safe, so one lock serialises the documents read in one process.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import ReportReadError

# Characters that one glyph of a font may stand for.
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}

_LOCK = threading.RLock()  # re-entrant: a reader may open a second PDF while iterating a first

# pdfium's page object and path segment kinds (fpdf_edit.h).
_PATH, _IMAGE, _FORM = 2, 3, 5
_LINETO, _MOVETO = 0, 2
# What pdfium puts in the text for a glyph it cannot map, and the characters it may make up.
_SKIP = frozenset("\x00\x02\x03\ufffe\uffff\r\n \u00a0")
# The tag of an embedded subset of a font ("ABCDEF+").
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
# A path less thick than this is a rule (a stroked line, a thin filled rectangle): its box, read
# in one call, stands for it (with a stroke, the box takes in the line's width).
_HAIRLINE = 1.0


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str


@dataclass(slots=True)
class Edge:
    orientation: str  # "h" or "v"
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(slots=True)
class ImageBox:
    x0: float
    x1: float
    top: float
    bottom: float
    path: tuple[int, ...]  # index of the image object among the page's objects (then inside forms)


@dataclass
class PageContent:
    number: int  # from 1
    width: float
    height: float
    rotation: int  # degrees clockwise, as /Rotate says
    chars: list[Char] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    images: list[ImageBox] = field(default_factory=list)


# A matrix (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f.
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """``inner`` then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _display(rotation: int, box: tuple[float, float, float, float]) -> _Matrix:
    """Page space (origin bottom left of the media box) to display space (origin top left, y
    down, the page turned by /Rotate), as pdfminer does."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return (0.0, 1.0, 1.0, 0.0, -y0, -x0)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, 1.0, x1, -y0)
    if rotation == 270:
        return (0.0, -1.0, -1.0, 0.0, y1, x1)
    return (1.0, 0.0, 0.0, -1.0, -x0, y1)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


_V, _I, _U, _F, _D, _S = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_float, ctypes.c_double, ctypes.c_size_t
# The functions used, declared with plain pointers and numbers: about half the cost per call of
# pypdfium2's typed bindings, which matters at a few calls per character.
_SIGNATURES = {
    "FPDF_LoadMemDocument64": (_V, _V, _S, _V),
    "FPDF_GetPageCount": (_I, _V),
    "FPDF_LoadPage": (_V, _V, _I),
    "FPDF_ClosePage": (None, _V),
    "FPDF_CloseDocument": (None, _V),
    "FPDF_GetPageWidthF": (_F, _V),
    "FPDF_GetPageHeightF": (_F, _V),
    "FPDFPage_GetRotation": (_I, _V),
    "FPDFPage_GetMediaBox": (_I, _V, _V, _V, _V, _V),
    "FPDFText_LoadPage": (_V, _V),
    "FPDFText_ClosePage": (None, _V),
    "FPDFText_CountChars": (_I, _V),
    "FPDFText_GetUnicode": (_U, _V, _I),
    "FPDFText_GetText": (_I, _V, _I, _I, _V),
    "FPDFText_IsGenerated": (_I, _V, _I),
    "FPDFText_GetLooseCharBox": (_I, _V, _I, _V),
    "FPDFText_GetMatrix": (_I, _V, _I, _V),
    "FPDFText_GetFontSize": (_D, _V, _I),
    "FPDFText_GetCharOrigin": (_I, _V, _I, _V, _V),
    "FPDFText_GetTextObject": (_V, _V, _I),
    "FPDFTextObj_GetFont": (_V, _V),
    "FPDFFont_GetBaseFontName": (_S, _V, _V, _S),
    "FPDFPage_CountObjects": (_I, _V),
    "FPDFPage_GetObject": (_V, _V, _I),
    "FPDFFormObj_CountObjects": (_I, _V),
    "FPDFFormObj_GetObject": (_V, _V, ctypes.c_ulong),
    "FPDFPageObj_GetType": (_I, _V),
    "FPDFPageObj_GetMatrix": (_I, _V, _V),
    "FPDFPageObj_GetBounds": (_I, _V, _V, _V, _V, _V),
    "FPDFPath_CountSegments": (_I, _V),
    "FPDFPath_GetPathSegment": (_V, _V, _I),
    "FPDFPathSegment_GetPoint": (_I, _V, _V, _V),
    "FPDFPathSegment_GetType": (_I, _V),
    "FPDFPathSegment_GetClose": (_I, _V),
}


class _Pdfium:
    """pdfium's functions (from the library that ``pypdfium2`` ships and initialises)."""

    _instance: "_Pdfium | None" = None

    def __init__(self) -> None:
        import pypdfium2.raw as raw  # initialises the library
        from pypdfium2_raw import bindings

        self.raw = raw
        lib = bindings._libs["pdfium"]
        for name, (restype, *argtypes) in _SIGNATURES.items():
            setattr(self, name, ctypes.CFUNCTYPE(restype, *argtypes)((name, lib)))

    @classmethod
    def get(cls) -> "_Pdfium":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


class _Matrix6(ctypes.Structure):
    _fields_ = [(n, ctypes.c_float) for n in "abcdef"]


class _RectF(ctypes.Structure):
    _fields_ = [("left", ctypes.c_float), ("top", ctypes.c_float), ("right", ctypes.c_float), ("bottom", ctypes.c_float)]


class _Reader:
    """Buffers reused for every call into pdfium."""

    def __init__(self, lib: _Pdfium) -> None:
        self.lib = lib
        self.rect = _RectF()
        self.matrix = _Matrix6()
        self.fx, self.fy = ctypes.c_float(), ctypes.c_float()
        self.dx, self.dy = ctypes.c_double(), ctypes.c_double()
        self.box = tuple(ctypes.c_float() for _ in range(4))
        self.fonts: dict[int, str] = {}
        self.text_objects: set[int] = set()  # of the page being read: no need to ask their type
        self.name = ctypes.create_string_buffer(256)
        a = ctypes.addressof
        self.rect_p, self.matrix_p = a(self.rect), a(self.matrix)
        self.fx_p, self.fy_p, self.dx_p, self.dy_p = a(self.fx), a(self.fy), a(self.dx), a(self.dy)
        self.box_p = tuple(a(v) for v in self.box)

    def object_matrix(self, obj: int) -> _Matrix:
        m = self.matrix
        if not self.lib.FPDFPageObj_GetMatrix(obj, self.matrix_p):
            return _IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def font_name(self, font: int) -> str:
        """A font's base name without the tag of its subset ("SimSun" for "ABCDEF+SimSun": a
        typesetter may embed one font as several subsets), "" if it has none."""
        n = self.lib.FPDFFont_GetBaseFontName(font, self.name, 256) if font else 0
        name = self.name.raw[: max(n - 1, 0)].decode("utf-8", "replace") if n else ""
        return _SUBSET_TAG.sub("", name)

    # ------------------------------------------------------------------ characters

    def chars(self, page: int, to_display: _Matrix) -> list[Char]:
        lib = self.lib
        text_page = lib.FPDFText_LoadPage(page)
        if not text_page:
            return []
        try:
            count = lib.FPDFText_CountChars(text_page)
            # all the text in one call (UTF-16, one unit per character unless a character lies
            # outside the BMP: then one by one)
            buffer = ctypes.create_string_buffer(2 * (count + 1))
            written = lib.FPDFText_GetText(text_page, 0, count, buffer)
            text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", "replace")
            if len(text) != count:
                text = "".join(chr(lib.FPDFText_GetUnicode(text_page, i)) for i in range(count))
            out: list[Char] = []
            append = out.append
            rect, m, rect_p, matrix_p = self.rect, self.matrix, self.rect_p, self.matrix_p
            generated, loose, text_object = lib.FPDFText_IsGenerated, lib.FPDFText_GetLooseCharBox, lib.FPDFText_GetTextObject
            char_matrix, font_size, font_of = lib.FPDFText_GetMatrix, lib.FPDFText_GetFontSize, lib.FPDFTextObj_GetFont
            da, db, dc, dd, de, df = to_display
            straight = db == 0 and dc == 0 and da == 1 and dd == -1  # not rotated: x kept, y flipped
            hypot = math.hypot
            # per text object: (font name, em height on the page, upright as displayed)
            objects: dict[int, tuple[str, float, bool]] = {}
            names = self.fonts
            for i, ch in enumerate(text):
                if ch in _SKIP:
                    if ch not in "\r\n \u00a0" or generated(text_page, i):
                        continue  # pdfium's marks for unmapped glyphs, its made-up spaces and line breaks
                if not loose(text_page, i, rect_p):
                    continue
                obj = text_object(text_page, i) or 0
                known = objects.get(obj) if obj else None
                if known is None:
                    # what the character shares with the others of its text object
                    if not char_matrix(text_page, i, matrix_p):
                        m.a, m.b, m.c, m.d = 1.0, 0.0, 0.0, 1.0
                    # the em's height: the text space's y axis through the character's matrix
                    size = font_size(text_page, i) * hypot(m.c, m.d)
                    # upright: the text's x axis points right on the displayed page
                    ux, uy = da * m.a + dc * m.b, db * m.a + dd * m.b
                    font = font_of(obj) or 0 if obj else 0
                    name = names.get(font)
                    if name is None:
                        name = names[font] = self.font_name(font)
                    known = (name, size, ux > 0 and abs(uy) <= 1e-6 * ux and size > 0)
                    if obj:
                        objects[obj] = known
                        self.text_objects.add(obj)
                font, size, upright = known
                left, right, low, high = rect.left, rect.right, rect.bottom, rect.top
                if right - left > 3 * size or high - low > 3 * size:
                    # pdfium's loose box of a glyph without widths (the unscaled font size):
                    # an em square on the glyph's origin, as pdfminer has it
                    lib.FPDFText_GetCharOrigin(text_page, i, self.dx_p, self.dy_p)
                    left, low = self.dx.value, self.dy.value
                    right, high = left + size, low + size
                if straight:
                    x0, x1, top, bottom = left + de, right + de, df - high, df - low
                else:
                    x0, y0 = da * left + dc * low + de, db * left + dd * low + df
                    x1, y1 = da * right + dc * high + de, db * right + dd * high + df
                    if x0 > x1:
                        x0, x1 = x1, x0
                    top, bottom = (y0, y1) if y0 < y1 else (y1, y0)
                if upright:
                    top = bottom - size
                if ch in LIGATURES:
                    ch = LIGATURES[ch]
                append(Char(ch, x0, x1, top, bottom, size, font))
            return out
        finally:
            lib.FPDFText_ClosePage(text_page)

    # --------------------------------------------------------------- paths, images

    def objects(self, container: int, in_form: bool, to_display: _Matrix, page: PageContent, path: tuple[int, ...]) -> None:
        """Edges and pictures of the objects of a page (or of a form, placed by ``to_display``,
        which maps the form's space to the displayed page)."""
        lib = self.lib
        count = lib.FPDFFormObj_CountObjects(container) if in_form else lib.FPDFPage_CountObjects(container)
        get = lib.FPDFFormObj_GetObject if in_form else lib.FPDFPage_GetObject
        kind_of = lib.FPDFPageObj_GetType
        known_text = self.text_objects
        for i in range(count):
            obj = get(container, i)
            if not obj or obj in known_text:
                continue
            kind = kind_of(obj)
            if kind == _PATH:
                box = self.bounds(obj, to_display)
                if box is not None and (box[1] - box[0] < _HAIRLINE or box[3] - box[2] < _HAIRLINE):
                    _box_edges(box, page.edges)  # a rule: the sides of its box are its edges
                else:
                    self.path_edges(obj, _multiply(self.object_matrix(obj), to_display), page.edges)
            elif kind == _IMAGE:
                box = self.bounds(obj, to_display)
                if box is not None:
                    page.images.append(ImageBox(*box, path=(*path, i)))
            elif kind == _FORM:
                self.objects(obj, True, _multiply(self.object_matrix(obj), to_display), page, (*path, i))

    def bounds(self, obj: int, to_display: _Matrix) -> tuple[float, float, float, float] | None:
        """An object's box in display space (``to_display`` maps its parent's space)."""
        if not self.lib.FPDFPageObj_GetBounds(obj, *self.box_p):
            return None
        left, bottom, right, top = (v.value for v in self.box)
        a, b, c, d, e, f = to_display
        if a == 1 and d == -1 and b == 0 and c == 0:  # not rotated: x kept, y flipped
            return left + e, right + e, f - top, f - bottom
        corners = [_apply(to_display, x, y) for x in (left, right) for y in (bottom, top)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        return min(xs), max(xs), min(ys), max(ys)

    def path_edges(self, obj: int, to_display: _Matrix, edges: list[Edge]) -> None:
        lib = self.lib
        fx, fy, fx_p, fy_p = self.fx, self.fy, self.fx_p, self.fy_p
        segment, point_of, kind_of, closes = (
            lib.FPDFPath_GetPathSegment,
            lib.FPDFPathSegment_GetPoint,
            lib.FPDFPathSegment_GetType,
            lib.FPDFPathSegment_GetClose,
        )
        start = last = None
        for i in range(lib.FPDFPath_CountSegments(obj)):
            seg = segment(obj, i)
            if not seg or not point_of(seg, fx_p, fy_p):
                continue
            point = _apply(to_display, fx.value, fy.value)
            kind = kind_of(seg)
            if kind == _MOVETO:
                start = last = point
                continue
            if kind == _LINETO and last is not None:
                _edge(last, point, edges)
            last = point
            if closes(seg) and start is not None:
                _edge(point, start, edges)
                last = start


def _box_edges(box: tuple[float, float, float, float], edges: list[Edge]) -> None:
    x0, x1, top, bottom = box
    if x1 > x0:
        edges.append(Edge("h", x0, x1, top, top))
        edges.append(Edge("h", x0, x1, bottom, bottom))
    if bottom > top:
        edges.append(Edge("v", x0, x0, top, bottom))
        edges.append(Edge("v", x1, x1, top, bottom))


def _edge(p: tuple[float, float], q: tuple[float, float], edges: list[Edge]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1e-3 and x0 != x1:
        y = (y0 + y1) / 2
        edges.append(Edge("h", min(x0, x1), max(x0, x1), y, y))
    elif abs(x0 - x1) < 1e-3 and y0 != y1:
        x = (x0 + x1) / 2
        edges.append(Edge("v", x, x, min(y0, y1), max(y0, y1)))


def _open_error(code: int) -> ReportReadError:
    if code == 4:  # FPDF_ERR_PASSWORD
        return ReportReadError("broken_file", None, "PDF 已加密，需要密码才能打开")
    if code == 5:  # FPDF_ERR_SECURITY
        return ReportReadError("broken_file", None, "PDF 的安全设置不受支持")
    return ReportReadError("broken_file", None, "无法打开 PDF：文件已损坏或不是 PDF")


def _open(lib: _Pdfium, buffer) -> int:
    doc = lib.FPDF_LoadMemDocument64(buffer, len(buffer), None)
    if not doc:
        raise _open_error(lib.raw.FPDF_GetLastError())
    return doc


def page_count(data: bytes) -> int:
    """The number of pages (``broken_file`` when pdfium cannot open the file)."""
    lib = _Pdfium.get()
    buffer = ctypes.create_string_buffer(data, len(data))
    with _LOCK:
        doc = _open(lib, buffer)
        try:
            return lib.FPDF_GetPageCount(doc)
        finally:
            lib.FPDF_CloseDocument(doc)


def read_pages(data: bytes, max_pages: int | None = None) -> Iterator[PageContent]:
    """Each page's characters, edges and pictures, in page order (see the module's docstring).
    ``broken_file`` when the file cannot be opened (damaged, encrypted), ``too_large`` above
    ``max_pages`` pages; a page pdfium cannot load is yielded empty."""
    lib = _Pdfium.get()
    buffer = ctypes.create_string_buffer(data, len(data))  # pdfium reads from it while open
    with _LOCK:
        doc = _open(lib, buffer)
        try:
            count = lib.FPDF_GetPageCount(doc)
            if max_pages is not None and count > max_pages:
                raise ReportReadError("too_large", None, f"{count} 页，上限 {max_pages} 页")
            reader = _Reader(lib)
            for index in range(count):
                yield _read_page(lib, reader, doc, index)
        finally:
            if _library_open():  # a generator left open is finalised late, maybe after pdfium's exit
                lib.FPDF_CloseDocument(doc)


def _library_open() -> bool:
    from pypdfium2.internal import bases

    return bool(getattr(bases, "LIBRARY_AVAILABLE", True))


def _read_page(lib: _Pdfium, reader: _Reader, doc: int, index: int) -> PageContent:
    page = lib.FPDF_LoadPage(doc, index)
    if not page:
        return PageContent(index + 1, 0.0, 0.0, 0)
    try:
        rotation = (lib.FPDFPage_GetRotation(page) % 4) * 90
        if lib.FPDFPage_GetMediaBox(page, *reader.box_p):
            left, bottom, right, top = (v.value for v in reader.box)
        else:
            left, bottom, right, top = 0.0, 0.0, lib.FPDF_GetPageWidthF(page), lib.FPDF_GetPageHeightF(page)
            if rotation in (90, 270):
                right, top = top, right
        media = (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
        width, height = media[2] - media[0], media[3] - media[1]
        if rotation in (90, 270):
            width, height = height, width
        to_display = _display(rotation, media)
        out = PageContent(index + 1, width, height, rotation)
        reader.text_objects.clear()
        out.chars = reader.chars(page, to_display)
        reader.objects(page, False, to_display, out, ())
        return out
    finally:
        lib.FPDF_ClosePage(page)


__all__ = ["Char", "Edge", "ImageBox", "PageContent", "read_pages", "page_count", "LIGATURES"]
