"""``{% applicant_panel application as panel %}``: what the case page shows of the messages to the
applicant and of the files the applicant downloaded (``apps/online``)."""

from __future__ import annotations

from django import template

from .. import downloads, notify

register = template.Library()


@register.simple_tag
def applicant_panel(application) -> dict:
    messages = list(application.applicant_messages.order_by("-created_at", "-pk"))
    return {
        "messages": messages,
        "failed": [m for m in messages if m.status == m.Status.FAILED],
        "contacts": notify.contacts_of(application),
        "downloads": downloads.availability(application),
        "records": list(application.applicant_downloads.order_by("-at", "-pk")[:50]),
    }
