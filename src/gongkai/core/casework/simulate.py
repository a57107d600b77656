"""Run a scenario through the lifecycle's rules without a database (``gongkai case simulate``).

Pure Python. A scenario says what kind of agency decides, when the application was received and
the steps taken, in date order; each step goes through ``lifecycle.apply`` — the same rules as the
registry — and is reported as accepted (with what it rests on) or refused (with the legal reason).
A refused step has no effect; the next ones still run. At the end: the reply's due date (and
whether it is provisional), the payment's due date, the outcome and the remedy the reply must
state (``core.remedy``).

A scenario that cannot be read — not YAML, not a mapping, an unknown step, a bad date, steps out
of date order, missing or unknown fields — raises ``ScenarioError`` with a Chinese message; the
format is in ``docs/simulate.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from . import lifecycle
from .. import standard
from .lifecycle import Case, Decision, Event, State, TransitionError
from .remedy import AgencyKind, RemedyError, remedy
from .workdays import CORRECTION_PERIOD_WORKING_DAYS, DEFAULT_CALENDAR, DeadlineError, WorkCalendar

# The application's channels and the notices' (``channel`` of the scenario and of a fee notice).
CHANNELS = ("online", "post", "email", "fax", "in_person", "other")
CHANNEL_LABELS = {"online": "网上平台", "post": "邮寄", "email": "电子邮件", "fax": "传真", "in_person": "当面",
                  "other": "其他"}
SCENARIO_KEYS = {"agency_kind", "received", "channel", "correction_working_days", "steps"}

# step name -> (required fields, optional fields) besides ``on`` and ``step``.
STEP_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "request_correction": (frozenset({"items"}), frozenset({"kind"})),
    "receive_correction": (frozenset(), frozenset()),
    "correction_lapsed": (frozenset(), frozenset()),
    "start_consultation": (frozenset(), frozenset({"party", "received"})),
    "end_consultation": (frozenset(), frozenset()),
    "send_fee_notice": (frozenset({"amount"}), frozenset({"channel"})),
    "fee_notice_received": (frozenset(), frozenset()),
    "receive_payment": (frozenset(), frozenset()),
    "payment_lapsed": (frozenset(), frozenset()),
    "request_reasons": (frozenset(), frozenset()),
    "receive_reasons": (frozenset({"reasonable"}), frozenset({"later_due"})),
    "extend": (frozenset(), frozenset()),
    "decide": (frozenset({"outcome"}), frozenset({"reasons", "prohibiting_law", "other_agency"})),
    "send_reply": (frozenset(), frozenset({"channel"})),
    "close": (frozenset(), frozenset()),
    "withdraw": (frozenset(), frozenset()),
}
FIELD_LABELS = {"items": "补正事项", "kind": "补正原因", "party": "被征求意见方", "received": "收到日期",
                "amount": "金额（元）", "channel": "送达方式", "reasonable": "理由是否合理", "later_due": "延迟答复期限",
                "outcome": "办理结果", "reasons": "答复理由", "prohibiting_law": "禁止公开的法律、行政法规",
                "other_agency": "负责公开的其他机关"}


class ScenarioError(ValueError):
    """A scenario that cannot be run as written (in Chinese, for people)."""


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as in the file
    name: str
    on: date
    fields: dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    agency_kind: AgencyKind
    received: date
    channel: str | None
    steps: tuple[Step, ...]
    correction_working_days: int = CORRECTION_PERIOD_WORKING_DAYS


@dataclass
class StepResult:
    step: str
    on: date
    ok: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "label": Event(self.step).label, "on": self.on.isoformat(), "ok": self.ok,
                "reason": self.reason}


@dataclass
class Result:
    scenario: Scenario
    case: Case
    steps: list[StepResult] = field(default_factory=list)
    due: date | None = None
    provisional: bool = False
    explanation: list[str] = field(default_factory=list)
    payment_due: date | None = None
    payment_provisional: bool = False
    remedy: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        case = self.case
        return {
            "agency_kind": self.scenario.agency_kind.value,
            "received": self.scenario.received.isoformat(),
            "steps": [s.to_json() for s in self.steps],
            "state": case.state.value,
            "due": self.due.isoformat() if self.due else None,
            "provisional": self.provisional,
            "explanation": self.explanation,
            "payment_due": self.payment_due.isoformat() if self.payment_due else None,
            "payment_provisional": self.payment_provisional,
            "consultation_due": case.consultation_due_on.isoformat() if case.consultation_due_on else None,
            "outcome": case.outcome,
            "decided_on": case.decided_on.isoformat() if case.decided_on else None,
            "remedy": self.remedy,
        }

    def text_lines(self) -> list[str]:
        """The result for people, one line each."""
        lines = [f"机关类别：{self.scenario.agency_kind.label}；收到申请：{self.scenario.received.isoformat()}"]
        for number, s in enumerate(self.steps, 1):
            mark = "接受" if s.ok else "拒绝"
            lines.append(f"{number}. {s.on.isoformat()} {Event(s.step).label}：{mark}。{s.reason}")
        if self.due:
            lines.append(f"答复期限：{self.due.isoformat()}{'（暂定）' if self.provisional else ''}")
        if self.payment_due:
            lines.append(f"缴费期限：{self.payment_due.isoformat()}{'（暂定）' if self.payment_provisional else ''}")
        lines.append(f"状态：{self.case.state.label}")
        if self.case.outcome:
            row = standard.APPLICATIONS.row(self.case.outcome)
            lines.append(f"办理结果：{row.short_label}（{self.case.outcome}）")
        if self.remedy:
            lines.append(f"救济途径（{'复议前置' if self.remedy['review_first'] else '复议或诉讼'}）：{self.remedy['text']}")
        return lines


# --- reading ---------------------------------------------------------------------------------

def _day(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        raise ScenarioError(f"{where}应为日期（YYYY-MM-DD），不应含时间：{value}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ScenarioError(f"{where}“{value}”不是有效日期（格式：YYYY-MM-DD）")


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ScenarioError(f"{where}应为文字")
    return str(value).strip()


def _channel(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in CHANNELS:
        raise ScenarioError(f"{where}“{value}”无法识别，应为：" + "、".join(f"{c}（{CHANNEL_LABELS[c]}）" for c in CHANNELS))
    return value


def parse_scenario(data: Any) -> Scenario:
    """The scenario in ``data`` (what YAML gave), or ScenarioError saying what is wrong."""
    if not isinstance(data, dict):
        raise ScenarioError("情景文件应为一个映射（键: 值），包含 agency_kind、received 和 steps")
    unknown = sorted(str(k) for k in data if k not in SCENARIO_KEYS)
    if unknown:
        raise ScenarioError(f"情景文件有无法识别的键：{'、'.join(unknown)}（可用：{'、'.join(sorted(SCENARIO_KEYS))}）")
    for key in ("agency_kind", "received", "steps"):
        if key not in data:
            raise ScenarioError(f"情景文件缺少 {key}")
    kind_value = data["agency_kind"]
    try:
        kind = AgencyKind(kind_value)
    except ValueError:
        raise ScenarioError(
            f"机关类别 agency_kind“{kind_value}”无法识别，应为："
            + "、".join(f"{k.value}（{k.label}）" for k in AgencyKind)) from None
    received = _day(data["received"], "收到申请日期 received ")
    channel = _channel(data["channel"], "申请方式 channel ") if data.get("channel") is not None else None
    days = data.get("correction_working_days", CORRECTION_PERIOD_WORKING_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        raise ScenarioError("补正期限 correction_working_days 应为 1 至 60 之间的整数（工作日）")
    raw_steps = data["steps"]
    if raw_steps is None:
        raw_steps = []
    if not isinstance(raw_steps, list):
        raise ScenarioError("steps 应为步骤的列表（每步一行，如 - {on: 2026-03-10, step: extend}）")
    steps: list[Step] = []
    last = received
    for number, raw in enumerate(raw_steps, 1):
        where = f"第 {number} 步"
        if not isinstance(raw, dict):
            raise ScenarioError(f"{where}应为映射，如 {{on: 2026-03-10, step: extend}}")
        # YAML 1.1 reads the key ``on`` as the boolean true: take it as the date's key.
        raw = {("on" if key is True else key): value for key, value in raw.items()}
        if "step" not in raw or "on" not in raw:
            raise ScenarioError(f"{where}缺少 {'step' if 'step' not in raw else 'on'}")
        name = raw["step"]
        if not isinstance(name, str) or name not in STEP_FIELDS:
            raise ScenarioError(f"{where}的步骤“{name}”无法识别，应为：{'、'.join(STEP_FIELDS)}")
        on = _day(raw["on"], f"{where}的日期 ")
        if on < last:
            earlier = "上一步" if steps else "收到申请"
            raise ScenarioError(f"{where}（{name}）的日期 {on.isoformat()} 早于{earlier}的日期 {last.isoformat()}；"
                                "步骤应按日期先后排列")
        last = on
        required, optional = STEP_FIELDS[name]
        given = {k: v for k, v in raw.items() if k not in ("step", "on")}
        unknown = sorted(str(k) for k in given if k not in required | optional)
        if unknown:
            allowed = "、".join(sorted(required | optional)) or "无"
            raise ScenarioError(f"{where}（{name}）有无法识别的字段：{'、'.join(unknown)}（可用：{allowed}）")
        missing = sorted(required - set(given))
        if missing:
            raise ScenarioError(f"{where}（{name}）缺少：" + "、".join(f"{k}（{FIELD_LABELS[k]}）" for k in missing))
        steps.append(Step(number, name, on, _step_fields(name, given, where)))
    return Scenario(kind, received, channel, tuple(steps), days)


def _step_fields(name: str, given: dict, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in given.items():
        label = f"{where}的 {key}（{FIELD_LABELS[key]}）"
        if key in ("received", "later_due"):
            out[key] = _day(value, label)
        elif key == "channel":
            out[key] = _channel(value, label)
        elif key == "amount":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value <= 0:
                raise ScenarioError(f"{label}应为大于零的整数（元）")
            out[key] = int(value)
        elif key == "reasonable":
            if not isinstance(value, bool):
                raise ScenarioError(f"{label}应为 true（合理）或 false（不合理）")
            out[key] = value
        elif key == "other_agency":
            if not isinstance(value, dict) or set(value) - {"name", "contact"}:
                raise ScenarioError(f"{label}应为映射：{{name: 机关名称, contact: 联系方式}}")
            out[key] = {k: _text(v, f"{label}的 {k}") for k, v in value.items() if v is not None}
        elif key == "kind":
            if value not in lifecycle.CORRECTION_KINDS:
                raise ScenarioError(f"{label}应为：" + "、".join(f"{k}（{v}）" for k, v in lifecycle.CORRECTION_KINDS.items()))
            out[key] = value
        elif value is None:
            out[key] = ""
        else:
            out[key] = _text(value, label)
    return out


def load_scenario(text: str) -> Scenario:
    """The scenario in YAML ``text``; ScenarioError when it is not readable or not valid."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise ScenarioError(f"情景文件不是有效的 YAML{where}：{getattr(error, 'problem', None) or error}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as error:  # e.g. 2026-02-30
        raise ScenarioError(f"情景文件中有无效的值（如不存在的日期）：{error}") from None
    return parse_scenario(data)


def read_scenario(path: str | Path) -> Scenario:
    """The scenario in the file at ``path``; ScenarioError for a missing file, a folder, bad text."""
    path = Path(path)
    if path.is_dir():
        raise ScenarioError(f"{path} 是文件夹，请指定一个情景文件（.yaml）")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"找不到情景文件：{path}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"情景文件 {path} 不是 UTF-8 编码的文本") from None
    except OSError as error:
        raise ScenarioError(f"无法读取情景文件 {path}：{error.strerror or error}") from None
    return load_scenario(text)


# --- running ---------------------------------------------------------------------------------

def _apply(case: Case, step: Step, scenario: Scenario, calendar: WorkCalendar) -> tuple[Case, str]:
    """The case after ``step`` and what the acceptance rests on (TransitionError if refused)."""
    event = Event(step.name)
    f = step.fields
    kwargs: dict[str, Any] = {}
    outcome = decision = None
    if event is Event.REQUEST_CORRECTION:
        kwargs = {"correction_kind": f.get("kind", "unclear"), "correction_items": f.get("items", "")}
    elif event is Event.START_CONSULTATION:
        kwargs = {"consultation_party": f.get("party", ""), "consultation_received_on": f.get("received")}
    elif event is Event.SEND_FEE_NOTICE:
        kwargs = {"fee_notice_channel": f.get("channel", scenario.channel)}
    elif event is Event.RECEIVE_REASONS:
        kwargs = {"reasons_reasonable": f["reasonable"], "later_due_on": f.get("later_due")}
    elif event is Event.DECIDE:
        outcome = f["outcome"]
        other = f.get("other_agency") or {}
        decision = Decision(f.get("reasons", ""), f.get("prohibiting_law", ""), other.get("name", ""),
                            other.get("contact", ""), True if "other_agency" in f else None)
    after = lifecycle.apply(case, event, step.on, outcome=outcome, decision=decision, calendar=calendar,
                            correction_working_days=scenario.correction_working_days, **kwargs)
    note = lifecycle.EVENT_BASIS[event]
    if event is Event.REQUEST_CORRECTION:
        period = after.correction_deadline(calendar, scenario.correction_working_days)
        note += f"；申请人补正期限至 {period.due.isoformat()}" + ("（暂定）" if period.provisional else "")
    elif event is Event.START_CONSULTATION:
        note += f"；第三方提出意见期限至 {after.consultation_due_on.isoformat()}（第三十二条，15个工作日）"
    elif event in (Event.SEND_FEE_NOTICE, Event.FEE_NOTICE_RECEIVED):
        payment = after.payment_deadline(calendar)
        note += (f"；缴费期限至 {payment.due.isoformat()}" + ("（暂定）" if payment.provisional else "")
                 if payment else "；邮寄等方式送达的，须登记申请人收到日期后起算缴费期限")
        if event is Event.SEND_FEE_NOTICE:
            note += f"；金额 {f['amount']} 元"
    elif event in (Event.RECEIVE_CORRECTION, Event.END_CONSULTATION, Event.RECEIVE_PAYMENT, Event.EXTEND,
                   Event.RECEIVE_REASONS):
        note += f"；答复期限至 {after.reply_deadline(calendar).due.isoformat()}"
    elif event is Event.DECIDE:
        if after.decision is not None and after.decision.article:
            note += f"；依据《条例》{after.decision.article}"
        due = case.reply_deadline(calendar).due
        if step.on > due:
            note += f"；注意：答复期限已于 {due.isoformat()} 届满，本决定逾期作出"
    elif event in (Event.CORRECTION_LAPSED, Event.PAYMENT_LAPSED):
        note += f"；表三计入 {after.outcome}"
    return after, note + "。"


def run(scenario: Scenario, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Result:
    """Take the scenario's steps through the lifecycle, each accepted or refused with the reason."""
    case = Case(received_on=scenario.received)
    result = Result(scenario, case)
    for step in scenario.steps:
        try:
            case, note = _apply(case, step, scenario, calendar)
        except (TransitionError, DeadlineError) as error:
            result.steps.append(StepResult(step.name, step.on, False, str(error)))
        else:
            result.steps.append(StepResult(step.name, step.on, True, note))
    result.case = case
    try:
        deadline = case.reply_deadline(calendar)
    except DeadlineError as error:  # pragma: no cover - the steps are in date order from receipt
        result.explanation = [str(error)]
    else:
        result.due, result.provisional, result.explanation = deadline.due, deadline.provisional, deadline.explanation
    if case.fee_notice_on is not None:
        payment = case.payment_deadline(calendar)
        if payment is not None:
            result.payment_due, result.payment_provisional = payment.due, payment.provisional
    if case.outcome is not None and case.state is not State.WITHDRAWN:
        try:
            result.remedy = {k: v for k, v in remedy(case.outcome, scenario.agency_kind).as_dict().items()
                             if k in ("review_first", "text", "review_body", "court", "basis")}
        except RemedyError as error:  # pragma: no cover - outcomes are checked by the lifecycle
            result.remedy = {"review_first": False, "text": str(error)}
    return result


def simulate_text(text: str, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Result:
    return run(load_scenario(text), calendar)


def to_json_text(result: Result) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)


__all__ = ["Scenario", "Step", "Result", "StepResult", "ScenarioError", "parse_scenario", "load_scenario",
           "read_scenario", "run", "simulate_text", "STEP_FIELDS"]
