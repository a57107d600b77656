"""Wrong and sensitive words (错敏词): the office's lists with the defaults, the findings in an
item, and an approver's keeping of sensitive words with a reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.records import snapshot
from gongkai.core.casework import catalogue as rules

from .access import can_review, require_draft, require_review
from .history import record_setting
from .items import RECORDED_FIELDS, Event, locked, record
from .models import Item, WordList


def word_rules(agency: Agency) -> list[rules.WordRule]:
    """The office's lists, and the defaults of each kind unless the office turned them off."""
    lists = {w.kind: w for w in WordList.objects.filter(agency=agency)}
    out: list[rules.WordRule] = []
    for kind in rules.WORD_KINDS:
        own = lists.get(kind)
        if own is not None:
            out += own.word_rules()
        if own is None or own.use_defaults:
            words = {r.word for r in out}
            out += [r for r in rules.DEFAULT_WORDS if r.kind == kind and r.word not in words]
    return out


def save_word_list(user, agency: Agency, kind: str, entries: str, use_defaults: bool = True,
                   reason: str = "") -> WordList:
    """Store the office's list of ``kind`` (read first: a line that cannot be read is refused).

    Handlers and approvers add to the lists; switching a check off — the defaults of a list, or
    a sensitive word of the office's own list — is an approver's decision with its reason.
    Every change is kept (``SettingChange``)."""
    require_draft(user, agency, "维护错敏词表")
    try:
        parsed = rules.parse_word_lines(entries, kind)
    except rules.WordListError as exc:
        raise ValidationError({"entries": str(exc)}) from exc
    with transaction.atomic():
        current = WordList.objects.select_for_update().filter(agency=agency, kind=kind).first()
        # What was in effect: without a list of its own, the office used the defaults alone.
        was = {"entries": current.entries, "use_defaults": current.use_defaults} if current else \
            {"entries": "", "use_defaults": True}
        removed = sorted({r.word for r in rules.parse_word_lines(was["entries"], kind)} - {r.word for r in parsed}) \
            if kind == rules.SENSITIVE else []
        switched_off = was["use_defaults"] and not use_defaults
        if switched_off or removed:
            what = "关闭系统默认词表" if switched_off else f"删除敏感词 {'、'.join(removed)}"
            if not can_review(user, agency):
                raise PermissionDenied(f"{what}会减少提交前的检查，须由“{agency}”的审核人（负责人）办理")
            if not (reason or "").strip():
                raise ValidationError({"reason": f"请写明{what}的理由"})
        word_list, _ = WordList.objects.update_or_create(
            agency=agency, kind=kind,
            defaults={"entries": rules.format_word_lines(parsed), "use_defaults": use_defaults, "updated_by": user})
        record_setting(agency, kind, user, was, {"entries": word_list.entries, "use_defaults": word_list.use_defaults},
                       reason)
    return word_list


def checked_text(item: Item) -> str:
    return "\n".join((item.title, item.document_number, item.summary, item.body))


def word_findings(item: Item) -> list[rules.WordFinding]:
    return rules.check_words(checked_text(item), word_rules(item.agency))


def blocking_words(item: Item, findings: list[rules.WordFinding]) -> list[str]:
    """The sensitive words found that no approver has allowed for this item."""
    allowed = set(item.words_allowed)
    return sorted({f.rule.word for f in findings if f.rule.kind == rules.SENSITIVE and f.rule.word not in allowed})


def allow_words(user, item: Item, reason: str) -> Item:
    """An approver keeps the sensitive words now found in the item, with the reason."""
    require_review(user, item.agency, "确认保留敏感词")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明保留敏感词的理由"})
    with transaction.atomic():
        current = locked(item)
        if not current.editable:
            raise ValidationError("只有草稿和退回的信息需要确认敏感词")
        words = sorted({f.rule.word for f in word_findings(current) if f.rule.kind == rules.SENSITIVE})
        if not words:
            raise ValidationError("该信息中没有敏感词")
        before = snapshot(current, RECORDED_FIELDS)
        current.words_allowed, current.words_allowed_reason = words, reason
        current.save(update_fields=["words_allowed", "words_allowed_reason", "updated"])
        record(current, Event.ALLOW_WORDS, user, before, reason)
    return current
