"""Items of the catalogue: drafting, editing and attachments, and the record of every change
(``ItemEvent``). The review is in ``review``, the validity history in ``validity``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import ATTACHMENT_SUFFIXES, check_attachment
from gongkai.apps.holidays.models import work_calendar
from gongkai.apps.records import snapshot
from gongkai.core.casework import catalogue as rules

from .access import require_draft
from .index_numbers import accept_index_number, generate_index_number
from .models import Item, ItemAttachment, ItemEvent

State = Item.State
Event = ItemEvent.Event
UNDER_REVIEW = (State.SECTION_REVIEW, State.LEADER_REVIEW)
UNPUBLISHED = (State.DRAFT, State.SECTION_REVIEW, State.LEADER_REVIEW, State.REJECTED)
ISSUED_STATES = (State.PUBLISHED, State.WITHDRAWN)

# What a drafter fills in (the rest changes only through the review and validity steps).
ITEM_FIELDS = ("category", "index_number", "title", "summary", "body", "document_number", "publisher", "made_on",
               "kind", "effective_on", "channels", "written_on", "topic", "interprets")
RELATIONS = ("category", "interprets")
# What the history records of an item.
RECORDED_FIELDS = (*[f"{f}_id" if f in RELATIONS else f for f in ITEM_FIELDS], "state", "published_on",
                   "due_on", "validity", "repealed_on", "withdrawn_on", "words_allowed")
# Attachments of published items: the registry's types, and spreadsheets, which tables are published as.
ATTACHMENT_TYPES = (*ATTACHMENT_SUFFIXES, ".xls", ".xlsx", ".et")

def record(item: Item, event: str, user, before: dict, reason: str = "") -> ItemEvent:
    return ItemEvent.objects.create(item=item, event=event, user=user, reason=reason, before=before,
                                    after=snapshot(item, RECORDED_FIELDS))


def locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("agency").get(pk=item.pk)


def clean_fields(agency: Agency, fields: dict, item: Item | None = None) -> dict:
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
    written_on = out.get("written_on")
    if written_on is not None and written_on > date.today():
        errors["written_on"] = "成文日期不能晚于今天"
    if out.get("topic") is None and "topic" in out:
        out["topic"] = ""
    if out.get("topic") and out["topic"] not in rules.TOPIC_LABELS:
        errors["topic"] = "请从国务院政府信息公开目录的主题分类中选择"
    interprets = out.get("interprets")
    if interprets is not None:
        if item is not None and interprets.pk == item.pk:
            errors["interprets"] = "不能解读本信息自己"
        elif interprets.state != State.PUBLISHED:
            errors["interprets"] = "所解读的政策文件须是已发布的信息"
    effective_on = out.get("effective_on", item.effective_on if item else None)
    made = made_on or (item.made_on if item else None)
    if effective_on and made and effective_on < made:
        errors["effective_on"] = "施行日期不能早于生成日期"
    if errors:
        raise ValidationError(errors)
    return out


def find_published(agency: Agency, index_number: str) -> Item:
    """The published item with ``index_number`` that an interpretation of ``agency`` points at: the
    agency's own first, else the one item of any agency with that number (numbers are unique per
    agency only). Raises ``ValidationError`` with a message for people."""
    text = (index_number or "").strip()
    found = Item.objects.filter(state=State.PUBLISHED, index_number=text).select_related("agency")
    own = [i for i in found if i.agency_id == agency.pk]
    if own:
        return own[0]
    found = list(found)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(f"没有索引号为“{text}”的已发布信息")
    raise ValidationError(f"索引号“{text}”在多个机关都有，请在本机关的信息中选择")


def set_due(item: Item, calendar=None) -> None:
    deadline = rules.active_disclosure_deadline(item.made_on, calendar or work_calendar())
    item.due_on, item.due_provisional = deadline.due, deadline.provisional


def create_item(user, agency: Agency, **fields) -> Item:
    """A new draft of ``agency`` (its handlers and approvers); the index number is generated
    unless an existing one is given."""
    require_draft(user, agency, "起草主动公开信息")
    missing = [name for name in ("category", "title", "publisher", "made_on") if name not in fields]
    if missing:
        raise TypeError(f"missing: {missing}")
    fields = clean_fields(agency, fields)
    with transaction.atomic():
        if not fields.get("index_number"):
            fields["index_number"] = generate_index_number(agency, fields["made_on"])
        item = Item(agency=agency, created_by=user, state=State.DRAFT, **fields)
        set_due(item)
        item.save()
        record(item, Event.CREATE, user, {})
    return item


def edit_item(user, item: Item, reason: str = "", **fields) -> Item:
    """Change a draft or a rejected item (its agency's handlers and approvers)."""
    require_draft(user, item.agency, "修改主动公开信息")
    fields = clean_fields(item.agency, fields, item)
    with transaction.atomic():
        current = locked(item)
        if not current.editable:
            raise ValidationError(f"“{current.get_state_display()}”的信息不能修改：只有草稿和退回的信息可以修改")
        before = snapshot(current, RECORDED_FIELDS)
        if "index_number" in fields and not fields["index_number"]:
            fields["index_number"] = current.index_number
        for name, value in fields.items():
            setattr(current, name, value)
        set_due(current)
        if snapshot(current, RECORDED_FIELDS) == before:
            return current
        current.save()
        record(current, Event.EDIT, user, before, reason.strip())
    return current


def add_attachment(user, item: Item, name: str, content: bytes) -> ItemAttachment:
    """Keep a file with a draft or rejected item (kept with its SHA-256, never deleted)."""
    require_draft(user, item.agency, "上传附件")
    name = check_attachment(name, len(content), ATTACHMENT_TYPES)
    with transaction.atomic():
        current = locked(item)
        if not current.editable:
            raise ValidationError("只有草稿和退回的信息可以上传附件")
        attachment = ItemAttachment(item=current, uploaded_by=user)
        attachment.keep(name, content)
        ItemEvent.objects.create(item=current, event=Event.ATTACH, user=user, before={},
                                 after={"attachment": name, "sha256": attachment.sha256})
    return attachment
