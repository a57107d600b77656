"""The notifications page: one's own notices, newest first; open one (marks it read), mark read, mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .models import Notification

PAGE_SIZE = 50


@login_required
def index(request):
    notices = Notification.objects.filter(recipient=request.user).select_related("application")
    if request.GET.get("unread"):
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/index.html", {
        "page": page, "unread_only": bool(request.GET.get("unread")),
        "query": "unread=1" if request.GET.get("unread") else "",
    })


@login_required
@require_POST
def open_notice(request, pk: int):
    """Mark the notice read and go to its case."""
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, [notice.pk])
    return redirect("desk:case", pk=notice.application_id)


@login_required
@require_POST
def mark_read(request):
    ids = [int(v) for v in request.POST.getlist("notice") if v.isdigit()]
    if request.POST.get("all"):
        count = services.mark_read(request.user)
        messages.success(request, f"已将全部 {count} 条未读通知标为已读" if count else "没有未读通知")
    elif ids:
        count = services.mark_read(request.user, ids)
        messages.success(request, f"已将 {count} 条通知标为已读")
    else:
        messages.error(request, "请选择要标为已读的通知")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return redirect(back or "notices:index")
