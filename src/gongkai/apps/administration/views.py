"""The administration pages (管理): the hub, staff accounts and roles, the agencies' order and
names. Thin: what may be done and the records are in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.agencies.permissions import (
    NEW_ACCOUNT_ROLES, Action, agencies_where, grantable_roles, managed_agencies, may_manage_account, may_manage_shared_tables,
)

from gongkai.apps.online.apply_intake import disable_online_intake, enable_online_intake
from gongkai.apps.online.models import OnlineIntake

from . import services
from .forms import AccountForm, AgencyForm, DetailsForm, IntakeForm, ResetPasswordForm, RolesForm
from .models import StaffChange


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _managed_agency(request, pk: int) -> Agency:
    agency = get_object_or_404(Agency, pk=pk)
    services.require_manage(request.user, agency)
    return agency


@login_required
@require_GET
def hub(request):
    """Every setting page the person may open, each with what it is for."""
    user = request.user
    managed = services.agencies_for(user)
    approving = list(agencies_where(user, Action.APPROVE).order_by("order_path"))
    shared = may_manage_shared_tables(user)
    if not (managed or approving or shared):
        raise PermissionDenied("只有审核/负责人或系统管理员可以打开管理页面")
    return render(request, "administration/hub.html", {
        "managed": managed, "approving": approving, "shared": shared,
        # Each agency's own settings are its approvers' (an administrator makes one approver there).
        "letter_agencies": approving,
    })


@login_required
@require_GET
def staff_index(request):
    agencies = services.agencies_for(request.user)
    if not agencies:
        raise PermissionDenied("只有审核/负责人或系统管理员可以管理人员")
    counts = {}
    for agency_id, user_id in Membership.objects.filter(agency__in=agencies, user__is_active=True).values_list(
            "agency_id", "user_id").distinct():
        counts[agency_id] = counts.get(agency_id, 0) + 1
    return render(request, "administration/staff_index.html", {
        "rows": [(a, counts.get(a.pk, 0)) for a in agencies]})


@login_required
@require_GET
def agency_staff(request, pk: int):
    agency = _managed_agency(request, pk)
    return render(request, "administration/agency_staff.html", {
        "agency": agency, "rows": services.staff_of(request.user, agency)})


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request, pk: int):
    agency = _managed_agency(request, pk)
    roles = grantable_roles(request.user, agency)
    form = AccountForm(request.POST or None, roles=roles, initial={"roles": list(NEW_ACCOUNT_ROLES)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_account(request.user, agency, username=data["username"], name=data["name"],
                                              email=data["email"], password=data["password"], roles=data["roles"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _form_errors(form, error)
            else:  # the password rules
                for message in error.messages:
                    form.add_error("password", message)
            messages.error(request, "账号没有建立：请按提示修改后再提交。")
        else:
            messages.success(request, f"已新建账号“{account.username}”（{account.first_name}）。请把初始密码告知本人："
                                      "首次登录时须修改密码。")
            return redirect("administration:account", account.pk)
    elif request.method == "POST":
        messages.error(request, "账号没有建立：请按提示修改后再提交。")
    return render(request, "administration/account_new.html", {"agency": agency, "form": form})


def _account_page(request, account, *, roles_form=None, details_form=None, password_form=None, status=200):
    user = request.user
    managed = services.agencies_for(user)
    chosen = roles_form.data.get("agency") if roles_form is not None and roles_form.is_bound else request.GET.get("agency")
    agency = next((a for a in managed if str(a.pk) == str(chosen)), None)
    memberships = services.memberships_of(account)
    if agency is None:
        agency = next((m.agency for m in memberships if m.agency in managed), managed[0] if managed else None)
    if roles_form is None and agency is not None:
        held = [m.role for m in memberships if m.agency_id == agency.pk]
        roles_form = RolesForm(agencies=managed, roles=grantable_roles(user, agency),
                               initial={"agency": agency.pk, "roles": held})
    manageable = may_manage_account(user, account) and not services.is_system_account(account)
    return render(request, "administration/account.html", {
        "account": account, "memberships": memberships, "managed_ids": {a.pk for a in managed}, "managed": managed,
        "roles_agency": agency,
        "roles_form": roles_form if account.pk != user.pk and not services.is_system_account(account) else None,
        "system_account": services.is_system_account(account),
        "manageable": manageable,
        "details_form": details_form or DetailsForm(initial={"name": account.first_name, "email": account.email}),
        "password_form": password_form or ResetPasswordForm(),
        "changes": StaffChange.objects.filter(account=account).select_related("by", "agency")[:50],
    }, status=status)


def _visible_account(request, pk: int):
    """An account the person manages, or that holds a role in an agency they manage."""
    account = get_object_or_404(get_user_model().objects.select_related("staff_account"), pk=pk)
    managed = managed_agencies(request.user)
    home = getattr(getattr(account, "staff_account", None), "agency_id", None)
    if not (Membership.objects.filter(user=account, agency__in=managed).exists()
            or managed.filter(pk=home).exists() or may_manage_account(request.user, account)):
        raise PermissionDenied("该账号不在您管理的机关")
    return account


@login_required
@require_GET
def account(request, pk: int):
    return _account_page(request, _visible_account(request, pk))


@login_required
@require_POST
def account_roles(request, pk: int):
    account = _visible_account(request, pk)
    managed = services.agencies_for(request.user)
    agency = next((a for a in managed if str(a.pk) == request.POST.get("agency")), None)
    if agency is None:
        raise PermissionDenied("您不能在该机关授予角色")
    # Every role the person may give here is a choice; a posted role beyond them is refused.
    posted = set(request.POST.getlist("roles"))
    grantable = set(grantable_roles(request.user, agency))
    if posted - grantable:
        refused = "、".join(services.ROLE_LABELS.get(r, r) for r in sorted(posted - grantable))
        raise PermissionDenied(f"您不能在“{agency}”授予以下角色：{refused}")
    form = RolesForm(request.POST, agencies=managed, roles=grantable)
    if not form.is_valid():
        messages.error(request, "角色没有修改：请按提示修改后再提交。")
        return _account_page(request, account, roles_form=form, status=400)
    added, removed = services.set_roles(request.user, account, agency, form.cleaned_data["roles"])
    if added or removed:
        messages.success(request, f"已修改“{account.first_name or account.username}”在“{agency}”的角色："
                                  f"现为{services._role_names(form.cleaned_data['roles'])}。")
    else:
        messages.info(request, "角色没有变化。")
    return redirect(reverse("administration:account", args=[account.pk]) + f"?agency={agency.pk}")


@login_required
@require_POST
def account_details(request, pk: int):
    account = _visible_account(request, pk)
    services.require_manage_account(request.user, account)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "姓名或邮箱没有修改：请按提示修改后再提交。")
        return _account_page(request, account, details_form=form, status=400)
    services.update_details(request.user, account, name=form.cleaned_data["name"], email=form.cleaned_data["email"])
    messages.success(request, "已保存姓名和电子邮箱。")
    return redirect("administration:account", account.pk)


@login_required
@require_POST
def account_active(request, pk: int):
    account = _visible_account(request, pk)
    active = request.POST.get("active") == "1"
    services.set_active(request.user, account, active, request.POST.get("reason", "")[:500])
    if active:
        messages.success(request, f"已恢复账号“{account.username}”：可以重新登录。")
    else:
        messages.success(request, f"已停用账号“{account.username}”：不能再登录，已办理的申请仍记载其姓名。")
    return redirect("administration:account", account.pk)


@login_required
@require_POST
def account_password(request, pk: int):
    account = _visible_account(request, pk)
    services.require_manage_account(request.user, account)
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.reset_password(request.user, account, form.cleaned_data["password"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("password", message)
        else:
            messages.success(request, f"已重置“{account.username}”的密码，并解除登录锁定：请把临时密码告知本人，"
                                      "下次登录时须修改。")
            return redirect("administration:account", account.pk)
    messages.error(request, "密码没有重置：请按提示修改后再提交。")
    return _account_page(request, account, password_form=form, status=400)


# --- the agencies' order and names ---------------------------------------------------------------

@login_required
@require_GET
def agencies(request):
    managed = services.agencies_for(request.user)
    if not managed:
        raise PermissionDenied("只有审核/负责人或系统管理员可以调整机关")
    rows = []
    for a in managed:
        rows.append({"agency": a, "depth": a.path.count("/") - 2, "reorder": services.may_reorder(request.user, a)})
    base = min(r["depth"] for r in rows)
    for r in rows:
        r["indent"] = r["depth"] - base
    return render(request, "administration/agencies.html", {"rows": rows})


@login_required
@require_POST
def agency_move(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, "没有这种调整方式")
        return redirect("administration:agencies")
    if services.move(request.user, agency, step):
        messages.success(request, f"已将“{agency}”{'上移' if step < 0 else '下移'}一位。")
    else:
        messages.info(request, f"“{agency}”已在{'最前' if step < 0 else '最后'}。")
    return redirect(reverse("administration:agencies") + f"#agency-{agency.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk: int):
    agency = _managed_agency(request, pk)
    reorder = services.may_reorder(request.user, agency)
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if not reorder:
        del form.fields["position"]
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_agency(request.user, agency, name=data["name"], kind=data["kind"],
                                       credit_code=data["credit_code"], vertical=data["vertical"])
                if reorder and data["position"] != agency.position:
                    services.set_position(request.user, agency, data["position"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, f"已保存“{agency.name}”。")
                return redirect(reverse("administration:agencies") + f"#agency-{agency.pk}")
        messages.error(request, "机关没有保存：请按提示修改后再提交。")
    return render(request, "administration/agency_edit.html", {"agency": agency, "form": form, "reorder": reorder})


# --- online applications ----------------------------------------------------------------------

def _intake_agencies(user):
    if user.is_superuser:
        return Agency.objects.order_by("order_path")
    return agencies_where(user, Action.APPROVE).order_by("order_path")


@login_required
@require_GET
def intake(request):
    agencies = list(_intake_agencies(request.user).select_related("online_intake"))
    if not agencies:
        raise PermissionDenied("只有审核/负责人或系统管理员可以设置网上申请")
    rows = [(a, getattr(a, "online_intake", None)) for a in agencies]
    return render(request, "administration/intake.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def intake_edit(request, pk: int):
    agency = get_object_or_404(_intake_agencies(request.user), pk=pk)
    current = OnlineIntake.objects.filter(agency=agency).first()
    initial = {"enabled": bool(current and current.enabled), "contact": current.contact if current else "",
               "notice": current.notice if current else ""}
    form = IntakeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data["enabled"]:
                enable_online_intake(agency, contact=data["contact"], notice=data["notice"])
                messages.success(request, f"“{agency}”已接受网上申请。")
            else:
                disable_online_intake(agency)
                OnlineIntake.objects.filter(agency=agency).update(contact=data["contact"], notice=data["notice"])
                messages.success(request, f"“{agency}”已停止接受网上申请（此前收到的申请仍在台账中）。")
            return redirect("administration:intake")
        messages.error(request, "没有保存：请按提示修改后再提交。")
    return render(request, "administration/intake_edit.html", {"agency": agency, "form": form})


class PasswordChange(auth_views.PasswordChangeView):
    """The person's own password; an initial or reset password stops being one here."""

    template_name = "desk/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(self.request.user)
        messages.success(self.request, "密码已修改。")
        return response
