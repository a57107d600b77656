"""The report as Markdown: headings, paragraphs and pipe tables.

Pipe tables cannot merge cells: a merged cell's text stands in its top-left slot and the
slots it covers stay empty, as in the national layout printed without borders.
"""

from __future__ import annotations

from .document import Document
from .grid import Grid


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def grid_markdown(grid: Grid) -> list[str]:
    matrix = grid.matrix()
    rows = [["" if cell is None else _escape(cell.text) for cell in line] for line in matrix]
    numeric = [
        any(line[c] is not None and line[c].numeric for line in matrix) for c in range(grid.columns)  # type: ignore[union-attr]
    ]
    out = [f"**{grid.caption}**", ""]
    out.append("| " + " | ".join(rows[0]) + " |")
    out.append("| " + " | ".join(":---:" if n else "---" for n in numeric) + " |")
    out += ["| " + " | ".join(line) + " |" for line in rows[1:]]
    return out


def render_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    for p in doc.preamble:
        out += [p, ""]
    for section in doc.sections:
        out += [f"## {section.heading}", ""]
        for p in section.paragraphs:
            out += [p, ""]
        if section.grid is not None:
            out += grid_markdown(section.grid) + [""]
        elif section.missing_note:
            out += [section.missing_note, ""]
    if doc.signature:
        out += [f'<p align="right">{line}</p>' for line in doc.signature] + [""]
    return "\n".join(out)
