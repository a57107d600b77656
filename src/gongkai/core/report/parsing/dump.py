"""Re-split a crawler's text dump of a web page into the lines of a report.

A dump holds the whole body on one line (or a few very long ones): the site's menus and
breadcrumbs ("首页 | 政务公开 | …", "当前位置：首页 > …") before the title, the six sections
and their tables with every cell run together, and the site's footer ("分享到", "主办单位：…",
"网站标识码…") after the last section. ``unflatten`` recognises such text by the section
headings it finds on one line, drops the navigation before the title and the footer after the
signature, and breaks the rest into lines: around each section heading, before sub-headings such
as "（一）", after each sentence, and, in the tables, before every row label and header cell and
before the run of digits that follows a label. Runs of digits whose cells ran together are left
to ``tables`` / ``digits`` to split.
"""

from __future__ import annotations

import re

from ..labels import strip_numbering
from ...standard import ACTIVE, APPLICATIONS, REVIEW_LITIGATION, SECTIONS

_MIN_LONG = 300  # a line this long may be a dump
_MIN_HEADINGS = 3  # section headings on one line that make it a dump

_CN = "一二三四五六七八九十"
# "二、主动公开政府信息情况": a numeral, then a short text without digits or full stops.
_HEADING = re.compile(rf"(?P<num>[{_CN[:6]}])\s*[、.．]\s*(?P<body>[^。；;\d\s]{{2,30}}?(?:情况|事项))")
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年度?\s*(?:政府)?信息公开(?:工作)?年度?报告")
_NAV_END = re.compile(r"[\s>＞|｜»›：:】\]]")
_META = re.compile(r"(?:发布时间|发布日期|信息来源|来源|浏览次数|访问量|点击数|字号)\s*[：:]")
_FOOTER = re.compile(
    r"分享到|主办单位|承办单位|网站标识码|ICP备|公网安备|版权所有|Copyright|©|【打印|打印本页|关闭窗口"
    r"|上一篇|下一篇|相关链接|扫一扫"
)
_SENTENCE_END = re.compile(r"(?<=[。；])(?![”’」』）)\s]*$)(?![”’」』）)])")
_SUBHEADING = re.compile(rf"(?<!第)(?=[（(][{_CN}]+[）)])")
_SIGNATURE = re.compile(r"^([^。]{2,40}?[^\d\s])\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")
_TRAILING_NUMBER = re.compile(r"(?<=[^\d.．\s])\s*(?=\d+(?:\.\d+)?$)")


def _section_of(body: str) -> list[int]:
    return [
        s.number
        for s in SECTIONS
        if any(all(word in body for word in alternative) for alternative in s.heading_keywords)
    ]


def _headings(line: str) -> list[tuple[int, int, int]]:
    """(section number, start, end) of the section headings on a line, in increasing order."""
    out: list[tuple[int, int, int]] = []
    last = 0
    for m in _HEADING.finditer(line):
        number = _CN.index(m.group("num")) + 1
        if number > last and number in _section_of(m.group("body")):
            out.append((number, m.start(), m.end()))
            last = number
    return out


def is_dump(text: str) -> bool:
    """Whether the text is a web page's body flattened onto very long lines."""
    for line in text.split("\n"):
        if len(line) >= _MIN_LONG and len(_headings(line)) >= _MIN_HEADINGS:
            return True
    return False


def _cell_markers() -> re.Pattern[str]:
    """Row labels and header cells of the three tables, longest first."""
    words: set[str] = set()
    for table in (ACTIVE, APPLICATIONS, REVIEW_LITIGATION):
        for row in (*table.rows, *table.alternative_rows):
            words.add(strip_numbering(row.label))
            if not row.exact:
                words.update(row.match)
            for column in row.columns:
                words.update(column.labels)
    words.update(("第二十条", "信息内容", "申请人情况", "法人或其他组织", "本年度办理结果"))
    words.update(("不予公开", "无法提供", "不予处理", "其他处理", "其他结果", "复议后起诉", "未经复议直接起诉"))
    words.update(("行政复议", "行政诉讼"))
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    numbering = rf"(?:[（(][{_CN}]+[）)]|[{_CN}]+、|\d[.．、])"
    return re.compile(rf"(?:{numbering}\s*)?(?:{alternatives})|(?<!第)[（(][{_CN}]+[）)]")


_MARKERS = _cell_markers()


def _split_at(text: str, starts: list[int]) -> list[str]:
    out: list[str] = []
    previous = 0
    for s in sorted(set(starts)):
        if s > previous:
            out.append(text[previous:s])
            previous = s
    out.append(text[previous:])
    return [p.strip() for p in out if p.strip()]


def _narrative(text: str) -> list[str]:
    pieces: list[str] = []
    for part in _split_at(text, [m.start() for m in _SUBHEADING.finditer(text)]):
        for sentence in _split_at(part, [m.end() for m in _SENTENCE_END.finditer(part)]):
            m = _SIGNATURE.match(sentence)
            pieces += [m.group(1).strip(), m.group(2)] if m else [sentence]
    return pieces


def _table_lines(text: str) -> list[str]:
    out: list[str] = []
    for part in _split_at(text, [m.start() for m in _MARKERS.finditer(text)]):
        if "。" in part:
            out += _narrative(part)
            continue
        m = _TRAILING_NUMBER.search(part)
        if m is not None:
            out += [p for p in (part[: m.start()].strip(), part[m.end():].strip()) if p]
        else:
            out.append(part)
    return out


def _head(text: str) -> list[str]:
    """The part before the first section heading: navigation dropped, then title and preamble."""
    titles = [m for m in _TITLE.finditer(text) if not text[m.end() : m.end() + 2].startswith("格式")]
    titles = [m for m in titles if "《" not in text[max(0, m.start() - 30) : m.start()] or "》" in text[max(0, m.start() - 30) : m.start()]]
    if not titles:
        return _narrative(text)
    title = titles[-1]
    # The agency's name before the year: back to the navigation's last separator.
    start = title.start()
    floor = max(0, start - 40)
    while start > floor and not _NAV_END.match(text[start - 1]):
        start -= 1
    head = [text[start : title.end()].strip()]
    rest = text[title.end() :]
    for part in _split_at(rest, [m.start() for m in _META.finditer(rest)]):
        head += _narrative(part)
    return head


def unflatten(text: str) -> str:
    """The text broken into a report's lines when it is a flattened web page; else unchanged."""
    if not is_dump(text):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        headings = _headings(line) if len(line) >= _MIN_LONG else []
        if len(headings) < 2:
            if line.strip() or out:
                out.append(line)
            continue
        out += _head(line[: headings[0][1]])
        for i, (number, start, end) in enumerate(headings):
            out.append(line[start:end].strip())
            body = line[end : headings[i + 1][1] if i + 1 < len(headings) else len(line)]
            if i + 1 == len(headings):
                footer = _FOOTER.search(body)
                if footer is not None:
                    body = body[: footer.start()]
            out += _table_lines(body) if 2 <= number <= 4 else _narrative(body)
    return "\n".join(out)
