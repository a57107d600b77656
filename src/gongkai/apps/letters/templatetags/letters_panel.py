"""``{% letters_panel application as panel %}``: what the case page's letters panel shows."""

from __future__ import annotations

import uuid

from django import template

from .. import services

register = template.Library()


@register.simple_tag(takes_context=True)
def letters_panel(context, application) -> dict:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    may_issue = user is not None and services.can_issue(user, application)
    return {
        "letters": services.issued_letters(application),
        "kinds": services.available_kinds(application) if may_issue else [],
        "can_issue": may_issue,
        # One token per page shown: a second click (or a resent form) returns the letter the first
        # made instead of drawing another number (services.issue_letter's request_token).
        "token": uuid.uuid4().hex,
    }
