"""Who is notified of what (the registry's steps call these), and marking notices read.

- a case assigned to someone: that person (not when they assigned it to themselves);
- a new online application: the agency's registrars and handlers (who may register and take it up);
- a decision submitted for sign-off: the agency's approvers (not the one who submitted it);
- the reminder run (``desk.reminders``): a case due within 3 working days or overdue, to its
  handler, or to the agency's handlers and approvers while it has none; once per case and due date.

A notice is made inside the step's transaction, so a step that fails leaves none behind. Its text
holds no personal data (the number, never the applicant's name): the page shows the applicant from
the case, so the erasure after the retention period (``cases.privacy``) leaves nothing behind here.
"""

from __future__ import annotations

from django.db.models import F, Func, OuterRef, Subquery
from django.utils import timezone

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Membership

from .models import Notification

Kind = Notification.Kind


def _person(user) -> str:
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def members(agency, action: permissions.Action, exclude=None) -> list:
    """The active users of ``agency`` whose role allows ``action``, each once, ``exclude`` left out."""
    users = {}
    for membership in (Membership.objects.filter(agency=agency, role__in=permissions.roles_for(action),
                                                 user__is_active=True).select_related("user").order_by("user_id")):
        users[membership.user_id] = membership.user
    if exclude is not None:
        users.pop(exclude.pk, None)
    return list(users.values())


def notify(recipients, kind: str, application, text: str, key: str = "") -> int:
    """One notice for each of ``recipients``; with a ``key``, none for whom it was already made."""
    rows = [Notification(recipient=user, kind=kind, application=application, text=text[:300], key=key)
            for user in {u.pk: u for u in recipients if u is not None}.values()]
    if not rows:
        return 0
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=bool(key)))


def case_assigned(application, handler, by) -> None:
    if handler is None or handler.pk == getattr(by, "pk", None) or not handler.is_active:
        return
    notify([handler], Kind.ASSIGNED, application,
           f"{_person(by)}将申请 {application.number} 交由您承办")


def online_application(application) -> None:
    notify(members(application.agency, permissions.Action.REGISTER), Kind.NEW_ONLINE, application,
           f"{application.agency}收到新的网上申请 {application.number}")


def awaiting_signoff(draft, by) -> None:
    application = draft.application
    notify(members(application.agency, permissions.Action.APPROVE, exclude=by), Kind.SIGNOFF, application,
           f"{_person(by)}提交了申请 {application.number} 的拟办答复，待您审核签发")


def due(entries) -> None:
    """The reminder run's notices, in one insert: ``entries`` are (kind, application, text, staff of
    its agency who act); each goes to the case's handler, or to those staff while it has none —
    once per case and due date (a case notified yesterday is not notified again today)."""
    rows = []
    for kind, application, text, acting in entries:
        handler = application.handler
        recipients = [handler] if handler is not None and handler.is_active else acting
        key = f"{kind}:{application.pk}:{application.due_on}"
        rows += [Notification(recipient=user, kind=kind, application=application, text=text[:300], key=key)
                 for user in {u.pk: u for u in recipients}.values()]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_count_subquery(user_ref=OuterRef("pk")) -> Subquery:
    """The number of ``user_ref``'s unread notices, as a subquery (one query with others)."""
    return Subquery(Notification.objects.filter(recipient=user_ref, read_at__isnull=True).order_by()
                    .annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def mark_read(user, ids=None) -> int:
    """Mark ``user``'s notices read (those of ``ids``, or all); someone else's are not touched."""
    notices = unread(user)
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    return notices.update(read_at=timezone.now())


__all__ = ["notify", "case_assigned", "online_application", "awaiting_signoff", "due", "unread", "mark_read",
           "unread_count_subquery", "members"]
