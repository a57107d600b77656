"""Words, text lines and ruled tables from a page's characters and edges (``pdfpages``).

These are pdfplumber's rules (version 0.11, its defaults: 3 pt tolerances), done again on
plain objects because pdfplumber's own implementation, written for dicts of any kind, takes
longer than reading the page with pdfium does (about 20 ms a page against a few):

- characters are grouped into lines by their top (values within 3 pt of the next one are one
  line), sorted left to right within a line, and cut into words at a space character, at a
  gap wider than 3 pt, or where the top moves by more than 3 pt;
- a ruled table (pdfplumber's ``lines`` strategy): edges at most 3 pt apart are snapped to
  their mean, collinear pieces less than 3 pt apart joined, pieces shorter than 3 pt dropped;
  a horizontal and a vertical edge that meet (within 3 pt) make a corner; each corner opens
  the smallest cell whose four sides are edges; cells that share a corner form one table;
- a table's rows are its cells grouped by their top, its columns every left side of a cell,
  so that the slots a merged cell covers are ``None``; a cell's text is the text of the
  characters whose centre is inside it, words joined by a space and lines by a newline.
"""

from __future__ import annotations

import bisect
import itertools
from operator import attrgetter, itemgetter
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence, TypeVar

from .pdfpages import Char, Edge

TOLERANCE = 3.0  # x and y tolerance for words and lines; snap, join and corner tolerance for tables
MIN_EDGE = 3.0  # shorter pieces of ruling are not table borders

T = TypeVar("T")
Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _groups(values: Iterable[float], tolerance: float = TOLERANCE) -> dict[float, int]:
    """Each distinct value's group: sorted, a value within ``tolerance`` of the one before is
    in its group."""
    index: dict[float, int] = {}
    group, last = -1, None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            group += 1
        index[value] = group
        last = value
    return index


def cluster(items: Sequence[T], key: Callable[[T], float], tolerance: float = TOLERANCE) -> list[list[T]]:
    """Items grouped by ``key`` (``_groups``); groups in the order of their values, items in
    their given order."""
    index = _groups([key(item) for item in items], tolerance)
    keyed = sorted(((index[key(item)], n) for n, item in enumerate(items)))
    return [[items[n] for _, n in run] for _, run in itertools.groupby(keyed, key=lambda t: t[0])]


_top = attrgetter("top")
_x0 = attrgetter("x0")


@dataclass(slots=True)
class Word:
    chars: list[Char]
    top: float

    @property
    def text(self) -> str:
        return "".join([c.text for c in self.chars])


def _line_words(line: list[Char]) -> list[Word]:
    """The words of one line's characters, sorted left to right."""
    out: list[Word] = []
    current: list[Char] = []
    top = 0.0
    prev = None
    for char in line:
        if char.text.isspace():
            if current:
                out.append(Word(current, top))
            current, prev = [], None
            continue
        if prev is not None and (char.x0 < prev.x0 or char.x0 > prev.x1 + TOLERANCE or abs(char.top - prev.top) > TOLERANCE):
            out.append(Word(current, top))
            current, prev = [], None
        if prev is None:
            top = char.top
        elif char.top < top:
            top = char.top
        current.append(char)
        prev = char
    if current:
        out.append(Word(current, top))
    return out


def _one_line(line: list[Char]) -> str:
    """The text of one line's characters (sorted left to right): ``_line_words`` joined by a
    space, without making the words."""
    out: list[str] = []
    prev = None
    for char in line:
        text = char.text
        if text.isspace():
            if prev is not None:
                out.append(" ")
            prev = None
            continue
        if prev is not None and (char.x0 < prev.x0 or char.x0 > prev.x1 + TOLERANCE or abs(char.top - prev.top) > TOLERANCE):
            out.append(" ")
        out.append(text)
        prev = char
    return "".join(out).rstrip(" ")  # a space ends a word, so none comes first and none twice


def words(chars: Sequence[Char]) -> list[Word]:
    """The words of ``chars`` (in the page's order), line by line, left to right."""
    return [w for line in cluster(chars, _top) for w in _line_words(sorted(line, key=_x0))]


_word_top = attrgetter("top")


def text_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """The characters of each line of text, left to right (spaces left out), lines from top
    to bottom: the lines of pdfplumber's ``extract_text_lines``."""
    found = words(chars)
    if not found:
        return []
    # the words regrouped by their own top, keeping their order (a run of one group is a line)
    index = _groups([w.top for w in found])
    return [[c for w in run for c in w.chars] for _, run in itertools.groupby(found, key=lambda w: index[w.top])]


def extract_text(chars: Sequence[Char]) -> str:
    """Text of characters: words joined by a space, lines by a newline."""
    if not chars:
        return ""
    tops = [c.top for c in chars]
    if max(tops) - min(tops) <= TOLERANCE:  # one line (most table cells): no clustering needed
        return _one_line(sorted(chars, key=_x0))
    return "\n".join(" ".join(w.text for w in line) for line in cluster(words(chars), _word_top))


# ----------------------------------------------------------------------------- tables


def _snap(edges: list[list], axis: int) -> None:
    """Move edges whose ``axis`` coordinate is within the tolerance of another to their mean."""
    for group in cluster(edges, itemgetter(axis)):
        mean = sum(e[axis] for e in group) / len(group)
        for e in group:
            shift = mean - e[axis]
            e[axis] += shift
            e[axis + 2] += shift


def merge_edges(edges: Iterable[Edge]) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical ruling, snapped, joined and without short pieces (boxes)."""
    h = [[e.x0, e.top, e.x1, e.bottom] for e in edges if e.orientation == "h" and e.x1 - e.x0 >= 1]
    v = [[e.x0, e.top, e.x1, e.bottom] for e in edges if e.orientation == "v" and e.bottom - e.top >= 1]
    _snap(v, 0)
    _snap(h, 1)

    def join(group: list[list], start: int, end: int) -> list[list]:
        group = sorted(group, key=lambda e: e[start])
        joined = [list(group[0])]
        for e in group[1:]:
            last = joined[-1]
            if e[start] <= last[end] + TOLERANCE:
                last[end] = max(last[end], e[end])
            else:
                joined.append(list(e))
        return joined

    out_h = [e for _, g in itertools.groupby(sorted(h, key=lambda e: e[1]), key=lambda e: e[1]) for e in join(list(g), 0, 2)]
    out_v = [e for _, g in itertools.groupby(sorted(v, key=lambda e: e[0]), key=lambda e: e[0]) for e in join(list(g), 1, 3)]
    return (
        [tuple(e) for e in out_h if e[2] - e[0] >= MIN_EDGE],  # type: ignore[misc]
        [tuple(e) for e in out_v if e[3] - e[1] >= MIN_EDGE],  # type: ignore[misc]
    )


def _cells(h: list[Box], v: list[Box]) -> list[Box]:
    """Every corner's smallest cell."""
    t = TOLERANCE
    corners: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    hs_sorted = sorted(enumerate(h), key=lambda p: (p[1][1], p[1][0]))
    h_tops = [e[1] for _, e in hs_sorted]
    for vi, (vx, vtop, _, vbottom) in enumerate(v):
        first, last = bisect.bisect_left(h_tops, vtop - t), bisect.bisect_right(h_tops, vbottom + t)
        for hi, (hx0, htop, hx1, _) in hs_sorted[first:last]:
            if hx0 - t <= vx <= hx1 + t:
                got = corners.get((vx, htop))
                if got is None:
                    corners[(vx, htop)] = ({vi}, {hi})
                else:
                    got[0].add(vi)
                    got[1].add(hi)
    points = sorted(corners)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for p in points:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    column_at = {p: n for column in by_x.values() for n, p in enumerate(column)}
    row_at = {p: n for row in by_y.values() for n, p in enumerate(row)}
    cells: list[Box] = []
    for pt in points:
        pv, ph = corners[pt]
        right: list[tuple[float, float]] | None = None
        found = None
        for b in by_x[pt[0]][column_at[pt] + 1 :]:
            if pv.isdisjoint(corners[b][0]):
                continue
            if right is None:
                right = [r for r in by_y[pt[1]][row_at[pt] + 1 :] if not ph.isdisjoint(corners[r][1])]
            bh = corners[b][1]
            for r in right:
                corner = (r[0], b[1])
                got = corners.get(corner)
                if got is not None and not got[0].isdisjoint(corners[r][0]) and not got[1].isdisjoint(bh):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _group_cells(cells: list[Box]) -> list[list[Box]]:
    """Cells that share a corner form a table (what pdfplumber's greedy grouping comes to),
    tables from the top, those of a single cell left out."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    tables = [groups[k] for k in sorted(groups)]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


@dataclass
class RuledTable:
    bbox: Box
    cells: list[Box]

    def grid(self) -> list[list[Box | None]]:
        """Rows of cell boxes, ``None`` in the slots that a merged cell covers."""
        xs = sorted({c[0] for c in self.cells})
        rows = []
        for _, group in itertools.groupby(sorted(self.cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
            by_x = {c[0]: c for c in group}
            rows.append([by_x.get(x) for x in xs])
        return rows

    def extract(self, chars: Sequence[Char]) -> list[list[str | None]]:
        """Each cell's text (``None`` for covered slots, "" for an empty cell)."""
        centred = sorted([((c.top + c.bottom) / 2, (c.x0 + c.x1) / 2, n) for n, c in enumerate(chars)])
        mids = [m[0] for m in centred]
        out: list[list[str | None]] = []
        for row in self.grid():
            present = [c for c in row if c is not None]
            x0, top = min([c[0] for c in present]), min([c[1] for c in present])
            x1, bottom = max([c[2] for c in present]), max([c[3] for c in present])
            lo, hi = bisect.bisect_left(mids, top), bisect.bisect_left(mids, bottom)
            in_row = sorted([(h, v, n) for v, h, n in centred[lo:hi] if x0 <= h < x1])
            across = [h for h, _, _ in in_row]
            texts: list[str | None] = []
            for cell in row:
                if cell is None:
                    texts.append(None)
                    continue
                cx0, ctop, cx1, cbottom = cell
                first, last = bisect.bisect_left(across, cx0), bisect.bisect_left(across, cx1)
                inside = sorted([n for _, v, n in in_row[first:last] if ctop <= v < cbottom])
                texts.append(extract_text([chars[n] for n in inside]) if inside else "")
            out.append(texts)
        return out


def _tables(h: list[Box], v: list[Box]) -> list[RuledTable]:
    out = []
    for cells in _group_cells(_cells(h, v)) if h and v else []:
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        out.append(RuledTable(bbox, cells))
    return out


def _ruled_along(h: list[Box], x0: float, x1: float, y: float) -> bool:
    """An edge runs along ``y`` from ``x0`` to ``x1`` (short by at most a point at either end:
    the closing line would lengthen it by less than the tolerance, and find no new corner)."""
    return any(e[1] == y and e[0] <= x0 + 1 and e[2] >= x1 - 1 for e in h)


def ruled_tables(edges: Sequence[Edge], closed: bool = True) -> list[RuledTable]:
    """The ruled tables that ``edges`` draw. ``closed``: each table is closed along its top and
    bottom (a merged cell cut by a page break has no border there, and without one its cell
    and its text are lost); where a table is ruled there already, that changes nothing and
    the second pass is skipped."""
    h, v = merge_edges(edges)
    tables = _tables(h, v)
    if not closed or all(_ruled_along(h, t.bbox[0], t.bbox[2], y) for t in tables for y in (t.bbox[1], t.bbox[3])):
        return tables
    closing = [Edge("h", t.bbox[0], t.bbox[2], y, y) for t in tables for y in (t.bbox[1], t.bbox[3])]
    return _tables(*merge_edges([*edges, *closing]))


__all__ = ["Word", "RuledTable", "words", "text_lines", "extract_text", "merge_edges", "ruled_tables", "cluster"]
