"""What the navigation of every staff page needs to know of the signed-in person."""

from __future__ import annotations

from gongkai.apps.agencies.models import Membership


def staff_roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return {
        "can_register": bool(roles & {Membership.Role.REGISTRAR, Membership.Role.HANDLER}),
        "can_manage_letters": Membership.Role.APPROVER in roles,
    }
