"""``{% signoff_panel application as panel %}``: what the case page's sign-off panel shows;
``{% signoff_waiting as waiting %}``: the approver's number of drafts awaiting sign-off (None for others)."""

from __future__ import annotations

from django import template

from .. import services
from ..panel import panel

register = template.Library()


def _user(context):
    return context.get("user") or getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def signoff_panel(context, application) -> dict:
    return panel(_user(context), application)


@register.simple_tag(takes_context=True)
def signoff_waiting(context) -> int | None:
    user = _user(context)
    known = context.get("is_approver")  # the navigation's roles (desk.context_processors), if read
    if known is False or user is None:
        return None
    if known is None and not services.is_approver(user):
        return None
    return services.queue(user).count()
