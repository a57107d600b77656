"""A whole page as a picture (a scanned report, an image file): its text lines and its tables.

The ruled tables of the page are found first (the connected frames of long horizontal and
vertical strokes); each becomes a picture of its own, marked ``[image: 第N页表格K]`` where it
stands, and is read by ``grid.read_grid`` like a table pasted into a document. The rest of
the page is read by the engine (detection and recognition) with the tables blanked out, and
its text boxes are put into lines by their vertical positions, top to bottom; on one line,
boxes far apart are separated by a tab (a borderless table's cells), near ones joined.
"""

from __future__ import annotations

import numpy as np

from .engine import OcrEngine, TextBox, get_engine
from .grid import _binary, _strokes, to_grey
from .read import DocumentText, SourcePicture


def table_regions(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the ruled tables on a page, top to bottom."""
    import cv2

    binary = _binary(grey)
    horizontal = _strokes(binary, True)
    frame = cv2.bitwise_or(horizontal, _strokes(binary, False))
    frame = cv2.dilate(frame, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    h, w = grey.shape
    boxes = []
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if bw >= w * 0.25 and bh >= max(40, h * 0.03):
            boxes.append((int(x), int(y), int(x + bw), int(y + bh)))
    for rules in _rule_tables(horizontal, boxes):
        # a shaded header above the rules is found as a frame of its own: the same table
        near = [b for b in boxes if _stacked(b, rules, max(12, int(h * 0.02)))]
        for b in near:
            boxes.remove(b)
            rules = (min(b[0], rules[0]), min(b[1], rules[1]), max(b[2], rules[2]), max(b[3], rules[3]))
        boxes.append(rules)
    boxes.sort(key=lambda b: (b[1], b[0]))
    return boxes


def _stacked(a: tuple[int, int, int, int], b: tuple[int, int, int, int], gap: int) -> bool:
    """Two boxes one right above the other (at most ``gap`` apart), over mostly the same width."""
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    apart = max(a[1], b[1]) - min(a[3], b[3])
    return apart <= gap and overlap >= 0.5 * min(a[2] - a[0], b[2] - b[0])


def _rule_tables(horizontal: np.ndarray, frames: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Tables ruled only horizontally (a three-line table, rules between rows): at least three
    long rules stacked one under the other, over the same width, none far from the next."""
    import cv2

    h, w = horizontal.shape
    count, _, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    rules = []
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        inside = any(fx0 - 3 <= x and x + bw <= fx1 + 3 and fy0 - 3 <= y <= fy1 + 3 for fx0, fy0, fx1, fy1 in frames)
        if bw >= w * 0.25 and not inside:
            rules.append((int(x), int(y), int(x + bw), int(y + bh)))
    rules.sort(key=lambda r: r[1])
    gap = max(100, int(h * 0.12))
    groups: list[list[tuple[int, int, int, int]]] = []
    for r in rules:
        last = groups[-1][-1] if groups else None
        overlap = 0 if last is None else min(last[2], r[2]) - max(last[0], r[0])
        if last is not None and r[1] - last[3] <= gap and overlap >= 0.5 * min(last[2] - last[0], r[2] - r[0]):
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for g in groups:
        if len(g) >= 3:
            out.append((min(r[0] for r in g), max(0, g[0][1] - 2), max(r[2] for r in g), min(h, g[-1][3] + 2)))
    return out


def _text_lines(boxes: list[TextBox]) -> list[tuple[float, str]]:
    """Text boxes in lines (by their vertical centres), each line with its top."""
    if not boxes:
        return []
    heights = sorted(b.height for b in boxes)
    median = heights[len(heights) // 2] or 1.0
    lines: list[list[TextBox]] = []
    for b in sorted(boxes, key=lambda b: b.centre[1]):
        if lines and abs(b.centre[1] - sum(x.centre[1] for x in lines[-1]) / len(lines[-1])) <= median * 0.5:
            lines[-1].append(b)
        else:
            lines.append([b])
    out = []
    for line in lines:
        line.sort(key=lambda b: b.box[0])
        text = line[0].text
        for prev, cur in zip(line, line[1:]):
            text += ("\t" if cur.box[0] - prev.box[2] > median * 1.5 else "") + cur.text
        out.append((min(b.box[1] for b in line), text))
    return out


def _recognise_ink(image: np.ndarray, engine: OcrEngine) -> list[TextBox]:
    """The text boxes of the part of the page that has ink (nothing when it is blank)."""
    binary = _binary(to_grey(image))
    ys, xs = np.nonzero(binary)
    if len(ys) < 30:
        return []
    pad = 8
    y0, y1 = max(0, int(ys.min()) - pad), min(image.shape[0], int(ys.max()) + pad)
    x0, x1 = max(0, int(xs.min()) - pad), min(image.shape[1], int(xs.max()) + pad)
    boxes = engine.recognise(np.ascontiguousarray(image[y0:y1, x0:x1]))
    return [
        TextBox(b.text, (b.box[0] + x0, b.box[1] + y0, b.box[2] + x0, b.box[3] + y0), b.confidence) for b in boxes
    ]


def page_text(images: list[np.ndarray], original: bytes | None = None, engine: OcrEngine | None = None) -> DocumentText:
    """The text of pages given as pictures, with their tables as pictures to be read."""
    engine = engine or get_engine()
    lines: list[str] = []
    pictures: list[SourcePicture] = []
    for number, image in enumerate(images, start=1):
        grey = to_grey(image)
        regions = table_regions(grey)
        rest = image.copy()
        for x0, y0, x1, y1 in regions:
            rest[y0:y1, x0:x1] = 255
        items: list[tuple[float, str]] = _text_lines(_recognise_ink(rest, engine))
        for k, (x0, y0, x1, y1) in enumerate(regions, start=1):
            name = f"第{number}页表格{k}" if len(images) > 1 or len(regions) > 1 else "表格"
            crop = np.ascontiguousarray(image[y0:y1, x0:x1])
            whole = len(images) == 1 and len(regions) == 1 and original is not None and (y1 - y0) * (x1 - x0) > 0.9 * grey.size
            pictures.append(SourcePicture(name, original if whole else b"", number if len(images) > 1 else None, None if whole else crop))
            items.append((float(y0), f"[image: {name}]"))
        items.sort(key=lambda item: item[0])
        lines += [text for _, text in items]
    return DocumentText("\n".join(lines) + "\n", pictures)


__all__ = ["page_text", "table_regions"]
