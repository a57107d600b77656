"""Tracking codes (查询码) of online applications and what the public tracking page may say.

A code is 12 characters drawn with ``secrets`` from an alphabet without look-alikes (no 0/O,
1/I/L, U/V): 29^12 ≈ 3.5 × 10^17 codes (58 bits). Only its SHA-256 is stored (unique index); the
applicant sees the code once, on the receipt. A look-up needs the code and a second factor — the
last four characters of the phone number, of the ID number or of the credit code — and says only
where the application stands: never a name, an ID number, an address or what was asked for.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from gongkai.apps.cases.models import Application, ReplyChannel
from gongkai.apps.cases.services import lifecycle_case
from gongkai.apps.holidays.models import work_calendar
from gongkai.core.casework.fees import PAYMENT_WORKING_DAYS
from gongkai.core.casework.lifecycle import Event, State
from gongkai.core.casework.workdays import show

from .models import OnlineSubmission

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
_SEPARATORS = re.compile(r"[\s\-－—_·.]+")


def new_code() -> str:
    """A fresh tracking code (12 characters, no separators)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def show_code(code: str) -> str:
    """The code as printed: groups of four joined by hyphens (``ABCD-EFGH-JKMN``)."""
    return "-".join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalize_code(text: str) -> str | None:
    """What a person typed, as a code (case, spaces and hyphens ignored); None if it cannot be one."""
    code = _SEPARATORS.sub("", text or "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def normalize_factor(text: str) -> str | None:
    """The second factor typed: exactly four digits or letters (an ID number may end in X)."""
    factor = _SEPARATORS.sub("", text or "").upper()
    return factor if re.fullmatch(r"[0-9A-Z]{4}", factor) else None


def factors_of(application: Application) -> list[str]:
    """The last four characters of the phone (digits only), the ID number and the credit code."""
    phone = re.sub(r"\D", "", application.phone or "")
    values = [phone, (application.id_number or "").upper(), (application.credit_code or "").upper()]
    return [value[-4:] for value in values if len(value) >= 4]


def find(code_text: str, factor_text: str) -> Application | None:
    """The application of a tracking code and a matching second factor; None for anything else
    (the caller says the same thing whatever was wrong)."""
    code, factor = normalize_code(code_text), normalize_factor(factor_text)
    if code is None or factor is None:
        return None
    submission = (OnlineSubmission.objects.select_related("application__agency", "application__handler")
                  .filter(code_hash=code_hash(code)).first())
    if submission is None:
        return None
    application = submission.application
    matches = [hmac.compare_digest(factor, known) for known in factors_of(application)]
    return application if any(matches) else None


def mask_name(name: str) -> str:
    """The first character of a name and stars (张三 → 张**), as the tracking page shows it."""
    name = (name or "").strip()
    return f"{name[:1]}**" if name else ""


@dataclass(frozen=True)
class Step:
    on: date
    label: str


@dataclass(frozen=True)
class Status:
    """Where an application stands, in words for the applicant."""

    key: str  # received, processing, correction, consultation, payment, extended, decided, replied, ...
    label: str
    lines: list[str]
    due: date | None
    due_provisional: bool
    paused: bool
    steps: list[Step] = field(default_factory=list)
    correction: str = ""


# The steps shown on the tracking page (registration, edits, assignment and uploads are internal).
PUBLIC_STEPS = {e.value: e.label for e in Event}


def status_of(application: Application) -> Status:
    """The public status of ``application`` (its registry record read as it stands now)."""
    events = list(application.events.filter(event__in=list(PUBLIC_STEPS)).order_by("at", "pk"))
    steps = [Step(e.on, PUBLIC_STEPS[e.event]) for e in events]
    state = State(application.state)
    outcome = application.get_outcome_display() if application.outcome else ""
    due, provisional, paused = application.due_on, application.due_provisional, False
    correction = ""
    if state is State.REGISTERED and application.extended:
        key, label = "extended", "已延期"
        lines = [f"经本机关政府信息公开工作机构负责人同意，答复期限已延长至{show(due)}（《条例》第三十三条）。"]
    elif state is State.REGISTERED and (events or application.handler_id):
        key, label = "processing", "办理中"
        lines = ["申请已由承办人员办理，将在答复期限内作出答复。"]
    elif state is State.REGISTERED:
        key, label = "received", "已收到"
        lines = ["申请已登记，等待分配承办人员。"]
    elif state is State.AWAITING_CORRECTION:
        key, label = "correction", "待补正"
        request = next((e for e in reversed(events) if e.event == Event.REQUEST_CORRECTION.value), None)
        correction = (request.reason if request else "").strip() or "请按补正告知书的要求补正。"
        lines = [f"本机关于{show(application.correction_requested_on)}一次性告知您补正申请（《条例》第三十条）。",
                 "请按告知的要求补正；答复期限自本机关收到补正之日起重新计算。无正当理由逾期不补正的，视为放弃申请。"]
        due = None
    elif state is State.CONSULTING:
        key, label, paused = "consultation", "征求意见中", True
        lines = [(f"本机关自{show(application.consultation_started_on)}起征求第三方或者其他机关的意见，"
                 "征求意见所需时间不计算在答复期限内（《条例》第三十二条）。")]
        if application.extended:
            lines.append("答复期限已经批准延长（《条例》第三十三条）。")
    elif state is State.AWAITING_PAYMENT:
        key, label, paused = "payment", "待缴费", True
        # 国办函〔2020〕109号: from the day after the applicant RECEIVES the notice (recorded, or
        # deemed for a notice handed over or sent electronically; a posted one only once recorded).
        pay_by = lifecycle_case(application).payment_deadline(work_calendar())
        when = (f"请在{show(pay_by.due)}前缴纳" + ("（该日期跨越尚未公布放假安排的年度，为暂定）" if pay_by.provisional else "")
                if pay_by else f"请自收到收费通知之日的次日起{PAYMENT_WORKING_DAYS}个工作日内缴纳")
        lines = [(f"本机关于{show(application.fee_notice_on)}发出收费通知，信息处理费 {application.fee_yuan} 元"
                 f"（{application.get_fee_method_display()}）。{when}；"
                 "缴费期间不计算在答复期限内，逾期未缴纳的视为放弃申请（国办函〔2020〕109号）。")]
    elif state is State.DECIDED:
        key, label = "decided", "已作出答复决定"
        lines = [f"本机关已于{show(application.decided_on)}作出答复决定（{outcome}），答复书正在送达。"]
    elif state in (State.REPLIED, State.CLOSED):
        key, label = ("replied", "已答复") if state is State.REPLIED else ("closed", "已办结")
        channel = ReplyChannel(application.reply_channel).label if application.reply_channel else "—"
        lines = [(f"本机关已于{show(application.decided_on)}作出答复决定（{outcome}），"
                 f"于{show(application.replied_on)}以{channel}方式送达。")]
    elif state is State.WITHDRAWN:
        key, label = "withdrawn", "已撤回"
        lines = [f"申请已于{show(application.decided_on)}撤回，本机关不再办理。"]
    else:
        key, label = "merged", "已合并办理"
        target = application.merged_into
        lines = [(f"本申请与本机关登记的申请 {target.number if target else ''} 内容相同，已合并办理；"
                 "请联系本机关了解办理情况。")]
    return Status(key, label, lines, due, provisional if due else False, paused, steps, correction)


def receipt_lines(application: Application) -> list[str]:
    """What the receipt says about the receipt date (条例 Art. 31) and the reply period."""
    return [
        ("本回执是本机关对收到您申请的确认。按《条例》第三十一条，通过互联网提交的申请以双方确认之日为收到申请之日，"
        f"即提交之日{show(application.received_on)}。"),
        (f"答复期限：{show(application.due_on)}（自收到申请之日起20个工作日，《条例》第三十三条）。"
        "需要补正、征求意见或者延期的，本机关将告知您，期限依法相应调整。"),
    ]


__all__ = [
    "CODE_ALPHABET",
    "Status",
    "code_hash",
    "find",
    "mask_name",
    "new_code",
    "normalize_code",
    "receipt_lines",
    "show_code",
    "status_of",
]
