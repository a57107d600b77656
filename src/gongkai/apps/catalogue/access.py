"""Who may do what in the catalogue (roles of ``apps.agencies``): handlers (承办) and approvers
(审核/负责人) of the item's agency draft, edit and submit; approvers review. Supervisors (上级主管)
only read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gongkai.apps.agencies.models import Agency, Membership, has_role

Role = Membership.Role
DRAFT_ROLES = (Role.HANDLER, Role.APPROVER)


def can_draft(user, agency: Agency) -> bool:
    return user.is_authenticated and has_role(user, agency, *DRAFT_ROLES)


def can_review(user, agency: Agency) -> bool:
    return user.is_authenticated and has_role(user, agency, Role.APPROVER)


def require_draft(user, agency: Agency, what: str) -> None:
    if not can_draft(user, agency):
        raise PermissionDenied(f"只有“{agency}”的承办或审核人员才能{what}")


def require_review(user, agency: Agency, what: str) -> None:
    if not can_review(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人（负责人）才能{what}")
