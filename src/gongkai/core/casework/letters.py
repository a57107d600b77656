"""Letters to applicants: the kinds, their default texts and legal bases, and safe filling.

Pure Python. A letter kind has a title and a body template, text with named placeholders in
braces (``{申请人}``, ``{答复期限}``; full-width ``｛申请人｝`` is accepted too, as Chinese input
methods type it). Substitution is one pass of a regular expression over the template: the
values are inserted as plain text and never read again, so an applicant who writes
``{申请人.__class__}`` or ``{0}`` in a description sees exactly that in the letter. A template
that names a placeholder its kind does not know is refused with a Chinese message naming it.

The legal bases follow the 2019 revision of the 《中华人民共和国政府信息公开条例》 (国务院令第711号)
and, for the fee, 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号). Where a row of table 3
has no single article of the 条例 (确认或重新出具已获取信息, 补正后仍不明确, 其他), the text says
so instead of inventing one.

The remedy sentence ({救济途径}) is not written here: it is ``core.remedy``'s, chosen by the
outcome and the kind of agency (review first for refusals, 行政复议法 Art. 23), and passed in
with the values (``remedy_for``).

Each issued letter has its own number (文号) from a per-agency, per-series, per-year sequence,
printed by the office's pattern (``NUMBER_SERIES``, ``format_number``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from . import remedy as remedies
from .. import standard
from .fees import PAYMENT_WORKING_DAYS
from .workdays import EXTENSION_WORKING_DAYS, THIRD_PARTY_WORKING_DAYS

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
REVIEW_DAYS = remedies.REVIEW_DAYS
LITIGATION_MONTHS = remedies.LITIGATION_MONTHS


class LetterError(ValueError):
    """A template or a letter that cannot be made, said in Chinese for the person."""


# --------------------------------------------------------------------------- placeholders

# name -> what it stands for (shown to the office on the template page and in docs/letters.md)
PLACEHOLDERS: dict[str, str] = {
    "申请人": "申请人姓名或者名称",
    "称谓": "对申请人的称呼：自然人为“您”，法人或者其他组织为“贵单位”",
    "申请编号": "申请的登记编号，如 2026-0042",
    "收到申请日期": "收到申请之日（《条例》第三十一条）",
    "所需信息": "申请书所列所需政府信息的名称、文号或者特征性描述",
    "答复期限": "答复期限届满之日（已延长的为延长后的期限）",
    "法律依据": "本类文书的法律依据（由系统按文书种类和办理结果填写）",
    "救济途径": "行政复议和行政诉讼的告知（由系统按办理结果和机关类别填写：不予公开的须先申请行政复议）",
    "复议机关": "行政复议机关名称（文书设置）",
    "人民法院": "管辖的人民法院名称（文书设置）",
    "机关名称": "落款机关名称（文书设置，未填写的为本机关名称）",
    "联系方式": "本机关联系人、联系电话和通信地址（文书设置，未填写的整段省略）",
    "日期": "文书日期",
    "文号": "本文书的文号，按文书设置中的文号格式逐件编排，如 青政信补〔2026〕3号",
    "办理结果": "答复决定的办理结果（表三的行）",
    "答复说明": "作出答复决定时登记的理由或说明（未登记的整段省略）",
    "答复理由": "作出答复决定时登记的答复理由（部分公开、不予公开的必须说明，《条例》第三十六条第（三）项、第三十七条）",
    "禁止公开的法律": "禁止公开该信息的法律、行政法规的名称和条款",
    "其他机关": "负责公开该政府信息的其他行政机关名称（《条例》第三十六条第（五）项）",
    "其他机关联系方式": "负责公开该政府信息的其他行政机关的联系方式",
    "补正告知日期": "一次性告知补正的日期",
    "补正事项": "告知补正时登记的需要补正的事项",
    "补正期限": "申请人提交补正的截止日期（文书设置中的补正期限，按工作日计算）",
    "收到补正日期": "收到补正申请的日期",
    "原答复期限": "延长前的答复期限",
    "延期理由": "延长答复期限时登记的理由",
    "第三方": "被征求意见的第三方名称",
    "征求意见日期": "开始征求第三方意见的日期",
    "征求意见期限": "第三方提出意见的期限（自征求意见之日起15个工作日）",
    "征求意见事项": "开始征求意见时登记的说明（未登记的整段省略）",
    "收费方式": "信息处理费的计收方式：按件计收或者按量计收",
    "收费金额": "信息处理费金额（元）",
    "收费说明": "信息处理费的计算说明（未登记的整段省略）",
    "收费通知日期": "发出收费通知的日期",
    "缴费期限": "缴费的截止日期（自申请人收到收费通知的次日起第20个工作日；尚未收到的整段省略）",
    "缴费途径": "缴纳信息处理费的途径（文书设置）",
}

# Placeholders every kind may use.
COMMON = frozenset({"申请人", "称谓", "申请编号", "收到申请日期", "所需信息", "答复期限", "法律依据", "复议机关",
                    "人民法院", "机关名称", "联系方式", "日期", "文号"})
# May be empty: a paragraph that only held such a placeholder is left out.
OPTIONAL = frozenset({"联系方式", "答复说明", "征求意见事项", "收费说明", "缴费期限"})

# "{name}" or "｛name｝": one placeholder. Anything else in braces is an unknown placeholder.
_PLACEHOLDER = re.compile(r"[{｛]([^{}｛｝\n]*)[}｝]")


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class LetterKind:
    key: str
    label: str  # what a button or a list says: "政府信息公开申请答复告知书（予以公开）"
    title: str  # the default title printed on the letter
    body: str  # the default body template, one paragraph a line
    basis: str  # the legal basis, filled into {法律依据}
    addressee: str = "申请人"  # the placeholder naming whom the letter is to
    extra: frozenset[str] = frozenset()  # placeholders beyond COMMON this kind may use
    required: frozenset[str] = frozenset()  # placeholders a template of this kind must contain
    optional: frozenset[str] = OPTIONAL  # placeholders that may be empty
    outcome: str | None = None  # for reply letters: the table-3 row
    date_from: str = "issued"  # which registry date the letter bears (see LETTER_DATES)
    series: str = "reply"  # the number sequence it draws from (see NUMBER_SERIES)
    review_first_possible: bool = True  # False: the remedy is the ordinary choice whatever the outcome

    @property
    def placeholders(self) -> frozenset[str]:
        return COMMON | self.extra

    def defaults(self) -> tuple[str, str]:
        return self.title, self.body


LETTER_DATES = {
    "issued": "生成文书之日",
    "decided": "作出答复决定之日",
    "correction": "告知补正之日",
    "consultation": "开始征求意见之日",
    "fee": "发出收费通知之日",
    "extension": "延长答复期限之日",
}

REPLY_TITLE = "政府信息公开申请答复告知书"
REPLY_OPENING = ("本机关于{收到申请日期}收到{称谓}提出的政府信息公开申请（编号：{申请编号}），"
                 "申请获取“{所需信息}”。经审查，现答复如下：")
REPLY_CLOSING = "{答复说明}\n{救济途径}\n{联系方式}"


def _art(text: str) -> str:
    return REGULATION + text


# outcome -> (legal basis, the paragraph of the decision). Each outcome is one row of table 3.
REPLY_DECISIONS: dict[str, tuple[str, str]] = {
    "granted": (
        _art("第三十六条第（一）项、第（二）项和第四十条"),
        "{称谓}申请获取的政府信息属于可以公开的政府信息。根据{法律依据}的规定，本机关决定予以公开："
        "已经主动公开的，告知{称谓}获取该政府信息的方式、途径；其余的，根据{称谓}要求的形式和本机关保存该政府信息的"
        "实际情况，向{称谓}提供该政府信息。",
    ),
    "partial": (
        _art("第三十七条和第三十六条第（三）项"),
        "{称谓}申请获取的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理。根据{法律依据}的规定，"
        "本机关向{称谓}提供可以公开的政府信息内容；对不予公开的内容，不予提供。\n"
        "对其中不予公开的内容，理由如下：{答复理由}",
    ),
    "denied_state_secret": (
        _art("第十四条和第三十六条第（三）项"),
        "{称谓}申请获取的政府信息属于依法确定为国家秘密的政府信息。根据{法律依据}的规定，本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_law_prohibited": (
        _art("第十四条和第三十六条第（三）项"),
        "{称谓}申请获取的政府信息属于{禁止公开的法律}禁止公开的政府信息。根据{法律依据}的规定，本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_three_safety": (
        _art("第十四条和第三十六条第（三）项"),
        "{称谓}申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据{法律依据}的规定，"
        "本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_third_party": (
        _art("第十五条、第三十二条和第三十六条第（三）项"),
        "{称谓}申请获取的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，第三方未同意公开，"
        "本机关经审查认为不公开不会对公共利益造成重大影响。根据{法律依据}的规定，本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_internal_affairs": (
        _art("第十六条第一款和第三十六条第（三）项"),
        "{称谓}申请获取的信息属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）。"
        "根据{法律依据}的规定，本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_process_info": (
        _art("第十六条第二款和第三十六条第（三）项"),
        "{称谓}申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等"
        "过程性信息，且法律、法规、规章没有规定应当公开。根据{法律依据}的规定，本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_enforcement_file": (
        _art("第十六条第二款和第三十六条第（三）项"),
        "{称谓}申请获取的信息属于行政执法案卷信息，且法律、法规、规章没有规定应当公开。根据{法律依据}的规定，"
        "本机关决定不予公开。\n"
        "理由如下：{答复理由}",
    ),
    "denied_query_matter": (
        _art("第三十六条第（七）项"),
        "{称谓}的申请实质是查询与{称谓}相关的行政管理事项或者记录，属于行政查询事项，有关法律、行政法规对该信息的"
        "获取有特别规定。根据{法律依据}的规定，本机关不作为政府信息予以公开，请{称谓}依照有关法律、行政法规的规定，"
        "通过相应的查询渠道办理。\n"
        "理由如下：{答复理由}",
    ),
    "unable_not_held": (
        _art("第三十六条第（四）项"),
        "经检索，本机关没有制作或者获取{称谓}所申请公开的政府信息，也无法确定负责公开该信息的其他行政机关。"
        "根据{法律依据}的规定，告知{称谓}：{称谓}所申请公开的政府信息不存在。",
    ),
    "unable_needs_creation": (
        _art("第三十八条"),
        "本机关没有{称谓}所申请的现成信息，提供该信息需要对现有政府信息进行加工、分析。根据{法律依据}的规定，"
        "本机关不予提供。",
    ),
    "unable_unclear": (
        _art("第二十九条第二款第（二）项和第三十条（《条例》对补正后仍不明确的情形没有专门条款）"),
        "本机关于{补正告知日期}一次性告知{称谓}补正申请内容，并于{收到补正日期}收到补正后的申请。补正后的申请内容仍不明确，"
        "本机关无法确定{称谓}所需政府信息的名称、文号或者便于查询的其他特征性描述。根据{法律依据}的规定，本机关无法"
        "提供{称谓}所申请的信息；{称谓}可以在明确所需信息后重新提出申请。",
    ),
    "rejected_complaint": (
        _art("第三十九条第一款"),
        "{称谓}以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{法律依据}的规定，本机关不作为政府信息公开"
        "申请处理，{称谓}可以通过信访、投诉、举报等相应渠道提出。",
    ),
    "rejected_repeat": (
        _art("第三十六条第（六）项"),
        "本机关已就{称谓}提出的政府信息公开申请作出答复，{称谓}重复申请公开相同的政府信息。根据{法律依据}的规定，"
        "本机关不予重复处理。",
    ),
    "rejected_publication": (
        _art("第三十九条第二款"),
        "{称谓}申请的内容为要求行政机关提供政府公报、报刊、书籍等公开出版物。根据{法律依据}的规定，本机关不作为"
        "政府信息公开申请处理；{称谓}可以通过公开发行渠道、公共图书馆、政府信息查阅场所等途径获取。",
    ),
    "rejected_excessive": (
        _art("第三十五条"),
        "{称谓}申请公开政府信息的数量、频次明显超过合理范围，本机关已要求{称谓}说明理由，经审查认为申请理由不合理。"
        "根据{法律依据}的规定，本机关不予处理。",
    ),
    "rejected_confirmation": (
        _art("第二条和第三十八条（参照；《条例》对此没有一一对应的条款）"),
        "{称谓}的申请实质是要求本机关确认或者重新出具{称谓}已经获取的信息。政府信息公开是向申请人提供行政机关已经"
        "制作或者获取的政府信息，不包括对信息作出确认或者重新出具。《条例》对此没有一一对应的条款，本机关参照"
        "{法律依据}的规定，不予处理。",
    ),
    "other_no_correction": (
        _art("第三十条"),
        "本机关于{补正告知日期}一次性告知{称谓}补正申请内容，{称谓}无正当理由逾期未补正。根据{法律依据}的规定，"
        "视为{称谓}放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    "other_unpaid_fee": (
        _art("第四十二条和" + FEE_MEASURES),
        "本机关于{收费通知日期}向{称谓}发出信息处理费缴费通知，{称谓}未在{缴费期限}前缴纳。根据{法律依据}的规定，"
        "视为{称谓}放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    "other_other": (
        REGULATION + "对本情形没有专门条款",
        "{称谓}的申请不属于" + REGULATION + "第三十六条至第三十九条所列的答复情形（例如申请人撤回申请），"
        "本机关终止处理（{法律依据}）。具体情况如下：",
    ),
}

# 条例 Art. 36(5): the information is another agency's to disclose. Table 3 counts it with 36(4)
# (不掌握, ``unable_not_held``), but it is another decision with another letter.
OTHER_AGENCY_DECISION = (
    _art("第三十六条第（五）项"),
    "经审查，{称谓}所申请公开的政府信息不属于本机关负责公开的政府信息，理由如下：{答复理由}\n"
    "根据{法律依据}的规定，告知{称谓}：该政府信息由{其他机关}负责公开，{称谓}可以向该机关提出申请。"
    "该机关的联系方式：{其他机关联系方式}。",
)

# Outcomes whose letter must state the reasons (条例 Art. 36(3) for refusals, Art. 37 for the
# refused part of a partial disclosure).
REASONED_OUTCOMES = frozenset(k for k in standard.OUTCOME_KEYS if k.startswith("denied_")) | {"partial"}

# What each reply kind may use beyond COMMON.
_REPLY_EXTRA = frozenset({"救济途径", "办理结果", "答复说明"})
_REPLY_EXTRA_BY_OUTCOME = {
    "unable_unclear": frozenset({"补正告知日期", "收到补正日期"}),
    "other_no_correction": frozenset({"补正告知日期"}),
    "other_unpaid_fee": frozenset({"收费通知日期", "缴费期限"}),
    "denied_law_prohibited": frozenset({"禁止公开的法律", "答复理由"}),
}
_REPLY_REQUIRED_BY_OUTCOME = {"denied_law_prohibited": frozenset({"禁止公开的法律"})}
# "其他": the explanation is the substance of the letter and must be there; the unpaid fee's
# deadline is part of the decision's sentence.
_REPLY_NOT_OPTIONAL = {"other_other": frozenset({"答复说明"}), "other_unpaid_fee": frozenset({"缴费期限"})}


def _reply_kind(outcome: str, *, other_agency: bool = False) -> LetterKind:
    basis, decision = OTHER_AGENCY_DECISION if other_agency else REPLY_DECISIONS[outcome]
    label = standard.APPLICATIONS.row(outcome).short_label.split("）", 1)[-1].lstrip("0123456789.")
    extra = _REPLY_EXTRA | _REPLY_EXTRA_BY_OUTCOME.get(outcome, frozenset())
    required = {"救济途径"} | _REPLY_REQUIRED_BY_OUTCOME.get(outcome, frozenset())
    if other_agency:
        label = "其他机关负责公开"
        extra |= {"答复理由", "其他机关", "其他机关联系方式"}
        required |= {"答复理由", "其他机关", "其他机关联系方式"}
    elif outcome in REASONED_OUTCOMES:
        extra |= {"答复理由"}
        required |= {"答复理由"}
    return LetterKind(
        key="reply_unable_other_agency" if other_agency else f"reply_{outcome}",
        label=f"{REPLY_TITLE}（{label}）",
        title=REPLY_TITLE,
        body="\n".join((REPLY_OPENING, decision, REPLY_CLOSING)),
        basis=basis,
        extra=extra,
        required=frozenset(required),
        optional=OPTIONAL - _REPLY_NOT_OPTIONAL.get(outcome, frozenset()),
        outcome=outcome,
        date_from="decided",
        series="reply",
    )


ACKNOWLEDGMENT = LetterKind(
    key="acknowledgment",
    label="政府信息公开申请受理回执",
    title="政府信息公开申请受理回执",
    body="\n".join((
        "本机关于{收到申请日期}收到{称谓}提出的政府信息公开申请，登记编号为{申请编号}，所需信息为“{所需信息}”。",
        "根据{法律依据}的规定，本机关将于{答复期限}前作出答复。需要{称谓}补正申请内容的，答复期限自本机关收到补正的"
        "申请之日起计算；征求第三方或者其他机关意见的时间以及自发出收费通知至缴费的时间，不计算在答复期限内；需要延长"
        "答复期限的，本机关将另行书面告知。",
        "{联系方式}",
    )),
    basis=_art("第三十一条、第三十三条"),
    date_from="issued",
    series="acknowledgment",
)

CORRECTION = LetterKind(
    key="correction",
    label="政府信息公开申请补正告知书",
    title="政府信息公开申请补正告知书",
    body="\n".join((
        "本机关于{收到申请日期}收到{称谓}提出的政府信息公开申请（编号：{申请编号}），所需信息为“{所需信息}”。经审查，"
        "申请内容不明确。根据{法律依据}的规定，现一次性告知{称谓}作出补正，需要补正的事项如下：",
        "{补正事项}",
        "请于{补正期限}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。{称谓}无正当理由逾期"
        "不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "{联系方式}",
    )),
    basis=_art("第三十条"),
    extra=frozenset({"补正告知日期", "补正事项", "补正期限"}),
    date_from="correction",
    series="correction",
)

EXTENSION = LetterKind(
    key="extension",
    label="延长答复期限告知书",
    title="政府信息公开申请延长答复期限告知书",
    body="\n".join((
        "本机关于{收到申请日期}收到{称谓}提出的政府信息公开申请（编号：{申请编号}），所需信息为“{所需信息}”。",
        "因以下原因，本机关不能在{原答复期限}前作出答复：{延期理由}。",
        "根据{法律依据}的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长至{答复期限}"
        f"（延长的期限不超过{EXTENSION_WORKING_DAYS}个工作日）。",
        "{联系方式}",
    )),
    basis=_art("第三十三条第二款"),
    extra=frozenset({"原答复期限", "延期理由"}),
    date_from="extension",
    series="extension",
)

CONSULTATION = LetterKind(
    key="consultation",
    label="征求第三方意见函",
    title="政府信息公开征求第三方意见函",
    body="\n".join((
        "本机关于{收到申请日期}收到一件政府信息公开申请（编号：{申请编号}），申请公开“{所需信息}”。经审查，该信息公开"
        "可能损害贵方的合法权益。根据{法律依据}的规定，现书面征求贵方意见。",
        "{征求意见事项}",
        f"请贵方自收到本函之日起{THIRD_PARTY_WORKING_DAYS}个工作日内（即{{征求意见期限}}前）书面提出意见；"
        "不同意公开的，请说明理由。逾期未提出"
        "意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。贵方不同意公开且有合理理由的，本机关"
        "不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面"
        "告知贵方。",
        "{联系方式}",
    )),
    basis=_art("第三十二条"),
    addressee="第三方",
    extra=frozenset({"第三方", "征求意见事项", "征求意见日期", "征求意见期限"}),
    required=frozenset({"征求意见期限"}),
    date_from="consultation",
    series="consultation",
)

THIRD_PARTY_DISCLOSURE = LetterKind(
    key="third_party_disclosure",
    label="决定公开告知第三方书",
    title="政府信息公开决定告知书",
    body="\n".join((
        "本机关于{收到申请日期}收到一件政府信息公开申请（编号：{申请编号}），申请公开“{所需信息}”，并于{征求意见日期}"
        "就该信息的公开书面征求贵方意见。",
        "经审查，本机关认为不公开可能对公共利益造成重大影响。根据{法律依据}的规定，本机关决定公开，现将决定公开的"
        "政府信息内容和理由书面告知贵方：",
        "决定公开的政府信息内容：{所需信息}。",
        "决定公开的理由：{答复理由}",
        "{救济途径}",
        "{联系方式}",
    )),
    basis=_art("第十五条、第三十二条"),
    addressee="第三方",
    extra=frozenset({"第三方", "征求意见日期", "答复理由", "救济途径", "办理结果"}),
    required=frozenset({"答复理由", "救济途径"}),
    date_from="decided",
    series="third_party",
    # The third party may choose: 行政复议法 Art. 23(1)(4) is about refusing to disclose.
    review_first_possible=False,
)

FEE_NOTICE = LetterKind(
    key="fee",
    label="信息处理费缴费通知书",
    title="政府信息公开信息处理费缴费通知书",
    body="\n".join((
        "本机关于{收到申请日期}收到{称谓}提出的政府信息公开申请（编号：{申请编号}），所需信息为“{所需信息}”。"
        "{称谓}申请公开政府信息的数量、频次明显超过合理范围，根据{法律依据}的规定，本机关决定收取信息处理费。",
        "收费方式：{收费方式}；收费金额：人民币{收费金额}元。",
        "{收费说明}",
        f"请自收到本通知之日的次日起{PAYMENT_WORKING_DAYS}个工作日内缴纳。缴纳途径：{{缴费途径}}。"
        "自发出本通知至{称谓}缴费的时间不计算在答复期限内。{称谓}逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息"
        "公开申请。",
        "{称谓}的缴费期限为{缴费期限}。",
        "{联系方式}",
    )),
    basis=_art("第四十二条和" + FEE_MEASURES),
    extra=frozenset({"收费方式", "收费金额", "收费说明", "收费通知日期", "缴费期限", "缴费途径"}),
    date_from="fee",
    series="fee",
)

NOTICE_KINDS: tuple[LetterKind, ...] = (ACKNOWLEDGMENT, CORRECTION, CONSULTATION, FEE_NOTICE, EXTENSION)
REPLY_KINDS: dict[str, LetterKind] = {outcome: _reply_kind(outcome) for outcome in standard.OUTCOME_KEYS}
# 条例 Art. 36(5): counted as unable_not_held, chosen when the decision names the other agency.
OTHER_AGENCY_REPLY = _reply_kind("unable_not_held", other_agency=True)
KINDS: dict[str, LetterKind] = {k.key: k for k in (*NOTICE_KINDS, *REPLY_KINDS.values(), OTHER_AGENCY_REPLY,
                                                  THIRD_PARTY_DISCLOSURE)}


def kind(key: str) -> LetterKind:
    """The kind with ``key``; LetterError if there is none."""
    try:
        return KINDS[key]
    except KeyError:
        raise LetterError(f"没有“{key}”这种文书") from None


def reply_kind(outcome: str, *, other_agency: bool = False) -> LetterKind:
    """The reply letter of a table-3 outcome; ``other_agency``: the 36(5) letter of ``unable_not_held``."""
    if other_agency and outcome == "unable_not_held":
        return OTHER_AGENCY_REPLY
    try:
        return REPLY_KINDS[outcome]
    except KeyError:
        raise LetterError(f"“{outcome}”不是表三所列的办理结果，没有对应的答复告知书") from None


# --------------------------------------------------------------------------- remedy


def remedy_for(letter_kind: LetterKind, agency_kind: remedies.AgencyKind, *, address: str = "您",
               review_body: str | None = None, court: str | None = None, online_channel: str | None = None,
               delivered_online: bool = False,
               review_first_outcomes: frozenset[str] | None = None) -> remedies.Remedy:
    """The remedy sentence of a letter (``core.remedy``): by the kind's outcome and the agency's kind.

    LetterError (in Chinese) when it cannot be stated, e.g. a reply delivered online without the
    internet channel for review (行政复议法 Art. 22(2))."""
    outcome = letter_kind.outcome if letter_kind.review_first_possible else None
    try:
        return remedies.remedy(outcome, agency_kind, address=address, review_body=review_body, court=court,
                               online_channel=online_channel, delivered_online=delivered_online,
                               review_first_outcomes=review_first_outcomes)
    except remedies.RemedyError as error:
        raise LetterError(str(error)) from error


# --------------------------------------------------------------------------- letter numbers

# series -> (what it numbers, the default pattern). Every reply letter draws from one series.
NUMBER_SERIES: dict[str, tuple[str, str]] = {
    "acknowledgment": ("受理回执", "{前缀}受〔{年}〕{序号}号"),
    "correction": ("补正告知书", "{前缀}补〔{年}〕{序号}号"),
    "consultation": ("征求第三方意见函", "{前缀}征〔{年}〕{序号}号"),
    "fee": ("缴费通知书", "{前缀}费〔{年}〕{序号}号"),
    "extension": ("延长答复期限告知书", "{前缀}延〔{年}〕{序号}号"),
    "reply": ("答复告知书", "{前缀}复〔{年}〕{序号}号"),
    "third_party": ("决定公开告知第三方书", "{前缀}告〔{年}〕{序号}号"),
}
NUMBER_PLACEHOLDERS = {"前缀": "文书设置中的文号前缀，如“青政信”", "年": "文书日期的年份，如 2026",
                       "序号": "本机关本年度该类文书的顺序号，从1起，不编虚位"}
NUMBER_MAX_LENGTH = 80


def validate_number_pattern(pattern: str) -> None:
    """Refuse a number pattern that could repeat a number or print a brace (LetterError, in Chinese)."""
    errors = []
    text = pattern.strip()
    if not text:
        raise LetterError("文号格式不能为空。")
    used = [m.group(1) for m in _PLACEHOLDER.finditer(text)]
    unknown = [n for n in dict.fromkeys(used) if n not in NUMBER_PLACEHOLDERS]
    if unknown:
        errors.append("文号格式中有不能使用的占位符：" + "、".join(_braces(n) for n in unknown)
                      + "；可以使用：" + "、".join(_braces(n) for n in NUMBER_PLACEHOLDERS))
    for name in ("年", "序号"):
        if used.count(name) != 1:
            errors.append(f"文号格式必须包含且只包含一个{_braces(name)}（文号按年度逐件编排，不得重复）")
    if any(c in _PLACEHOLDER.sub("", text) for c in "{}｛｝"):
        errors.append("文号格式中有不成对的花括号")
    if len(text) > 40:
        errors.append("文号格式不能超过40个字符")
    if errors:
        raise LetterError("；".join(errors) + "。")


def format_number(pattern: str, prefix: str, year: int, serial: int) -> str:
    """The number printed on a letter: ``{前缀}补〔{年}〕{序号}号`` -> 青政信补〔2026〕3号."""
    validate_number_pattern(pattern)
    number = fill(pattern.strip(), {"前缀": prefix.strip(), "年": str(year), "序号": str(serial)})
    if len(number) > NUMBER_MAX_LENGTH:
        raise LetterError(f"文号“{number}”超过{NUMBER_MAX_LENGTH}个字符，请缩短文号前缀或者文号格式。")
    return number


# --------------------------------------------------------------------------- templates


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order, each once."""
    seen: dict[str, None] = {}
    for match in _PLACEHOLDER.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def _braces(name: str) -> str:
    return "{" + name + "}"


def validate_template(letter_kind: LetterKind, title: str, body: str) -> None:
    """Refuse a template with unknown placeholders, stray braces or a required one missing."""
    errors = []
    if not title.strip():
        errors.append("标题不能为空")
    if not body.strip():
        errors.append("正文不能为空")
    used = placeholders_in(title) + placeholders_in(body)
    unknown = [name for name in dict.fromkeys(used) if name not in letter_kind.placeholders]
    if unknown:
        errors.append(
            f"模板中有{letter_kind.label}不能使用的占位符："
            + "、".join(_braces(n) for n in unknown)
            + "；可以使用的占位符为："
            + "、".join(_braces(n) for n in PLACEHOLDERS if n in letter_kind.placeholders)
        )
    stray = _PLACEHOLDER.sub("", title + "\n" + body)
    if any(c in stray for c in "{}｛｝"):
        errors.append("模板中有不成对的花括号；占位符应写作 {申请人} 这样的形式")
    missing = [name for name in sorted(letter_kind.required) if name not in used]
    if missing:
        errors.append(f"{letter_kind.label}必须包含" + "、".join(_braces(n) for n in missing))
    if errors:
        raise LetterError("；".join(errors) + "。")


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every placeholder replaced by its value, in one pass (values stay literal)."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise LetterError(f"占位符{_braces(name)}没有对应的内容")
        return str(values[name])

    return _PLACEHOLDER.sub(value, text)


def segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_placeholder) for a preview that marks the placeholders."""
    out: list[tuple[str, bool]] = []
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > at:
            out.append((text[at:match.start()], False))
        out.append((match.group(1), True))
        at = match.end()
    if at < len(text):
        out.append((text[at:], False))
    return out


# --------------------------------------------------------------------------- letters


@dataclass(frozen=True)
class Letter:
    """A letter ready to print: the writer lays it out, it decides nothing."""

    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    signature: str
    date: str
    kind: str = ""
    page_numbers: bool = False
    keywords: tuple[str, ...] = field(default_factory=tuple)


def chinese_date(d: date) -> str:
    """2026-03-02 -> 2026年3月2日 (Arabic numerals, as GB/T 9704-2012 prints dates)."""
    return f"{d.year}年{d.month}月{d.day}日"


def address_as(applicant_type: str) -> str:
    """您 for a natural person, 贵单位 for a legal person or other organisation."""
    return "您" if applicant_type == "natural_person" else "贵单位"


def tidy_reason(text: str) -> str:
    """A reason typed by staff, fit to stand inside a sentence (no trailing full stop)."""
    return text.strip().rstrip("。．.；;，, ")


def sentence(text: str) -> str:
    """A text typed by staff, fit to stand as sentences of its own (ends with a full stop)."""
    text = text.strip()
    return tidy_reason(text) + "。" if text and text[-1] not in "。！？!?」”）)" else text


def compose(letter_kind: LetterKind, values: Mapping[str, str], *, title: str | None = None,
            body: str | None = None, page_numbers: bool = False) -> Letter:
    """The letter of ``letter_kind`` from its template (the office's, or the default) and the values.

    ``values`` maps placeholder names to plain text; {法律依据} is added here when absent, and
    {救济途径} must be given (``remedy_for``). A placeholder the template uses whose value is
    missing or empty raises LetterError naming it (an empty optional one leaves out its
    paragraph), so no letter goes out with blanks.
    """
    title = letter_kind.title if title is None else title
    body = letter_kind.body if body is None else body
    validate_template(letter_kind, title, body)
    values = {k: "" if v is None else str(v).strip() for k, v in values.items()}
    values.setdefault("法律依据", letter_kind.basis)
    used = set(placeholders_in(title) + placeholders_in(body)) | {letter_kind.addressee, "机关名称", "日期", "文号"}
    missing = [n for n in PLACEHOLDERS if n in used and not values.get(n) and n not in letter_kind.optional]
    if missing:
        raise LetterError(
            f"无法生成{letter_kind.label}，本案缺少以下内容："
            + "；".join(f"{_braces(n)}（{PLACEHOLDERS[n]}）" for n in missing)
            + "。请先在案件中登记，或者调整本机关的文书模板。"
        )
    paragraphs = []
    for line in body.splitlines():
        if not line.strip():
            continue
        names = placeholders_in(line)
        if any(n in letter_kind.optional and not values.get(n) for n in names):
            continue  # a paragraph about something the case has not (yet) recorded
        paragraphs.append(fill(line.strip(), values))
    return Letter(
        title=fill(title.strip(), values),
        number=values["文号"],
        addressee=values[letter_kind.addressee] + "：",
        paragraphs=tuple(paragraphs),
        signature=values["机关名称"],
        date=values["日期"],
        kind=letter_kind.key,
        page_numbers=page_numbers,
        keywords=("政府信息公开", letter_kind.label),
    )


__all__ = [
    "LetterError", "LetterKind", "Letter", "PLACEHOLDERS", "COMMON", "OPTIONAL", "KINDS", "NOTICE_KINDS",
    "REPLY_KINDS", "REPLY_DECISIONS", "LETTER_DATES", "kind", "reply_kind", "placeholders_in", "validate_template",
    "fill", "segments", "compose", "chinese_date", "address_as", "tidy_reason", "sentence", "remedy_for",
    "NUMBER_SERIES", "NUMBER_PLACEHOLDERS", "validate_number_pattern", "format_number", "OTHER_AGENCY_REPLY",
    "THIRD_PARTY_DISCLOSURE", "REASONED_OUTCOMES",
]
