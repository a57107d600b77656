"""Add and change reviews and lawsuits — of an application, or about an agency's active
disclosure — and list them; thin: the rules are in the model and the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import Application

from .forms import AppealForm
from .models import LAWSUIT_KINDS, Appeal, Kind, Subject
from .services import can_write, edit_appeal, file_appeal, subjects_for

PAGE_SIZE = 50


def _visible_application(user, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("agency"), pk=pk)
    if not visible_agencies(user).filter(pk=application.agency_id).exists():
        raise Http404("没有这件申请")
    return application


def _visible_appeal(user, pk: int) -> Appeal:
    appeal = get_object_or_404(Appeal.objects.select_related("agency", "application", "review", "catalogue_item"),
                               pk=pk)
    if not visible_agencies(user).filter(pk=appeal.agency_id).exists():
        raise Http404("没有这件行政复议或行政诉讼")
    return appeal


def _appeal_agencies(user):
    """The agencies whose appeals ``user`` records (handlers and approvers)."""
    return permissions.agencies_where(user, permissions.Action.ACT).order_by("order_path")


def _save(request, form, action, *args) -> Appeal | None:
    try:
        return action(request.user, *args)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    return None


def _kinds(what: str) -> list[Kind]:
    return [Kind.REVIEW] if what == "review" else list(LAWSUIT_KINDS)


@login_required
def add(request, pk: int, what: str):
    """A review or lawsuit about an application: its decision, its missing or late reply, or a
    third party's challenge of a disclosure (an undecided application offers 不作为 only)."""
    application = _visible_application(request.user, pk)
    if not can_write(request.user, application):
        raise PermissionDenied("只有本机关的承办或审核人员才能登记行政复议和行政诉讼")
    kinds = _kinds(what)
    form = AppealForm(request.POST or None, application=application, kind_choices=kinds,
                      subjects=subjects_for(application))
    if request.method == "POST" and form.is_valid():
        fields = form.appeal_fields()
        if form.cleaned_data["kind"] != Kind.LITIGATION_AFTER_REVIEW:
            fields.pop("review", None)
        appeal = _save(request, form, lambda user: file_appeal(
            user, application, form.cleaned_data["kind"], subject=form.cleaned_data["subject"], **fields))
        if appeal is not None:
            messages.success(request, f"已登记{appeal.get_kind_display()}（案号 {appeal.case_number}）")
            return redirect("appeals:detail", pk=appeal.pk)
    title = "登记行政复议" if what == "review" else "登记行政诉讼"
    return render(request, "appeals/form.html", {"form": form, "application": application, "title": title},
                  status=400 if form.errors else 200)


@login_required
def add_active(request, what: str):
    """A review or lawsuit about an agency's active disclosure (no application)."""
    agencies = _appeal_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("只有承办或审核人员才能登记行政复议和行政诉讼")
    kinds = _kinds(what)
    form = AppealForm(request.POST or None, application=None, kind_choices=kinds, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        fields = form.appeal_fields()
        if form.cleaned_data["kind"] != Kind.LITIGATION_AFTER_REVIEW:
            fields.pop("review", None)
        appeal = _save(request, form, lambda user: file_appeal(
            user, None, form.cleaned_data["kind"], subject=Subject.ACTIVE, agency=form.cleaned_data["agency"],
            **fields))
        if appeal is not None:
            messages.success(request, f"已登记{appeal.get_kind_display()}（案号 {appeal.case_number}）")
            return redirect("appeals:detail", pk=appeal.pk)
    title = ("登记行政复议" if what == "review" else "登记行政诉讼") + "（主动公开）"
    return render(request, "appeals/form.html", {"form": form, "application": None, "title": title},
                  status=400 if form.errors else 200)


@login_required
def edit(request, pk: int):
    appeal = _visible_appeal(request.user, pk)
    if not can_write(request.user, appeal.agency):
        raise PermissionDenied("只有本机关的承办或审核人员才能修改行政复议和行政诉讼")
    application = appeal.application
    form = AppealForm(request.POST or None, instance=appeal, application=application, kind_choices=[Kind(appeal.kind)],
                      editing=True, initial={"kind": appeal.kind})
    if request.method == "POST" and form.is_valid():
        fields = form.appeal_fields()
        if appeal.kind != Kind.LITIGATION_AFTER_REVIEW:
            fields.pop("review", None)
        appeal.refresh_from_db()  # the form changed the instance; the service compares with the stored row
        saved = _save(request, form, lambda user: edit_appeal(user, appeal, form.cleaned_data["reason"], **fields))
        if saved is not None:
            messages.success(request, "已保存修改")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/form.html", {"form": form, "application": application, "appeal": appeal,
                                                 "title": f"修改{appeal.get_kind_display()}"},
                  status=400 if form.errors else 200)


@login_required
def detail(request, pk: int):
    appeal = _visible_appeal(request.user, pk)
    events = appeal.events.select_related("user")
    return render(request, "appeals/detail.html", {"appeal": appeal, "application": appeal.application,
                                                   "events": events,
                                                   "can_write": can_write(request.user, appeal.agency)})


@login_required
def index(request):
    """Every review and lawsuit of the agencies the user may see, the latest filed first."""
    appeals = (Appeal.objects.filter(agency__in=visible_agencies(request.user))
               .select_related("agency", "application", "catalogue_item").order_by("-filed_on", "-pk"))
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appeals/index.html", {"page": page, "query": "",
                                                  "can_add": _appeal_agencies(request.user).exists()})
