"""``{% applicant_panel application as panel %}``: what the case page shows of the messages to the
applicant and of the files the applicant downloaded (``apps/online``)."""

from __future__ import annotations

from django import template

from .. import downloads, notify

register = template.Library()


@register.simple_tag
def applicant_panel(application) -> dict:
    messages = list(application.applicant_messages.order_by("-created_at", "-pk"))
    available = downloads.availability(application)
    note = ""
    if available is not None:
        if available.until is None:
            note = f"申请人选择网上获取：答复送达后{downloads.download_days()}日内，可在办理进度页面凭查询码下载答复书和设为“提供给申请人”的附件。"
        elif available.open:
            note = f"申请人选择网上获取：可在办理进度页面凭查询码下载答复书和设为“提供给申请人”的附件，至{available.until.isoformat()}止。"
        else:
            note = f"申请人选择网上获取：下载期限已于{available.until.isoformat()}届满。"
    return {
        "download_note": note,
        "messages": messages,
        "failed": [m for m in messages if m.status == m.Status.FAILED],
        "contacts": notify.contacts_of(application),
        "downloads": downloads.availability(application),
        "records": list(application.applicant_downloads.order_by("-at", "-pk")[:50]),
    }
