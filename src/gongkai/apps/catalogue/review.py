"""The review of an item (条例 Art. 17 secrecy review, two levels).

Handlers (承办) and approvers (审核/负责人) of the item's agency submit; approvers take both review
levels — the section head's (科室负责人审核) and the leader's (分管领导审签) — as two separate steps,
with the rules of four eyes: nobody approves an item they submitted or drafted (created, or
edited), and nobody approves both levels of the same item. Supervisors (上级主管) only read.

draft or rejected → ``submit`` → section_review → ``approve_section`` → leader_review
→ ``approve_leader`` → published. ``approve_leader`` is the only code that sets ``published``,
and it checks the section approval of the same round; the database refuses a published item
without both approvals (constraint ``item_published_reviewed``). ``reject`` (with a reason)
returns an item under review to ``rejected``, editable again, its approvals cleared. Every change
is an ``ItemEvent``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.apps.records import snapshot

from .access import require_draft, require_review
from .items import RECORDED_FIELDS, UNDER_REVIEW, Event, State, locked, record
from .models import Item, ReviewStep
from .table2 import TABLE2_KINDS
from .validity import add_validity
from .words import blocking_words, word_findings


def submission_problems(item: Item) -> list[str]:
    """What stops an item from going to review (in Chinese); empty when it may be submitted."""
    problems = []
    if item.kind in TABLE2_KINDS:
        if not item.document_number:
            problems.append(f"{item.get_kind_display()}应填写文号")
        if not item.effective_on:
            problems.append(f"{item.get_kind_display()}应填写施行日期（有效性自施行日期起算）")
    if not (item.body or item.summary or item.attachments.exists()):
        problems.append("请填写正文或内容概述，或上传附件")
    blocked = blocking_words(item, word_findings(item))
    if blocked:
        problems.append(f"含敏感词 {'、'.join(blocked)}：请修改，或由审核人确认保留并写明理由")
    return problems


def submit(user, item: Item) -> Item:
    """Send a draft or rejected item to the section head's review."""
    require_draft(user, item.agency, "提交审核")
    with transaction.atomic():
        current = locked(item)
        if not current.editable:
            raise ValidationError(f"“{current.get_state_display()}”的信息不能提交审核")
        problems = submission_problems(current)
        if problems:
            raise ValidationError(problems)
        before = snapshot(current, RECORDED_FIELDS)
        current.state, current.submitted_by = State.SECTION_REVIEW, user
        current.section_approval = current.leader_approval = None
        current.save()
        record(current, Event.SUBMIT, user, before)
    return current


def _drafted_by(item: Item, user) -> bool:
    """Did ``user`` draft the item — create it or change its content?"""
    return item.created_by_id == user.pk or item.events.filter(event=Event.EDIT, user=user).exists()


def _statement(statement: str) -> str:
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": "请填写保密审查意见（如：经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开）"})
    return statement


def approve_section(user, item: Item, statement: str) -> Item:
    """The section head's approval with the secrecy review statement."""
    require_review(user, item.agency, "审核")
    statement = _statement(statement)
    with transaction.atomic():
        current = locked(item)
        if current.state != State.SECTION_REVIEW:
            raise ValidationError(f"该信息{current.get_state_display()}，不在科室负责人审核环节")
        if current.submitted_by_id == user.pk:
            raise ValidationError("不能审核自己提交的信息：请由本机关的其他审核人审核")
        if _drafted_by(current, user):
            raise ValidationError("起草或修改过该信息的人不能作其保密审查：请由本机关的其他审核人审核")
        before = snapshot(current, RECORDED_FIELDS)
        step = ReviewStep.objects.create(item=current, level=ReviewStep.Level.SECTION,
                                         decision=ReviewStep.Decision.APPROVE, statement=statement, user=user)
        current.state, current.section_approval = State.LEADER_REVIEW, step
        current.save()
        record(current, Event.APPROVE_SECTION, user, before, statement)
    return current


def approve_leader(user, item: Item, statement: str, on: date | None = None) -> Item:
    """The leader's approval with the secrecy review statement, and publication on ``on`` (today).

    The only code that publishes: it requires the section head's approval of the same round,
    given by someone else than this leader and than the submitter."""
    require_review(user, item.agency, "审签发布")
    statement = _statement(statement)
    on = on or date.today()
    with transaction.atomic():
        current = locked(item)
        section = current.section_approval
        if current.state != State.LEADER_REVIEW or section is None or section.decision != ReviewStep.Decision.APPROVE \
                or section.level != ReviewStep.Level.SECTION:
            raise ValidationError(f"该信息{current.get_state_display()}，未经科室负责人审核同意，不能审签发布")
        if section.user_id == user.pk:
            raise ValidationError("同一人不能既作科室负责人审核又作分管领导审签：请由另一位审核人审签")
        if current.submitted_by_id == user.pk:
            raise ValidationError("不能审签自己提交的信息：请由本机关的其他审核人审签")
        if _drafted_by(current, user):
            raise ValidationError("起草或修改过该信息的人不能作其保密审查：请由本机关的其他审核人审签")
        if on < current.made_on or on > date.today():
            raise ValidationError(f"发布日期应在生成日期 {current.made_on.isoformat()} 与今天之间")
        before = snapshot(current, RECORDED_FIELDS)
        step = ReviewStep.objects.create(item=current, level=ReviewStep.Level.LEADER,
                                         decision=ReviewStep.Decision.APPROVE, statement=statement, user=user)
        current.state, current.leader_approval, current.published_on = State.PUBLISHED, step, on
        if (current.kind in TABLE2_KINDS or current.effective_on) and not current.validity_changes.exists():
            add_validity(current, Item.Validity.IN_FORCE, current.effective_on or on, user, "发布时登记为现行有效")
        current.save()
        record(current, Event.PUBLISH, user, before, statement)
    return current


def reject(user, item: Item, reason: str) -> Item:
    """Return an item under review to its drafter with the reason; it may be edited and submitted again."""
    require_review(user, item.agency, "退回")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明退回理由"})
    with transaction.atomic():
        current = locked(item)
        if current.state not in UNDER_REVIEW:
            raise ValidationError(f"该信息{current.get_state_display()}，不在审核中，不能退回")
        level = ReviewStep.Level.SECTION if current.state == State.SECTION_REVIEW else ReviewStep.Level.LEADER
        before = snapshot(current, RECORDED_FIELDS)
        ReviewStep.objects.create(item=current, level=level, decision=ReviewStep.Decision.REJECT, reason=reason, user=user)
        current.state = State.REJECTED
        current.section_approval = current.leader_approval = None
        current.save()
        record(current, Event.REJECT, user, before, reason)
    return current


def withdraw(user, item: Item, reason: str, on: date | None = None) -> Item:
    """Take a published item off the catalogue (撤下), with the reason; its history stays."""
    require_review(user, item.agency, "撤下已发布的信息")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明撤下理由"})
    with transaction.atomic():
        current = locked(item)
        if current.state != State.PUBLISHED:
            raise ValidationError(f"该信息{current.get_state_display()}，只有已发布的信息可以撤下")
        before = snapshot(current, RECORDED_FIELDS)
        current.state, current.withdrawn_on = State.WITHDRAWN, on or date.today()
        current.save()
        record(current, Event.WITHDRAW, user, before, reason)
    return current
