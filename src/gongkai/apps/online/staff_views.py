"""The staff's side of the messages to applicants: sending a failed message again (from the case
page's panel 告知申请人). Handlers and approvers of the case's agency only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from gongkai.apps.agencies import permissions

from . import notify
from .models import ApplicantMessage


@login_required
@require_POST
def resend(request, pk: int):
    """Send a failed message again, to the contact the case holds now (a new record)."""
    message = get_object_or_404(ApplicantMessage.objects.select_related("application__agency"), pk=pk,
                                application__agency__in=permissions.visible_agencies(request.user))
    application = message.application
    if not permissions.may(request.user, application.agency, permissions.Action.ACT):
        raise PermissionDenied(f"只有“{application.agency}”的承办或审核人员才能重新发送告知申请人的消息")
    if message.status != ApplicantMessage.Status.FAILED or message.kind == ApplicantMessage.Kind.TRACKING_CODE:
        # A new tracking code is never kept: the applicant asks for one again on the recovery page.
        messages.error(request, "只有发送失败的告知（补发查询码除外）可以重新发送")
        return redirect("desk:case", pk=application.pk)
    contacts = [c for c in notify.contacts_of(application) if c.channel == message.channel]
    if not contacts:
        messages.error(request, f"本申请现在没有可用的{message.get_channel_display()}联系方式，请先修改登记信息")
        return redirect("desk:case", pk=application.pk)
    with transaction.atomic():
        [row] = notify.queue(application, message.kind, contacts=contacts)
    # Sent once the transaction commits; the panel shows the result.
    messages.success(request, f"已重新发送“{row.get_kind_display()}”至 {row.to_masked}，结果见“告知申请人”")
    return redirect("desk:case", pk=application.pk)
