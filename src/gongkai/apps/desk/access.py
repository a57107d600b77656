"""Who may see and do what on the desk pages (the rules themselves are in
``apps/agencies/permissions.py``; this only asks them once per page, for what a page offers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import Action, allows, visible_agencies
from gongkai.apps.cases.models import Application
from gongkai.core.casework.lifecycle import APPROVER_EVENTS, Event



@dataclass(frozen=True)
class Rights:
    """A user's rights on one agency's cases."""

    roles: frozenset[str]

    @property
    def can_write(self) -> bool:
        return allows(self.roles, Action.RECORD)

    @property
    def can_act(self) -> bool:
        return allows(self.roles, Action.ACT)

    def may_take(self, event: Event) -> bool:
        if event in APPROVER_EVENTS:  # extending the period, voiding a registration
            return allows(self.roles, Action.APPROVE)
        return self.can_act

    @property
    def read_only(self) -> bool:
        return not self.can_write


def rights(user, agency: Agency) -> Rights:
    return Rights(permissions.roles_in(user, agency))


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
    return permissions.agencies_where(user, Action.REGISTER).order_by("order_path")
