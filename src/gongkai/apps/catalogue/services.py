"""The rules of the catalogue: drafting, the review, validity, timeliness, table 2, word lists,
links.

Who may do what (roles of ``apps.agencies``): handlers (承办) and approvers (审核/负责人) of the
item's agency draft, edit and submit; approvers take both review levels — the section head's
(科室负责人审核) and the leader's (分管领导审签) — as two separate steps, with two rules of four
eyes: nobody approves an item they submitted, and nobody approves both levels of the same item.
Supervisors (上级主管) only read.

The review: draft or rejected → ``submit`` → section_review → ``approve_section`` → leader_review
→ ``approve_leader`` → published. ``approve_leader`` is the only code that sets ``published``,
and it checks the section approval of the same round; the database refuses a published item
without both approvals (constraint ``item_published_reviewed``). ``reject`` (with a reason)
returns an item under review to ``rejected``, editable again, its approvals cleared. Every change
is an ``ItemEvent``.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q

from gongkai.apps.agencies.models import Agency, Membership, has_role
from gongkai.apps.cases.models import ATTACHMENT_SUFFIXES, check_attachment
from gongkai.apps.counters import next_number
from gongkai.apps.holidays.models import work_calendar
from gongkai.apps.records import snapshot
from gongkai.core import catalogue as rules

from .models import (
    CatalogueSettings,
    Category,
    GuideSupplement,
    GuideSupplementRevision,
    IndexCounter,
    Item,
    ItemAttachment,
    ItemEvent,
    LinkCheck,
    ReviewStep,
    ValidityChange,
    WordList,
)

Role = Membership.Role
DRAFT_ROLES = (Role.HANDLER, Role.APPROVER)
State = Item.State
Event = ItemEvent.Event
UNDER_REVIEW = (State.SECTION_REVIEW, State.LEADER_REVIEW)
UNPUBLISHED = (State.DRAFT, State.SECTION_REVIEW, State.LEADER_REVIEW, State.REJECTED)
ISSUED_STATES = (State.PUBLISHED, State.WITHDRAWN)
TABLE2_KINDS = (Item.Kind.RULE, Item.Kind.NORMATIVE_DOCUMENT)
ENDED = (Item.Validity.REPEALED, Item.Validity.EXPIRED)

# What a drafter fills in (the rest changes only through the review and validity steps).
ITEM_FIELDS = ("category", "index_number", "title", "summary", "body", "document_number", "publisher", "made_on",
               "kind", "effective_on", "channels")
# What the history records of an item.
RECORDED_FIELDS = (*[f if f != "category" else "category_id" for f in ITEM_FIELDS], "state", "published_on",
                   "due_on", "validity", "repealed_on", "withdrawn_on", "words_allowed")
# Attachments of published items: the registry's types, and spreadsheets, which tables are published as.
ATTACHMENT_TYPES = (*ATTACHMENT_SUFFIXES, ".xls", ".xlsx", ".et")


def can_draft(user, agency: Agency) -> bool:
    return user.is_authenticated and has_role(user, agency, *DRAFT_ROLES)


def can_review(user, agency: Agency) -> bool:
    return user.is_authenticated and has_role(user, agency, Role.APPROVER)


def _require_draft(user, agency: Agency, what: str) -> None:
    if not can_draft(user, agency):
        raise PermissionDenied(f"只有“{agency}”的承办或审核人员才能{what}")


def _require_review(user, agency: Agency, what: str) -> None:
    if not can_review(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人（负责人）才能{what}")


def _record(item: Item, event: str, user, before: dict, reason: str = "") -> ItemEvent:
    return ItemEvent.objects.create(item=item, event=event, user=user, reason=reason, before=before,
                                    after=snapshot(item, RECORDED_FIELDS))


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("agency").get(pk=item.pk)


# ------------------------------------------------------------------------ index numbers


def settings_for(agency: Agency) -> CatalogueSettings | None:
    return CatalogueSettings.objects.filter(agency=agency).first()


def save_settings(user, agency: Agency, index_prefix: str, index_format: str,
                  serial_digits: int = rules.DEFAULT_SERIAL_DIGITS) -> CatalogueSettings:
    """The agency's index number format (its approvers only)."""
    _require_review(user, agency, "设置索引号格式")
    try:
        prefix = rules.check_index_prefix(index_prefix)
        rules.format_index_number(index_format, prefix, 2000, 1, 1, serial_digits)
    except rules.IndexNumberError as exc:
        raise ValidationError(str(exc)) from exc
    settings, _ = CatalogueSettings.objects.update_or_create(
        agency=agency, defaults={"index_prefix": prefix, "index_format": index_format,
                                 "serial_digits": serial_digits, "updated_by": user})
    return settings


GUIDE_FIELDS = ("office_hours", "email", "notes")


def save_guide_supplement(user, agency: Agency, office_hours: str = "", email: str = "", notes: str = "",
                          reason: str = "") -> GuideSupplement:
    """What the agency adds to its disclosure guide (its approvers only); the change is kept."""
    _require_review(user, agency, "修改公开指南")
    values = {"office_hours": office_hours.strip(), "email": email.strip(), "notes": notes.strip()}
    with transaction.atomic():
        current = GuideSupplement.objects.select_for_update().filter(agency=agency).first()
        before = snapshot(current, GUIDE_FIELDS) if current else {}
        supplement = current or GuideSupplement(agency=agency)
        for name, value in values.items():
            setattr(supplement, name, value)
        supplement.updated_by = user
        supplement.full_clean()
        supplement.save()
        GuideSupplementRevision.objects.create(supplement=supplement, user=user, reason=reason.strip(), before=before,
                                               after=snapshot(supplement, GUIDE_FIELDS))
    return supplement


def generate_index_number(agency: Agency, made_on: date) -> str:
    """The agency's next index number of ``made_on``'s year; call inside a transaction. Without
    settings, the agency's unified social credit code and the national format are used."""
    settings = settings_for(agency)
    prefix = settings.index_prefix if settings else agency.credit_code
    if not prefix:
        raise ValidationError({"index_number": f"“{agency}”尚未设置索引号前缀：请审核人在“目录设置”中填写，"
                                               "或填写已有的索引号"})
    fmt = settings.index_format if settings else rules.DEFAULT_INDEX_FORMAT
    digits = settings.serial_digits if settings else rules.DEFAULT_SERIAL_DIGITS
    while True:  # numbers entered by hand may already hold a serial the counter has not reached
        number = rules.format_index_number(fmt, prefix, made_on.year, made_on.month, next_number(IndexCounter, agency=agency, year=made_on.year),
                                           digits)
        if not Item.objects.filter(agency=agency, index_number=number).exists():
            return number


def accept_index_number(agency: Agency, text: str, item: Item | None = None) -> str:
    """An index number entered for an existing item, normalised, if it is readable and unused."""
    try:
        number = rules.parse_index_number(text).text
    except rules.IndexNumberError as exc:
        raise ValidationError({"index_number": str(exc)}) from exc
    taken = Item.objects.filter(agency=agency, index_number=number)
    if item is not None and item.pk:
        taken = taken.exclude(pk=item.pk)
    if taken.exists():
        raise ValidationError({"index_number": f"索引号 {number} 已被本机关的其他信息使用"})
    return number


# ------------------------------------------------------------------------------- items


def _clean_fields(agency: Agency, fields: dict, item: Item | None = None) -> dict:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    out = dict(fields)
    for name in ("title", "summary", "body", "document_number", "publisher", "index_number"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "title" in out and not out["title"]:
        errors["title"] = "请填写标题"
    if "publisher" in out and not out["publisher"]:
        errors["publisher"] = "请填写发布机构"
    category = out.get("category")
    if "category" in out and (category is None or category.agency_id != agency.pk):
        errors["category"] = f"请选择“{agency}”目录中的分类"
    made_on = out.get("made_on")
    if "made_on" in out and made_on is None:
        errors["made_on"] = "请填写生成日期"
    elif made_on is not None and made_on > date.today():
        errors["made_on"] = "生成日期不能晚于今天"
    if "kind" in out and out["kind"] not in Item.Kind.values:
        errors["kind"] = "请选择信息类别"
    channels = out.get("channels")
    if "channels" in out:
        channels = list(dict.fromkeys(channels or []))
        wrong = [c for c in channels if c not in rules.CHANNEL_LABELS]
        if wrong:
            errors["channels"] = f"不认识的发布渠道：{'、'.join(map(str, wrong))}"
        out["channels"] = channels
    if out.get("index_number"):
        try:
            out["index_number"] = accept_index_number(agency, out["index_number"], item)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    effective_on = out.get("effective_on", item.effective_on if item else None)
    made = made_on or (item.made_on if item else None)
    if effective_on and made and effective_on < made:
        errors["effective_on"] = "施行日期不能早于生成日期"
    if errors:
        raise ValidationError(errors)
    return out


def _set_due(item: Item, calendar=None) -> None:
    deadline = rules.publication_deadline(item.made_on, calendar or work_calendar())
    item.due_on, item.due_provisional = deadline.due, deadline.provisional


def create_item(user, agency: Agency, **fields) -> Item:
    """A new draft of ``agency`` (its handlers and approvers); the index number is generated
    unless an existing one is given."""
    _require_draft(user, agency, "起草主动公开信息")
    missing = [name for name in ("category", "title", "publisher", "made_on") if name not in fields]
    if missing:
        raise TypeError(f"missing: {missing}")
    fields = _clean_fields(agency, fields)
    with transaction.atomic():
        if not fields.get("index_number"):
            fields["index_number"] = generate_index_number(agency, fields["made_on"])
        item = Item(agency=agency, created_by=user, state=State.DRAFT, **fields)
        _set_due(item)
        item.save()
        _record(item, Event.CREATE, user, {})
    return item


def edit_item(user, item: Item, reason: str = "", **fields) -> Item:
    """Change a draft or a rejected item (its agency's handlers and approvers)."""
    _require_draft(user, item.agency, "修改主动公开信息")
    fields = _clean_fields(item.agency, fields, item)
    with transaction.atomic():
        current = _locked(item)
        if not current.editable:
            raise ValidationError(f"“{current.get_state_display()}”的信息不能修改：只有草稿和退回的信息可以修改")
        before = snapshot(current, RECORDED_FIELDS)
        if "index_number" in fields and not fields["index_number"]:
            fields["index_number"] = current.index_number
        for name, value in fields.items():
            setattr(current, name, value)
        _set_due(current)
        if snapshot(current, RECORDED_FIELDS) == before:
            return current
        current.save()
        _record(current, Event.EDIT, user, before, reason.strip())
    return current


def add_attachment(user, item: Item, name: str, content: bytes) -> ItemAttachment:
    """Keep a file with a draft or rejected item (kept with its SHA-256, never deleted)."""
    _require_draft(user, item.agency, "上传附件")
    name = check_attachment(name, len(content), ATTACHMENT_TYPES)
    with transaction.atomic():
        current = _locked(item)
        if not current.editable:
            raise ValidationError("只有草稿和退回的信息可以上传附件")
        attachment = ItemAttachment(item=current, uploaded_by=user)
        attachment.keep(name, content)
        ItemEvent.objects.create(item=current, event=Event.ATTACH, user=user, before={},
                                 after={"attachment": name, "sha256": attachment.sha256})
    return attachment


# ------------------------------------------------------------------ wrong and sensitive words


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


def save_word_list(user, agency: Agency, kind: str, entries: str, use_defaults: bool = True) -> WordList:
    """Store the office's list of ``kind`` (read first: a line that cannot be read is refused)."""
    _require_draft(user, agency, "维护错敏词表")
    try:
        parsed = rules.parse_word_lines(entries, kind)
    except rules.WordListError as exc:
        raise ValidationError({"entries": str(exc)}) from exc
    word_list, _ = WordList.objects.update_or_create(
        agency=agency, kind=kind,
        defaults={"entries": rules.format_word_lines(parsed), "use_defaults": use_defaults, "updated_by": user})
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
    _require_review(user, item.agency, "确认保留敏感词")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明保留敏感词的理由"})
    with transaction.atomic():
        current = _locked(item)
        if not current.editable:
            raise ValidationError("只有草稿和退回的信息需要确认敏感词")
        words = sorted({f.rule.word for f in word_findings(current) if f.rule.kind == rules.SENSITIVE})
        if not words:
            raise ValidationError("该信息中没有敏感词")
        before = snapshot(current, RECORDED_FIELDS)
        current.words_allowed, current.words_allowed_reason = words, reason
        current.save(update_fields=["words_allowed", "words_allowed_reason", "updated"])
        _record(current, Event.ALLOW_WORDS, user, before, reason)
    return current


# ----------------------------------------------------------------------------- review


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
    _require_draft(user, item.agency, "提交审核")
    with transaction.atomic():
        current = _locked(item)
        if not current.editable:
            raise ValidationError(f"“{current.get_state_display()}”的信息不能提交审核")
        problems = submission_problems(current)
        if problems:
            raise ValidationError(problems)
        before = snapshot(current, RECORDED_FIELDS)
        current.state, current.submitted_by = State.SECTION_REVIEW, user
        current.section_approval = current.leader_approval = None
        current.save()
        _record(current, Event.SUBMIT, user, before)
    return current


def _statement(statement: str) -> str:
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": "请填写保密审查意见（如：经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开）"})
    return statement


def approve_section(user, item: Item, statement: str) -> Item:
    """The section head's approval with the secrecy review statement."""
    _require_review(user, item.agency, "审核")
    statement = _statement(statement)
    with transaction.atomic():
        current = _locked(item)
        if current.state != State.SECTION_REVIEW:
            raise ValidationError(f"该信息{current.get_state_display()}，不在科室负责人审核环节")
        if current.submitted_by_id == user.pk:
            raise ValidationError("不能审核自己提交的信息：请由本机关的其他审核人审核")
        before = snapshot(current, RECORDED_FIELDS)
        step = ReviewStep.objects.create(item=current, level=ReviewStep.Level.SECTION,
                                         decision=ReviewStep.Decision.APPROVE, statement=statement, user=user)
        current.state, current.section_approval = State.LEADER_REVIEW, step
        current.save()
        _record(current, Event.APPROVE_SECTION, user, before, statement)
    return current


def approve_leader(user, item: Item, statement: str, on: date | None = None) -> Item:
    """The leader's approval with the secrecy review statement, and publication on ``on`` (today).

    The only code that publishes: it requires the section head's approval of the same round,
    given by someone else than this leader and than the submitter."""
    _require_review(user, item.agency, "审签发布")
    statement = _statement(statement)
    on = on or date.today()
    with transaction.atomic():
        current = _locked(item)
        section = current.section_approval
        if current.state != State.LEADER_REVIEW or section is None or section.decision != ReviewStep.Decision.APPROVE \
                or section.level != ReviewStep.Level.SECTION:
            raise ValidationError(f"该信息{current.get_state_display()}，未经科室负责人审核同意，不能审签发布")
        if section.user_id == user.pk:
            raise ValidationError("同一人不能既作科室负责人审核又作分管领导审签：请由另一位审核人审签")
        if current.submitted_by_id == user.pk:
            raise ValidationError("不能审签自己提交的信息：请由本机关的其他审核人审签")
        if on < current.made_on or on > date.today():
            raise ValidationError(f"发布日期应在生成日期 {current.made_on.isoformat()} 与今天之间")
        before = snapshot(current, RECORDED_FIELDS)
        step = ReviewStep.objects.create(item=current, level=ReviewStep.Level.LEADER,
                                         decision=ReviewStep.Decision.APPROVE, statement=statement, user=user)
        current.state, current.leader_approval, current.published_on = State.PUBLISHED, step, on
        if (current.kind in TABLE2_KINDS or current.effective_on) and not current.validity_changes.exists():
            _add_validity(current, Item.Validity.IN_FORCE, current.effective_on or on, user, "发布时登记为现行有效")
        current.save()
        _record(current, Event.PUBLISH, user, before, statement)
    return current


def reject(user, item: Item, reason: str) -> Item:
    """Return an item under review to its drafter with the reason; it may be edited and submitted again."""
    _require_review(user, item.agency, "退回")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明退回理由"})
    with transaction.atomic():
        current = _locked(item)
        if current.state not in UNDER_REVIEW:
            raise ValidationError(f"该信息{current.get_state_display()}，不在审核中，不能退回")
        level = ReviewStep.Level.SECTION if current.state == State.SECTION_REVIEW else ReviewStep.Level.LEADER
        before = snapshot(current, RECORDED_FIELDS)
        ReviewStep.objects.create(item=current, level=level, decision=ReviewStep.Decision.REJECT, reason=reason, user=user)
        current.state = State.REJECTED
        current.section_approval = current.leader_approval = None
        current.save()
        _record(current, Event.REJECT, user, before, reason)
    return current


def withdraw(user, item: Item, reason: str, on: date | None = None) -> Item:
    """Take a published item off the catalogue (撤下), with the reason; its history stays."""
    _require_review(user, item.agency, "撤下已发布的信息")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明撤下理由"})
    with transaction.atomic():
        current = _locked(item)
        if current.state != State.PUBLISHED:
            raise ValidationError(f"该信息{current.get_state_display()}，只有已发布的信息可以撤下")
        before = snapshot(current, RECORDED_FIELDS)
        current.state, current.withdrawn_on = State.WITHDRAWN, on or date.today()
        current.save()
        _record(current, Event.WITHDRAW, user, before, reason)
    return current


# ---------------------------------------------------------------------------- validity


def _add_validity(item: Item, validity: str, on: date, user, reason: str) -> ValidityChange:
    change = ValidityChange.objects.create(item=item, validity=validity, on=on, user=user, reason=reason)
    item.validity = validity
    if validity == Item.Validity.IN_FORCE:
        item.effective_on = on
    else:
        item.repealed_on = on
    return change


def record_validity(user, item: Item, validity: str, on: date, reason: str = "") -> ValidityChange:
    """Record that a published item took effect (in_force), or was repealed or expired on ``on``.

    An item is issued once and ends once, not before it took effect; the item's validity is
    the latest change."""
    _require_draft(user, item.agency, "登记有效性变更")
    if validity not in (Item.Validity.IN_FORCE, *ENDED):
        raise ValidationError({"validity": "请选择现行有效、已废止或已失效"})
    if on is None:
        raise ValidationError({"on": "请填写日期"})
    with transaction.atomic():
        current = _locked(item)
        if current.state not in ISSUED_STATES:
            raise ValidationError("只有已发布的信息才登记有效性")
        history = list(current.validity_changes.order_by("on", "pk"))
        issue = next((c for c in history if c.validity == Item.Validity.IN_FORCE), None)
        if validity == Item.Validity.IN_FORCE and issue is not None:
            raise ValidationError(f"该信息已登记自 {issue.on.isoformat()} 起现行有效")
        if validity in ENDED:
            if issue is None:
                raise ValidationError("该信息尚未登记施行（现行有效），不能登记废止或失效")
            if any(c.validity in ENDED for c in history):
                raise ValidationError(f"该信息已{current.get_validity_display()}")
            if on < issue.on:
                raise ValidationError({"on": f"废止或失效日期不能早于施行日期 {issue.on.isoformat()}"})
        if validity in ENDED and not (reason or "").strip():
            raise ValidationError({"reason": "请写明废止或失效的依据（如废止决定的文号）"})
        before = snapshot(current, RECORDED_FIELDS)
        change = _add_validity(current, validity, on, user, (reason or "").strip())
        current.save()
        _record(current, Event.VALIDITY, user, before, change.reason)
    return change


def table2_counts(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """Table 2's rules and normative documents rows from the validity history, in one query:
    issued = taken effect in ``year``; repealed = repealed or expired in ``year`` (both leave
    the in-force count, so that in force = last year's + issued − repealed); in_force = in force
    on 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    issue, ended = Q(validity=Item.Validity.IN_FORCE), Q(validity__in=ENDED)
    rows = (ValidityChange.objects.filter(item__agency=agency, item__kind__in=TABLE2_KINDS, on__lte=end)
            .values("item__kind")
            .annotate(issued=Count("pk", filter=issue & Q(on__gte=start)),
                      repealed=Count("pk", filter=ended & Q(on__gte=start)),
                      started=Count("pk", filter=issue), finished=Count("pk", filter=ended)))
    out = {kind: {"issued": 0, "repealed": 0, "in_force": 0} for kind in TABLE2_KINDS}
    for row in rows:
        out[row["item__kind"]] = {"issued": row["issued"], "repealed": row["repealed"],
                                  "in_force": row["started"] - row["finished"]}
    return {str(k): v for k, v in out.items()}


def catalogue_table2_rows(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """The rows of table 2 the catalogue gives: those of the kinds the agency publishes items of."""
    kinds = set(Item.objects.filter(agency=agency, kind__in=TABLE2_KINDS, state__in=ISSUED_STATES)
                .values_list("kind", flat=True).distinct())
    if not kinds:
        return {}
    counts = table2_counts(agency, year)
    return {kind: counts[kind] for kind in counts if kind in kinds}


# --------------------------------------------------------------------------- timeliness


def late_items(agencies, day: date):
    """Items published after their deadline, and items not yet published whose deadline has passed."""
    return (Item.objects.filter(agency__in=agencies)
            .filter(Q(state__in=ISSUED_STATES, published_on__gt=F("due_on"))
                    | Q(state__in=UNPUBLISHED, due_on__lt=day))
            .select_related("agency", "category").order_by("due_on", "pk"))


def refresh_due_dates() -> int:
    """Recompute the stored deadlines after the holiday table changed: one update per date made."""
    calendar = work_calendar()
    changed = 0
    for made_on in Item.objects.order_by().values_list("made_on", flat=True).distinct():
        deadline = rules.publication_deadline(made_on, calendar)
        changed += (Item.objects.filter(made_on=made_on)
                    .exclude(due_on=deadline.due, due_provisional=deadline.provisional)
                    .update(due_on=deadline.due, due_provisional=deadline.provisional))
    return changed


# ----------------------------------------------------------------------------- presets


def load_preset(agency: Agency, key: str) -> int:
    """Add the categories of a preset the agency's tree lacks; the number added."""
    if key not in rules.PRESETS:
        raise ValidationError(f"没有这个预置目录：{key}（可选 {'、'.join(rules.PRESETS)}）")
    added = 0

    def add(nodes, parent) -> None:
        nonlocal added
        for position, node in enumerate(nodes, 1):
            category, created = Category.objects.get_or_create(
                agency=agency, parent=parent, name=node.name, defaults={"code": node.code, "position": position})
            added += created
            add(node.children, category)

    with transaction.atomic():
        if key == "grassroots":  # after the agency's own top-level categories
            offset = Category.objects.filter(agency=agency, parent=None).count()
            nodes = rules.PRESETS[key][1]
            for node in nodes:
                top, created = Category.objects.get_or_create(
                    agency=agency, parent=None, name=node.name, defaults={"code": node.code, "position": offset + 1})
                added += created
                add(node.children, top)
        else:
            add(rules.PRESETS[key][1], None)
    return added


def add_category(user, agency: Agency, name: str, parent: Category | None = None, code: str = "") -> Category:
    _require_draft(user, agency, "维护目录分类")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写分类名称"})
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError({"parent": "上级分类应属于本机关"})
    if Category.objects.filter(agency=agency, parent=parent, name=name).exists():
        raise ValidationError({"name": f"同一上级下已有分类“{name}”"})
    position = Category.objects.filter(agency=agency, parent=parent).count() + 1
    return Category.objects.create(agency=agency, parent=parent, name=name, code=(code or "").strip(), position=position)


@dataclass(frozen=True)
class TreeNode:
    category: Category
    depth: int


def category_tree(agency: Agency) -> list[TreeNode]:
    """The agency's categories in tree order (one query)."""
    categories = list(Category.objects.filter(agency=agency).order_by("position", "pk"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    out: list[TreeNode] = []

    def walk(parent_id, depth) -> None:
        for category in children.get(parent_id, []):
            out.append(TreeNode(category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return out


def category_choices(agency: Agency) -> list[tuple[int, str]]:
    """(pk, name indented by depth) of the agency's categories in tree order, for a select."""
    return [(n.category.pk, "\u3000" * n.depth + n.category.name) for n in category_tree(agency)]


# ------------------------------------------------------------------------------- links

LINK_TIMEOUT_SECONDS = 10
USER_AGENT = "Gongkai-LinkCheck/1.0 (+catalogue link check)"  # headers are Latin-1: ASCII only


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (never file://, ftp:// or anything else)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.URLError(f"重定向到不允许的地址：{newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None
    error: str


def fetch_link(url: str, timeout: float = LINK_TIMEOUT_SECONDS) -> LinkResult:
    """Whether ``url`` answers: HEAD first, then GET (some servers refuse HEAD)."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        return LinkResult(url, False, None, "只检查 http 和 https 链接，该地址不应出现在公开信息中")
    result = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return LinkResult(url, True, response.status, "")
        except urllib.error.HTTPError as exc:  # 3xx here: a redirect to file:// or the like, or a loop
            problem = "重定向到不允许的地址或重定向过多" if 300 <= exc.code < 400 else "服务器返回"
            result = LinkResult(url, False, exc.code, f"{problem} {exc.code}")
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException,
                ValueError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            result = LinkResult(url, False, None, f"无法访问：{reason}"[:300])
    return result


def item_links(item: Item) -> list[str]:
    return rules.extract_links("\n".join((item.summary, item.body)))


def check_item_links(item: Item, timeout: float = LINK_TIMEOUT_SECONDS) -> list[LinkCheck]:
    """Fetch the item's own links and record each result."""
    return [LinkCheck.objects.create(item=item, url=r.url[:2000], ok=r.ok, status=r.status, error=r.error)
            for r in (fetch_link(url, timeout) for url in item_links(item))]


def latest_link_checks(agencies):
    """The latest result of each link of the agencies' items, failures first."""
    scope = LinkCheck.objects.filter(item__agency__in=agencies)
    latest = scope.order_by().values("item", "url").annotate(last=Max("pk")).values("last")
    return (LinkCheck.objects.filter(pk__in=latest).select_related("item", "item__agency")
            .order_by("ok", "item_id", "url"))
