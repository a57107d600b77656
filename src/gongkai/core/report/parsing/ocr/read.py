"""Put the tables read from pictures into a document's text, and their provenance into the report.

A container reader (DOCX, HTML, PDF, an image file) gives the document's text with an
``[image: …]`` marker where each picture stands, and the pictures themselves. ``expand``
reads every picture that holds a table (``grid.read_grid``) and writes the table's rows, as
tab-separated lines, right after the picture's marker: the text parser then reads them as it
reads a Word table, by the same labels and rules. A picture without a table (a seal, a
photo) stays a marker only.

After parsing, ``attach`` gives every cell of those lines its origin (the picture, its page,
the cell's box, the OCR confidence), and ``settle`` lets the arithmetic decide the digits the
engine was not sure of (see ``settle.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ...model import Cell, CellOrigin, ParseNote, Picture, Report
from ..lines import IMAGE_MARKER
from .engine import OcrEngine, get_engine
from .grid import Grid, Slot, read_grid, slot_text, to_grey

MIN_SIDE = 60  # pixels: a smaller picture (an icon, a bullet, a line) holds no table
MAX_PIXELS = 40_000_000  # a bigger picture is not decoded (a decompression bomb)


@dataclass
class SourcePicture:
    """A picture as a container gives it: its marker's name, its bytes, its page."""

    name: str
    data: bytes
    page: int | None = None
    image: np.ndarray | None = None  # already decoded (a rendered PDF region)


@dataclass
class DocumentText:
    """What a container reader returns when the document has pictures: the text with
    ``[image: name]`` markers, and the pictures in the order of their markers."""

    text: str
    pictures: list[SourcePicture] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)
    # a scan or an image file: whole pages to be read as pictures (``page.page_text``), and the
    # image file's own bytes (kept as the picture when the table fills it)
    pages: list[np.ndarray] = field(default_factory=list)
    original: bytes | None = None
    empty_code: str = "no_text"  # the error when the pages hold no text at all


@dataclass
class _RowSlots:
    picture: int
    slots: list[Slot]


@dataclass
class Layout:
    """Which lines of the expanded text came from which picture, slot by slot."""

    pictures: list[Picture] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    rows: dict[int, _RowSlots] = field(default_factory=dict)  # line number (1-based) -> slots
    notes: list[ParseNote] = field(default_factory=list)


def decode_image(data: bytes) -> np.ndarray | None:
    """A picture's pixels (BGR), or None when the bytes are no picture OpenCV can read."""
    import cv2
    from PIL import Image

    try:
        import io

        with Image.open(io.BytesIO(data)) as probe:  # the size first: no bomb is decoded
            if probe.width * probe.height > MAX_PIXELS:
                return None
    except Exception:  # noqa: BLE001 - not a picture Pillow knows; OpenCV may still
        pass
    buffer = np.frombuffer(data, dtype=np.uint8)
    image = cv2.imdecode(buffer, cv2.IMREAD_COLOR)
    if image is None:
        try:  # GIF and some TIFFs: through Pillow
            import io

            with Image.open(io.BytesIO(data)) as pil:
                image = cv2.cvtColor(np.asarray(pil.convert("RGB")), cv2.COLOR_RGB2BGR)
        except Exception:  # noqa: BLE001
            return None
    return image


def _png(image: np.ndarray) -> bytes:
    import cv2

    ok, buffer = cv2.imencode(".png", image)
    return buffer.tobytes() if ok else b""


def _media_type(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    return ""


def _has_numbers(grid: Grid) -> bool:
    return sum(1 for row in grid.rows for s in row if not s.covered and re.fullmatch(r"[\d,，.]+", s.text)) >= 2


def expand(document: DocumentText, engine: OcrEngine | None = None) -> tuple[str, Layout]:
    """The text with each table picture's rows written after its marker, and the layout."""
    layout = Layout(notes=list(document.notes))
    if not document.pictures:
        return document.text, layout
    queue = list(document.pictures)
    out: list[str] = []
    for raw_line in document.text.split("\n"):
        markers = IMAGE_MARKER.findall(raw_line)
        tables: list[tuple[int, Grid]] = []
        for marker in markers:
            name = marker[len("[image:") : -1].strip()
            index = next((i for i, p in enumerate(queue) if p.name == name), None)
            if index is None:
                continue
            source = queue.pop(index)
            read = _read_picture(source, engine, layout)
            if read is not None:
                tables.append(read)
        if not tables:
            out.append(raw_line)
            continue
        # The text before the picture, the marker(s), then the table's rows, then the rest.
        out.append(raw_line)
        for picture_index, grid in tables:
            for row, text in zip(grid.rows, grid.lines()):
                out.append(text)
                layout.rows[len(out)] = _RowSlots(picture_index, row)
    return "\n".join(out), layout


def _read_picture(source: SourcePicture, engine: OcrEngine | None, layout: Layout) -> tuple[int, Grid] | None:
    image = source.image if source.image is not None else decode_image(source.data)
    if image is None or min(image.shape[:2]) < MIN_SIDE:
        return None
    grid = read_grid(image, engine or get_engine())
    if grid is None or not _has_numbers(grid):
        return None
    data = source.data if source.data and _media_type(source.data) else _png(image)
    layout.pictures.append(
        Picture(source.name, source.page, int(image.shape[1]), int(image.shape[0]), [], data, _media_type(data) or "image/png")
    )
    layout.grids.append(grid)
    return len(layout.pictures) - 1, grid


# ------------------------------------------------------------------------- after parsing


def _value_slots(slots: list[Slot], n: int) -> list[Slot]:
    """The slots that hold a row's n values: the last n slots that are not covered."""
    own = [s for s in slots if not s.covered]
    return own[-n:] if len(own) >= n else []


CellSlots = dict[tuple[str, str, str], Slot]  # (table, row, column) -> the slot it was read from


def attach(report: Report, layout: Layout) -> CellSlots:
    """Give every cell read from a picture its origin; record the pictures in the report.
    Returns the slot of every such cell (its characters and their confidences)."""
    found_slots: CellSlots = {}
    if not layout.pictures:
        report.notes.extend(layout.notes)
        return found_slots
    base = len(report.pictures)
    report.pictures.extend(layout.pictures)
    for key, table in report.tables.items():
        if table is None:
            continue
        used: set[int] = set()
        # The cells of each line, in column order; table 4 prints its three blocks on one line.
        by_line: dict[int, list[tuple[str, str]]] = {}
        for row_key, columns in table.rows.items():
            lines = {c.line for c in columns.values() if c.line is not None}
            if len(lines) == 1:
                by_line.setdefault(lines.pop(), []).extend((row_key, column) for column in columns)
        for line, places in by_line.items():
            found = layout.rows.get(line)
            if found is None:
                continue
            slots = _value_slots(found.slots, len(places))
            if not slots or not all(_agrees(table.rows[r][c], slot) for (r, c), slot in zip(places, slots)):
                continue  # the parser read this line otherwise: no origin rather than a wrong one
            used.add(found.picture)
            for (row_key, column), slot in zip(places, slots):
                cell = table.rows[row_key][column]
                x0, y0, x1, y1 = slot.box
                origin = CellOrigin(base + found.picture, layout.pictures[found.picture].page, (int(x0), int(y0), int(x1), int(y1)), _confidence(slot))
                table.rows[row_key][column] = Cell(cell.value, cell.raw, cell.line, cell.status, cell.candidates, origin)
                found_slots[(key, row_key, column)] = slot
        for index in sorted(used):
            if key not in layout.pictures[index].tables:
                layout.pictures[index].tables.append(key)
    for picture in layout.pictures:
        if picture.tables:
            names = "、".join(_TABLE_NAMES.get(t, t) for t in picture.tables)
            report.notes.append(
                ParseNote(
                    "table-from-picture",
                    f"{names}以图片形式发布（{picture.name}{_page(picture.page)}），其中的数字由文字识别（OCR）读出",
                    None,
                    picture.tables[0],
                )
            )
    report.notes.extend(layout.notes)
    return found_slots


_TABLE_NAMES = {"active": "表二", "applications": "表三", "review_litigation": "表四", "active_2019": "表二"}


def _page(page: int | None) -> str:
    return f"，第 {page} 页" if page else ""


def _agrees(cell: Cell, slot: Slot) -> bool:
    """The cell was read from this slot: its raw text is the slot's text as written."""
    return cell.raw is not None and cell.raw.strip() == slot_text(slot).strip()


def _confidence(slot: Slot) -> float | None:
    chars = [c for c in slot.chars if not c.text.isspace()]
    if chars:
        return min(c.confidence for c in chars)
    return slot.confidence


__all__ = ["SourcePicture", "DocumentText", "Layout", "expand", "attach", "CellSlots", "decode_image", "to_grey"]
