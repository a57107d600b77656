"""The national annual-report format (国办公开办函〔2021〕30号) as data.

This module is the one place that defines the six sections, the three tables with
every row and column, their official labels, the variants real reports use, and the
keys the project uses for every cell (see ``shared/spec/annual-report.md``). Every
other module reads these definitions; none repeats a label or a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cached_property


class ReportFormat(str, Enum):
    """Which national layout a report follows."""

    F2021 = "2021"  # 国办公开办函〔2021〕30号, reports for 2021 onwards
    F2019 = "2019"  # 国办公开办函〔2019〕60号, reports for 2019 and 2020
    PRE2019 = "pre2019"  # free structure, reports for 2008-2018
    UNKNOWN = "unknown"


FORMAT_LABELS = {
    ReportFormat.F2021: "2021年版格式（国办公开办函〔2021〕30号）",
    ReportFormat.F2019: "2019年版格式（国办公开办函〔2019〕60号）",
    ReportFormat.PRE2019: "2019年以前的格式（无统一表格）",
    ReportFormat.UNKNOWN: "未能识别的格式",
}

FORMAT_2021_CITATION = "国办公开办函〔2021〕30号"
FORMAT_2019_CITATION = "国办公开办函〔2019〕60号"


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class SectionSpec:
    number: int  # 1..6
    key: str
    heading: str  # canonical heading, without its numeral
    # Each alternative is a tuple of fragments that must all appear in a heading line.
    heading_keywords: tuple[tuple[str, ...], ...]
    table: str | None = None  # key of the table that belongs under this section


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(1, "overview", "总体情况", (("总体情况",), ("总体概况",), ("基本情况",), ("概述",))),
    SectionSpec(
        2,
        "active_disclosure",
        "主动公开政府信息情况",
        (("主动公开",),),
        table="active",
    ),
    SectionSpec(
        3,
        "applications",
        "收到和处理政府信息公开申请情况",
        (("收到和处理",), ("处理政府信息公开申请",), ("依申请公开", "情况"), ("公开申请情况",)),
        table="applications",
    ),
    SectionSpec(
        4,
        "review_litigation",
        "政府信息公开行政复议、行政诉讼情况",
        (("行政复议",), ("行政诉讼",)),
        table="review_litigation",
    ),
    SectionSpec(
        5,
        "problems",
        "存在的主要问题及改进情况",
        (("主要问题",), ("存在的问题",), ("存在问题",), ("问题及改进",)),
    ),
    SectionSpec(
        6,
        "other_matters",
        "其他需要报告的事项",
        (("其他需要报告",), ("其他需要说明",), ("需要报告的其他事项",)),
    ),
)

SECTION_BY_KEY = {s.key: s for s in SECTIONS}
SECTION_BY_NUMBER = {s.number: s for s in SECTIONS}

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二 (enough for headings and row numbers)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    if n < 20:
        return "十" + CHINESE_NUMERALS[n - 10]
    tens, ones = divmod(n, 10)
    return CHINESE_NUMERALS[tens] + "十" + (CHINESE_NUMERALS[ones] if ones else "")


def parse_chinese_numeral(text: str) -> int | None:
    """Parse a small Chinese numeral (零..九十九, 两) or ASCII digits; None if it is not one."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate(CHINESE_NUMERALS)}
    digits["两"] = 2
    digits["〇"] = 0
    if any(c not in digits for c in text):
        return None
    if "十" not in text:
        if len(text) != 1:
            return None
        return digits[text]
    before, _, after = text.partition("十")
    if "十" in after or len(before) > 1 or len(after) > 1:
        return None
    tens = digits[before] if before else 1
    ones = digits[after] if after else 0
    return tens * 10 + ones


# ----------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    decimal: bool = False  # a non-negative decimal (万元) instead of an integer
    signed: bool = False  # may be negative (the 2019 format's 本年增/减)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # the official label as printed, numbering included
    match: tuple[str, ...]  # label cores (see ``report.labels.label_core``) that identify the row
    columns: tuple[ColumnSpec, ...]
    group: str | None = None  # the group heading it stands under, e.g. "（三）不予公开"
    exact: bool = False  # the core must equal a match string, not only start with it
    short: str = ""  # a short name for narrow displays ("予以公开", "国家秘密")

    @property
    def short_label(self) -> str:
        return self.short or self.label

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> "ColumnSpec":
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class TableSpec:
    key: str
    number: int  # 2, 3, 4 as in the national format ("表二" etc.)
    title: str
    section: str  # key of the section it belongs to
    rows: tuple[RowSpec, ...]
    # rows that a report may print instead of others (see other_total_single_row)
    alternative_rows: tuple[RowSpec, ...] = ()

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows)

    def row(self, key: str) -> RowSpec:
        return self._rows_by_key[key]

    @cached_property
    def _rows_by_key(self) -> dict[str, RowSpec]:
        return {r.key: r for r in (*self.rows, *self.alternative_rows)}

    @property
    def name(self) -> str:
        return f"表{chinese_numeral(self.number)}"


# Table 2: 主动公开政府信息情况 --------------------------------------------------------

ISSUED = ColumnSpec("issued", "本年制发件数", ("本年新制发件数", "本年制发数"))
REPEALED = ColumnSpec("repealed", "本年废止件数", ("本年废止数",))
IN_FORCE = ColumnSpec("in_force", "现行有效件数", ("现行有效数",))
DECISIONS = ColumnSpec("decisions", "本年处理决定数量", ("本年处理决定数", "处理决定数量"))
AMOUNT = ColumnSpec("amount", "本年收费金额（单位：万元）", ("本年收费金额",), decimal=True)

DOCUMENT_COLUMNS = (ISSUED, REPEALED, IN_FORCE)

ACTIVE = TableSpec(
    key="active",
    number=2,
    title="主动公开政府信息情况",
    section="active_disclosure",
    rows=(
        RowSpec("rules", "规章", ("规章",), DOCUMENT_COLUMNS, "第二十条第（一）项", exact=True),
        RowSpec(
            "normative_documents",
            "行政规范性文件",
            ("行政规范性文件", "规范性文件"),
            DOCUMENT_COLUMNS,
            "第二十条第（一）项",
            exact=True,
        ),
        RowSpec("licensing", "行政许可", ("行政许可",), (DECISIONS,), "第二十条第（五）项", exact=True),
        RowSpec("penalty", "行政处罚", ("行政处罚",), (DECISIONS,), "第二十条第（六）项", exact=True),
        RowSpec("coercion", "行政强制", ("行政强制",), (DECISIONS,), "第二十条第（六）项", exact=True),
        RowSpec(
            "admin_fees",
            "行政事业性收费",
            ("行政事业性收费",),
            (AMOUNT,),
            "第二十条第（八）项",
            exact=True,
        ),
    ),
)

# Table 3: 收到和处理政府信息公开申请情况 -----------------------------------------------

APPLICANT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("natural_person", "自然人"),
    ColumnSpec("commercial", "商业企业"),
    ColumnSpec("research", "科研机构"),
    ColumnSpec("social", "社会公益组织", ("社会组织",)),
    ColumnSpec("legal_service", "法律服务机构"),
    ColumnSpec("other", "其他"),
)
TOTAL_COLUMN = ColumnSpec("total", "总计", ("合计",))
APPLICATION_COLUMNS: tuple[ColumnSpec, ...] = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)
APPLICATION_COLUMN_KEYS = tuple(c.key for c in APPLICATION_COLUMNS)
APPLICATION_COLUMN_GROUP = "法人或其他组织"

G_RESULTS = "三、本年度办理结果"
G_DENIED = "（三）不予公开"
G_UNABLE = "（四）无法提供"
G_REJECTED = "（五）不予处理"
G_OTHER = "（六）其他处理"


def _t3(key: str, label: str, *match: str, group: str | None = None, exact: bool = False) -> RowSpec:
    return RowSpec(key, label, match, APPLICATION_COLUMNS, group, exact, _T3_SHORT[key])


_T3_SHORT = {
    "new_received": "一、本年新收",
    "carried_over": "二、上年结转",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开",
    "denied_state_secret": "（三）1.国家秘密",
    "denied_law_prohibited": "（三）2.法律法规禁止",
    "denied_three_safety": "（三）3.三安全一稳定",
    "denied_third_party": "（三）4.第三方权益",
    "denied_internal_affairs": "（三）5.内部事务",
    "denied_process_info": "（三）6.过程性信息",
    "denied_enforcement_file": "（三）7.行政执法案卷",
    "denied_query_matter": "（三）8.行政查询事项",
    "unable_not_held": "（四）1.不掌握",
    "unable_needs_creation": "（四）2.需另行制作",
    "unable_unclear": "（四）3.补正后仍不明确",
    "rejected_complaint": "（五）1.信访举报投诉",
    "rejected_repeat": "（五）2.重复申请",
    "rejected_publication": "（五）3.公开出版物",
    "rejected_excessive": "（五）4.大量反复申请",
    "rejected_confirmation": "（五）5.确认或重新出具",
    "other_no_correction": "（六）1.逾期不补正",
    "other_unpaid_fee": "（六）2.逾期未缴费",
    "other_other": "（六）3.其他",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度",
    "other_total_single_row": "（六）其他处理",
}


APPLICATIONS = TableSpec(
    key="applications",
    number=3,
    title="收到和处理政府信息公开申请情况",
    section="applications",
    rows=(
        _t3("new_received", "一、本年新收政府信息公开申请数量", "本年新收", "本年新收到", "本年度新收"),
        _t3("carried_over", "二、上年结转政府信息公开申请数量", "上年结转", "上年度结转"),
        _t3("granted", "（一）予以公开", "予以公开", group=G_RESULTS),
        _t3(
            "partial",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "部分公开",
            group=G_RESULTS,
        ),
        _t3("denied_state_secret", "1.属于国家秘密", "属于国家秘密", "国家秘密", group=G_DENIED),
        _t3(
            "denied_law_prohibited",
            "2.其他法律行政法规禁止公开",
            "其他法律行政法规禁止公开",
            "其他法律行政",
            "法律行政法规禁止公开",
            group=G_DENIED,
        ),
        _t3("denied_three_safety", "3.危及“三安全一稳定”", "危及三安全一稳定", group=G_DENIED),
        _t3("denied_third_party", "4.保护第三方合法权益", "保护第三方合法权益", group=G_DENIED),
        _t3(
            "denied_internal_affairs",
            "5.属于三类内部事务信息",
            "属于三类内部事务信息",
            "三类内部事务信息",
            group=G_DENIED,
        ),
        _t3(
            "denied_process_info",
            "6.属于四类过程性信息",
            "属于四类过程性信息",
            "四类过程性信息",
            group=G_DENIED,
        ),
        _t3("denied_enforcement_file", "7.属于行政执法案卷", "属于行政执法案卷", "行政执法案卷", group=G_DENIED),
        _t3("denied_query_matter", "8.属于行政查询事项", "属于行政查询事项", "行政查询事项", group=G_DENIED),
        _t3(
            "unable_not_held",
            "1.本机关不掌握相关政府信息",
            "本机关不掌握相关政府信息",
            "本机关不掌握",
            group=G_UNABLE,
        ),
        _t3(
            "unable_needs_creation",
            "2.没有现成信息需要另行制作",
            "没有现成信息需要另行制作",
            "没有现成信息",
            group=G_UNABLE,
        ),
        _t3(
            "unable_unclear",
            "3.补正后申请内容仍不明确",
            "补正后申请内容仍不明确",
            "补正后申请内容",
            group=G_UNABLE,
        ),
        _t3("rejected_complaint", "1.信访举报投诉类申请", "信访举报投诉类申请", "信访举报投诉", group=G_REJECTED),
        _t3("rejected_repeat", "2.重复申请", "重复申请", group=G_REJECTED),
        _t3("rejected_publication", "3.要求提供公开出版物", "要求提供公开出版物", group=G_REJECTED),
        _t3(
            "rejected_excessive",
            "4.无正当理由大量反复申请",
            "无正当理由大量反复申请",
            "无正当理由大量反复",
            group=G_REJECTED,
        ),
        _t3(
            "rejected_confirmation",
            "5.要求行政机关确认或重新出具已获取信息",
            "要求行政机关确认或重新出具已获取信息",
            "要求行政机关确认或重",
            group=G_REJECTED,
        ),
        _t3(
            "other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人无正当理由逾期不补正",
            "无正当理由逾期不补正",
            group=G_OTHER,
        ),
        _t3(
            "other_unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "申请人逾期未按收费通知要求缴纳费用",
            "逾期未按收费通知",
            group=G_OTHER,
        ),
        _t3("other_other", "3.其他", "其他", group=G_OTHER, exact=True),
        _t3("total", "（七）总计", "总计", "合计", group=G_RESULTS, exact=True),
        _t3("carried_forward", "四、结转下年度继续办理", "结转下年度继续办理", "结转下年度"),
    ),
    alternative_rows=(
        _t3("other_total_single_row", "（六）其他处理", "其他处理", group=G_RESULTS, exact=True),
    ),
)

# The 21 outcome rows that add up to 三（七）总计, in order (the spec says "22"; it lists 21).
OUTCOME_KEYS: tuple[str, ...] = APPLICATIONS.row_keys[2:-2]
OTHER_SUB_ROWS = ("other_no_correction", "other_unpaid_fee", "other_other")
SINGLE_OTHER_ROW = "other_total_single_row"

# Group headings inside table 3 (a row label core that is a group, not a row).
APPLICATION_GROUP_CORES: tuple[str, ...] = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")

# Table 4: 行政复议、行政诉讼 -------------------------------------------------------

REVIEW_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计", ("合计",)),
)
REVIEW_COLUMN_KEYS = tuple(c.key for c in REVIEW_COLUMNS)
REVIEW_PART_KEYS = REVIEW_COLUMN_KEYS[:-1]

REVIEW_LITIGATION = TableSpec(
    key="review_litigation",
    number=4,
    title="政府信息公开行政复议、行政诉讼情况",
    section="review_litigation",
    rows=(
        RowSpec("review", "行政复议", ("行政复议",), REVIEW_COLUMNS, exact=True),
        RowSpec(
            "litigation_direct",
            "未经复议直接起诉",
            ("未经复议直接起诉", "行政诉讼未经复议直接起诉"),
            REVIEW_COLUMNS,
            "行政诉讼",
        ),
        RowSpec(
            "litigation_after_review",
            "复议后起诉",
            ("复议后起诉", "行政诉讼复议后起诉"),
            REVIEW_COLUMNS,
            "行政诉讼",
        ),
    ),
)

TABLES: tuple[TableSpec, ...] = (ACTIVE, APPLICATIONS, REVIEW_LITIGATION)
TABLE_BY_KEY = {t.key: t for t in TABLES}

# ---------------------------------------------------------------- 2019 and older formats

# Column headings of the 2019 format's table 2, which the 2021 format replaced.
FORMAT_2019_MARKERS: tuple[str, ...] = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "本年增／减",
    "政府集中采购",
    "采购总金额",
    "其他对外管理服务事项",
)

# Table 2 of the 2019 format (国办公开办函〔2019〕60号), read for reports that follow it. It is
# not one of ``TABLES`` (a report has either it or the 2021 table 2): a 2019 report keeps it
# under ``report.tables["active_2019"]``. 本年增/减 is a signed change; the other counts are
# non-negative integers, 采购总金额 a non-negative decimal (万元). The official 2019 table gives
# 行政事业性收费 only 上一年项目数量 and 本年增/减; the 本年收费金额 column is the 2021 format's.
MADE_2019 = ColumnSpec("made", "本年新制作数量", ("本年制作数量", "新制作数量"))
PUBLISHED_2019 = ColumnSpec("published", "本年新公开数量", ("本年公开数量", "新公开数量"))
TOTAL_PUBLIC_2019 = ColumnSpec("total_public", "对外公开总数量", ("对外公开总数",))
PREVIOUS_ITEMS_2019 = ColumnSpec("previous_items", "上一年项目数量", ("上年项目数量",))
CHANGE_2019 = ColumnSpec("change", "本年增/减", ("本年增／减", "本年增减"), signed=True)
DECISIONS_2019 = ColumnSpec("decisions", "处理决定数量", ("本年处理决定数量", "本年处理决定数"))
PROJECTS_2019 = ColumnSpec("projects", "采购项目数量", ("采购项目数",))
PROCUREMENT_AMOUNT_2019 = ColumnSpec("amount", "采购总金额", ("采购总金额（单位：万元）", "采购金额"), decimal=True)

_DOCS_2019 = (MADE_2019, PUBLISHED_2019, TOTAL_PUBLIC_2019)
_ITEMS_2019 = (PREVIOUS_ITEMS_2019, CHANGE_2019, DECISIONS_2019)

ACTIVE_2019 = TableSpec(
    key="active_2019",
    number=2,
    title="主动公开政府信息情况（2019年版）",
    section="active_disclosure",
    rows=(
        RowSpec("rules", "规章", ("规章",), _DOCS_2019, "第二十条第（一）项", exact=True),
        RowSpec(
            "normative_documents",
            "规范性文件",
            ("规范性文件", "行政规范性文件"),
            _DOCS_2019,
            "第二十条第（一）项",
            exact=True,
        ),
        RowSpec("licensing", "行政许可", ("行政许可",), _ITEMS_2019, "第二十条第（五）项", exact=True),
        RowSpec(
            "other_services",
            "其他对外管理服务事项",
            ("其他对外管理服务事项", "其他对外管理服务"),
            _ITEMS_2019,
            "第二十条第（五）项",
        ),
        RowSpec("penalty", "行政处罚", ("行政处罚",), _ITEMS_2019, "第二十条第（六）项", exact=True),
        RowSpec("coercion", "行政强制", ("行政强制",), _ITEMS_2019, "第二十条第（六）项", exact=True),
        RowSpec(
            "admin_fees",
            "行政事业性收费",
            ("行政事业性收费",),
            (PREVIOUS_ITEMS_2019, CHANGE_2019),
            "第二十条第（八）项",
            exact=True,
        ),
        RowSpec(
            "procurement",
            "政府集中采购",
            ("政府集中采购",),
            (PROJECTS_2019, PROCUREMENT_AMOUNT_2019),
            "第二十条第（九）项",
            exact=True,
        ),
    ),
)
# Known by key (for the JSON, the checker and label matching), though not one of TABLES.
TABLE_BY_KEY[ACTIVE_2019.key] = ACTIVE_2019
# Words typical of reports written before 2019, when no table was prescribed.
PRE2019_MARKERS: tuple[str, ...] = (
    "同意公开",
    "同意部分公开",
    "不同意公开",
    "信息不存在",
    "收费及减免",
    "非本机关掌握",
    "申请内容不明确",
)

# ------------------------------------------------------------------------- deadlines

GOVERNMENT_DEADLINE = (3, 31)  # 本级政府: 31 March of the next year (条例 Art. 49)
DEPARTMENT_DEADLINE = (1, 31)  # 政府部门: 31 January of the next year (条例 Art. 49)

# An agency name that ends so is a government at county level or above (本级政府).
_GOVERNMENT_NAME = re.compile(r"(省|自治区|市|州|盟|县|区|旗)人民政府$")
# A township government or a street office: the 31 January date is local practice.
_TOWNSHIP_NAME = re.compile(r"(乡|镇|街道|街道办事处|苏木)(人民政府)?$")
# The endings of a government department's name (局, 委员会, 办公室, 厅 …). A zone's 管理委员会
# (管委会) is not one: a 开发区's, 新区's or 高新区's committee is often government-level.
_DEPARTMENT_NAME = re.compile(r"(局|分局|厅|委员会|委|办公室|办|部|署|中心|院|所|站|队|支队|大队|处|室|馆|社|会)$")
_ZONE_COMMITTEE = re.compile(r"(管理委员会|管委会|工委|党工委)$")


class AgencyKind(str, Enum):
    GOVERNMENT = "government"  # 县级以上人民政府
    DEPARTMENT = "department"  # 政府部门 and other agencies
    TOWNSHIP = "township"  # 乡镇人民政府、街道办事处

    @property
    def label(self) -> str:
        return AGENCY_KIND_LABELS[self]


AGENCY_KIND_LABELS = {
    AgencyKind.GOVERNMENT: "县级以上人民政府（本级政府）",
    AgencyKind.DEPARTMENT: "政府部门",
    AgencyKind.TOWNSHIP: "乡镇人民政府、街道办事处",
}
# How an agency list or a person may write a kind.
_AGENCY_KIND_WORDS = {
    AgencyKind.GOVERNMENT: ("government", "政府", "人民政府", "本级政府", "县级以上人民政府", "地方人民政府"),
    AgencyKind.DEPARTMENT: ("department", "部门", "政府部门", "工作部门", "政府工作部门"),
    AgencyKind.TOWNSHIP: ("township", "乡镇", "街道", "乡镇街道", "乡镇、街道", "乡镇人民政府", "街道办事处"),
}


def agency_kind(agency: str | None) -> AgencyKind | None:
    """The agency's kind as its name tells it; None when the name does not tell (a zone's
    管委会, a 新区 or 开发区, a name without 人民政府 or a department's ending, no name)."""
    name = re.sub(r"\s+", "", agency or "")
    if _TOWNSHIP_NAME.search(name):
        return AgencyKind.TOWNSHIP
    if _GOVERNMENT_NAME.search(name):
        return AgencyKind.GOVERNMENT
    if _ZONE_COMMITTEE.search(name):
        return None
    if _DEPARTMENT_NAME.search(name):
        return AgencyKind.DEPARTMENT
    return None


def parse_agency_kind(text: str) -> AgencyKind | None:
    """A kind as written in an agency list or on the command line ("department", "政府部门" …)."""
    word = re.sub(r"\s+", "", text or "").lower()
    for kind, words in _AGENCY_KIND_WORDS.items():
        if word in words:
            return kind
    return None


def publication_deadline(report_year: int, kind: AgencyKind) -> date:
    month, day = GOVERNMENT_DEADLINE if kind is AgencyKind.GOVERNMENT else DEPARTMENT_DEADLINE
    return date(report_year + 1, month, day)


# ------------------------------------------------------------------ label matching

# Placeholders that stand in a cell instead of a number; never read as 0.
PLACEHOLDERS: dict[str, str] = {
    "—": "dash",
    "－": "dash",
    "-": "dash",
    "--": "dash",
    "——": "dash",
    "–": "dash",
    "―": "dash",
    "─": "dash",
    "/": "slash",
    "／": "slash",
    "\\": "slash",
    "无": "none_word",
    "空": "blank",
    "×": "cross",
    "x": "cross",
    "X": "cross",
}
