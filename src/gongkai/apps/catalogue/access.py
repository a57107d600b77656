"""Who may do what in the catalogue (the rules of ``apps/agencies/permissions.py``): handlers
(承办) and approvers (审核/负责人) of the item's agency draft, edit and submit (``ACT``); approvers
review (``APPROVE``). Supervisors (上级主管) only read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency


def can_draft(user, agency: Agency) -> bool:
    return permissions.may(user, agency, permissions.Action.ACT)


def can_review(user, agency: Agency) -> bool:
    return permissions.may(user, agency, permissions.Action.APPROVE)


def require_draft(user, agency: Agency, what: str) -> None:
    if not can_draft(user, agency):
        raise PermissionDenied(f"只有“{agency}”的承办或审核人员才能{what}")


def require_review(user, agency: Agency, what: str) -> None:
    if not can_review(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人（负责人）才能{what}")
