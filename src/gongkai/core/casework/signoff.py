"""Review and sign-off of decisions (拟办 → 审核 → 签发) as explicit states and actions.

Pure Python: the web application (``gongkai.apps.signoff``) stores the drafts and their history;
the rules live here, so that every entry point refuses the same step with the same Chinese
message.

    drafting ──submit──▶ submitted ──sign──▶ signed        (the decide step and the reply letter)
       ▲  │revise            │return (with a comment)
       │  └──────────────────┴──▶ returned ──revise / submit──▶ …
       └── cancel (any open draft) ──▶ cancelled

A handler drafts the decision (拟办): the outcome (a row of table 3), the statements the law asks of
it (reasons, the prohibiting law, the other agency of Art. 36(5)) and the decision date. An
approver of the agency reviews it (审核): returns it with a comment, or signs it (签发). Nobody signs
a draft they wrote or revised (four eyes). A draft that discloses (予以公开, 部分公开) is signed only
with the secrecy review of 条例 Art. 17 recorded (保密审查: who, when, the opinion).

Which outcomes need sign-off is the agency's choice; by default every refusal (不予公开) and partial
disclosure (部分公开) — the decisions that must state reasons (条例 Art. 36(3), 37) and for which
administrative review comes first (行政复议法 Art. 23(1)(4)).
"""

from __future__ import annotations

from enum import Enum

from . import remedy
from .. import standard
from .lifecycle import TransitionError

# Refusals and partial disclosure need sign-off unless the agency says otherwise.
DEFAULT_SIGNOFF_OUTCOMES = remedy.REFUSAL_OUTCOMES
# What discloses information and so needs the secrecy review (条例 Art. 17) before it is signed.
DISCLOSING_OUTCOMES = frozenset({"granted", "partial"})
# The decisions that must state their reasons (条例 Art. 36(3) for refusals, Art. 37 for partial).
REASONED_OUTCOMES = remedy.REFUSAL_OUTCOMES
LAW_PROHIBITED = "denied_law_prohibited"

GATE_MESSAGE = "本机关规定该类答复须经审核签发：请在案件页“答复审核签发”中拟办，经审核人审核签发后即作出答复决定"


class SignoffError(TransitionError):
    """A sign-off step the rules do not allow, said in Chinese."""


class DraftState(str, Enum):
    DRAFTING = "drafting"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    SIGNED = "signed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    DraftState.DRAFTING: "拟办中",
    DraftState.SUBMITTED: "待审核签发",
    DraftState.RETURNED: "已退回修改",
    DraftState.SIGNED: "已签发",
    DraftState.CANCELLED: "已撤销",
}
OPEN_DRAFT_STATES = frozenset({DraftState.DRAFTING, DraftState.SUBMITTED, DraftState.RETURNED})


class Action(str, Enum):
    DRAFT = "draft"
    REVISE = "revise"
    SUBMIT = "submit"
    RETURN = "return"
    SIGN = "sign"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.DRAFT: "拟办答复",
    Action.REVISE: "修改拟办",
    Action.SUBMIT: "提交审核",
    Action.RETURN: "退回修改",
    Action.SIGN: "审核签发",
    Action.CANCEL: "撤销拟办",
}

# action -> (states it may be taken in, state after it; None: stays)
TRANSITIONS: dict[Action, tuple[frozenset[DraftState], DraftState | None]] = {
    Action.REVISE: (frozenset({DraftState.DRAFTING, DraftState.RETURNED}), None),
    Action.SUBMIT: (frozenset({DraftState.DRAFTING, DraftState.RETURNED}), DraftState.SUBMITTED),
    Action.RETURN: (frozenset({DraftState.SUBMITTED}), DraftState.RETURNED),
    Action.SIGN: (frozenset({DraftState.SUBMITTED}), DraftState.SIGNED),
    Action.CANCEL: (OPEN_DRAFT_STATES, DraftState.CANCELLED),
}


def next_state(state: DraftState, action: Action) -> DraftState:
    """The draft's state after ``action``, or SignoffError saying why it cannot be taken now."""
    if action is Action.DRAFT:
        return DraftState.DRAFTING
    allowed, target = TRANSITIONS[action]
    if state not in allowed:
        raise SignoffError(f"拟办答复处于“{state.label}”状态，不能{action.label}")
    return target or state


def needs_signoff(outcome: str | None, configured: frozenset[str] | None = None) -> bool:
    """Whether a decision with ``outcome`` needs sign-off (the agency's list, else the default)."""
    return bool(outcome) and outcome in (DEFAULT_SIGNOFF_OUTCOMES if configured is None else configured)


def needs_secrecy_review(outcome: str | None) -> bool:
    return outcome in DISCLOSING_OUTCOMES


def outcome_label(outcome: str) -> str:
    return standard.APPLICATIONS.row(outcome).short_label


def check_outcome(outcome: str | None) -> str:
    if not outcome or outcome not in standard.OUTCOME_KEYS:
        raise SignoffError("请选择办理结果（表三所列情形之一）")
    return outcome


def missing_statements(outcome: str, *, decision_reasons: str = "", prohibiting_law: str = "",
                       other_agency_name: str = "", other_agency_contact: str = "") -> list[tuple[str, str]]:
    """What a draft must still state before it goes to review: (field, message with its article)
    pairs, empty when complete."""
    missing = []
    if outcome in REASONED_OUTCOMES and not decision_reasons.strip():
        article = "第三十七条" if outcome == "partial" else "第三十六条第（三）项"
        missing.append(("decision_reasons", f"{outcome_label(outcome)}须说明理由（《条例》{article}）"))
    if outcome == LAW_PROHIBITED and not prohibiting_law.strip():
        missing.append(("prohibiting_law",
                        "以法律、行政法规禁止公开为由不予公开的，须写明该法律、行政法规及条款（《条例》第三十六条第（三）项）"))
    if bool(other_agency_name.strip()) != bool(other_agency_contact.strip()):
        field = "other_agency_contact" if other_agency_name.strip() else "other_agency_name"
        missing.append((field, "告知负责公开该信息的机关的，须同时写明其名称和联系方式（《条例》第三十六条第（五）项）"))
    return missing


def check_signer(signer, authors) -> None:
    """Four eyes: whoever wrote or revised the draft does not sign it."""
    if signer in set(authors):
        raise SignoffError("拟办人或修改人不能签发自己拟办的答复（审核签发须由另一位审核人作出）")


def check_secrecy_review(outcome: str, opinion: str) -> None:
    """A disclosing decision is signed only with the secrecy review of 条例 Art. 17 recorded."""
    if needs_secrecy_review(outcome) and not opinion.strip():
        raise SignoffError(
            f"{outcome_label(outcome)}的答复须先进行保密审查（《条例》第十七条）：请填写保密审查意见后再签发"
        )


__all__ = ["DraftState", "Action", "SignoffError", "TRANSITIONS", "DEFAULT_SIGNOFF_OUTCOMES",
           "DISCLOSING_OUTCOMES", "REASONED_OUTCOMES", "OPEN_DRAFT_STATES", "GATE_MESSAGE", "next_state",
           "needs_signoff", "needs_secrecy_review", "missing_statements", "check_signer", "check_secrecy_review",
           "check_outcome", "outcome_label"]
