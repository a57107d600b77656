"""Staff accounts, their roles and the agencies' order: every change checked against what the
person making it may do (``agencies.permissions``) and recorded (``StaffChange``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.agencies.permissions import grantable_roles, managed_agencies, may_manage, may_manage_account

from gongkai.apps.online.apply_intake import INTAKE_USERNAME

from .models import StaffAccount, StaffChange

ROLE_LABELS = dict(Membership.Role.choices)


def _role_names(roles) -> str:
    return "、".join(ROLE_LABELS[r] for r in sorted(roles, key=list(ROLE_LABELS).index)) or "无"


def require_manage(user, agency: Agency) -> None:
    if not may_manage(user, agency):
        raise PermissionDenied(f"您不能管理“{agency}”的人员和设置：只有本机关或上级机关的审核/负责人、系统管理员可以管理")


def is_system_account(account) -> bool:
    """The online intake's own account (网上申请系统): it registers online applications, nobody
    logs in with it, and nobody reactivates it or gives it a password here."""
    return account.get_username() == INTAKE_USERNAME


def require_manage_account(user, account) -> None:
    if is_system_account(account):
        raise PermissionDenied("“网上申请系统”是系统账号，不能登录，也不能在这里修改；在“网上申请”中开关网上申请")
    if account.pk == user.pk:
        raise PermissionDenied("不能在这里修改本人的账号：请使用“修改密码”；本人的角色由上级机关的审核/负责人或系统管理员设置")
    if not may_manage_account(user, account):
        raise PermissionDenied(f"账号“{account.get_username()}”持有您无权授予的角色（或为系统管理员），您不能管理该账号")


def _check_password(password: str, user) -> None:
    password_validation.validate_password(password, user)


def create_account(by, agency: Agency, *, username: str, name: str, email: str, password: str,
                   roles) -> object:
    """A new account in ``agency`` with the given roles, its password to be changed at first login."""
    require_manage(by, agency)
    roles = set(roles)
    refused = roles - set(grantable_roles(by, agency))
    if refused:
        raise PermissionDenied(f"您不能在“{agency}”授予以下角色：{_role_names(refused)}")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已被使用（停用的账号也保留用户名）"})
    user = User(username=username, first_name=name, email=email)
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        StaffAccount.objects.create(user=user, agency=agency, must_change_password=True, created_by=by)
        Membership.objects.bulk_create([Membership(user=user, agency=agency, role=r) for r in roles])
        StaffChange.objects.create(account=user, agency=agency, kind=StaffChange.Kind.CREATED, by=by,
                                   detail=f"角色：{_role_names(roles)}")
    return user


def set_roles(by, account, agency: Agency, roles) -> tuple[set, set]:
    """Give ``account`` exactly ``roles`` in ``agency`` — only roles ``by`` may give there, and
    never the roles of their own account. Returns the roles added and removed."""
    require_manage(by, agency)
    if account.pk == by.pk:
        raise PermissionDenied("不能修改本人的角色：请由上级机关的审核/负责人或系统管理员设置")
    if is_system_account(account):
        raise PermissionDenied("“网上申请系统”的角色随“网上申请”的开关设置，不能在这里修改")
    if account.is_superuser and not by.is_superuser:
        raise PermissionDenied("不能修改系统管理员的角色")
    grantable = set(grantable_roles(by, agency))
    roles = set(roles)
    held = set(Membership.objects.filter(user=account, agency=agency).values_list("role", flat=True))
    added, removed = roles - held, held - roles
    refused = (added | removed) - grantable
    if refused:
        raise PermissionDenied(f"您不能在“{agency}”授予或取消以下角色：{_role_names(refused)}")
    if not (added or removed):
        return added, removed
    with transaction.atomic():
        Membership.objects.filter(user=account, agency=agency, role__in=removed).delete()
        Membership.objects.bulk_create([Membership(user=account, agency=agency, role=r) for r in added])
        StaffAccount.objects.get_or_create(user=account, defaults={"agency": agency, "created_by": by})
        parts = [f"增加：{_role_names(added)}" if added else "", f"取消：{_role_names(removed)}" if removed else ""]
        StaffChange.objects.create(account=account, agency=agency, kind=StaffChange.Kind.ROLES, by=by,
                                   detail="；".join(p for p in parts if p))
    return added, removed


def update_details(by, account, *, name: str, email: str) -> None:
    require_manage_account(by, account)
    before = f"{account.first_name}，{account.email or '无邮箱'}"
    account.first_name, account.email = name, email
    with transaction.atomic():
        account.save(update_fields=["first_name", "email"])
        StaffChange.objects.create(account=account, kind=StaffChange.Kind.DETAILS, by=by,
                                   detail=f"{before} → {name}，{email or '无邮箱'}")


def set_active(by, account, active: bool, reason: str = "") -> None:
    """Deactivate (never delete: cases keep who did what) or reactivate ``account``. A deactivated
    account cannot log in, and its open sessions end at their next request."""
    require_manage_account(by, account)
    if account.is_active == active:
        return
    account.is_active = active
    with transaction.atomic():
        account.save(update_fields=["is_active"])
        StaffChange.objects.create(account=account, by=by, detail=reason,
                                   kind=StaffChange.Kind.REACTIVATED if active else StaffChange.Kind.DEACTIVATED)


def reset_password(by, account, password: str) -> None:
    """A temporary password for ``account``, to be changed at its next login; its login lockout
    (too many failed logins) is lifted."""
    require_manage_account(by, account)
    _check_password(password, account)
    account.set_password(password)
    with transaction.atomic():
        account.save(update_fields=["password"])
        staff, created = StaffAccount.objects.get_or_create(
            user=account, defaults={"agency": _home(account), "must_change_password": True, "created_by": by})
        if not created and not staff.must_change_password:
            staff.must_change_password = True
            staff.save(update_fields=["must_change_password"])
        StaffChange.objects.create(account=account, kind=StaffChange.Kind.PASSWORD_RESET, by=by,
                                   detail="临时密码，须在下次登录时修改")
    from axes.utils import reset as reset_lockouts
    reset_lockouts(username=account.get_username())


def _home(account) -> Agency:
    membership = Membership.objects.filter(user=account).select_related("agency").order_by("agency__order_path").first()
    if membership is None:
        raise ValidationError("该账号没有任何机关的角色")
    return membership.agency


def password_changed(user) -> None:
    """The person changed their own password: it is no longer a temporary one."""
    StaffAccount.objects.filter(user=user, must_change_password=True).update(must_change_password=False)


def must_change_password(user) -> bool:
    return StaffAccount.objects.filter(user=user, must_change_password=True).exists()


@dataclass
class StaffRow:
    account: object
    roles: list[str]
    home: bool
    manageable: bool


def staff_of(by, agency: Agency) -> list[StaffRow]:
    """The accounts working in ``agency`` (with a role there, or made there and left without one),
    active ones first, by name."""
    User = get_user_model()
    members: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(agency=agency).values_list("user_id", "role"):
        members.setdefault(user_id, []).append(role)
    home_ids = set(StaffAccount.objects.filter(agency=agency).values_list("user_id", flat=True))
    accounts = User.objects.filter(pk__in=set(members) | home_ids).select_related("staff_account")
    order = list(ROLE_LABELS)
    rows = [StaffRow(a, [ROLE_LABELS[r] for r in sorted(members.get(a.pk, []), key=order.index)], a.pk in home_ids,
                     may_manage_account(by, a) and not is_system_account(a)) for a in accounts]
    rows.sort(key=lambda r: (not r.account.is_active, r.account.first_name or r.account.username, r.account.username))
    return rows


def memberships_of(account) -> list[Membership]:
    return list(Membership.objects.filter(user=account).select_related("agency").order_by("agency__order_path", "role"))


def agencies_for(by) -> list[Agency]:
    return list(managed_agencies(by).order_by("order_path"))


# --- the agencies' order and names ---------------------------------------------------------------

def may_reorder(by, agency: Agency) -> bool:
    """Moving an agency among its siblings moves them too: only who manages its parent (an approver
    does not reorder the agencies beside their own)."""
    return agency.parent_id is not None and may_manage(by, agency.parent) or (agency.parent_id is None and by.is_superuser)


def _siblings(agency: Agency) -> list[Agency]:
    return list(Agency.objects.filter(parent_id=agency.parent_id).order_by("order_path"))


def move(by, agency: Agency, step: int) -> bool:
    """Move ``agency`` one place up (``step`` −1) or down (+1) among the agencies under its parent.
    Returns whether it moved (not past the first or the last)."""
    if not may_reorder(by, agency):
        raise PermissionDenied(f"您不能调整“{agency}”的排列顺序：只能调整本人管理的机关之下各机关的顺序")
    with transaction.atomic():
        siblings = _siblings(agency)
        index = next(i for i, a in enumerate(siblings) if a.pk == agency.pk)
        other = index + step
        if not 0 <= other < len(siblings):
            return False
        # Strictly increasing positions first (equal ones are ordered by id), the groups kept.
        last = -1
        for sibling in siblings:
            if sibling.position <= last:
                sibling.position = last + 1
            last = sibling.position
        siblings[index].position, siblings[other].position = siblings[other].position, siblings[index].position
        for sibling in siblings:
            sibling.save()
    return True


def set_position(by, agency: Agency, position: int) -> None:
    if not may_reorder(by, agency):
        raise PermissionDenied(f"您不能调整“{agency}”的排列顺序：只能调整本人管理的机关之下各机关的顺序")
    agency.position = position
    agency.save()


def update_agency(by, agency: Agency, *, name: str, kind: str, credit_code: str, vertical: bool) -> None:
    require_manage(by, agency)
    if Agency.objects.filter(parent_id=agency.parent_id, name=name).exclude(pk=agency.pk).exists():
        raise ValidationError({"name": f"同一上级机关下已有“{name}”"})
    agency.name, agency.kind, agency.credit_code, agency.vertical = name, kind, credit_code, vertical
    agency.save()
