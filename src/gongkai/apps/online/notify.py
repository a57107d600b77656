"""Applicants kept informed (告知申请人): an e-mail and a short message on receipt, on a correction
request (补正), on an extension and on the reply, to the e-mail address and the mobile number the
applicant gave (online or at the desk), and the new tracking code of a recovery.

- The trigger is the registry's own record: a ``CaseEvent`` of ``register``, ``request_correction``,
  ``extend`` or ``send_reply`` saved (the desk, the online form, sign-off — every path that goes
  through ``cases.services``). A message row (``ApplicantMessage``, status 待发送) is written in the
  same transaction as the step; the sending happens after the commit (``transaction.on_commit``),
  so a step that is rolled back sends nothing, and a sending that fails never undoes or breaks the
  step: the failure is logged and recorded on the row (status 发送失败 with the reason), which the
  case page shows.
- The texts are in Chinese and carry only the agency, the registry number, dates and what the
  applicant must do — no name, no ID number, no description; addresses are recorded masked.
- E-mail goes through Django's mail backend (``EMAIL_BACKEND``, as the staff reminders);
  short messages through ``sms.get_backend()`` (``GONGKAI_SMS_BACKEND``), to mainland mobile numbers only.
- ``GONGKAI_APPLICANT_MESSAGES`` (default on) switches the event messages off for an
  installation; ``paused()`` switches them off for a block of code (bulk imports, the demo).
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.apps.cases.models import REGISTER_EVENT, Application, ReplyChannel
from gongkai.core.casework.lifecycle import Event
from gongkai.core.casework.workdays import show

from . import sms
from .downloads import download_until, offers_downloads
from .models import ApplicantMessage

log = logging.getLogger(__name__)
Kind = ApplicantMessage.Kind
EVENT_KINDS = {
    REGISTER_EVENT: Kind.RECEIPT,
    Event.REQUEST_CORRECTION.value: Kind.CORRECTION,
    Event.EXTEND.value: Kind.EXTENSION,
    Event.SEND_REPLY.value: Kind.REPLY,
}
_paused = contextvars.ContextVar("gongkai_applicant_messages_paused", default=False)


@contextmanager
def paused():
    """No event messages for the steps taken inside the block (the demo, a bulk import)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_APPLICANT_MESSAGES", True)) and not _paused.get()


# --------------------------------------------------------------------------- addresses


def mask_email(address: str) -> str:
    """``zhang.san@example.com`` → ``z***@example.com``."""
    local, _, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_phone(number: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return f"{number[:3]}****{number[-4:]}" if len(number) >= 8 else "****"


@dataclass(frozen=True)
class Contact:
    channel: str  # ApplicantMessage.Channel
    address: str

    @property
    def masked(self) -> str:
        return mask_email(self.address) if self.channel == ApplicantMessage.Channel.EMAIL else mask_phone(self.address)


def contacts_of(application: Application) -> list[Contact]:
    """Where the applicant can be told: the e-mail address and the mobile number given (a landline
    cannot receive a short message)."""
    found = []
    if (application.email or "").strip():
        found.append(Contact(ApplicantMessage.Channel.EMAIL, application.email.strip()))
    mobile = sms.mobile_number(application.phone)
    if mobile:
        found.append(Contact(ApplicantMessage.Channel.SMS, mobile))
    return found


# --------------------------------------------------------------------------- texts


@dataclass(frozen=True)
class Text:
    subject: str
    body: str  # the e-mail
    short: str  # the short message


def _url(name: str) -> str:
    return settings.GONGKAI_BASE_URL.rstrip("/") + reverse(name)


def _tracking_lines(application: Application) -> tuple[str, str]:
    """What the message says about the tracking page (e-mail line, short-message clause)."""
    if not hasattr(application, "online_submission"):
        return "", ""
    return (f"您可以凭查询码在 {_url('online:track')} 查询办理进度；查询码遗失的，可在 {_url('online:recover')} "
            "以申请时填写的电子邮箱或手机号码重新获取。", f"办理进度可凭查询码在{_url('online:track')}查询。")


def compose(application: Application, kind: str, code: str = "") -> Text:
    """The Chinese text of a message about ``application`` (as it stands now)."""
    agency, number = str(application.agency), application.number
    head = f"【{agency}】"
    greeting = "申请人：\n\n您好！"
    track_line, track_short = _tracking_lines(application)
    sign = f"\n\n{agency}\n（本邮件由系统自动发送，请勿直接回复。）"
    if kind == Kind.RECEIPT:
        due = show(application.due_on) if application.due_on else ""
        subject = f"{agency}已收到您的政府信息公开申请（编号 {number}）"
        body = (f"{greeting}本机关于{show(application.received_on)}收到您的政府信息公开申请，登记编号为 {number}。"
                + (f"答复期限为{due}（自收到申请之日起20个工作日，《中华人民共和国政府信息公开条例》第三十三条）；"
                   "需要补正、征求意见或者延期的，本机关将另行告知。" if due else ""))
        short = (f"{head}已收到您的政府信息公开申请，编号{number}" + (f"，答复期限{due}" if due else "") + "。" + track_short)
    elif kind == Kind.CORRECTION:
        items = (application.correction_items or "").strip()
        subject = f"{agency}请您补正政府信息公开申请（编号 {number}）"
        body = (f"{greeting}本机关于{show(application.correction_requested_on)}就您的政府信息公开申请（编号 {number}）"
                "一次性告知需要补正的事项（《中华人民共和国政府信息公开条例》第三十条）"
                + (f"：\n\n{items}\n\n" if items else "，详见补正告知书。\n\n")
                + "答复期限自本机关收到补正之日起重新计算；无正当理由逾期不补正的，视为放弃申请。")
        short = f"{head}您的政府信息公开申请（编号{number}）需要补正，请查收补正告知书或查看办理进度页面。" + track_short
    elif kind == Kind.EXTENSION:
        due = show(application.due_on) if application.due_on else ""
        subject = f"{agency}延长答复期限的告知（编号 {number}）"
        body = (f"{greeting}经本机关政府信息公开工作机构负责人同意，您的政府信息公开申请（编号 {number}）的答复期限"
                f"延长至{due}（《中华人民共和国政府信息公开条例》第三十三条）。")
        short = f"{head}您的政府信息公开申请（编号{number}）答复期限已延长至{due}。" + track_short
    elif kind == Kind.REPLY:
        channel = ReplyChannel(application.reply_channel).label if application.reply_channel else ""
        subject = f"{agency}已答复您的政府信息公开申请（编号 {number}）"
        body = (f"{greeting}本机关已于{show(application.decided_on)}对您的政府信息公开申请（编号 {number}）作出答复"
                + (f"，并于{show(application.replied_on)}以{channel}方式送达" if application.replied_on and channel else "")
                + "。")
        short = f"{head}您的政府信息公开申请（编号{number}）已答复" + (f"，以{channel}方式送达" if channel else "") + "。"
        if offers_downloads(application) and download_until(application):
            until = show(download_until(application))
            body += (f"\n\n您选择网上获取：答复书和本机关提供的政府信息可在 {_url('online:track')} 凭查询码下载，"
                     f"下载期限至{until}。")
            short += f"答复书可凭查询码在{_url('online:track')}下载，期限至{until}。"
    elif kind == Kind.TRACKING_CODE:
        subject = f"{agency}政府信息公开申请的新查询码（编号 {number}）"
        body = (f"{greeting}根据您的申请，本机关为您的政府信息公开申请（编号 {number}）生成了新的查询码：\n\n"
                f"    {code}\n\n原查询码已经失效。请在 {_url('online:track')} 输入新的查询码和申请时填写的手机号码"
                "或证件号码的后4位查询办理进度。\n\n如果您没有申请重新获取查询码，请联系本机关。")
        short = f"{head}您的政府信息公开申请（编号{number}）新查询码：{code}，原查询码已失效。如非本人操作请联系本机关。"
        track_line = ""
    else:
        raise ValueError(f"unknown message kind {kind!r}")
    if track_line:
        body += "\n\n" + track_line
    return Text(subject, body + sign, short)


# --------------------------------------------------------------------------- sending


def queue(application: Application, kind: str, code: str = "", contacts: list[Contact] | None = None) -> list[ApplicantMessage]:
    """Record a message of ``kind`` to each contact of the applicant (or to ``contacts``) and send
    them once the current transaction commits. Returns the recorded rows (status 待发送)."""
    contacts = contacts_of(application) if contacts is None else contacts
    rows = [ApplicantMessage.objects.create(application=application, kind=kind, channel=c.channel, to_masked=c.masked)
            for c in contacts]
    if rows:
        addresses = [c.address for c in contacts]
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: deliver(ids, addresses, code), robust=True)
    return rows


def deliver(ids: list[int], addresses: list[str], code: str = "") -> None:
    """Send the recorded messages ``ids`` (to ``addresses``, in order); each failure is logged and
    recorded on its row, and never raised."""
    for pk, address in zip(ids, addresses, strict=True):
        row = ApplicantMessage.objects.select_related("application__agency").get(pk=pk)
        try:
            text = compose(row.application, row.kind, code)
            if row.channel == ApplicantMessage.Channel.EMAIL:
                EmailMessage(text.subject, text.body, settings.DEFAULT_FROM_EMAIL, [address]).send()
            else:
                sms.send_sms(address, text.short)
        except Exception as error:  # noqa: BLE001 - a message never breaks the staff's step
            log.exception("message %s (%s, %s) about application %s failed", row.pk, row.kind, row.channel,
                          row.application_id)
            reason = f"{type(error).__name__}: {error}"[:300]
            ApplicantMessage.objects.filter(pk=pk).update(status=ApplicantMessage.Status.FAILED, error=reason,
                                                          sent_at=timezone.now())
        else:
            ApplicantMessage.objects.filter(pk=pk).update(status=ApplicantMessage.Status.SENT, error="",
                                                          sent_at=timezone.now())


def on_case_event(sender, instance, created, raw=False, **kwargs) -> None:
    """``post_save`` of ``CaseEvent``: the registry recorded a step the applicant is told of."""
    if raw or not created or not enabled():
        return
    kind = EVENT_KINDS.get(instance.event)
    if kind is not None:
        queue(instance.application, kind)


def failed_messages(application: Application):
    return application.applicant_messages.filter(status=ApplicantMessage.Status.FAILED)
