"""Read an annual report published as a web page (HTML) into text lines for the text parser.

- The bytes are decoded by their BOM; else as UTF-8 when they are valid UTF-8 (whatever the
  page declares: sites moved to UTF-8 often keep a "gb2312" declaration); else by
  ``<meta charset>`` / ``http-equiv`` (GBK, GB2312 and GB18030 all read as GB18030); else as
  GB18030. Junk raises ``broken_file``.
- Parsing is safe: lxml's HTML parser without network access, comments or processing
  instructions; HTML has no external entities to resolve. Input is limited to 50 MB, and the
  walk is iterative, so a deeply nested page cannot exhaust the stack.
- Scripts, styles, hidden elements and page chrome (navigation, menus, breadcrumbs, headers,
  footers, share bars, "当前位置：…" lines) are dropped; an element that holds the report
  itself (its title, a table, or most of the page's text) is kept whatever its class says.
- In document order, every block (p, div, h1–h6, li, lines separated by ``<br>``) becomes a
  line, and every table row becomes one line of tab-separated cells with rowspan/colspan
  expanded: a merged cell's text in its top-left slot, the slots it covers empty. Whitespace
  is collapsed as a browser does; a line break between two Chinese characters disappears.
- A table's ``<caption>`` is its title, not part of the narrative: it is left out. A table
  that only lays out the page (it holds another table, or has one column) is read as blocks.
- A picture becomes an ``[image: …]`` marker, so that a table pasted as a picture is reported
  as missing, not as zeros.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from contextvars import ContextVar

from lxml import etree
from lxml import html as lxml_html

from ..errors import ReportReadError

MAX_HTML_BYTES = 50 * 1024 * 1024

# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"<meta\b[^>]{0,1000}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]{2,40})", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml\b[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9_:.\-]{2,40})", re.IGNORECASE)
_GB_NAMES = {"gbk", "gb2312", "gb_2312", "gb_2312-80", "gb2312-80", "x-gbk", "cp936", "ms936", "windows-936", "gb18030", "euc-cn", "x-euc-cn", "csgb2312", "iso-ir-58", "chinese"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _declared_encoding(data: bytes) -> str | None:
    head = data[:16384]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").strip().lower()
    if name in _GB_NAMES:
        return "gb18030"
    if name in ("utf8", "utf-8", "unicode-1-1-utf-8"):
        return "utf-8"
    if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252"):
        # Browsers read these as windows-1252; a Chinese page declaring them is almost always
        # mislabelled, so let the UTF-8 / GB18030 attempts decide first.
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _implausible(text: str) -> bool:
    """Text that no web page is made of: NUL bytes or many control characters."""
    if "\x00" in text:
        return True
    sample = text[:200000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f") + sample.count("\ufffd")
    return controls > max(8, len(sample) // 200)


def decode_html(data: bytes) -> str:
    """The page's text, by BOM, declared charset, UTF-8 or GB18030; ``broken_file`` for junk."""
    if len(data) > MAX_HTML_BYTES:
        raise ReportReadError("too_large", None, f"{len(data)} 字节，上限 {MAX_HTML_BYTES} 字节")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise ReportReadError("broken_file", None, f"网页带 {name} 标记但内容无效") from exc
            if _implausible(text):
                raise ReportReadError("broken_file", None, "网页内容不是文本")
            return text
    declared = _declared_encoding(data)
    # Valid UTF-8 with Chinese in it is UTF-8 whatever the page declares (sites that moved to
    # UTF-8 often keep an old "gb2312" declaration); then the declared charset, then GB18030.
    candidates = ["utf-8"] + [c for c in (declared, "gb18030") if c and c != "utf-8"]
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _implausible(text):
            return text
    # A few broken bytes (a page cut off in the middle of a character) are tolerated.
    for name in candidates:
        try:
            text = data.decode(name, errors="replace")
        except LookupError:
            continue
        if text.count("\ufffd") <= max(2, len(text) // 1000) and not _implausible(text.replace("\ufffd", "")):
            return text
    raise ReportReadError("broken_file", None, "无法识别网页的字符编码，或文件不是网页")


# --------------------------------------------------------------------------- text


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch in "“”‘’…—·"


_SPACE_RUN = re.compile(r"[ \t\n\r\f\u200b]+")


def collapse(text: str) -> str:
    """Whitespace as a browser shows it: runs become one space; a run that holds a line break
    between two Chinese characters disappears (CSS segment-break rule for East Asian text)."""

    def repl(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        if s == 0 or e == len(text):
            return ""
        if ("\n" in m.group(0) or "\r" in m.group(0)) and _wide(text[s - 1]) and _wide(text[e]):
            return ""
        return " "

    return _SPACE_RUN.sub(repl, text).strip(" \xa0\u3000")


def join_pieces(pieces: list[str]) -> str:
    """Pieces of one cell (its lines, paragraphs): Chinese joined without a space."""
    out = ""
    for piece in pieces:
        piece = piece.strip(" \xa0\u3000")
        if not piece:
            continue
        if out and not (_wide(out[-1]) or _wide(piece[0]) or (out[-1].isdigit() and piece[0].isdigit())):
            out += " "
        out += piece
    return out


# --------------------------------------------------------------------------- page chrome

_ALWAYS_DROP = {
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "svg", "math", "object",
    "embed", "canvas", "audio", "video", "select", "option", "button", "textarea", "input", "head",
    "title", "meta", "link", "caption", "map", "area",
}
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
# Words in an id or class that mark page chrome: anywhere in the name …
_CHROME_SUBSTRINGS = ("breadcrumb", "crumb", "navbar", "navigation", "menu", "footer", "header", "share", "copyright", "sitemap", "related", "friendlink")
# … or as a whole word of it ("nav", "top-nav", "main_nav", "foot", "dqwz" = 当前位置).
_CHROME_WORDS = {"nav", "navs", "subnav", "topnav", "foot", "head", "top", "bottom", "position", "location", "dqwz", "weizhi", "tools", "toolbar", "print", "xglj", "yqlj", "links"}
# A block that opens with one of these headings lists other pages, not the report.
_CHROME_HEADINGS = ("相关链接", "相关文章", "相关阅读", "相关信息", "相关报告", "友情链接", "猜你喜欢")
_NAME_SPLIT = re.compile(r"[\s_\-]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
    "article", "main", "aside", "header", "footer", "nav", "blockquote", "address", "figure",
    "figcaption", "form", "fieldset", "legend", "hr", "center", "body", "html", "details", "summary",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "dir", "menu",
}

# "当前位置：首页 > 政务公开" and the like; tools lines ("【打印本页】【关闭窗口】").
_BREADCRUMB = re.compile(r"^\s*(?:当前位置|当前的位置|您现在的位置|您当前的位置|您的位置|您所在的位置|所在位置|现在位置)\s*(?:是)?\s*[:：]?")
_HOME_TRAIL = re.compile(r"^\s*(?:网站)?首页\s*(?:>|&gt;|＞|»|›|→|/|-)\s*\S")
_TOOLS_LINE = re.compile(
    r"^(?:[\s【】\[\]()（）|｜/·]*(?:打印本页|打印|关闭窗口|关闭|返回顶部|返回|收藏本页|收藏|分享到[:：]?|"
    r"字体[:：]?\s*[大中小]?|字号[:：]?\s*[大中小]?|[大中小]))+[\s【】\[\]()（）|｜/·]*$"
)


def _chrome_name(el: etree._Element) -> bool:
    names = " ".join(v for v in (el.get("id"), el.get("class")) if v).lower()
    if not names:
        return False
    if any(s in names for s in _CHROME_SUBSTRINGS):
        return True
    return any(word in _CHROME_WORDS for word in _NAME_SPLIT.split(names))


def _chrome_heading(el: etree._Element) -> bool:
    first = next((child for child in el if isinstance(child.tag, str)), None)
    if first is None or first.tag.lower() not in ("h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong"):
        return False
    text = "".join(first.itertext()).strip()
    return len(text) <= 12 and text.startswith(_CHROME_HEADINGS)


def _text_length(el: etree._Element) -> int:
    return sum(len(t.strip()) for t in el.itertext())


def _holds_report(el: etree._Element, page_length: int) -> bool:
    """An element that holds the report itself, whatever its class says."""
    for table in el.iter("table"):
        if len(table.xpath(".//tr")) > 3:
            return True
    for heading in el.iter("h1", "h2", "h3"):
        if "报告" in heading.text_content():
            return True
    length = _text_length(el)
    return length >= 300 and length >= 0.4 * page_length


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _drop_chrome(root: etree._Element) -> None:
    body = root.find("body")
    page_length = _text_length(body if body is not None else root)
    doomed: list[etree._Element] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if tag in ("html", "body"):
            continue
        if tag in _ALWAYS_DROP or _hidden(el):
            doomed.append(el)
        elif (tag in _CHROME_TAGS or _chrome_name(el) or _chrome_heading(el)) and not _holds_report(el, page_length):
            doomed.append(el)
    # The descendants of a doomed element go with it; each outermost one is removed, its
    # tail text kept in the flow.
    doomed_set = set(doomed)
    for el in doomed:
        if el.getparent() is not None and not any(a in doomed_set for a in el.iterancestors()):
            _drop_keep_tail(el)


def _drop_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _chrome_line(line: str) -> bool:
    if len(line) <= 200 and (_BREADCRUMB.match(line) or _HOME_TRAIL.match(line)):
        return True
    return len(line) <= 40 and bool(_TOOLS_LINE.match(line))


# --------------------------------------------------------------------------- walking


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text)

    def flush(self) -> None:
        if self.buf:
            line = collapse("".join(self.buf))
            self.buf.clear()
            if line:
                self.lines.append(line)

    def raw_line(self, line: str) -> None:
        self.flush()
        if line.strip(" \xa0\u3000\t"):
            self.lines.append(line.rstrip())


def _int_attr(el: etree._Element, name: str, upper: int) -> int:
    value = el.get(name)
    if not value:
        return 1
    m = re.match(r"\s*(\d+)", value)
    if not m:
        return 1
    return max(1, min(int(m.group(1)), upper))


# While a page is read for its pictures: (marker name, src) of every marker written, in order.
IMAGES_MET: ContextVar[list | None] = ContextVar("html_images", default=None)


def _image_marker(el: etree._Element) -> str | None:
    sizes = [_int_attr(el, a, 100000) for a in ("width", "height") if el.get(a)]
    if sizes and min(sizes) < 32:
        return None  # an icon, a bullet, a spacer
    src = (el.get("src") or "").strip()
    name = (el.get("alt") or "").strip() or (src if not src.startswith("data:") else "").rsplit("/", 1)[-1].split("?", 1)[0].strip() or "image"
    name = re.sub(r"[\]\n\r\t]", " ", name)[:200].strip() or "image"
    met = IMAGES_MET.get()
    if met is not None:
        met.append((name, src))
    return f" [image: {name}] "


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _is_data_table(table: etree._Element) -> bool:
    if table.xpath(".//table"):
        return False
    rows = _rows(table)
    return bool(rows) and any(len(r.xpath("./td | ./th")) > 1 for r in rows)


def _cell_text(cell: etree._Element, budget: list[int]) -> str:
    return join_pieces(_walk(cell, budget)).replace("\t", " ")


# Real report tables have a few dozen columns and rows; a page that spans far beyond this
# is hostile or broken, and is not allowed to fill the memory.
MAX_COLUMNS = 200
MAX_TABLE_SLOTS = 2_000_000


def _table_lines(table: etree._Element, budget: list[int]) -> list[str]:
    rows = _rows(table)
    remaining: list[int] = []  # per column: rows still covered by a rowspan from above
    grid: list[list[str]] = []
    for r, tr in enumerate(rows):
        line: list[str] = []
        c = 0

        def covered(col: int) -> bool:
            return col < len(remaining) and remaining[col] > 0

        for cell in tr.xpath("./td | ./th"):
            while covered(c):
                line.append("")
                c += 1
            if c >= MAX_COLUMNS:
                break
            row_span = _int_attr(cell, "rowspan", max(1, len(rows) - r))
            col_span = _int_attr(cell, "colspan", MAX_COLUMNS - c)
            line.append(_cell_text(cell, budget))
            line += [""] * (col_span - 1)
            if len(remaining) < c + col_span:
                remaining += [0] * (c + col_span - len(remaining))
            for k in range(c, c + col_span):
                remaining[k] = row_span
            c += col_span
        last = max((k for k in range(len(remaining)) if remaining[k] > 0), default=-1)
        while c <= last:
            line.append("")
            c += 1
        remaining = [max(0, n - 1) for n in remaining]
        grid.append(line)
        budget[0] -= max(len(line), 1)
        if budget[0] < 0:
            raise ReportReadError("too_large", None, "网页中的表格过大")
    width = max((len(line) for line in grid), default=0)
    out = []
    for line in grid:
        if any(cell for cell in line):
            out.append("\t".join(line + [""] * (width - len(line))))
    return out


def _walk(root: etree._Element, budget: list[int] | None = None) -> list[str]:
    """The lines of an element's content, in document order (iterative: no recursion limit).
    ``budget`` holds the number of table slots still allowed in the page."""
    budget = budget if budget is not None else [MAX_TABLE_SLOTS]
    out = _Lines()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if el is not root and tag == "table" and _is_data_table(el):
                out.flush()
                out.lines += _table_lines(el, budget)
                walker.skip_subtree()
                continue
            if tag == "pre":
                out.flush()
                for line in el.text_content().replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                    out.raw_line(line)
                walker.skip_subtree()
                continue
            if tag == "br":
                out.flush()
            elif tag == "img":
                out.add(_image_marker(el))
            elif tag in _BLOCK_TAGS:
                out.flush()
            out.add(el.text if tag not in ("br", "img") else None)
        else:
            if tag in _BLOCK_TAGS or tag == "pre":
                out.flush()
            if el is not root:
                out.add(el.tail)
    out.flush()
    return out.lines


def html_to_text(data: bytes) -> str:
    """The text lines of an HTML report (see the module's docstring)."""
    text = decode_html(data)
    if not text.strip():
        raise ReportReadError("empty")
    parser = lxml_html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, recover=True
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ReportReadError("broken_file", None, f"无法解析网页：{exc}") from exc
    if root is None:
        raise ReportReadError("empty")
    _drop_chrome(root)
    body = root.find("body")
    lines = _walk(body if body is not None else root)
    return "\n".join(line for line in lines if not _chrome_line(line)) + "\n"


__all__ = ["html_to_text", "decode_html", "collapse", "join_pieces", "MAX_HTML_BYTES"]
