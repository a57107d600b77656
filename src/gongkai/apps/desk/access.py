"""Who may see and do what on the desk pages (the rules themselves are in apps/agencies and
apps/cases; this only asks them once per page, for what a page offers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from gongkai.apps.agencies.models import WRITE_ROLES, Agency, Membership, visible_agencies
from gongkai.apps.cases.models import Application
from gongkai.core.lifecycle import APPROVER_EVENTS, Event

Role = Membership.Role
ACTING_ROLES = (Role.HANDLER, Role.APPROVER)
REGISTERING_ROLES = (Role.REGISTRAR, Role.HANDLER)


@dataclass(frozen=True)
class Rights:
    """A user's rights on one agency's cases."""

    roles: frozenset[str]

    @property
    def can_write(self) -> bool:
        return bool(self.roles & set(WRITE_ROLES))

    @property
    def can_act(self) -> bool:
        return bool(self.roles & set(ACTING_ROLES))

    def may_take(self, event: Event) -> bool:
        if event in APPROVER_EVENTS:  # extending the period, voiding a registration
            return Role.APPROVER in self.roles
        return self.can_act

    @property
    def read_only(self) -> bool:
        return not self.can_write


def rights(user, agency: Agency) -> Rights:
    return Rights(frozenset(Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)))


def visible_application(user, pk: int) -> Application:
    """The application if ``user`` may see it; otherwise 404 (its existence is not disclosed)."""
    return get_object_or_404(
        Application.objects.select_related("agency", "handler", "registered_by", "merged_into"),
        pk=pk,
        agency__in=visible_agencies(user),
    )


def writable_application(user, pk: int) -> tuple[Application, Rights]:
    """The application and the user's rights; 404 if unseen, 403 if the user may only read it."""
    application = visible_application(user, pk)
    user_rights = rights(user, application.agency)
    if not user_rights.can_write:
        raise PermissionDenied(f"您对“{application.agency}”的申请只有查看权限，不能修改")
    return application, user_rights


def registering_agencies(user):
    """The agencies in which ``user`` may register applications (registrars and handlers)."""
    return Agency.objects.filter(memberships__user=user, memberships__role__in=REGISTERING_ROLES).distinct().order_by("path")
