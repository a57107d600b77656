"""What the navigation of every staff page needs to know of the signed-in person."""

from __future__ import annotations

from gongkai.apps.agencies.models import Membership
from gongkai.apps.agencies.permissions import Action, allows, may_manage_shared_tables


def staff_roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return {
        "can_register": allows(roles, Action.REGISTER),
        "can_manage_letters": allows(roles, Action.APPROVE),
        "can_manage_shared_tables": may_manage_shared_tables(user, roles),
        # The administration hub (管理): approvers and system administrators.
        "can_administer": user.is_superuser or allows(roles, Action.APPROVE),
        "can_supervise": allows(roles, Action.SUPERVISE),
    }
