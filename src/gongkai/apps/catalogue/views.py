"""The staff pages of the catalogue. Thin: read the request, call the rules (``items``, ``review``, ``words`` …), render. Every page
requires login; an item outside the user's agencies is a 404, a change by someone who may only
read it (a supervisor) or who lacks the role is a 403."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import check_attachment
from gongkai.apps.holidays.models import work_calendar
from gongkai.core.casework import catalogue as rules
from gongkai.web.links import link_setup

from . import access, index_numbers, review, timeliness
from . import categories as category_rules
from . import guide as guide_rules
from . import items as item_rules
from . import links as link_rules
from . import validity as validity_rules
from . import words as word_rules
from .forms import (
    AttachmentForm,
    CategoryForm,
    GuideForm,
    ItemForm,
    ListFilterForm,
    ReasonForm,
    SettingsForm,
    StatementForm,
    ValidityForm,
    WordListForm,
)
from .history import item_history, setting_history
from .models import GuideSupplement, Item, ItemAttachment, WordList

PAGE_SIZE = 50
State = Item.State


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _visible_item(user, pk: int) -> Item:
    """The item if ``user`` may see it; otherwise 404 (its existence is not disclosed)."""
    return get_object_or_404(Item.objects.select_related("agency", "category", "created_by", "submitted_by"),
                             pk=pk, agency__in=visible_agencies(user))


def _writable_item(user, pk: int) -> Item:
    item = _visible_item(user, pk)
    if not access.can_draft(user, item.agency):
        raise PermissionDenied(f"您对“{item.agency}”的目录只有查看权限，不能修改")
    return item


def _reviewable_item(user, pk: int) -> Item:
    item = _visible_item(user, pk)
    if not access.can_review(user, item.agency):
        raise PermissionDenied(f"只有“{item.agency}”的审核人（负责人）才能审核")
    return item


def drafting_agencies(user):
    return permissions.agencies_where(user, permissions.Action.ACT).order_by("order_path")


def _chosen_agency(request, writable: bool = False) -> tuple[Agency, list[Agency]]:
    """The agency a page is about (``?agency=``) among those the user sees (or may write)."""
    agencies = list((drafting_agencies(request.user) if writable else visible_agencies(request.user)).order_by("order_path"))
    if not agencies:
        if writable:
            raise PermissionDenied("您不是任何机关的承办或审核人员")
        raise Http404("没有可查看的机关")
    wanted = request.GET.get("agency") or request.POST.get("agency")
    if wanted:
        chosen = next((a for a in agencies if str(a.pk) == str(wanted)), None)
        if chosen is None:
            raise Http404("没有这个机关")
        return chosen, agencies
    own = set(drafting_agencies(request.user).values_list("pk", flat=True))
    return next((a for a in agencies if a.pk in own), agencies[0]), agencies


# -------------------------------------------------------------------------------- lists


@login_required
def item_list(request):
    agencies = visible_agencies(request.user).order_by("order_path")
    form = ListFilterForm(request.GET or None)
    items = Item.objects.filter(agency__in=agencies).select_related("agency", "category")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            items = items.filter(Q(title__icontains=data["q"]) | Q(document_number__icontains=data["q"])
                                 | Q(index_number__icontains=data["q"]))
        if data["state"]:
            items = items.filter(state=data["state"])
        if data["category"]:
            items = items.filter(category_id=data["category"])
        if data["year"]:
            items = items.filter(made_on__year=data["year"])
        if data["agency"]:
            items = items.filter(agency_id=data["agency"])
    agency_choices = list(agencies.only("pk", "name"))
    chosen = form.cleaned_data.get("agency") if form.is_bound and form.is_valid() else None
    categories = []
    scope = [a for a in agency_choices if a.pk == chosen] if chosen else agency_choices
    if len(scope) == 1:
        categories = category_rules.category_choices(scope[0])
    page = Paginator(items.order_by("-made_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalogue/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "agency_choices": agency_choices,
        "categories": categories, "states": Item.State.choices, "can_draft": drafting_agencies(request.user).exists(),
        "today": date.today(),
    })


@login_required
def queue(request):
    """Items waiting for the review of an approver of the user's agencies."""
    reviewing = permissions.agencies_where(request.user, permissions.Action.APPROVE)
    items = (Item.objects.filter(agency__in=reviewing, state__in=item_rules.UNDER_REVIEW)
             .select_related("agency", "category", "submitted_by", "section_approval__user").order_by("due_on", "pk"))
    rows = []
    for item in items:
        blocked = ""
        if item.submitted_by_id == request.user.pk:
            blocked = "本人提交，须由其他审核人审核"
        elif item.created_by_id == request.user.pk:
            blocked = "本人起草，须由其他审核人审核"
        elif item.state == State.LEADER_REVIEW and item.section_approval and item.section_approval.user_id == request.user.pk:
            blocked = "本人已作科室负责人审核，须由其他审核人审签"
        rows.append((item, blocked))
    return render(request, "catalogue/queue.html", {"rows": rows, "today": date.today(),
                                                    "is_reviewer": reviewing.exists()})


@login_required
def late(request):
    agencies = visible_agencies(request.user)
    day = date.today()
    items = list(timeliness.late_items(agencies, day))
    published = [i for i in items if i.state in item_rules.ISSUED_STATES]
    pending = [i for i in items if i.state not in item_rules.ISSUED_STATES]
    return render(request, "catalogue/late.html", {"published": published, "pending": pending, "today": day})


@login_required
def links(request):
    checks = link_rules.latest_link_checks(visible_agencies(request.user))
    return render(request, "catalogue/links.html", {"checks": checks})


# --------------------------------------------------------------------------------- items


@login_required
def create(request):
    agencies = drafting_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您不是任何机关的承办或审核人员，不能起草主动公开信息")
    chosen, choices = _chosen_agency(request, writable=True)
    form = ItemForm(request.POST or None, agencies=agencies, agency=None if request.method == "POST" else chosen,
                    initial={"made_on": date.today(), "channels": ["portal"], "agency": chosen.pk,
                             "publisher": chosen.name})
    if request.method == "POST" and form.is_valid():
        try:
            item = item_rules.create_item(request.user, form.cleaned_data["agency"], **form.item_fields())
        except ValidationError as error:
            _add_errors(form, error, form.cleaned_data["agency"])
        else:
            messages.success(request, f"已保存草稿，索引号 {item.index_number}")
            return redirect("catalogue:item", pk=item.pk)
    return render(request, "catalogue/edit.html", {"form": form, "item": None, "agency": form.agency,
                                                   "agencies": choices}, status=400 if form.errors else 200)


def _done(request, form, call, message) -> bool:
    """Validate ``form`` and call the service with its data: True (and ``message``, or
    ``message(data)``, shown) if it worked; otherwise the errors are on the form."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return False
    messages.success(request, message(form.cleaned_data) if callable(message) else message)
    return True


def _add_errors(form, error: ValidationError, agency=None) -> None:
    """The service's errors on the form; a setting page they name (“目录设置”) linked."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, [link_setup(e, agency) for e in errors])
    else:
        form.add_error(None, [link_setup(e, agency) for e in error.messages])


@login_required
def edit(request, pk: int):
    item = _writable_item(request.user, pk)
    if not item.editable:
        messages.error(request, f"“{item.get_state_display()}”的信息不能修改")
        return redirect("catalogue:item", pk=item.pk)
    agencies = Agency.objects.filter(pk=item.agency_id)
    form = ItemForm(request.POST or None, agencies=agencies, agency=item.agency, item=item,
                    initial=ItemForm.initial_from(item))
    if request.method == "POST" and form.is_valid():
        try:
            item_rules.edit_item(request.user, item, form.cleaned_data["reason"], **form.item_fields())
        except ValidationError as error:
            _add_errors(form, error, item.agency)
        else:
            messages.success(request, "已保存修改")
            return redirect("catalogue:item", pk=item.pk)
    return render(request, "catalogue/edit.html", {"form": form, "item": item}, status=400 if form.errors else 200)


def item_page(request, item: Item, bound: dict | None = None, status: int = 200):
    """The item with its review, validity, attachments, links and history; ``bound`` holds a
    submitted form with errors under its action's name."""
    bound = bound or {}
    user = request.user
    may_draft, may_review = access.can_draft(user, item.agency), access.can_review(user, item.agency)
    review_block = ""
    if item.state in item_rules.UNDER_REVIEW and may_review:
        if item.submitted_by_id == user.pk:
            review_block = "这条信息是您提交的，须由本机关的其他审核人审核。"
        elif item.state == State.LEADER_REVIEW and item.section_approval and item.section_approval.user_id == user.pk:
            review_block = "您已作科室负责人审核，须由另一位审核人审签发布。"
    findings = word_rules.word_findings(item) if item.editable else []
    return render(request, "catalogue/item.html", {
        "item": item,
        "may_draft": may_draft, "may_review": may_review, "read_only": not may_draft,
        "review_block": review_block,
        "approve_form": bound.get("approve") or StatementForm(),
        "reject_form": bound.get("reject") or ReasonForm(),
        "withdraw_form": bound.get("withdraw") or ReasonForm(),
        "validity_form": bound.get("validity") or ValidityForm(initial={"on": date.today()}),
        "attachment_form": AttachmentForm() if may_draft and item.editable else None,
        "deadline": rules.active_disclosure_deadline(item.made_on, work_calendar()),
        "reviews": item.reviews.select_related("user"),
        "validity_changes": item.validity_changes.select_related("user"),
        "attachments": item.attachments.select_related("uploaded_by"),
        "link_checks": link_rules.latest_link_checks([item.agency]).filter(item=item),
        "history": item_history(item),
        "findings": findings,
        "today": date.today(),
    }, status=status)


@login_required
def item(request, pk: int):
    return item_page(request, _visible_item(request.user, pk))


@login_required
def submit(request, pk: int):
    """The checks before review (wrong and sensitive words, required fields) and the submission."""
    item = _writable_item(request.user, pk)
    if not item.editable:
        messages.error(request, f"“{item.get_state_display()}”的信息不能提交审核")
        return redirect("catalogue:item", pk=item.pk)
    status, error = 200, None
    if request.method == "POST":
        try:
            review.submit(request.user, item)
        except ValidationError as exc:
            status, error = 400, exc.messages
        else:
            messages.success(request, "已提交科室负责人审核")
            return redirect("catalogue:item", pk=item.pk)
    findings = word_rules.word_findings(item)
    return render(request, "catalogue/submit.html", {
        "item": item, "findings": findings, "blocking": word_rules.blocking_words(item, findings),
        "problems": review.submission_problems(item), "error": error,
        "may_review": access.can_review(request.user, item.agency),
        "links": link_rules.item_links(item), "allow_form": ReasonForm(),
    }, status=status)


@login_required
@require_POST
def allow_words(request, pk: int):
    item = _reviewable_item(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请写明保留敏感词的理由")
        word_rules.allow_words(request.user, item, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "已确认保留敏感词，理由已记录")
    return redirect("catalogue:submit", pk=item.pk)


@login_required
@require_POST
def approve(request, pk: int):
    """The section head's approval, or the leader's approval and publication, by the item's state."""
    item = _reviewable_item(request.user, pk)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return item_page(request, item, {"approve": form}, status=400)
    leader = item.state == State.LEADER_REVIEW
    try:
        if leader:
            review.approve_leader(request.user, item, form.cleaned_data["statement"])
        else:
            review.approve_section(request.user, item, form.cleaned_data["statement"])
    except ValidationError as error:
        _add_errors(form, error)
        return item_page(request, _visible_item(request.user, pk), {"approve": form}, status=400)
    messages.success(request, "已审签，信息已发布" if leader else "已审核同意，送分管领导审签")
    return redirect("catalogue:item", pk=item.pk)


def _reason_action(request, pk: int, action: str, call, done: str):
    item = _reviewable_item(request.user, pk)
    form = ReasonForm(request.POST)
    if _done(request, form, lambda data: call(request.user, item, data["reason"]), done):
        return redirect("catalogue:item", pk=item.pk)
    return item_page(request, _visible_item(request.user, pk), {action: form}, status=400)


@login_required
@require_POST
def reject(request, pk: int):
    return _reason_action(request, pk, "reject", review.reject, "已退回起草人修改")


@login_required
@require_POST
def withdraw(request, pk: int):
    return _reason_action(request, pk, "withdraw", review.withdraw, "信息已撤下")


@login_required
@require_POST
def validity(request, pk: int):
    item = _writable_item(request.user, pk)
    form = ValidityForm(request.POST)
    if _done(request, form, lambda data: validity_rules.record_validity(
            request.user, item, data["validity"], data["on"], data["reason"]), "已登记有效性变更"):
        return redirect("catalogue:item", pk=item.pk)
    return item_page(request, _visible_item(request.user, pk), {"validity": form}, status=400)


@login_required
@require_POST
def attach(request, pk: int):
    item = _writable_item(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
        return redirect("catalogue:item", pk=item.pk)
    upload = form.cleaned_data["file"]
    try:
        check_attachment(upload.name, upload.size, item_rules.ATTACHMENT_TYPES)  # before reading a file too big
        item_rules.add_attachment(request.user, item, upload.name, upload.read())
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已上传附件 {upload.name}")
    return redirect("catalogue:item", pk=item.pk)


@login_required
def attachment(request, pk: int, attachment_pk: int):
    item = _visible_item(request.user, pk)
    kept = get_object_or_404(ItemAttachment, pk=attachment_pk, item=item)
    return FileResponse(kept.file.open("rb"), as_attachment=True, filename=kept.name)


# --------------------------------------------------------------------- office settings


@login_required
def setup(request):
    """Index number settings, the category tree and its presets of one agency."""
    agency, agencies = _chosen_agency(request)
    return _setup_page(request, agency, agencies)


def _setup_page(request, agency, agencies, settings_form=None, category_form=None, guide_form=None, status=200):
    current = index_numbers.settings_for(agency)
    supplement = GuideSupplement.objects.filter(agency=agency).first()
    return render(request, "catalogue/setup.html", {
        "agency": agency, "agencies": agencies, "settings": current,
        "may_draft": access.can_draft(request.user, agency), "may_review": access.can_review(request.user, agency),
        "settings_form": settings_form or SettingsForm(instance=current, initial={"index_prefix": agency.credit_code}),
        "guide_form": guide_form or GuideForm(instance=supplement),
        "guide_revisions": supplement.revisions.select_related("user")[:5] if supplement else [],
        "category_form": category_form or CategoryForm(agency=agency),
        "tree": category_rules.category_tree(agency), "presets": rules.PRESETS.items(),
        "changes": setting_history(agency, "index_numbers", "category"),
    }, status=status)


@login_required
@require_POST
def save_settings(request):
    agency, agencies = _chosen_agency(request, writable=True)
    form = SettingsForm(request.POST)
    if _done(request, form, lambda data: index_numbers.save_settings(
            request.user, agency, data["index_prefix"], data["index_format"], data["serial_digits"], data["reason"]),
            "索引号设置已保存"):
        return redirect(f"{reverse('catalogue:setup')}?agency={agency.pk}")
    return _setup_page(request, agency, agencies, settings_form=form, status=400)


@login_required
@require_POST
def save_guide(request):
    """What the agency adds to its public disclosure guide (approvers)."""
    agency, agencies = _chosen_agency(request, writable=True)
    form = GuideForm(request.POST)
    if _done(request, form, lambda data: guide_rules.save_guide_supplement(
            request.user, agency, data["office_hours"], data["email"], data["notes"], data["reason"],
            data["disclosure_rules"]),
            "公开指南补充内容已保存"):
        return redirect(f"{reverse('catalogue:setup')}?agency={agency.pk}")
    return _setup_page(request, agency, agencies, guide_form=form, status=400)


@login_required
@require_POST
def add_category(request):
    agency, agencies = _chosen_agency(request, writable=True)
    form = CategoryForm(request.POST, agency=agency)
    if _done(request, form, lambda data: category_rules.add_category(
            request.user, agency, data["name"], data["parent"], data["code"]), lambda data: f"已添加分类“{data['name']}”"):
        return redirect(f"{reverse('catalogue:setup')}?agency={agency.pk}")
    return _setup_page(request, agency, agencies, category_form=form, status=400)


@login_required
@require_POST
def load_preset(request):
    agency, _ = _chosen_agency(request, writable=True)
    key = request.POST.get("preset", "")
    try:
        added = category_rules.load_preset(agency, key, request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已载入{rules.PRESETS[key][0]}，新增分类 {added} 个")
    return redirect(f"{reverse('catalogue:setup')}?agency={agency.pk}")


@login_required
def words(request):
    agency, agencies = _chosen_agency(request)
    lists = {w.kind: w for w in WordList.objects.filter(agency=agency)}
    forms_by_kind = {}
    status = 200
    if request.method == "POST":
        if not access.can_draft(request.user, agency):
            raise PermissionDenied(f"只有“{agency}”的承办或审核人员才能维护错敏词表")
        kind = request.POST.get("kind", "")
        if kind not in rules.WORD_KINDS:
            raise Http404("没有这个词表")
        form = WordListForm(request.POST, prefix=kind)
        if _done(request, form, lambda data: word_rules.save_word_list(
                request.user, agency, kind, data["entries"], data["use_defaults"], data["reason"]),
                f"{rules.WORD_KINDS[kind]}词表已保存"):
            return redirect(f"{reverse('catalogue:words')}?agency={agency.pk}")
        forms_by_kind[kind], status = form, 400
    sections = []
    for kind, label in rules.WORD_KINDS.items():
        own = lists.get(kind)
        form = forms_by_kind.get(kind) or WordListForm(
            prefix=kind, initial={"entries": own.entries if own else "", "use_defaults": own.use_defaults if own else True})
        defaults = [r for r in rules.DEFAULT_WORDS if r.kind == kind]
        sections.append({"kind": kind, "label": label, "form": form, "own": own, "defaults": defaults})
    return render(request, "catalogue/words.html", {
        "agency": agency, "agencies": agencies, "sections": sections,
        "may_draft": access.can_draft(request.user, agency),
        "changes": setting_history(agency, *rules.WORD_KINDS)}, status=status)
