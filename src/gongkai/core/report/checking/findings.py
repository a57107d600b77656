"""Findings and the registry of rules: stable ids, severities, Chinese titles."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "notice": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "notice": 2}[self.value]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the usual severity; a finding may state another
    title: str  # Chinese, for people
    basis: str = ""  # the legal or format basis


RULES: dict[str, Rule] = {}


def _rule(id: str, severity: Severity, title: str, basis: str = "") -> Rule:
    rule = Rule(id, severity, title, basis)
    RULES[id] = rule
    return rule


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE
FORMAT_BASIS = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"

R_NOT_A_REPORT = _rule("R-not-a-report", E, "未识别出年度报告的任何组成部分")
F_FORMAT = _rule("F-format", N, "报告所采用的格式")
M_AGENCY = _rule("M-agency", W, "标题中未写明机关名称")
M_YEAR = _rule("M-year", W, "未能确定报告年度")
S_MISSING = _rule("S-missing", E, "缺少规定的部分", FORMAT_BASIS)
S_ORDER = _rule("S-order", W, "各部分顺序与规定格式不一致", FORMAT_BASIS)
S_NUMBERING = _rule("S-numbering", W, "各部分的编号与规定格式不一致", FORMAT_BASIS)
T_MISSING = _rule("T-missing", E, "缺少规定的表格", FORMAT_BASIS)
T_PICTURE = _rule("T-picture", E, "表格以图片形式粘贴，无法读取", FORMAT_BASIS)
T_NOT_PARSED = _rule("T-not-parsed", N, "旧版格式的表格暂未解析")
T_ROW_MISSING = _rule("T-row-missing", E, "表格缺少规定的行", FORMAT_BASIS)
T_UNREADABLE = _rule("T-unreadable", W, "表格中的数字无法可靠对应到单元格")
T_ROW_REPEATED = _rule("T-row-repeated", W, "同一行出现了两次")
T_UNCERTAIN = _rule("T-uncertain", W, "数字连在一起，无法唯一拆分到各列")
T_SPLIT = _rule("T-split", N, "连在一起的数字已按勾稽关系拆分")
T_LABEL_APPROX = _rule("T-label-approx", N, "行名与规定的写法不完全一致，已按最接近的行读取")
T3_SINGLE_OTHER = _rule("T3-other-single-row", N, "“（六）其他处理”只填了一行，未分三个子项", FORMAT_BASIS)
C_PLACEHOLDER = _rule("C-placeholder", W, "单元格填写了“—”“/”“无”“×”或空白，不等同于0")
C_VALUE = _rule("C-value", E, "单元格数值不是非负整数（或非负金额）")
T3_BALANCE = _rule("T3-balance", E, "表三勾稽关系不成立：一+二≠三+四", "表三表头：第一项加第二项之和，等于第三项加第四项之和")
T3_TOTAL = _rule("T3-total", E, "表三“（七）总计”不等于各项办理结果之和")
T3_COLUMNS = _rule("T3-columns", E, "表三“总计”列不等于各类申请人之和")
T4_BLOCKS = _rule("T4-blocks", E, "表四“总计”不等于结果维持、结果纠正、其他结果、尚未审结之和")
Y_PERIOD = _rule("Y-period", E, "统计期限与报告年度不一致或不完整", FORMAT_BASIS + "：统计期限为报告年度1月1日至12月31日")
Y_PERIOD_MISSING = _rule("Y-period-missing", N, "未写明统计期限")
Y_NARRATIVE = _rule("Y-narrative", W, "正文所述年度与报告年度不一致")
D_LATE = _rule("D-late", E, "报告发布晚于法定期限", "《条例》第四十九条")
D_KIND_UNKNOWN = _rule("D-kind-unknown", N, "机关类别无法从名称确定，是否按期发布取决于类别", "《条例》第四十九条")
D_MISSING = _rule("D-missing", N, "未写明落款（发布）日期，无法核对是否按期发布", "《条例》第四十九条")
D_EARLY = _rule("D-early", W, "落款日期早于报告年度结束")
D_INVALID = _rule("D-invalid", W, "落款日期不是有效日期")
N_APPLICATIONS = _rule("N-applications", W, "正文所述收到申请数与表三不一致")
N_CARRIED_OVER = _rule("N-carried-over", W, "正文所述上年结转数与表三不一致")
N_CARRIED_FORWARD = _rule("N-carried-forward", W, "正文所述结转下年度数与表三不一致")
N_REVIEWS = _rule("N-reviews", W, "正文所述行政复议数与表四不一致")
N_LAWSUITS = _rule("N-lawsuits", W, "正文所述行政诉讼数与表四不一致")
BASIS_2019 = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2019〕60号）"
T2_2019_PUBLIC = _rule("T2-2019-public", W, "2019年版表二“对外公开总数量”小于“本年新公开数量”", BASIS_2019)
T2_2019_ITEMS = _rule("T2-2019-items", W, "2019年版表二“上一年项目数量”加“本年增/减”小于0", BASIS_2019)
S6_FEE = _rule("S6-fee", N, "第六部分未说明信息处理费收取情况", FORMAT_BASIS)

# Across reports (checking/cross.py): the same agency's neighbouring years, other agencies, the region.
X_CARRY_OVER = _rule(
    "X-carry-over", E, "表三“上年结转”不等于上一年度报告的“结转下年度继续办理”", "表三：上年结转数即上一年度的结转下年度继续办理数"
)
X_IN_FORCE = _rule(
    "X-in-force", W, "表二“现行有效件数”不等于上年现行有效件数加本年制发减本年废止", FORMAT_BASIS
)
X_APPEAL_PENDING = _rule("X-appeal-pending", W, "上年表四“尚未审结”的案件在本年表四中没有着落，也未作说明")
X_SETTLED = _rule("X-settled", N, "连在一起的数字已按相邻年度报告唯一确定")
X_COPIED = _rule("X-copied", W, "正文与上年报告或其他机关报告几乎逐字相同")
X_LATE = _rule("X-late", E, "报告发布晚于该机关类别的法定期限", "《条例》第四十九条")
X_MISSING_REPORT = _rule("X-missing-report", E, "名单内的机关没有该年度的报告", "《条例》第四十九条")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None
    section: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return RULES[self.rule].title

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.message,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "line": self.line,
            "section": self.section,
            "details": self.details,
        }


def finding(rule: Rule, message: str, severity: Severity | None = None, **place: Any) -> Finding:
    return Finding(rule.id, severity or rule.severity, message, **place)
