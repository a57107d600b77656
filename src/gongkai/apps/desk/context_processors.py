"""What the navigation of every staff page needs to know of the signed-in person: their roles
(from the memberships the page's own permission check already read, ``permissions.memberships``)
and, only when the staff layout shows them, the unread notifications and the new online
applications of their agencies — both counted in one query (``navigation_counts``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from gongkai.apps.agencies.permissions import Action, allows, memberships, roles_for
from gongkai.apps.cases.models import Application
from gongkai.apps.notices.services import unread_count_subquery

from .worklists import NEW_ONLINE


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")),
                    Value(0), output_field=IntegerField())


def navigation_counts(user, found=None) -> dict:
    """``{"unread": …, "new_online": …}`` for ``user`` in one query: their unread notifications, and
    the online applications nobody has taken up yet (``worklists.NEW_ONLINE``) in the agencies where
    they register or act (None when they do neither)."""
    found = memberships(user) if found is None else found
    agencies = sorted({m.agency_id for m in found if m.role in roles_for(Action.RECORD)})
    counts = {"unread": Coalesce(unread_count_subquery(), Value(0), output_field=IntegerField())}
    if agencies:
        counts["new_online"] = _count(Application.objects.filter(NEW_ONLINE, agency_id__in=agencies))
    row = get_user_model().objects.filter(pk=user.pk).values(**counts).first() or {}
    return {"unread": row.get("unread", 0), "new_online": row.get("new_online") if agencies else None}


def staff_roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    found = memberships(user)
    roles = {m.role for m in found}
    return {
        "can_register": allows(roles, Action.REGISTER),
        "can_manage_letters": allows(roles, Action.APPROVE),
        "is_approver": allows(roles, Action.APPROVE),
        # The administration hub (管理): approvers and system administrators.
        "can_administer": user.is_superuser or allows(roles, Action.APPROVE),
        "can_supervise": allows(roles, Action.SUPERVISE),
        # Importing the existing ledger (registrars, approvers) and catalogue (approvers): apps/ledger.
        "can_import_ledger": allows(roles, Action.IMPORT),
        "can_import_catalogue": allows(roles, Action.APPROVE),
        "nav_counts": SimpleLazyObject(lambda: navigation_counts(user, found)),
    }
