"""The supervising office's bulletin (通报) on a year's annual reports, drafted from the checks.

``compose`` turns what the checks found — each agency's report (or none), its signature date
against the Art. 49 deadline of its kind (``standard.publication_deadline``), the errors of the
single-report rules, the copied passages of the cross-report rule ``X-copied`` and the indicators
that stand out — into the paragraphs of a bulletin; nothing in it is written that the data does
not say (the closing requirements are the usual wording of such a bulletin, for the office to
edit). ``render_bulletin`` writes it as a DOCX in 公文 style with the page and styles of the
report writer (``render/docx.py``): the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号,
the headings of the levels 一、 in 黑体 and （一） in 楷体_GB2312, 1. in the body font, the issuing
office and the date on the right.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from gongkai.core import standard

from .checking import RULES
from .errors import ReportReadError
from .render.docx import (
    FONT_BODY,
    FONT_HEADING,
    FONT_LATIN,
    FONT_SUBHEADING,
    FONT_TITLE,
    LINE_BODY,
    SIZE_BODY,
    SIZE_TITLE,
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_SIGNATURE,
    STYLE_SUBHEADING,
    STYLE_TITLE,
    _clean,
    _first_line_chars,
    _paragraph,
    official_document,
)

COPIED_RULE = "X-copied"
# Said in the part on timeliness (二), not again among the errors of content (三).
TIMELINESS_RULES = ("D-late", "D-missing")
LIST_SEPARATOR = "、"


@dataclass
class AgencyResult:
    """What the checks say of one agency of the region for the year."""

    name: str
    kind: standard.AgencyKind
    received: bool = False  # a report of the year was received (submitted, uploaded or collected)
    published: date | None = None  # its signature (publication) date, if it states one
    findings: list[dict] = field(default_factory=list)  # findings as JSON (``Finding.to_json``)

    def deadline(self, year: int) -> date:
        return standard.publication_deadline(year, self.kind)


@dataclass(frozen=True)
class Standout:
    """A figure of an agency that a visible outlier rule flagged (``core/report/indicators.py``)."""

    agency: str
    rule: str  # the rule's Chinese title, e.g. "比率远离全区中位数"
    basis: str  # the rule and its thresholds in Chinese (the rule's ``describe()``)
    message: str  # what was flagged, in Chinese, e.g. "公开率12.5%，低于全区中位数85.0%超过20.0个百分点"


@dataclass(frozen=True)
class Block:
    """A paragraph of the bulletin: ``level`` 0 body, 1 一、, 2 （一）, 3 1. (in the body font)."""

    text: str
    level: int = 0


@dataclass
class Bulletin:
    title: str
    addressee: str
    blocks: list[Block]
    issuer: str
    date: str


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(names: list[str]) -> str:
    return LIST_SEPARATOR.join(names)


def _numbered(items: list[str], level: int) -> list[Block]:
    return [Block(f"{i}.{text}", level) for i, text in enumerate(items, 1)]


def timeliness(agencies: list[AgencyResult], year: int) -> dict[str, list[AgencyResult]]:
    """The agencies sorted by Art. 49: on time, late, no date stated, no report received."""
    out: dict[str, list[AgencyResult]] = {"on_time": [], "late": [], "undated": [], "missing": []}
    for a in agencies:
        if not a.received:
            out["missing"].append(a)
        elif a.published is None:
            out["undated"].append(a)
        elif a.published <= a.deadline(year):
            out["on_time"].append(a)
        else:
            out["late"].append(a)
    return out


def errors_by_rule(agencies: list[AgencyResult]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(rule id, Chinese title, [(agency, message)]) for every rule with errors, most agencies first."""
    rules: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for a in agencies:
        for f in a.findings:
            if f.get("severity") != "error" or f.get("rule") in (COPIED_RULE, *TIMELINESS_RULES):
                continue
            rule = f.get("rule") or ""
            title = f.get("title") or (RULES[rule].title if rule in RULES else rule)
            rules.setdefault(rule, (title, []))[1].append((a.name, f.get("message") or ""))
    ordered = sorted(rules.items(), key=lambda kv: (-len({n for n, _ in kv[1][1]}), kv[0]))
    return [(rule, title, items) for rule, (title, items) in ordered]


def copied(agencies: list[AgencyResult]) -> list[tuple[str, dict]]:
    """(agency, finding) for every ``X-copied`` finding."""
    return [(a.name, f) for a in agencies for f in a.findings if f.get("rule") == COPIED_RULE]


def _copied_text(agency: str, finding: dict) -> str:
    details = finding.get("details") or {}
    text = finding.get("message") or "正文与其他报告高度雷同"
    passages = details.get("passages") or []
    if passages:
        first = passages[0]
        excerpt = first.get("text") if isinstance(first, dict) else str(first)
        if excerpt and excerpt[:20] not in text:  # the cross checks' message may quote it already
            text += f"（雷同段落如：“{excerpt[:80]}{'……' if len(excerpt) > 80 else ''}”）"
    return f"{agency}：{text}"


def compose(issuer: str, region: str, year: int, agencies: list[AgencyResult], on: date,
            standouts: list[Standout] | None = None, copying_checked: bool = True) -> Bulletin:
    """The bulletin on ``year``'s reports of ``region``'s ``agencies``, issued by ``issuer`` on ``on``.

    ``standouts`` None: no indicators were computed (the section says so); ``copying_checked``
    False: no cross-report comparison was run (the section says so rather than "none found")."""
    blocks: list[Block] = []
    sorted_ = timeliness(agencies, year)
    received = [a for a in agencies if a.received]
    blocks.append(Block(
        f"根据《中华人民共和国政府信息公开条例》第四十九条和《中华人民共和国政府信息公开工作年度报告格式》的规定，"
        f"{issuer}对{region}及所属机关共{len(agencies)}个机关{year}年度政府信息公开工作年度报告的发布和内容情况进行了检查。"
        "现将有关情况通报如下："))

    blocks.append(Block("一、总体情况", 1))
    blocks.append(Block(
        f"应报告机关{len(agencies)}个，收到年度报告{len(received)}份；按期发布{len(sorted_['on_time'])}个，"
        f"逾期发布{len(sorted_['late'])}个，未写明落款日期{len(sorted_['undated'])}个，"
        f"未收到报告{len(sorted_['missing'])}个。经核对，{sum(1 for a in received if _has_errors(a))}份报告的内容存在错误。"))

    blocks.append(Block("二、按期发布情况", 1))
    government = standard.publication_deadline(year, standard.AgencyKind.GOVERNMENT)
    department = standard.publication_deadline(year, standard.AgencyKind.DEPARTMENT)
    blocks.append(Block(
        f"按照《条例》第四十九条，县级以上人民政府部门应于{chinese_date(department)}前公布上一年度政府信息公开工作年度报告，"
        f"本级人民政府的年度报告应于{chinese_date(government)}前公布。"))
    blocks.append(Block("（一）按期发布的机关", 2))
    blocks.append(Block(f"{_names([a.name for a in sorted_['on_time']])}。" if sorted_["on_time"] else "无。"))
    blocks.append(Block("（二）逾期发布的机关", 2))
    if sorted_["late"]:
        blocks += _numbered([f"{a.name}：落款日期为{chinese_date(a.published)}，应于{chinese_date(a.deadline(year))}前发布，"
                             f"逾期{(a.published - a.deadline(year)).days}天。" for a in sorted_["late"]], 3)
    else:
        blocks.append(Block("无。"))
    if sorted_["undated"]:
        blocks.append(Block("（三）未写明落款日期、无法核对是否按期发布的机关", 2))
        blocks.append(Block(f"{_names([a.name for a in sorted_['undated']])}。"))
    if sorted_["missing"]:
        blocks.append(Block(f"（{standard.chinese_numeral(4 if sorted_['undated'] else 3)}）未收到年度报告的机关", 2))
        blocks.append(Block(f"{_names([a.name for a in sorted_['missing']])}。"))

    blocks.append(Block("三、报告内容存在的问题", 1))
    problems = errors_by_rule(agencies)
    if problems:
        blocks.append(Block(f"经逐项核对表格勾稽关系和报告格式，共发现{len(problems)}类错误："))
        for n, (rule, title, items) in enumerate(problems, 1):
            names = list(dict.fromkeys(name for name, _ in items))
            blocks.append(Block(f"（{standard.chinese_numeral(n)}）{title}", 2))
            blocks.append(Block(f"涉及{len(names)}个机关：{_names(names)}（核对规则 {rule}）。"))
            blocks += _numbered([f"{name}：{message}" for name, message in items], 3)
    else:
        blocks.append(Block("经核对，收到的报告未发现错误。" if received else "未收到报告，未作核对。"))

    blocks.append(Block("四、文字雷同情况", 1))
    pairs = copied(agencies)
    if pairs:
        blocks.append(Block(f"经与上年度报告及其他机关报告比对，{len({n for n, _ in pairs})}个机关的报告正文存在大段雷同："))
        blocks += _numbered([_copied_text(name, f) for name, f in pairs], 3)
    elif copying_checked:
        blocks.append(Block("经与上年度报告及其他机关报告比对，未发现大段雷同的正文。"))
    else:
        blocks.append(Block("本次未进行报告之间的文字比对。"))

    blocks.append(Block("五、需要关注的指标", 1))
    if standouts:
        rules = list(dict.fromkeys((s.rule, s.basis) for s in standouts))
        blocks.append(Block(f"按以下规则，{len({s.agency for s in standouts})}个机关的指标明显偏离，请有关机关核实数据："))
        for n, (rule, basis) in enumerate(rules, 1):
            blocks.append(Block(f"（{standard.chinese_numeral(n)}）{rule}", 2))
            blocks.append(Block(f"规则：{basis}。"))
            blocks += _numbered([f"{s.agency}：{s.message}。" for s in standouts if (s.rule, s.basis) == (rule, basis)], 3)
    elif standouts is None:
        blocks.append(Block("本次未计算比较指标。"))
    else:
        blocks.append(Block("按本系统的异常指标规则，各机关的指标未见明显偏离。"))

    blocks.append(Block("六、有关要求", 1))
    blocks.append(Block(
        "请逾期发布、未发布和报告存在问题的机关认真对照《条例》和《格式》的规定核查整改，更正后重新发布并报送；"
        "请各机关进一步加强年度报告编制审核，确保数据准确、按期发布。"))
    return Bulletin(title=f"关于{year}年度政府信息公开工作年度报告检查情况的通报",
                    addressee=f"{region}所属各机关：", blocks=blocks, issuer=issuer, date=chinese_date(on))


def _has_errors(a: AgencyResult) -> bool:
    return any(f.get("severity") == "error" and f.get("rule") not in (COPIED_RULE, *TIMELINESS_RULES)
               for f in a.findings)


def _no_indent(paragraph) -> None:
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _first_line_chars(paragraph._p.get_or_add_pPr(), 0)


def render_bulletin(bulletin: Bulletin) -> bytes:
    """The bulletin as the bytes of a .docx file; ReportReadError("render_failed") on failure."""
    try:
        docx_doc = official_document()
        title = _paragraph(docx_doc, bulletin.title, STYLE_TITLE, FONT_TITLE, FONT_TITLE, SIZE_TITLE)
        title.paragraph_format.space_after = LINE_BODY
        _no_indent(_paragraph(docx_doc, bulletin.addressee, STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY))
        for block in bulletin.blocks:
            if block.level == 1:
                _paragraph(docx_doc, block.text, STYLE_HEADING, FONT_HEADING, FONT_HEADING, SIZE_BODY)
            elif block.level == 2:
                _paragraph(docx_doc, block.text, STYLE_SUBHEADING, FONT_SUBHEADING, FONT_LATIN, SIZE_BODY)
            else:
                _paragraph(docx_doc, block.text, STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)
        _paragraph(docx_doc, "", STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)
        _paragraph(docx_doc, "", STYLE_BODY, FONT_BODY, FONT_LATIN, SIZE_BODY)
        for text in (bulletin.issuer, bulletin.date):
            signature = _paragraph(docx_doc, text, STYLE_SIGNATURE, FONT_BODY, FONT_LATIN, SIZE_BODY)
            signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        props = docx_doc.core_properties
        now = datetime.now(timezone.utc).replace(microsecond=0)
        props.title = _clean(bulletin.title)
        props.author = props.last_modified_by = _clean(bulletin.issuer)
        props.subject = "政府信息公开工作年度报告检查情况通报"
        props.keywords = "通报;政府信息公开;年度报告"
        props.comments = props.category = ""
        props.language = "zh-CN"
        props.revision = 1
        props.created = props.modified = now
        out = io.BytesIO()
        docx_doc.save(out)
        return out.getvalue()
    except Exception as error:  # noqa: BLE001 - any failure to build the file is reported in Chinese
        raise ReportReadError("render_failed", None, f"通报文件生成失败（{type(error).__name__}: {error}）") from error


__all__ = ["AgencyResult", "Standout", "Block", "Bulletin", "compose", "render_bulletin", "timeliness",
           "errors_by_rule", "copied", "chinese_date", "COPIED_RULE"]
