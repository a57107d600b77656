"""Who may see and do what: every rule of the staff's roles, in one place.

A person holds roles in agencies (``Membership``). The roles work in their OWN agency only: an
agency with children (a county government above its departments and townships) gives its
registrars, handlers and approvers no view of the children's cases. Only a supervisor (上级主管)
sees an agency's whole subtree, and changes nothing in it.

| action | 登记 registrar | 承办 handler | 审核/负责人 approver | 上级主管 supervisor |
|---|---|---|---|---|
| ``REGISTER`` 登记申请 | ✓ | ✓ | – | – |
| ``RECORD`` 修改登记信息、上传附件 | ✓ | ✓ | ✓ | – |
| ``ACT`` 办理步骤、指定承办人、生成文书、拟办答复、复议诉讼、年度报告、目录起草 | – | ✓ | ✓ | – |
| ``APPROVE`` 延长期限、作废登记、审核签发、各项设置、目录审核、发布报告 | – | – | ✓ | – |
| ``SUBMIT`` 向上级报送年度报告 | – | – | ✓ | – |
| ``ANSWER`` 答复上级的督办通知 | – | ✓ | ✓ | – |
| ``SUPERVISE`` 收集、核对本地区各机关的年度报告，审查报送的报告、督办、导出、通报（政务公开办） | – | – | – | ✓ (the region below) |
| see (``visible_agencies``) | own | own | own | own and subtree |
| the tables every agency shares: holidays, search synonyms (``may_manage_shared_tables``) | – | – | ✓ (any agency) | – |
| staff accounts and roles, agencies' names and order (``managed_agencies``) | – | – | ✓ (own agency and subtree) | – |

Administration (``apps/administration``) never lets anyone give more than they hold: an approver
manages the accounts and roles of their agency and the agencies below it, and gives there only the
roles of the agency's own staff (登记, 承办, 审核/负责人); the supervisor's role (a view of a whole
subtree) only a person who is themselves a supervisor of that agency or above it
(``grantable_roles``). An account is theirs to deactivate or reset only if every role it holds is
one they could have given (``may_manage_account``): nobody takes over a wider account by
resetting its password. A system administrator (superuser) manages everything.

A supervisor changes nothing of an agency's cases or reports; what the supervising office does
is its own work on its own records (``apps/supervision``): it returns or accepts the reports
submitted to it (``may_review``: only an agency strictly below its region — an office does not
review its own government's report), sends 督办 notices about overdue cases and answers none of
them, exports the region's tables and drafts the bulletin (``may_supervise``: its region, itself
included).

Where a page or a service asks whether a person may do something, it asks here (``may``,
``require``, ``agencies_where``, ``roles_for``); no other module lists roles.
"""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db import models

from .models import Agency, Membership, has_role

Role = Membership.Role


class Action(str, Enum):
    REGISTER = "register"
    RECORD = "record"
    ACT = "act"
    APPROVE = "approve"
    SUBMIT = "submit"
    ANSWER = "answer"
    SUPERVISE = "supervise"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.REGISTER: "登记申请",
    Action.RECORD: "修改登记信息或上传附件",
    Action.ACT: "办理",
    Action.APPROVE: "审核",
    Action.SUBMIT: "报送年度报告",
    Action.ANSWER: "答复督办通知",
    Action.SUPERVISE: "监督检查",
}

# action -> the roles that may take it, in their own agency.
RULES: dict[Action, tuple[str, ...]] = {
    Action.REGISTER: (Role.REGISTRAR, Role.HANDLER),
    Action.RECORD: (Role.REGISTRAR, Role.HANDLER, Role.APPROVER),
    Action.ACT: (Role.HANDLER, Role.APPROVER),
    Action.APPROVE: (Role.APPROVER,),
    Action.SUBMIT: (Role.APPROVER,),
    Action.ANSWER: (Role.HANDLER, Role.APPROVER),
    # The supervising office's work on its region's annual reports: a supervisor of the region's
    # own agency (the region is that agency and its subtree, ``may_supervise``).
    Action.SUPERVISE: (Role.SUPERVISOR,),
}
# The roles that work in their own agency (every role but the supervisor's).
STAFF_ROLES = RULES[Action.RECORD]


def roles_for(action: Action) -> tuple[str, ...]:
    return RULES[action]


def may(user, agency: Agency, action: Action) -> bool:
    """Whether ``user`` may take ``action`` in ``agency`` (its own roles there; never from above)."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, agency, *RULES[action])


def require(user, agency: Agency, action: Action, message: str | None = None) -> None:
    """PermissionDenied (with a Chinese message) unless ``user`` may take ``action`` in ``agency``."""
    if not may(user, agency, action):
        raise PermissionDenied(message or f"您在“{agency}”没有{action.label}的权限")


def roles_in(user, agency: Agency) -> frozenset[str]:
    return frozenset(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True))


def allows(roles, action: Action) -> bool:
    """Whether a set of roles (held in one agency) allows ``action``."""
    return bool(set(roles) & set(RULES[action]))


def agencies_where(user, action: Action) -> models.QuerySet[Agency]:
    """The agencies in which ``user`` may take ``action``."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user, memberships__role__in=RULES[action]).distinct()


def may_manage_shared_tables(user, roles=None) -> bool:
    """Whether ``user`` may edit the tables every agency shares — the holiday table (the State
    Council's notice is national: every stored due date follows a change) and the search's
    synonyms: an approver of any agency, or an administrator. ``roles``: every role the user holds
    (in any agency), where the caller has read them already."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if roles is not None:  # the roles the user holds in any agency, already read
        return allows(roles, Action.APPROVE)
    return Membership.objects.filter(user=user, role__in=RULES[Action.APPROVE]).exists()


# The roles a new account's form offers ticked: most accounts an office makes are handlers'.
NEW_ACCOUNT_ROLES = (Role.HANDLER,)


def managed_agencies(user) -> models.QuerySet[Agency]:
    """The agencies whose staff, roles, names and order ``user`` manages: the subtree of each agency
    where they are an approver (every agency for a system administrator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    query = models.Q(pk__in=[])
    for path in Membership.objects.filter(user=user, role__in=RULES[Action.APPROVE]).values_list("agency__path", flat=True):
        query |= models.Q(path__startswith=path)
    return Agency.objects.filter(query)


def may_manage(user, agency: Agency) -> bool:
    """Whether ``user`` manages ``agency``'s staff, name and order (``managed_agencies``)."""
    return managed_agencies(user).filter(pk=agency.pk).exists()


def grantable_roles(user, agency: Agency) -> tuple[str, ...]:
    """The roles ``user`` may give (or take away) in ``agency``: none outside what they manage; the
    agency's own staff roles inside it; the supervisor's role only to a supervisor of the agency or
    an agency above it (never more than they hold) or a system administrator."""
    if not may_manage(user, agency):
        return ()
    if user.is_superuser or supervises(user, agency):
        return (*STAFF_ROLES, Role.SUPERVISOR)
    return STAFF_ROLES


def may_manage_account(user, account) -> bool:
    """Whether ``user`` may deactivate, reactivate, rename or reset the password of ``account``:
    not their own (the password page is for that), never a system administrator's or a Django
    admin's account unless they are one, and only if each role the account holds is one they could
    give. An account without roles belongs to the agency it was made in (``home``)."""
    if not getattr(user, "is_authenticated", False) or account.pk == user.pk:
        return False
    if user.is_superuser:
        return True
    if account.is_superuser or account.is_staff:
        return False
    held = list(Membership.objects.filter(user=account).select_related("agency"))
    if held:
        return all(m.role in grantable_roles(user, m.agency) for m in held)
    home = getattr(getattr(account, "staff_account", None), "agency", None)
    return home is not None and may_manage(user, home)


def visible_agencies(user) -> models.QuerySet[Agency]:
    """The agencies whose cases ``user`` may see: their own, and a supervisor's whole subtree."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    query = models.Q(pk__in=[])
    for m in Membership.objects.filter(user=user).select_related("agency"):
        if m.role == Role.SUPERVISOR:
            query |= models.Q(path__startswith=m.agency.path)
        else:
            query |= models.Q(pk=m.agency_id)
    return Agency.objects.filter(query)


def writable_agencies(user) -> models.QuerySet[Agency]:
    """The agencies whose cases ``user`` may change: only their own, never a supervised one."""
    return agencies_where(user, Action.RECORD)


def supervises(user, agency: Agency) -> bool:
    """Whether ``user`` is a supervisor (read-only) of ``agency`` or of an agency above it."""
    if not getattr(user, "is_authenticated", False):
        return False
    paths = Membership.objects.filter(user=user, role=Role.SUPERVISOR).values_list("agency__path", flat=True)
    return any(agency.path.startswith(p) for p in paths)


def supervised_regions(user) -> models.QuerySet[Agency]:
    """The regions whose supervising office ``user`` works in: the agencies where they hold the
    supervisor role (each with its whole subtree), in the agencies' order."""
    return agencies_where(user, Action.SUPERVISE).order_by("order_path")


def region_of(user, agency: Agency, strict: bool = False) -> Agency | None:
    """The nearest region of ``user`` that holds ``agency`` (strictly above it with ``strict``)."""
    best = None
    for region in supervised_regions(user):
        inside = agency.path.startswith(region.path) and not (strict and agency.pk == region.pk)
        if inside and (best is None or len(region.path) > len(best.path)):
            best = region
    return best


def may_supervise(user, agency: Agency) -> bool:
    """Whether ``user`` supervises ``agency``'s region work: its region or any agency below it."""
    return region_of(user, agency) is not None


def may_review(user, agency: Agency) -> bool:
    """Whether ``user`` may return or accept ``agency``'s submitted report: a supervisor of a
    region strictly above it."""
    return region_of(user, agency, strict=True) is not None


def may_reveal_id_number(user, application) -> bool:
    """The full ID number of an application: the handler assigned to it (still a handler of its
    agency) or an approver of its agency; nobody else, supervisors included (docs/privacy.md)."""
    if not application.id_number or not getattr(user, "is_authenticated", False):
        return False
    if application.handler_id == user.pk and has_role(user, application.agency, Role.HANDLER):
        return True
    return has_role(user, application.agency, Role.APPROVER)


__all__ = ["Action", "RULES", "STAFF_ROLES", "roles_for", "may", "require", "roles_in", "allows", "agencies_where",
           "visible_agencies", "writable_agencies", "supervises", "supervised_regions", "region_of", "may_supervise",
           "may_review", "may_reveal_id_number", "may_manage_shared_tables", "managed_agencies", "may_manage",
           "grantable_roles", "may_manage_account", "NEW_ACCOUNT_ROLES"]
