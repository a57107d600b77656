"""The sign-off pages: a case's drafts (also shown as a panel on the case page), the actions on a
draft, the approvers' queue (待签发), the agency's setting.

Views are thin: who may and what is legal are in ``services``; a case outside the user's agencies
is a 404, an action by someone who may only read is a 403; a refused action comes back with the
Chinese reason and the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.desk.access import visible_application
from gongkai.apps.desk.views import add_errors
from gongkai.core.casework.letters import LetterError
from gongkai.core.casework.lifecycle import TransitionError

from . import services
from .forms import CancelForm, DraftForm, ReviewForm, SettingsForm
from .models import DecisionDraft
from .panel import outcome_labels, panel

PAGE_SIZE = 50
REFUSALS = (TransitionError, LetterError, ValidationError)




def _page(request, application, status=400, **forms):
    return render(request, "signoff/case.html", {
        "application": application, "panel": panel(request.user, application, **forms),
    }, status=status)


def _draft(request, pk: int) -> DecisionDraft:
    draft = get_object_or_404(DecisionDraft, pk=pk)
    draft.application = visible_application(request.user, draft.application_id)
    return draft


def _back(application):
    return redirect("desk:case", pk=application.pk)


@login_required
@require_GET
def case(request, application_pk: int):
    application = visible_application(request.user, application_pk)
    return _page(request, application, status=200)


@login_required
@require_POST
def draft(request, application_pk: int):
    application = visible_application(request.user, application_pk)
    if not services.can_draft(request.user, application):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能拟办答复")
    current = services.open_draft(application)
    form = DraftForm(request.POST, instance=current)
    if not form.is_valid():
        return _page(request, application, draft_form=form)
    submitting, saved = request.POST.get("action") == "submit", None
    try:
        saved = services.save_draft(request.user, application, note=form.cleaned_data.get("note") or "",
                                    **form.values())
        if submitting:
            services.submit(request.user, saved)
    except REFUSALS as error:
        add_errors(form, error)
        if saved is not None:
            messages.info(request, f"拟办已保存（第{saved.revision}稿），但未能提交审核")
        return _page(request, application, draft_form=form)
    messages.success(request, f"已{'提交审核签发' if submitting else '保存拟办'}（第{saved.revision}稿）")
    return _back(application)


@login_required
@require_POST
def review(request, pk: int):
    draft = _draft(request, pk)
    form = ReviewForm(request.POST, draft=draft)
    if not form.is_valid():
        return _page(request, draft.application, review_form=form)
    action = request.POST.get("action")
    try:
        if action == "return":
            services.return_draft(request.user, draft, form.cleaned_data["comment"])
            done = "已退回修改，拟办人可按审核意见修改后重新提交"
        elif action == "sign":
            signed = services.sign(request.user, draft, form.cleaned_data["secrecy_opinion"],
                                   form.cleaned_data["comment"])
            done = f"已签发，答复决定已作出，答复告知书 {signed.letter.number} 已生成"
        else:
            raise Http404("没有这个审核操作")
    except REFUSALS as error:
        add_errors(form, error)
        return _page(request, draft.application, review_form=form)
    messages.success(request, done)
    return _back(draft.application)


@login_required
@require_POST
def cancel(request, pk: int):
    draft = _draft(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _page(request, draft.application, cancel_form=form)
    try:
        services.cancel(request.user, draft, form.cleaned_data["reason"])
    except REFUSALS as error:
        add_errors(form, error)
        return _page(request, draft.application, cancel_form=form)
    messages.success(request, "拟办已撤销")
    return _back(draft.application)


@login_required
@require_GET
def queue(request):
    if not services.is_approver(request.user):
        raise PermissionDenied("待签发清单供审核人员（负责人）使用")
    page = Paginator(services.queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    agencies = permissions.agencies_where(request.user, permissions.Action.APPROVE).order_by("order_path")
    return render(request, "signoff/queue.html", {"page": page, "agencies": agencies, "query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, agency_pk: int):
    agency = get_object_or_404(Agency, pk=agency_pk)
    if not services.can_view(request.user, agency):
        raise Http404("没有该机关")
    manage = services.can_configure(request.user, agency)
    required = services.required_outcomes(agency)
    form = SettingsForm(request.POST or None, initial={"outcomes": sorted(required)})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(f"只有“{agency}”的审核人员（负责人）才能修改审核签发设置")
        if form.is_valid():
            try:
                services.configure(request.user, agency, form.cleaned_data["outcomes"], form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "审核签发设置已保存，修改前后的内容已记录")
                return redirect("signoff:settings", agency_pk=agency.pk)
    changes = [(change, outcome_labels(change.before.get("outcomes", [])), outcome_labels(change.after.get("outcomes", [])),
                outcome_labels(set(change.after.get("outcomes", [])) - set(change.before.get("outcomes", []))),
                outcome_labels(set(change.before.get("outcomes", [])) - set(change.after.get("outcomes", []))))
               for change in services.settings_history(agency)]
    return render(request, "signoff/settings.html", {
        "agency": agency, "form": form, "can_manage": manage, "required": outcome_labels(required),
        "changes": changes, "configured": agency_has_setting(agency),
    }, status=400 if form.errors else 200)


def agency_has_setting(agency: Agency) -> bool:
    return hasattr(agency, "signoff_settings")
