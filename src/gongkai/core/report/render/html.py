"""Write a report document as one HTML5 page, for the screen and for print (and so for PDF).

The page is self-contained: the CSS is inline, the tables are real ``<table>`` elements built
from the grids (``grid.py``) with their merged cells, ``<caption>``, ``<thead>`` and the
``scope`` of every header cell, so that a screen reader and the HTML reader of this project
(``parsing/html.py``) both find the same cells. No picture of a table is ever written.

Fonts: the official ones (仿宋_GB2312, 黑体, 方正小标宋简体) are named first; on a machine
without them (any Linux server), the Noto CJK families installed by ``fonts-noto-cjk`` stand in.
"""

from __future__ import annotations

import base64

from html import escape

from .document import Document, DocSection
from .grid import Grid, GridCell

BODY_FONTS = '"仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif'
HEADING_FONTS = '"黑体", "SimHei", "Noto Sans CJK SC", sans-serif'
TITLE_FONTS = '"方正小标宋简体", "华文中宋", "Noto Serif CJK SC", serif'

# Page margins of official documents (GB/T 9704): top 3.7 cm, right 2.6 cm, bottom 3.5 cm,
# left 2.8 cm; text 16 pt (三号); page number "— 3 —" at the bottom.
CSS = f"""
@page {{
  size: A4;
  margin: 3.7cm 2.6cm 3.5cm 2.8cm;
  @bottom-center {{
    content: "— " counter(page) " —";
    font-family: {BODY_FONTS};
    font-size: 14pt;
    color: #000;
  }}
}}
html {{ color: #000; }}
body {{
  font-family: {BODY_FONTS};
  font-size: 16pt;
  line-height: 1.75;
  margin: 0;
}}
@media screen {{
  body {{ max-width: 46em; margin: 2em auto; padding: 0 1em; }}
}}
h1 {{
  font-family: {TITLE_FONTS};
  font-size: 22pt;
  font-weight: normal;
  text-align: center;
  line-height: 1.5;
  margin: 0 0 1em 0;
}}
h2 {{
  font-family: {HEADING_FONTS};
  font-size: 16pt;
  font-weight: normal;
  margin: 0.5em 0 0 0;
  break-after: avoid;
}}
p {{
  margin: 0;
  text-indent: 2em;
  text-align: justify;
}}
p.missing {{ color: #333; }}
.signature {{ margin-top: 2em; }}
.signature p {{ text-align: right; text-indent: 0; }}
table {{
  border-collapse: collapse;
  width: 100%;
  table-layout: fixed;
  margin: 0.5em 0 1em 0;
  font-size: 10.5pt;
  line-height: 1.35;
}}
table.t-review_litigation {{ font-size: 9pt; }}
caption {{
  font-family: {HEADING_FONTS};
  font-size: 12pt;
  padding-bottom: 0.3em;
  caption-side: top;
  text-align: center;
  break-after: avoid;
}}
table.t-review_litigation {{ break-inside: avoid; }}
th, td {{
  border: 1px solid #000;
  padding: 2pt 2pt;
  vertical-align: middle;
  overflow-wrap: anywhere;
}}
th {{ font-weight: normal; text-align: center; }}
th[scope="row"], th[scope="rowgroup"] {{ text-align: left; }}
td {{ text-align: center; }}
td.num {{ text-align: center; font-variant-numeric: tabular-nums; }}
thead {{ display: table-header-group; }}
table.t-active thead {{ display: table-row-group; }}
tr {{ break-inside: avoid; }}
"""


def _attrs(cell: GridCell) -> str:
    out = ""
    if cell.header and cell.scope:
        out += f' scope="{escape(cell.scope)}"'
    if cell.row_span > 1:
        out += f' rowspan="{cell.row_span}"'
    if cell.col_span > 1:
        out += f' colspan="{cell.col_span}"'
    if not cell.header and cell.numeric:
        out += ' class="num"'
    return out


def _cell(cell: GridCell) -> str:
    tag = "th" if cell.header else "td"
    return f"<{tag}{_attrs(cell)}>{escape(cell.text)}</{tag}>"


def _header_rows(grid: Grid) -> int:
    """Rows for ``<thead>``: the grid's header rows, or, for a table whose header is repeated
    per group (table 2), the leading rows made only of header cells (not repeated in print)."""
    if grid.header_rows:
        return grid.header_rows
    n = 0
    for row in grid.rows:
        if row and all(c.header and c.scope in ("col", "colgroup") for c in row):
            n += 1
        else:
            break
    return n if n < len(grid.rows) else 0


def render_table(grid: Grid) -> str:
    out = [f'<table class="grid t-{escape(grid.table)}">', f"<caption>{escape(grid.caption)}</caption>"]
    widths = list(grid.column_widths) or [1.0] * grid.columns
    if len(widths) == grid.columns:
        total = sum(widths)
        out.append("<colgroup>" + "".join(f'<col style="width: {w / total * 100:.2f}%">' for w in widths) + "</colgroup>")
    head = _header_rows(grid)
    if head:
        out.append("<thead>")
        out += ["<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in grid.rows[:head]]
        out.append("</thead>")
    out.append("<tbody>")
    out += ["<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in grid.rows[head:]]
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _paragraphs(paragraphs: list[str], cls: str | None = None) -> list[str]:
    attr = f' class="{cls}"' if cls else ""
    return [f"<p{attr}>{escape(p.strip())}</p>" for p in paragraphs if p.strip()]


def render_section(section: DocSection) -> str:
    anchor = f"s{section.number}"
    out = [f'<section aria-labelledby="{anchor}">', f'<h2 id="{anchor}">{escape(section.heading)}</h2>']
    out += _paragraphs(section.paragraphs)
    if section.grid is not None:
        out.append(render_table(section.grid))
    elif section.missing_note:
        out += _paragraphs([section.missing_note], "missing")
    out.append("</section>")
    return "\n".join(out)


def render_html(doc: Document) -> str:
    """The document as a complete HTML5 page (UTF-8, ``lang="zh-CN"``, CSS inline)."""
    title = escape(doc.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<article>",
        f"<h1>{title}</h1>",
        *_paragraphs(doc.preamble),
        *(render_section(s) for s in doc.sections),
    ]
    if doc.signature:
        parts.append('<div class="signature">')
        parts += [f"<p>{escape(s)}</p>" for s in doc.signature if s.strip()]
        parts.append("</div>")
    parts.append("</article>")
    parts += _pictures(doc)
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode("ascii")


def _pictures(doc: Document) -> list[str]:
    """The pictures the tables were read from, beside the cells a person should check."""
    if not doc.pictures:
        return []
    out = ['<aside class="pictures">', "<h2>表格原图（数字由文字识别读出）</h2>"]
    for p in doc.pictures:
        where = "、".join(p.tables) or "表格"
        page = f"，第 {p.page} 页" if p.page else ""
        out.append("<figure>")
        out.append(f'<img src="{_data_uri(p.data, p.media_type)}" alt="{escape(where)}原图" style="max-width:100%">')
        out.append(f"<figcaption>{escape(where)}：{escape(p.name)}{page}</figcaption>")
        out.append("</figure>")
        if p.flagged:
            out.append('<table class="flagged"><caption>请核对的单元格</caption><tbody>')
            for f in p.flagged:
                crop = f'<img src="{_data_uri(f.crop, "image/png")}" alt="原图局部">' if f.crop else ""
                out.append(f"<tr><td>{escape(f.where)}</td><td>{escape(f.status)}</td><td>{crop}</td></tr>")
            out.append("</tbody></table>")
    out.append("</aside>")
    return out


__all__ = ["render_html", "render_table", "CSS"]
