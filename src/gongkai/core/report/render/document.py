"""The report as a document to write: title, preamble, six sections with their paragraphs and
tables, signature. Where the person gave no text for a part that the numbers determine (the
applications summary in section 一, the fee sentence in section 六, the preamble), it is drafted
from the data in plain official Chinese; nothing the data does not hold is ever written."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ... import standard
from ..model import CellStatus, MissingReason, Report
from ..parsing.lines import split_lines
from ..parsing.narrative import extract_facts
from ...standard import FORMAT_2021_CITATION, chinese_numeral
from .grid import Grid, table_grid

# What stands where a table is missing; the text parser reads these back as the same reason.
MISSING_NOTES = {
    MissingReason.PICTURE: "（原报告中本表以图片形式粘贴，无法读取，本表数据缺失。）",
    MissingReason.EMPTY_SECTION: "（原报告中本表以图片形式粘贴，无法读取，本表数据缺失。）",
    MissingReason.ABSENT: "（未提供本表数据。）",
    MissingReason.NOT_PARSED: "（原报告中本表采用旧版格式，未转录。）",
}


@dataclass
class DocSection:
    number: int
    key: str
    heading: str  # with its numeral: "一、总体情况"
    paragraphs: list[str]
    grid: Grid | None = None
    missing_note: str | None = None

    @property
    def text(self) -> str:
        """The section's text as written: paragraphs, and the note standing for a missing table."""
        return "\n".join(self.paragraphs + ([self.missing_note] if self.missing_note else []))


@dataclass
class Document:
    title: str
    agency: str | None
    year: int | None
    preamble: list[str]
    sections: list[DocSection]
    signature: list[str]  # the agency and the date, at the end
    drafted: list[str] = field(default_factory=list)  # what was drafted from the data, for the user
    # the pictures the tables were read from, to be shown beside the numbers (HTML only)
    pictures: list["PictureView"] = field(default_factory=list)


@dataclass
class FlaggedCell:
    """A cell read from a picture that a person should look at, with the picture cut around it."""

    where: str  # "表三「1.属于国家秘密」· 自然人"
    status: str  # "无法唯一确定：3 或 8"
    crop: bytes  # PNG


@dataclass
class PictureView:
    name: str
    page: int | None
    data: bytes
    media_type: str
    tables: list[str]
    flagged: list[FlaggedCell] = field(default_factory=list)


def _count(n: int | Decimal) -> str:
    return f"{n}件"


def _value(report: Report, table: str, row: str, column: str = "total") -> int | None:
    t = report.table(table)
    if t is None or not t.has_row(row):
        return None
    cell = t.cell(row, column)
    return cell.value if cell.is_number else None  # type: ignore[return-value]


def draft_applications_summary(report: Report) -> str | None:
    """"本年度共收到政府信息公开申请5件，上年结转0件；办结5件，其中予以公开2件…" from table 3."""
    table = report.table("applications")
    if table is None:
        return None
    new = _value(report, "applications", "new_received")
    carried_over = _value(report, "applications", "carried_over")
    total = _value(report, "applications", "total")
    carried_forward = _value(report, "applications", "carried_forward")
    if None in (new, carried_over, total, carried_forward):
        return None
    if new == 0 and carried_over == 0:
        sentence = "本年度未收到政府信息公开申请，无上年结转申请。"
    else:
        parts: list[tuple[str, list[str]]] = [
            ("予以公开", ["granted"]),
            ("部分公开", ["partial"]),
            ("不予公开", [k for k in standard.OUTCOME_KEYS if k.startswith("denied_")]),
            ("无法提供", [k for k in standard.OUTCOME_KEYS if k.startswith("unable_")]),
            ("不予处理", [k for k in standard.OUTCOME_KEYS if k.startswith("rejected_")]),
            ("其他处理", [*standard.OTHER_SUB_ROWS] if not table.single_other_row else [standard.SINGLE_OTHER_ROW]),
        ]
        counted: list[str] = []
        for label, rows in parts:
            values = [_value(report, "applications", r) for r in rows if table.has_row(r)]
            if any(v is None for v in values):
                return None
            if sum(values):  # type: ignore[arg-type]
                counted.append(f"{label}{_count(sum(values))}")  # type: ignore[arg-type]
        sentence = f"本年度共收到政府信息公开申请{_count(new)}，上年结转{_count(carried_over)}；"  # type: ignore[arg-type]
        if total:
            sentence += f"办结{_count(total)}" + ("，其中" + "，".join(counted) if counted else "")  # type: ignore[arg-type]
        else:
            sentence += "本年度尚未办结"
        sentence += f"；结转下年度继续办理{_count(carried_forward)}。"  # type: ignore[arg-type]
    review = report.table("review_litigation")
    if review is not None:
        reviews = _value(report, "review_litigation", "review")
        direct = _value(report, "review_litigation", "litigation_direct")
        after = _value(report, "review_litigation", "litigation_after_review")
        if None not in (reviews, direct, after):
            lawsuits = direct + after  # type: ignore[operator]
            if reviews == 0 and lawsuits == 0:
                sentence += "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
            else:
                sentence += f"本年度因政府信息公开工作被申请行政复议{_count(reviews)}、被提起行政诉讼{_count(lawsuits)}。"  # type: ignore[arg-type]
    return sentence


def draft_fee_sentence(fee_yuan: Decimal | None) -> str | None:
    if fee_yuan is None:
        return None
    if fee_yuan == 0:
        return "本年度未依据《政府信息公开信息处理费管理办法》收取信息处理费。"
    amount = format(fee_yuan.normalize(), "f") if fee_yuan == fee_yuan.to_integral_value() else format(fee_yuan, "f")
    return f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{amount}元。"


def draft_preamble_text(report: Report) -> list[str]:
    agency = report.agency or "本机关"
    basis = (
        f"本报告由{agency}按照《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
        f"《中华人民共和国政府信息公开工作年度报告格式》（{FORMAT_2021_CITATION}）要求编制。"
        "本报告内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分内容。"
    )
    if report.year:
        basis += f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"
    contact = ""
    if report.website:
        contact += f"本报告电子版可在{report.website}查阅或下载。"
    bits = "，".join(
        x for x in (f"地址：{report.address}" if report.address else "", f"联系电话：{report.telephone}" if report.telephone else "") if x
    )
    if bits:
        contact += f"如对本报告有疑问，请与{agency}联系（{bits}）。"
    return [basis] + ([contact] if contact else [])


def _states(text: str, key: str, year: int | None) -> bool:
    return any(f.key == key for f in extract_facts(split_lines(text), year))


def build_document(
    report: Report, fee_yuan: Decimal | None = None, draft: bool = True, draft_preamble: bool = False
) -> Document:
    """The document for ``report``; ``fee_yuan`` is the 信息处理费 collected, where known.

    ``draft`` writes the parts the numbers determine where the text lacks them; the preamble
    is drafted only for a report a person wrote as data (``draft_preamble``), never for a
    published report being re-written."""
    drafted: list[str] = []
    title = report.title or f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告"
    preamble = [p for p in report.preamble.split("\n") if p.strip()]
    if not preamble and draft and draft_preamble:
        preamble = draft_preamble_text(report)
        drafted.append("前言（编制依据、统计期限、联系方式）")
    fact = report.fact("info_fee_yuan")
    if fee_yuan is None and fact is not None:
        fee_yuan = Decimal(fact.value)
    sections: list[DocSection] = []
    for spec in standard.SECTIONS:
        section = report.section(spec.key)
        paragraphs = [p for p in (section.text.split("\n") if section else []) if p.strip()]
        text = "\n".join(paragraphs)
        if draft and spec.key == "overview" and not _states(text, "applications_received", report.year):
            summary = draft_applications_summary(report)
            if summary:
                paragraphs.append(summary)
                drafted.append("第一部分中的依申请公开情况（由表三、表四的数字生成）")
        if draft and spec.key == "other_matters" and not _states(text, "info_fee_yuan", report.year):
            sentence = draft_fee_sentence(fee_yuan)
            if sentence:
                paragraphs.insert(0, sentence)
                drafted.append("第六部分中的信息处理费收取情况")
        doc_section = DocSection(spec.number, spec.key, f"{chinese_numeral(spec.number)}、{spec.heading}", paragraphs)
        if spec.table:
            table = report.table(spec.table)
            if table is None and spec.table == "active":
                table = report.table("active_2019")  # a 2019-format report keeps its own table 2
            if table is not None:
                doc_section.grid = table_grid(table)
            else:
                missing = report.missing(spec.table)
                doc_section.missing_note = MISSING_NOTES[missing.reason if missing else MissingReason.ABSENT]
        sections.append(doc_section)
    signature = []
    if report.published is not None:
        signature = [report.agency or "", report.published.raw or (report.published.value.isoformat() if report.published.value else "")]
        signature = [s for s in signature if s]
    return Document(title, report.agency, report.year, preamble, sections, signature, drafted, picture_views(report))


def picture_views(report: Report) -> list[PictureView]:
    """The pictures whose tables were read by OCR, each with its cells that were corrected,
    are uncertain or were left unread, cut out of the picture with their neighbours."""
    views = [PictureView(p.name, p.page, p.data, p.media_type, [standard.TABLE_BY_KEY[t].name for t in p.tables if t in standard.TABLE_BY_KEY]) for p in report.pictures]
    if not views:
        return views
    corrected = {(n.table, n.row) for n in report.notes if n.code == "ocr-corrected"}
    for key, table in report.tables.items():
        if table is None:
            continue
        for row_key, columns in table.rows.items():
            for column, cell in columns.items():
                origin = cell.origin
                if origin is None or not 0 <= origin.picture < len(views):
                    continue
                if cell.status is CellStatus.UNCERTAIN:
                    status = "无法唯一确定：" + " 或 ".join(str(v) for v in cell.candidates)
                elif cell.status is CellStatus.UNREADABLE:
                    status = "未能识别"
                elif (key, row_key) in corrected:
                    status = f"已按勾稽关系确定为 {cell.value}"
                else:
                    continue
                row = table.spec.row(row_key)
                label = next((c.label for c in row.columns if c.key == column), column)
                crop = _crop(views[origin.picture].data, origin.box)
                views[origin.picture].flagged.append(FlaggedCell(f"{table.spec.name}「{row.label}」· {label}", status, crop))
    return views


def _crop(data: bytes, box: tuple[int, int, int, int]) -> bytes:
    """The picture cut around ``box`` (one cell's size on every side), the cell outlined."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return b""
    x0, y0, x1, y1 = box
    w, h = max(1, x1 - x0), max(1, y1 - y0)
    cx0, cy0 = max(0, x0 - w), max(0, y0 - h)
    cx1, cy1 = min(image.shape[1], x1 + w), min(image.shape[0], y1 + h)
    part = image[cy0:cy1, cx0:cx1].copy()
    cv2.rectangle(part, (x0 - cx0, y0 - cy0), (x1 - cx0, y1 - cy0), (0, 0, 255), 2)
    ok, buffer = cv2.imencode(".png", part)
    return buffer.tobytes() if ok else b""
