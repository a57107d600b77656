"""A table's structure on a picture: the grid of its ruling lines, or, where the lines are
missing, rows and columns from the positions of the text.

With ruling lines (the usual case: a table made in Word or WPS and published as a
screenshot), OpenCV's morphology keeps the long horizontal and vertical strokes of the
binarised picture; their positions give the grid's row and column boundaries, and a boundary
that no stroke covers between two neighbouring slots merges them (the merged cells of table
3's three-level header, its group labels spanning several rows). Every text box found by the
engine is put in the cell that holds its centre.

Without lines (a borderless table, a picture whose lines faded away), rows are the text boxes
clustered by their vertical centres and columns the number boxes clustered by their horizontal
centres; the text left of the first number column is the row's label.

The result is a ``Grid``: rows × columns of slots, a merged cell's text in its top-left slot
and the slots it covers marked as such, exactly as the DOCX reader lays a Word table out, so
the text parser reads it by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..lines import UNREAD_MARK
from .engine import Box, CharBox, OcrEngine, TextBox


@dataclass
class Slot:
    """One slot of the grid. ``covered``: part of a merged cell whose text is elsewhere."""

    box: Box  # the cell's box on the picture (the merged cell's box for its top-left slot)
    boxes: list[TextBox] = field(default_factory=list)
    covered: bool = False
    ink: bool = False  # something is printed in it (read or not)

    @property
    def text(self) -> str:
        return "".join(b.text for b in self.boxes).strip()

    @property
    def confidence(self) -> float | None:
        return min((b.confidence for b in self.boxes), default=None)

    @property
    def chars(self) -> list[CharBox]:
        out: list[CharBox] = []
        for b in self.boxes:
            if b.chars:
                out.extend(b.chars)
            else:
                out.extend(CharBox(ch, b.box, b.confidence) for ch in b.text)
        return out


@dataclass
class Grid:
    rows: list[list[Slot]]
    ruled: bool  # found from ruling lines (False: from the text positions)

    def lines(self) -> list[str]:
        """One tab-separated line per row, as the DOCX reader writes a table's rows; a cell
        with ink that the engine could not read holds ``UNREAD_MARK``."""
        return ["\t".join("" if s.covered else slot_text(s) for s in row) for row in self.rows]


def slot_text(slot: Slot) -> str:
    """A slot's text as written into the document's text."""
    text = slot.text.replace("\t", " ").replace("\n", "")
    if not text and slot.ink:
        return UNREAD_MARK
    # a bracket read twice at a label's start ("（（七）总计")
    return re.sub(r"^([（(])[（(]+", r"\1", text)


# Letters an engine reads where a digit is printed, in a cell that holds a number.
LOOKALIKES = {"。": "0", "〇": "0", "o": "0", "O": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9", "b": "6", "G": "6"}
_NUMBERISH = re.compile(r"^[0-9。〇oODQlI|iSsBZzgqbG,，]{1,12}$")
_STRAY = re.compile(r"^[.·、,，:：;；'\"`]*(\d+)[.·、,，:：;；'\"`]+$|^[.·、,，:：;；'\"`]+(\d+)$")


_DIGITS_ONLY = re.compile(r"^[0-9,，]+$")


def _digit_odds(box: TextBox) -> TextBox:
    """A cell read as a number: each digit's confidence taken among the digits alone
    (``CharBox.digit_confidence``). Only digits can be printed in such a cell, so the engine's
    doubt between a "0" and the letter "o" is no doubt about the number."""
    if not _DIGITS_ONLY.match(box.text.strip()) or not box.chars:
        return box
    digits = [c for c in box.chars if c.text.isdigit()]
    if not digits or any(not c.digits for c in digits):
        return box
    chars = tuple(
        CharBox(c.text, c.box, c.digit_confidence() or 0.0, c.digits) if c.text.isdigit() else c for c in box.chars
    )
    return TextBox(box.text, box.box, min(c.confidence for c in chars), chars)


def _as_digits(box: TextBox) -> TextBox:
    """A cell's reading with look-alike letters taken as the digits they stand for ("1O" → "10"),
    each such character with confidence 0 so that the arithmetic decides it."""
    text = box.text.strip()
    stray = _STRAY.match(text)
    if stray:  # a speck read as a dot or comma beside the digits ("7."): the digits, in doubt
        digits = stray.group(1) or stray.group(2)
        return TextBox(digits, box.box, 0.0, tuple(CharBox(ch, box.box, min(box.confidence, 0.5)) for ch in digits))
    if not _NUMBERISH.match(text) or text.isdigit() or not any(ch in LOOKALIKES for ch in text):
        return box
    if not any(ch.isdigit() for ch in text) and len(text) > 2:
        return box  # a word, not a misread number
    digits = "".join(LOOKALIKES.get(ch, ch) for ch in text)
    chars = box.chars if len(box.chars) == len(text) else tuple(CharBox(ch, box.box, box.confidence) for ch in text)
    chars = tuple(
        CharBox(LOOKALIKES.get(c.text, c.text), c.box, _lookalike_confidence(c) if c.text in LOOKALIKES else c.confidence, c.digits)
        for c in chars
    )
    return TextBox(digits, box.box, min(c.confidence for c in chars), chars)


# A round letter in a number cell is a 0 and an upright stroke a 1: nothing else looks like them
# (a 0 read as "O" is common with 黑体-like fonts). The other look-alikes could be two digits.
_PLAIN_LOOKALIKES = set("。〇oODQlI|i")
LOOKALIKE_CONFIDENCE = 0.9


def _lookalike_confidence(char: CharBox) -> float:
    if char.text not in _PLAIN_LOOKALIKES:
        return 0.0
    # the engine's own odds among the digits, when they agree that the round letter is a 0
    # (the upright stroke a 1), say how sure the digit is
    if char.digits and char.digits[0][0] == LOOKALIKES[char.text]:
        return max(LOOKALIKE_CONFIDENCE, char.digits[0][1])
    return LOOKALIKE_CONFIDENCE


# ------------------------------------------------------------------------- ruling lines


def _binary(grey: np.ndarray) -> np.ndarray:
    import cv2

    blur = cv2.GaussianBlur(grey, (3, 3), 0)
    return cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)


def _strokes(binary: np.ndarray, horizontal: bool) -> np.ndarray:
    """The long horizontal (or vertical) strokes of the binarised picture."""
    import cv2

    h, w = binary.shape
    length = max(12, (w if horizontal else h) // 25)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    # close small gaps in a faded or JPEG-broken line
    gap = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1) if horizontal else (1, 9))
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, gap)


def _positions(mask: np.ndarray, axis: int, min_fraction: float) -> list[float]:
    """Centres of the stroke bands along ``axis`` (0: rows of a horizontal mask)."""
    profile = (mask > 0).sum(axis=1 - axis)
    limit = max(mask.shape[1 - axis] * min_fraction, 3)
    positions: list[float] = []
    start = None
    for i, v in enumerate(list(profile) + [0]):
        if v >= limit and start is None:
            start = i
        elif v < limit and start is not None:
            positions.append((start + i - 1) / 2)
            start = None
    return _merge_close(positions, 4.0)


def _merge_close(values: list[float], distance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= distance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covered(mask: np.ndarray, fixed: float, start: float, end: float, horizontal: bool, need: float = 0.7) -> bool:
    """A stroke runs along ``fixed`` from ``start`` to ``end`` (most of the way)."""
    f = int(round(fixed))
    a, b = int(round(start)), int(round(end))
    if b - a < 4:
        return True
    lo, hi = max(0, f - 3), f + 4
    band = mask[lo:hi, a:b] if horizontal else mask[a:b, lo:hi]
    if band.size == 0:
        return False
    along = band.max(axis=0 if horizontal else 1) > 0
    # ignore the ends, where crossing strokes stand
    margin = max(2, int(len(along) * 0.1))
    inner = along[margin:-margin] if len(along) > 2 * margin else along
    return bool(inner.mean() >= need) if len(inner) else True


def ruled_grid(grey: np.ndarray) -> tuple[list[float], list[float], np.ndarray, np.ndarray] | None:
    """Row and column boundaries from the ruling lines, with the stroke masks; None when the
    picture has no grid of lines (fewer than 3 rows or 3 columns)."""
    import cv2

    binary = _binary(grey)
    hmask = _strokes(binary, True)
    ys = _positions(hmask, 0, 0.15)
    if len(ys) < 3:
        return None
    gaps = sorted(b - a for a, b in zip(ys, ys[1:]) if b - a > 6)
    if not gaps:
        return None
    # A vertical ruling line spans a whole row; a character's stroke is shorter than the row.
    length = max(12, int(gaps[len(gaps) // 2] * 0.8))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    vmask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    vmask = cv2.morphologyEx(vmask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    xs = _positions(vmask, 1, 0.0)
    # keep the x positions where a stroke runs the full height of at least one row
    xs = [x for x in xs if any(_covered(vmask, x, a, b, horizontal=False, need=0.9) for a, b in zip(ys, ys[1:]) if b - a > 6)]
    if len(xs) < 3:
        # Horizontal rules only (a three-line table, rules between the rows): the columns are
        # where the text leaves a gutter, and a ruling line is drawn there in each row the
        # text does not cross.
        found = _gutter_columns(binary, hmask, ys)
        if found is None:
            return None
        xs, vmask = found
    return ys, xs, hmask, vmask


def _gutter_columns(binary: np.ndarray, hmask: np.ndarray, ys: list[float]) -> tuple[list[float], np.ndarray] | None:
    """Column boundaries of a table ruled only horizontally: the table's left and right ends
    (the ends of its rules), the ends of rules that stop inside the table (a merged cell's
    side), and the gutters the text leaves free in most rows. Returns the boundaries and a mask
    with a vertical line at each boundary in every row whose text does not cross it."""
    import cv2

    h, w = binary.shape
    ruled_columns = np.nonzero(hmask.any(axis=0))[0]
    if len(ruled_columns) == 0:
        return None
    left, right = int(ruled_columns.min()), int(ruled_columns.max())
    rules = cv2.dilate(hmask, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    ink = (binary > 0) & ~(rules > 0)
    bands = [(int(a) + 3, int(b) - 2) for a, b in zip(ys, ys[1:]) if b - a > 6]
    inked = [(a, b) for a, b in bands if ink[a:b, left:right + 1].sum() >= 12]
    if len(inked) < 2:
        return None
    heights = [b - a for a, b in inked]
    line = max(6, sorted(heights)[len(heights) // 2] // 2)  # about a line of text
    window = 2  # a gutter is free over 5 pixels: the gap between two characters is narrower
    free_rows = []
    for a, b in inked:
        column = ink[a:b, :].any(axis=0)
        busy = np.convolve(column.astype(np.int32), np.ones(2 * window + 1, dtype=np.int32), mode="same") > 0
        free_rows.append(~busy)
    free = np.array(free_rows)
    share = free.mean(axis=0)
    candidates: list[float] = []
    x = left + 1
    while x < right:
        if share[x] >= 0.6:
            start = x
            while x < right and share[x] >= 0.6:
                x += 1
            if start > left + 2 and x < right - 1 and x - start >= max(3, line // 3):
                best = share[start:x].max()
                top = [i for i in range(start, x) if share[i] >= best - 1e-9]
                candidates.append((top[0] + top[-1]) / 2)
        x += 1
    # where a rule stops inside the table, a cell's side stands
    for y in ys:
        row = hmask[max(0, int(y) - 1) : int(y) + 2, :].any(axis=0)
        edges = np.nonzero(np.diff(row.astype(np.int8)))[0]
        candidates.extend(float(e) + 0.5 for e in edges if left + line < e < right - line)
    xs = _merge_close([float(left), *candidates, float(right)], max(4.0, line / 2))
    if len(xs) < 3:
        return None
    vmask = np.zeros_like(hmask)
    for a, b in zip(ys, ys[1:]):
        a0, b0 = int(round(a)), int(round(b))
        for x in xs:
            xi = int(round(x))
            lo, hi = max(0, xi - window), min(w, xi + window + 1)
            if x in (xs[0], xs[-1]) or not ink[a0 + 3 : max(a0 + 4, b0 - 2), lo:hi].any():
                vmask[a0 : b0 + 1, max(0, xi - 1) : xi + 2] = 255
    return xs, vmask


def _cells_from_lines(ys: list[float], xs: list[float], hmask: np.ndarray, vmask: np.ndarray) -> list[list[Slot]]:
    """Slots of the grid, merging neighbours that no stroke separates."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(vmask, xs[c + 1], ys[r], ys[r + 1], horizontal=False):
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _covered(hmask, ys[r + 1], xs[c], xs[c + 1], horizontal=True):
                union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    rows = [[Slot((xs[c], ys[r], xs[c + 1], ys[r + 1])) for c in range(nc)] for r in range(nr)]
    for members in groups.values():
        r0 = min(r for r, _ in members)
        c0 = min(c for r, c in members if r == r0)
        r1 = max(r for r, _ in members)
        c1 = max(c for _, c in members)
        for r, c in members:
            if (r, c) != (r0, c0):
                rows[r][c].covered = True
        rows[r0][c0].box = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
    return rows


# ------------------------------------------------------------------ without lines


def _cluster(values: list[float], gap: float) -> list[list[int]]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    groups: list[list[int]] = []
    last = None
    for i in order:
        if last is not None and values[i] - last <= gap:
            groups[-1].append(i)
        else:
            groups.append([i])
        last = values[i]
    return groups


def _is_number(text: str) -> bool:
    t = text.strip().replace(",", "").replace("，", "").replace(".", "")
    return bool(t) and (t.isdigit() or t in ("—", "-", "/", "无", "0"))


def text_grid(boxes: list[TextBox]) -> Grid | None:
    """Rows by the text boxes' vertical centres, columns by the number boxes' horizontal centres."""
    if not boxes:
        return None
    heights = sorted(b.height for b in boxes)
    median_h = heights[len(heights) // 2] or 1.0
    row_groups = _cluster([b.centre[1] for b in boxes], median_h * 0.5)
    numbers = [b for b in boxes if _is_number(b.text)]
    if not numbers:
        return None
    col_groups = _cluster([b.centre[0] for b in numbers], median_h * 1.2)
    col_x = [sum(numbers[i].centre[0] for i in g) / len(g) for g in col_groups]
    first_col = min(min(numbers[i].box[0] for i in g) for g in col_groups)
    rows: list[list[Slot]] = []
    for g in sorted(row_groups, key=lambda g: min(boxes[i].centre[1] for i in g)):
        members = [boxes[i] for i in g]
        top = min(b.box[1] for b in members)
        bottom = max(b.box[3] for b in members)
        label = Slot((0.0, top, first_col, bottom))
        slots = [Slot((x - median_h, top, x + median_h, bottom)) for x in col_x]
        for b in sorted(members, key=lambda b: b.box[0]):
            if _is_number(b.text) and b.box[0] >= first_col - median_h * 0.5:
                j = min(range(len(col_x)), key=lambda k: abs(col_x[k] - b.centre[0]))
                slots[j].boxes.append(b)
            else:
                label.boxes.append(b)
        for s in slots:
            if s.boxes:
                s.box = (min(b.box[0] for b in s.boxes), top, max(b.box[2] for b in s.boxes), bottom)
        if label.boxes:
            label.box = (min(b.box[0] for b in label.boxes), top, max(b.box[2] for b in label.boxes), bottom)
        rows.append([label, *slots])
    return Grid(rows, ruled=False)


# ------------------------------------------------------------------------- entry


def to_grey(image: np.ndarray) -> np.ndarray:
    import cv2

    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _ink_bands(ink: np.ndarray, axis: int, join: int) -> list[tuple[int, int]]:
    """Runs of indices along ``axis`` that hold ink, runs closer than ``join`` joined."""
    profile = ink.sum(axis=1 - axis) > 0
    bands: list[list[int]] = []
    for i, v in enumerate(profile):
        if not v:
            continue
        if bands and i - bands[-1][1] <= join:
            bands[-1][1] = i
        else:
            bands.append([i, i])
    return [(a, b + 1) for a, b in bands]


def _shift(box: TextBox, dx: float, dy: float, crop_box: Box) -> TextBox:
    x0, y0, x1, y1 = crop_box
    chars = tuple(
        CharBox(c.text, (c.box[0] + dx, c.box[1] + dy, c.box[2] + dx, c.box[3] + dy), c.confidence, c.digits)
        for c in box.chars
    )
    return TextBox(box.text, (x0, y0, x1, y1), box.confidence, chars)


MAX_SLOTS = 2000  # table 3 has 29 × 10 slots; a grid far larger is no table of the format
READ_ONCE = True  # identical crops are read once (tests that misread one cell turn it off)


def _read_slots(image: np.ndarray, binary: np.ndarray, rows: list[list[Slot]], engine: OcrEngine) -> None:
    """Read every cell of a ruled grid: its lines of text found by the ink's projection, each
    line read by the engine's recogniser alone (no detection: the grid already says where)."""
    crops: list[np.ndarray] = []
    targets: list[tuple[Slot, float, float, Box]] = []
    h, w = binary.shape
    for row in rows:
        for slot in row:
            if slot.covered:
                continue
            x0, y0, x1, y1 = (int(round(v)) for v in slot.box)
            m = 4  # keep clear of the ruling lines
            x0, y0, x1, y1 = max(0, x0 + m), max(0, y0 + m), min(w, x1 - m + 1), min(h, y1 - m + 1)
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            ink = binary[y0:y1, x0:x1] > 0
            if ink.sum() < 6:
                continue
            for a, b in _ink_bands(ink, 0, 2):
                if b - a < 4 or ink[a:b].sum() < 12:
                    continue  # a speck, or what is left of a ruling line
                slot.ink = True
                line_ink = ink[a:b]
                cols = _ink_bands(line_ink, 1, max(8, (b - a) * 2))
                if not cols:
                    continue
                ca, cb = cols[0][0], cols[-1][1]
                pad = max(3, (b - a) // 4)
                ly0, ly1 = max(0, y0 + a - pad), min(h, y0 + b + pad)
                lx0, lx1 = max(0, x0 + ca - pad), min(w, x0 + cb + pad)
                crops.append(image[ly0:ly1, lx0:lx1])
                targets.append((slot, float(lx0), float(ly0), (float(lx0), float(ly0), float(lx1), float(ly1))))
    if not crops:
        return
    # A screenshot prints the same number in the same font many times ("0" above all): crops
    # whose binarised ink is identical, pixel for pixel, are read once.
    keys: list[bytes] = []
    unique: dict[bytes, int] = {}
    for n, ((_, _, _, (lx0, ly0, lx1, ly1)), crop) in enumerate(zip(targets, crops)):
        if not READ_ONCE:
            keys.append(n.to_bytes(4, "little"))
            unique.setdefault(keys[-1], len(unique))
            continue
        ink_crop = binary[int(ly0) : int(ly1), int(lx0) : int(lx1)]
        ys, xs = np.nonzero(ink_crop)
        if len(ys):
            ink_crop = ink_crop[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        key = ink_crop.shape[0].to_bytes(4, "little") + ink_crop.shape[1].to_bytes(4, "little") + ink_crop.tobytes()
        keys.append(key)
        unique.setdefault(key, len(unique))
    order = sorted(unique, key=unique.__getitem__)
    first = {key: keys.index(key) for key in order}
    read = engine.read_lines([crops[first[key]] for key in order])
    results = [read[unique[key]] for key in keys]
    for (slot, dx, dy, crop_box), box in zip(targets, results):
        if box.text.strip():
            slot.boxes.append(_shift(_as_digits(_digit_odds(box)), dx, dy, crop_box))


def skew(grey: np.ndarray) -> float:
    """The picture's rotation in degrees, from its long horizontal ruling lines (0 without)."""
    import cv2

    hmask = _strokes(_binary(grey), True)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(hmask, connectivity=8)
    width = grey.shape[1]
    angles = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w < width * 0.3 or h > w * 0.1:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
        if len(xs) < 20:
            continue
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(float(np.degrees(np.arctan(slope))))
    return float(np.median(angles)) if angles else 0.0


def deskew(image: np.ndarray) -> np.ndarray:
    """The picture turned level when its ruling lines lean (a scan, a photo) by 0.1–5 degrees."""
    import cv2

    angle = skew(to_grey(image))
    if abs(angle) < 0.1 or abs(angle) > 5:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (255,) * (1 if image.ndim == 2 else image.shape[2])
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _text_ink(grey: np.ndarray, hmask: np.ndarray, vmask: np.ndarray) -> np.ndarray:
    """The binarised picture without its ruling lines: what is left is text. (A double or
    thick border, or a line that leans, stands partly inside a cell's box; taken for ink, it
    would make the cell one tall line of "text" that reads as nothing.)"""
    import cv2

    lines = cv2.dilate(cv2.bitwise_or(hmask, vmask), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return cv2.bitwise_and(_binary(grey), cv2.bitwise_not(lines))


def read_grid(image: np.ndarray, engine: OcrEngine) -> Grid | None:
    """The picture's table as a grid of slots holding the text read in them; None when the
    picture holds no table (no grid of lines and no column of numbers). A leaning picture is
    turned level first; the boxes are then those of the levelled picture."""
    image = deskew(image)
    grey = to_grey(image)
    found = ruled_grid(grey)
    if found is not None and (len(found[0]) - 1) * (len(found[1]) - 1) > MAX_SLOTS:
        return None  # not a table of the national format: a hatched drawing, a hostile picture
    if found is not None:
        ys, xs, hmask, vmask = found
        rows = _cells_from_lines(ys, xs, hmask, vmask)
        _read_slots(image, _text_ink(grey, hmask, vmask), rows, engine)
        if any(s.boxes for row in rows for s in row):
            return Grid(rows, ruled=True)
    return text_grid(engine.recognise(image))


__all__ = ["Slot", "Grid", "slot_text", "read_grid", "ruled_grid", "text_grid", "to_grey"]
