"""The remedy a decision must tell of: administrative review (行政复议) and lawsuit (行政诉讼).

Pure Python. Since 1 January 2024 the 行政复议法 (2023 revision) makes review compulsory before a
lawsuit when an agency refuses to disclose on application (Art. 23(1)(4): 申请政府信息公开，行政机关
不予公开), and the agency must say so in the decision (Art. 23(2)). Where review is not compulsory
the applicant may choose review (60 days, Art. 20) or a lawsuit (6 months, 行政诉讼法 Art. 46); after
a review the lawsuit follows within 15 days of the review decision (行政诉讼法 Art. 45).

Which body reviews depends on the agency (行政复议法 Art. 24–27):

- a department of a local people's government → that people's government (Art. 24(1)(1));
- a local people's government → the people's government one level up (Art. 24(1)(2)); a
  province-level government reviews its own acts (Art. 24(2));
- a vertically managed agency (customs, financial and foreign-exchange regulators, tax, state
  security) → the department one level up (Art. 27).

A suit against a people's government at county level or above goes to the intermediate court
(行政诉讼法 Art. 15(1)); other suits to the basic court where the agency is (Art. 14, 18).

A reply delivered over the internet must name an internet channel for applying for review
(行政复议法 Art. 22(2)).

Table 3's 不予公开 rows and 部分公开 (for its refused part) are review-first by law. The rows of
无法提供, 不予处理 and 其他 are contested (courts differ on whether they are a refusal to disclose):
by default they keep the choice of review or lawsuit, and an agency may move any of them to
review-first (``review_first_outcomes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .. import standard

REVIEW_DAYS = 60  # 行政复议法 (2023) Art. 20: 60 days from knowing of the act
LITIGATION_MONTHS = 6  # 行政诉讼法 Art. 46: 6 months from knowing of the act
AFTER_REVIEW_DAYS = 15  # 行政诉讼法 Art. 45: 15 days from receiving the review decision

REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

# Refusals by law: every 不予公开 row, and the refused part of 部分公开.
REFUSAL_OUTCOMES = frozenset(key for key in standard.OUTCOME_KEYS if key.startswith("denied_")) | {"partial"}
# Rows that an agency may move to review-first (not a refusal on their face).
CONTESTED_OUTCOMES = frozenset(key for key in standard.OUTCOME_KEYS
                               if key.startswith(("unable_", "rejected_", "other_")))
# Rows that tell of no adverse decision to contest in the disclosure itself.
DEFAULT_REVIEW_FIRST = REFUSAL_OUTCOMES


class AgencyKind(str, Enum):
    """What the law needs to know of the deciding agency to name the review body and the court."""

    COUNTY_DEPARTMENT = "county_department"  # 县级人民政府工作部门
    COUNTY_GOVERNMENT = "county_government"  # 县级人民政府
    TOWNSHIP = "township"  # 乡镇人民政府、街道办事处
    CITY_DEPARTMENT = "city_department"  # 设区的市级人民政府工作部门
    CITY_GOVERNMENT = "city_government"  # 设区的市级人民政府
    PROVINCE_DEPARTMENT = "province_department"  # 省级人民政府工作部门
    PROVINCE_GOVERNMENT = "province_government"  # 省级人民政府
    VERTICAL_DEPARTMENT = "vertical_department"  # 实行垂直领导的部门（税务、海关、金融监管、国家安全等）

    @property
    def label(self) -> str:
        return AGENCY_KIND_LABELS[self]

    @property
    def is_government(self) -> bool:
        return self in GOVERNMENTS


AGENCY_KIND_LABELS = {
    AgencyKind.COUNTY_DEPARTMENT: "县级人民政府工作部门",
    AgencyKind.COUNTY_GOVERNMENT: "县级人民政府",
    AgencyKind.TOWNSHIP: "乡镇人民政府、街道办事处",
    AgencyKind.CITY_DEPARTMENT: "设区的市级人民政府工作部门",
    AgencyKind.CITY_GOVERNMENT: "设区的市级人民政府",
    AgencyKind.PROVINCE_DEPARTMENT: "省级人民政府工作部门",
    AgencyKind.PROVINCE_GOVERNMENT: "省级人民政府",
    AgencyKind.VERTICAL_DEPARTMENT: "实行垂直领导的部门",
}
GOVERNMENTS = frozenset({AgencyKind.COUNTY_GOVERNMENT, AgencyKind.TOWNSHIP, AgencyKind.CITY_GOVERNMENT,
                         AgencyKind.PROVINCE_GOVERNMENT})
# People's governments at county level or above: sued before the intermediate court.
INTERMEDIATE_COURT_KINDS = frozenset({AgencyKind.COUNTY_GOVERNMENT, AgencyKind.CITY_GOVERNMENT,
                                      AgencyKind.PROVINCE_GOVERNMENT})

# kind -> (the review body described, when its name is not known; the article that names it)
REVIEW_BODIES = {
    AgencyKind.COUNTY_DEPARTMENT: ("本级人民政府", "第二十四条第一款第（一）项"),
    AgencyKind.CITY_DEPARTMENT: ("本级人民政府", "第二十四条第一款第（一）项"),
    AgencyKind.PROVINCE_DEPARTMENT: ("本级人民政府", "第二十四条第一款第（一）项"),
    AgencyKind.TOWNSHIP: ("县级人民政府", "第二十四条第一款第（二）项"),
    AgencyKind.COUNTY_GOVERNMENT: ("上一级人民政府", "第二十四条第一款第（二）项"),
    AgencyKind.CITY_GOVERNMENT: ("上一级人民政府", "第二十四条第一款第（二）项"),
    AgencyKind.PROVINCE_GOVERNMENT: ("本机关", "第二十四条第二款"),
    AgencyKind.VERTICAL_DEPARTMENT: ("上一级主管部门", "第二十七条"),
}


class RemedyError(ValueError):
    """A remedy that cannot be stated (an unknown outcome or agency kind), said in Chinese."""


def agency_kind(value: str) -> AgencyKind:
    """The kind named ``value``; RemedyError listing the kinds otherwise."""
    try:
        return AgencyKind(value)
    except ValueError:
        raise RemedyError(
            f"机关类别“{value}”无法识别，应为：" + "、".join(f"{k.value}（{k.label}）" for k in AgencyKind)
        ) from None


def default_review_body(kind: AgencyKind, parent_name: str | None = None) -> str:
    """The review body's name: the parent's when the law points to it and it is known."""
    described, _ = REVIEW_BODIES[kind]
    if parent_name and kind in (AgencyKind.COUNTY_DEPARTMENT, AgencyKind.CITY_DEPARTMENT,
                                AgencyKind.PROVINCE_DEPARTMENT, AgencyKind.TOWNSHIP,
                                AgencyKind.COUNTY_GOVERNMENT, AgencyKind.CITY_GOVERNMENT):
        return parent_name
    return described


def default_court(kind: AgencyKind) -> str:
    """The court described by level (its name is the office's setting)."""
    if kind in INTERMEDIATE_COURT_KINDS:
        return "有管辖权的中级人民法院"
    return "有管辖权的人民法院"


def review_basis(kind: AgencyKind) -> str:
    """The article of the 行政复议法 that names the review body of ``kind``."""
    return REVIEW_LAW + REVIEW_BODIES[kind][1]


def court_basis(kind: AgencyKind) -> str:
    if kind in INTERMEDIATE_COURT_KINDS:
        return LITIGATION_LAW + "第十五条第（一）项"
    return LITIGATION_LAW + "第十四条、第十八条"


def is_review_first(outcome: str, review_first_outcomes: frozenset[str] | None = None) -> bool:
    """Whether the applicant must apply for review before suing (行政复议法 Art. 23(1)(4)).

    The refusals are review-first whatever an agency sets; ``review_first_outcomes`` adds the
    contested rows the agency has moved (others it names are ignored)."""
    if outcome not in standard.OUTCOME_KEYS:
        raise RemedyError(f"“{outcome}”不是表三所列的办理结果")
    extra = (review_first_outcomes or frozenset()) & CONTESTED_OUTCOMES
    return outcome in REFUSAL_OUTCOMES or outcome in extra


@dataclass(frozen=True)
class Remedy:
    """The remedy sentence of a decision, and what it rests on."""

    outcome: str | None
    review_first: bool
    text: str
    review_body: str
    court: str
    basis: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"review_first": self.review_first, "text": self.text, "review_body": self.review_body,
                "court": self.court, "basis": list(self.basis)}


def remedy(outcome: str | None, kind: AgencyKind, *, address: str = "您", review_body: str | None = None,
           court: str | None = None, online_channel: str | None = None, delivered_online: bool = False,
           review_first_outcomes: frozenset[str] | None = None) -> Remedy:
    """The remedy of a decision with ``outcome`` by an agency of ``kind``.

    ``outcome`` None: a notice that decides nothing final (a fee notice, say) still tells of the
    ordinary remedy. ``review_body`` and ``court`` are the office's names (the described body and
    court otherwise). ``delivered_online``: the reply goes out over the internet, so the
    internet channel for review must be named (``online_channel``); RemedyError when it is not.
    """
    review_body = (review_body or "").strip() or default_review_body(kind)
    court = (court or "").strip() or default_court(kind)
    first = outcome is not None and is_review_first(outcome, review_first_outcomes)
    basis = [review_basis(kind), court_basis(kind)]
    if first:
        partial = outcome == "partial"
        subject = "本答复中不予公开的部分" if partial else "本答复"
        text = (
            f"{address}如对{subject}不服，应当自收到本告知书之日起{REVIEW_DAYS}日内先向{review_body}申请行政复议；"
            f"对行政复议决定不服的，可以自收到行政复议决定书之日起{AFTER_REVIEW_DAYS}日内向{court}提起行政诉讼"
            f"（{REVIEW_LAW}第二十三条第一款第（四）项、第二款）。"
        )
        if partial:
            text += (f"{address}如对本答复的其他内容不服，可以自收到本告知书之日起{REVIEW_DAYS}日内向{review_body}"
                     f"申请行政复议，也可以自收到本告知书之日起{LITIGATION_MONTHS}个月内向{court}提起行政诉讼。")
        basis.insert(0, REVIEW_LAW + "第二十三条第一款第（四）项、第二款")
        basis.append(LITIGATION_LAW + "第四十五条")
    else:
        text = (
            f"{address}如对本答复不服，可以自收到本告知书之日起{REVIEW_DAYS}日内向{review_body}申请行政复议，"
            f"也可以自收到本告知书之日起{LITIGATION_MONTHS}个月内向{court}提起行政诉讼。"
        )
        basis.append(REVIEW_LAW + "第二十条")
        basis.append(LITIGATION_LAW + "第四十六条")
    if delivered_online:
        channel = (online_channel or "").strip()
        if not channel:
            raise RemedyError(
                "本告知书通过互联网渠道送达，应当同时告知申请人通过互联网提交行政复议申请的渠道"
                f"（{REVIEW_LAW}第二十二条第二款）；请在文书设置中填写网上申请行政复议的渠道。"
            )
        text += f"{address}可以通过{channel}在线提交行政复议申请。"
        basis.append(REVIEW_LAW + "第二十二条第二款")
    return Remedy(outcome, first, text, review_body, court, tuple(basis))


__all__ = ["AgencyKind", "Remedy", "RemedyError", "remedy", "is_review_first", "agency_kind", "default_review_body",
           "default_court", "REFUSAL_OUTCOMES", "CONTESTED_OUTCOMES", "DEFAULT_REVIEW_FIRST", "REVIEW_DAYS",
           "LITIGATION_MONTHS", "AFTER_REVIEW_DAYS"]
