"""Read a Word document (.docx) as text lines for the text parser.

The body is read in document order, as python-docx's ``Document.iter_inner_content()``
yields it (paragraphs and tables), and content controls (``w:sdt``) are looked into as
well. Each paragraph gives a line (a line break inside it starts a new line); each table
row gives one line of tab-separated cells laid out on the table's real grid: a merged cell's
text stands in its top-left slot, the slots it covers (``w:gridSpan``, ``w:vMerge``
continuation, ``w:gridBefore``/``w:gridAfter``) are empty strings. Text that wraps inside a
cell (several paragraphs or line breaks) is joined without spaces, as Chinese needs.
Headers and footers (page numbers) are not read.

Untrusted input. The file is a ZIP archive that is checked before python-docx opens it, by
the project's ZIP checks (``archives.check_zip``: at most 200 MB uncompressed in all, no
member over 1 MB compressed more than 200:1, at most 10,000 members) and here (no member
encrypted; an old binary .doc is named as such). Python's zipfile never inflates a member
beyond the size its directory entry declares (it stops there and fails the CRC check), so
the declared sizes checked here bound the memory used.

The XML parts are parsed by python-docx's own lxml parsers, both created with
``resolve_entities=False`` (``docx.oxml.parser`` and ``docx.opc.oxml``, checked for
python-docx 1.2): an external entity is never loaded from a file or the network (XXE), and
entities declared in the DTD are not substituted into the text. libxml2 (under lxml 6) also
stops a document whose entities amplify beyond its limit ("billion laughs": "Maximum entity
amplification factor exceeded"), which arrives here as a broken file, and without
``huge_tree`` it refuses trees nested deeper than its limit. The tests check both attacks.

Anything that is not a readable .docx raises ``ReportReadError("broken_file")``; a zip bomb
``ReportReadError("too_large")`` (or "broken_file" where it is not even a ZIP archive).
"""

from __future__ import annotations

import io
import zipfile
from contextvars import ContextVar

from ..errors import ReportReadError
from .archives import MAX_RATIO, MAX_UNCOMPRESSED, check_zip

# The limits are the project's ZIP limits (parsing/archives.py), shared with .xlsx.
MAX_UNCOMPRESSED_BYTES = MAX_UNCOMPRESSED
MAX_COMPRESSION_RATIO = MAX_RATIO

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_T, _TAB, _PTAB, _BR, _CR = _W + "t", _W + "tab", _W + "ptab", _W + "br", _W + "cr"
_NO_BREAK_HYPHEN = _W + "noBreakHyphen"
# Pictures: DrawingML (w:drawing → a:blip r:embed) and VML (w:pict → v:imagedata r:id).
_DRAWING, _PICT = _W + "drawing", _W + "pict"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# While a document is read: relationship id -> (picture name, bytes), and the pictures met.
_RELS: ContextVar[dict | None] = ContextVar("docx_rels", default=None)
_MET: ContextVar[list | None] = ContextVar("docx_pictures", default=None)
# Wrappers whose content belongs where they stand: content controls and custom XML.
_SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_WRAPPERS = {_SDT, _SDT_CONTENT, _CUSTOM_XML}
# Never read as text: properties, deleted text, the fallback copy of alternate content,
# text boxes (a drawing's own flow, outside the reading order), field instructions.
_SKIP = {
    _W + "pPr",
    _W + "rPr",
    _W + "sdtPr",
    _W + "del",
    _W + "moveFrom",
    _W + "txbxContent",
    _W + "instrText",
    _MC + "Fallback",
}


def _broken(detail: str) -> ReportReadError:
    return ReportReadError("broken_file", None, detail)


def check_archive(data: bytes) -> None:
    """Refuse what is not a .docx container before python-docx opens it: an old binary Word
    file, something that is not a ZIP archive, a zip bomb, encrypted members."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: .doc, .wps, or an encrypted .docx
        raise _broken("这是旧版 Word（.doc）文件或加密的文档，不是 .docx；请在 Word 中另存为 .docx 后再读取")
    check_zip(data)  # not a ZIP; > 200 MB unpacked; a member > 1 MB packed more than 200:1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.flag_bits & 0x1:
                raise _broken(f"压缩包内的 {member.filename} 已加密")


def docx_to_text(data: bytes) -> str:
    """The text of a .docx: one line per paragraph, one tab-separated line per table row;
    a picture becomes an ``[image: name]`` marker where it stands."""
    return docx_text_and_pictures(data)[0]


def docx_text_and_pictures(data: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    """The text (as ``docx_to_text``) and the pictures whose markers it holds, in order:
    ``(name, bytes)`` with the name of the picture's part ("image1.png")."""
    check_archive(data)
    import docx  # imported here: reading other formats does not need python-docx

    met: list[tuple[str, bytes]] = []
    try:
        document = docx.Document(io.BytesIO(data))
        rels = {}
        for rid, rel in document.part.rels.items():
            if "image" in rel.reltype and not rel.is_external:
                part = rel.target_part
                rels[rid] = (str(part.partname).rsplit("/", 1)[-1], part.blob)
        body = document.element.body
        lines: list[str] = []
        token_rels, token_met = _RELS.set(rels), _MET.set(met)
        try:
            _blocks(body, lines)
        finally:
            _RELS.reset(token_rels)
            _MET.reset(token_met)
    except ReportReadError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever python-docx or lxml trips over
        raise _broken(_explain(data, error)) from None
    return "\n".join(lines) + "\n", met


def _picture_markers(element) -> str:
    """``[image: name]`` for every picture in a drawing (recorded with its bytes)."""
    rels = _RELS.get() or {}
    met = _MET.get()
    out = []
    for node in element.iter(_BLIP, _IMAGEDATA):
        rid = node.get(_R + "embed") or node.get(_R + "id")
        name, blob = rels.get(rid, (None, None))
        if name is None:
            continue
        out.append(f" [image: {name}] ")
        if met is not None:
            met.append((name, blob))
    return "".join(out)


def _explain(data: bytes, error: Exception) -> str:
    """A Chinese explanation of why python-docx could not open the file."""
    text = str(error)
    if "purl.oclc.org" in text or _is_strict(data):
        return "这是“严格 Open XML”格式的 .docx，请在 Word 中另存为“Word 文档（*.docx）”后再读取"
    if "is not a Word file" in text:
        return f"不是 Word 文档（{text.split('content type is', 1)[-1].strip()}）"
    if isinstance(error, KeyError):
        return f"缺少必需的部件（{text}）"
    return f"无法读取 Word 文档（{type(error).__name__}: {text[:200]}）"


def _is_strict(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"purl.oclc.org/ooxml" in archive.read("_rels/.rels")
    except Exception:  # noqa: BLE001
        return False


# --------------------------------------------------------------------------- body


def _blocks(container, lines: list[str]) -> None:
    """Paragraphs and tables of ``container`` in document order, into ``lines``."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _P:
            lines.extend(_inline_text(child).split("\n"))
        elif tag == _TBL:
            lines.extend(_table_rows(child))
        elif tag in _WRAPPERS:
            _blocks(child, lines)


def _inline_text(element) -> str:
    """The visible text under ``element``: runs, hyperlinks, fields' results, insertions."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag in (_DRAWING, _PICT):
                parts.append(_picture_markers(child))
            elif isinstance(tag, str) and tag not in _SKIP:
                walk(child)

    walk(element)
    return "".join(parts)


def _children(element, tag: str):
    """Children of ``element`` with ``tag``, including those inside content controls."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_text(tc) -> str:
    """A cell's text on one line: paragraphs and line breaks joined without spaces."""
    pieces: list[str] = []
    for p in tc.iter(_P):
        if not _hidden(p, tc):
            pieces.append(_inline_text(p))
    text = "".join(pieces)
    return text.replace("\n", "").replace("\r", "").replace("\t", " ").strip()


def _hidden(p, cell) -> bool:
    """A paragraph of ``cell`` that is not shown in its flow (a text box, a fallback copy)."""
    for ancestor in p.iterancestors():
        if ancestor is cell:
            return False
        if ancestor.tag in _SKIP:
            return True
    return False


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


def _row_cells(tr) -> list[str]:
    """One row on the table's grid: merged text in its top-left slot, covered slots empty."""
    pr = tr.find(_W + "trPr")
    before = after = 0
    if pr is not None:
        gb, ga = pr.find(_W + "gridBefore"), pr.find(_W + "gridAfter")
        before = _int(gb.get(_W + "val")) if gb is not None else 0
        after = _int(ga.get(_W + "val")) if ga is not None else 0
    cells = [""] * before
    for tc in _children(tr, _TC):
        tc_pr = tc.find(_W + "tcPr")
        span, continued = 1, False
        if tc_pr is not None:
            gs = tc_pr.find(_W + "gridSpan")
            span = max(1, _int(gs.get(_W + "val"), 1)) if gs is not None else 1
            vm = tc_pr.find(_W + "vMerge")
            # <w:vMerge/> without a value continues the cell above; "restart" starts one.
            continued = vm is not None and vm.get(_W + "val", "continue") == "continue"
        cells.append("" if continued else _cell_text(tc))
        cells.extend([""] * (min(span, 1000) - 1))
    cells.extend([""] * after)
    return cells


def _table_rows(tbl) -> list[str]:
    return ["\t".join(_row_cells(tr)) for tr in _children(tbl, _TR)]


__all__ = ["docx_to_text", "docx_text_and_pictures", "check_archive", "MAX_UNCOMPRESSED_BYTES", "MAX_COMPRESSION_RATIO"]
