"""The staff workspace pages. Thin: ask access.py who may, call the registry's services
(``gongkai.apps.cases.models``), render. Every page requires login; a case outside the user's
agencies is a 404, a change by someone who may only read is a 403 (the page of ``gongkai.web.errors``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import Application, Attachment, check_attachment
from gongkai.apps.cases.personal import mask_id_number
from gongkai.apps.cases.privacy import may_reveal_id_number, reveal_id_number
from gongkai.apps.cases.services import (
    EDITABLE_FIELDS,
    NeedsConfirmation,
    add_attachment,
    assign_handler,
    edit_application,
    correction_working_days,
    lifecycle_case,
    register_application,
    release_attachment,
    reply_deadline,
    transition,
)
from gongkai.apps.holidays.models import work_calendar
from gongkai.core.casework import lifecycle
from gongkai.core.casework.lifecycle import Event, State, TransitionError
from gongkai.core.casework.workdays import correction_request_deadline

from .access import (
    registering_agencies,
    rights,
    visible_application,
    writable_application,
)
from .dashboard import FIGURE_LABELS, build_dashboard
from .forms import (
    AssignForm,
    AttachmentForm,
    EditForm,
    FeeNoticeForm,
    RegisterForm,
    WorklistFilterForm,
    step_form,
)
from .history import case_history
from .ledger import XLSX_TYPE, ledger_xlsx
from gongkai.web.links import link_setup

from .templatetags.desk import person
from .worklists import WORKLISTS, soon_limit, today, worklist_cases

PAGE_SIZE = 50


def add_errors(form, error: Exception) -> None:
    """Put a ValidationError or TransitionError from the services on the form, in Chinese."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


@login_required
def home(request):
    calendar = work_calendar()
    dashboard = build_dashboard(request.user, today(), calendar)
    return render(request, "desk/home.html", {
        "dashboard": dashboard,
        "labels": FIGURE_LABELS.values(),
        "worklists": WORKLISTS.values(),
        "soon_limit": soon_limit(dashboard.day, calendar),
        "can_register": registering_agencies(request.user).exists(),
    })


def _worklist_query(request, key: str):
    """The work list ``key`` with the filters of the request: (list, form, cases, agency choices, chosen agency)."""
    chosen = WORKLISTS.get(key)
    if chosen is None:
        raise Http404("没有这个工作清单")
    agencies = visible_agencies(request.user).order_by("order_path")
    form = WorklistFilterForm(request.GET or None, agencies=agencies)
    choices = list(agencies.only("pk", "name"))
    agency_ids = [agency.pk for agency in choices]
    search, chosen_agency = "", None
    if form.is_bound and form.is_valid():
        search = form.cleaned_data["q"]
        if form.cleaned_data["agency"] is not None:
            chosen_agency = form.cleaned_data["agency"].pk
            agency_ids = [chosen_agency]
    elif form.is_bound:
        agency_ids = []  # an agency the user may not see: show nothing, say why
    day, calendar = today(), work_calendar()
    cases = worklist_cases(chosen, agency_ids, day, calendar, search)
    return chosen, form, cases, choices, chosen_agency, day, calendar


@login_required
def worklist(request, key: str):
    chosen, form, cases, choices, chosen_agency, day, calendar = _worklist_query(request, key)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "desk/worklist.html", {
        "worklist": chosen, "worklists": WORKLISTS.values(), "form": form, "page": page, "day": day,
        "soon_limit": soon_limit(day, calendar), "query": query.urlencode(),
        "agency_choices": choices if len(choices) > 1 else None, "chosen_agency": chosen_agency,
    })


@login_required
def worklist_export(request, key: str):
    """The work list with the same filters as an Excel ledger (台账), every page of it."""
    chosen, form, cases, choices, chosen_agency, day, calendar = _worklist_query(request, key)
    title = f"政府信息公开申请台账：{chosen.label}（{day:%Y-%m-%d}导出）"
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        title += f"，查询“{form.cleaned_data['q']}”"
    response = HttpResponse(ledger_xlsx(cases, calendar, day, title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"台账-{chosen.label}-{day:%Y%m%d}.xlsx")
    return response


@login_required
def register(request):
    agencies = registering_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您不是任何机关的登记或承办人员，不能登记申请")
    form = RegisterForm(request.POST or None, agencies=agencies,
                        initial={"received_on": today(), "agency": agencies.first(), "applicant_type": "natural_person",
                                 "id_type": "居民身份证"})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        try:
            application = register_application(request.user, form.cleaned_data["agency"],
                                               confirmed=form.confirmed(), **fields)
        except NeedsConfirmation as asked:
            form = form.asking(asked.warnings)
        except (ValidationError, TransitionError) as error:
            add_errors(form, error)
        else:
            messages.success(request, f"申请已登记，编号 {application.number}（{application.agency}）"
                             + (f"。登记信息不完整，缺少{'、'.join(application.missing_items)}，请在7个工作日内"
                                "一次性告知补正" if application.is_incomplete else ""))
            return redirect("desk:case", pk=application.pk)
    return render(request, "desk/register.html", {"form": form, "warnings": getattr(form, "warnings", ())},
                  status=400 if form.errors else 200)


def case_page(request, application: Application, bound=None, status: int = 200, revealed: str = ""):
    """The case page, with ``bound`` (a submitted form with errors or a fee to confirm) in place;
    ``revealed``: the full ID number, only in the answer to a recorded reveal."""
    day, calendar = today(), work_calendar()
    user_rights = rights(request.user, application.agency)
    case = lifecycle_case(application)
    forms = []
    for event in lifecycle.allowed_events(case):
        if user_rights.may_take(event):
            forms.append(bound if bound is not None and bound.event is event
                         else step_form(event, application=application, day=day))
    refused = None  # a step not open now: its errors are shown above the steps that are
    if bound is not None and bound.event not in [form.event for form in forms]:
        refused = (bound.event.label, [e for errors in bound.errors.values() for e in errors])
    state = State(application.state)
    deadline = reply_deadline(application, calendar) if state in lifecycle.OPEN_STATES else None
    correction_due = None
    if state is State.REGISTERED and application.correction_requested_on is None:
        correction_due = correction_request_deadline(application.received_on, calendar)
    payment_due = case.payment_deadline(calendar) if state is State.AWAITING_PAYMENT else None
    correction_period = None
    if state is State.AWAITING_CORRECTION:
        correction_period = case.correction_deadline(calendar, correction_working_days(application.agency))
    consultation_due = application.consultation_due_on if state is State.CONSULTING else None
    assign = AssignForm(application=application) if user_rights.can_act else None
    return render(request, "desk/case.html", {
        "application": application,
        "state": state,
        "rights": user_rights,
        "forms": forms,
        "refused": refused,
        "assign_form": assign,
        "deadline": deadline,
        "correction_due": correction_due,
        "payment_due": payment_due,
        "receipt_missing": state is State.AWAITING_PAYMENT and payment_due is None,
        "correction_period": correction_period,
        "consultation_due": consultation_due,
        "consultation_overdue": consultation_due is not None and consultation_due < day,
        "decision_article": case.decision.article if case.decision is not None else None,
        "waiting": state in lifecycle.WAITING_STATES,
        "history": case_history(application),
        "pauses": application.pauses.all(),
        "duplicates": application.duplicates.all(),
        "attachments": application.attachments.select_related("uploaded_by"),
        "attachment_form": AttachmentForm() if user_rights.can_write else None,
        "id_number_masked": mask_id_number(application.id_number), "revealed_id_number": revealed,
        "may_reveal": may_reveal_id_number(request.user, application),
    }, status=status)


@login_required
def case(request, pk: int):
    return case_page(request, visible_application(request.user, pk))


@login_required
@require_POST
def step(request, pk: int, event: str):
    application, user_rights = writable_application(request.user, pk)
    try:
        event = Event(event)
    except ValueError:
        raise Http404("没有这个办理步骤") from None
    if not user_rights.may_take(event):
        who = "审核人（负责人）" if event in lifecycle.APPROVER_EVENTS else "承办或审核人员"
        raise PermissionDenied(f"只有“{application.agency}”的{who}才能{event.label}")
    form = step_form(event, request.POST, application=application, day=today())
    if not form.is_valid():
        return case_page(request, application, bound=form, status=400)
    if isinstance(form, FeeNoticeForm) and not form.confirmed():
        data = request.POST.copy()
        data[form.add_prefix("confirmed_yuan")] = str(form.fee.yuan)
        preview = step_form(event, data, application=application, day=today())
        preview.is_valid()
        return case_page(request, application, bound=preview)
    try:
        transition(request.user, application, event, form.cleaned_data["on"], form.cleaned_data["reason"],
                   outcome=form.outcome(), **form.details())
    except (TransitionError, ValidationError) as error:
        if isinstance(error, TransitionError):  # a setting it lacks (the holiday table) is one click away
            error = TransitionError(link_setup(str(error), application.agency))
        add_errors(form, error)
        return case_page(request, application, bound=form, status=400)
    messages.success(request, f"已{event.label}（{form.cleaned_data['on'].isoformat()}）")
    return redirect("desk:case", pk=application.pk)


@login_required
@require_POST
def reveal_id(request, pk: int):
    """The case page with the full ID number, for the case's handler or an approver; recorded."""
    application = visible_application(request.user, pk)
    number = reveal_id_number(request.user, application, request.POST.get("reason", ""))
    return case_page(request, application, revealed=number)


@login_required
def edit(request, pk: int):
    application, _ = writable_application(request.user, pk)
    form = EditForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "登记信息没有变化，未作修改")
            return redirect("desk:case", pk=application.pk)
        try:
            edit_application(request.user, visible_application(request.user, pk), form.cleaned_data["reason"],
                             **changes)
        except (ValidationError, TransitionError) as error:
            add_errors(form, error)
        else:
            messages.success(request, "登记信息已修改，修改前后的内容已记入办理记录")
            return redirect("desk:case", pk=application.pk)
    return render(request, "desk/edit.html", {"form": form, "application": visible_application(request.user, pk)},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def assign(request, pk: int):
    application, user_rights = writable_application(request.user, pk)
    if not user_rights.can_act:
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能指定承办人")
    form = AssignForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("desk:case", pk=application.pk)
    try:
        updated = assign_handler(request.user, application, form.cleaned_data["handler"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"承办人已改为 {person(updated.handler) or '（不指定）'}")
    return redirect("desk:case", pk=application.pk)


@login_required
@require_POST
def attach(request, pk: int):
    """Upload a file to an application (its registrars, handlers and approvers)."""
    application, _ = writable_application(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("desk:case", pk=application.pk)
    upload = form.cleaned_data["file"]
    try:
        check_attachment(upload.name, upload.size)  # before reading a file that is too big
        add_attachment(request.user, application, upload.name, upload.read(), form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已上传附件 {upload.name}")
    return redirect("desk:case", pk=application.pk)


@login_required
def attachment(request, pk: int, attachment_pk: int):
    """Download a file of an application anyone who may see the application may read."""
    application = visible_application(request.user, pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_POST
def release(request, pk: int, attachment_pk: int):
    """Mark a file of the case as information provided to the applicant (or take the mark off):
    an applicant who gets the reply online downloads it on the tracking page. Recorded."""
    application, user_rights = writable_application(request.user, pk)
    if not user_rights.can_act:
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能设置提供给申请人的文件")
    item = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    released = request.POST.get("released") == "1"
    release_attachment(request.user, item, released)
    messages.success(request, f"附件 {item.name} " + ("已设为提供给申请人" if released else "不再提供给申请人"))
    return redirect("desk:case", pk=application.pk)
