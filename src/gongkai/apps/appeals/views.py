"""Add and change reviews and lawsuits of an application; thin: the rules are in the model and
the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.apps.agencies.models import visible_agencies
from gongkai.apps.cases.models import Application

from .forms import AppealForm
from .models import LAWSUIT_KINDS, Appeal, Kind
from .services import can_write, edit_appeal, file_appeal


def _visible_application(user, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("agency"), pk=pk)
    if not visible_agencies(user).filter(pk=application.agency_id).exists():
        raise Http404("没有这件申请")
    return application


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


@login_required
def add(request, pk: int, what: str):
    application = _visible_application(request.user, pk)
    if not can_write(request.user, application):
        raise PermissionDenied("只有本机关的承办或审核人员才能登记行政复议和行政诉讼")
    kinds = [Kind.REVIEW] if what == "review" else list(LAWSUIT_KINDS)
    form = AppealForm(request.POST or None, application=application, kind_choices=kinds)
    if request.method == "POST" and form.is_valid():
        fields = form.appeal_fields()
        if form.cleaned_data["kind"] != Kind.LITIGATION_AFTER_REVIEW:
            fields.pop("review", None)
        appeal = _save(request, form, lambda user: file_appeal(user, application, form.cleaned_data["kind"], **fields))
        if appeal is not None:
            messages.success(request, f"已登记{appeal.get_kind_display()}（案号 {appeal.case_number}）")
            return redirect("appeals:detail", pk=appeal.pk)
    title = "登记行政复议" if what == "review" else "登记行政诉讼"
    return render(request, "appeals/form.html", {"form": form, "application": application, "title": title})


@login_required
def edit(request, pk: int):
    appeal = get_object_or_404(Appeal.objects.select_related("application__agency"), pk=pk)
    application = _visible_application(request.user, appeal.application_id)
    if not can_write(request.user, application):
        raise PermissionDenied("只有本机关的承办或审核人员才能修改行政复议和行政诉讼")
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
                                                 "title": f"修改{appeal.get_kind_display()}"})


@login_required
def detail(request, pk: int):
    appeal = get_object_or_404(Appeal.objects.select_related("application__agency", "review"), pk=pk)
    application = _visible_application(request.user, appeal.application_id)
    events = appeal.events.select_related("user")
    return render(request, "appeals/detail.html", {"appeal": appeal, "application": application, "events": events,
                                                   "can_write": can_write(request.user, application)})
