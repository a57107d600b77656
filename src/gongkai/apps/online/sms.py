"""Short messages (短信) to applicants, through a pluggable sender.

A sender is a class named by the setting ``GONGKAI_SMS_BACKEND`` (a dotted path) whose instances
have ``send(phone, text)``: it delivers one message to one mainland mobile number or raises
``SmsError`` (or any exception) with the reason. A provider's sender (阿里云短信, 腾讯云短信, an
operator's SMS gateway …) subclasses ``SmsBackend`` and takes its credentials from its own
settings; ``send_sms`` catches nothing, so the caller records the failure.

Included:

- ``ConsoleBackend`` (the default): writes each message to standard output and to the log
  ``gongkai.sms`` — nothing leaves the machine, as Django's console e-mail backend;
- ``LocmemBackend``: keeps the messages in ``outbox`` (tests, like ``django.core.mail.outbox``);
- ``DisabledBackend``: sends nothing and says so (an office without SMS; messages are recorded as
  failed with the reason, so staff know the applicant was not told by SMS).
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "gongkai.apps.online.sms.ConsoleBackend"
# A mainland mobile number: 11 digits starting with 1 (an optional +86 / 0086 before it).
MOBILE = re.compile(r"1[3-9]\d{9}")
MAX_LENGTH = 500  # characters; providers split long texts into several billed parts

log = logging.getLogger("gongkai.sms")


class SmsError(Exception):
    """A message the sender could not deliver; the text says why (shown to staff)."""


def mobile_number(phone: str) -> str | None:
    """The 11-digit mainland mobile number in ``phone`` (spaces, hyphens, +86 ignored), or None
    (a landline or anything else cannot receive a short message)."""
    digits = re.sub(r"[\s\-()（）]", "", phone or "")
    digits = re.sub(r"^(\+86|0086|86)(?=1\d{10}$)", "", digits)
    return digits if MOBILE.fullmatch(digits) else None


@dataclass(frozen=True)
class Sent:
    phone: str
    text: str


class SmsBackend:
    """The interface a provider implements: ``send`` one text to one mobile number or raise."""

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    """Writes the message to standard output and the log instead of sending it."""

    stream = None  # sys.stdout at the time of sending (so that captured output sees it)

    def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[短信] 发送至 {phone}：{text}\n")
        stream.flush()
        log.info("SMS to %s: %s", phone, text)


outbox: list[Sent] = []


class LocmemBackend(SmsBackend):
    """Keeps each message in ``gongkai.apps.online.sms.outbox``."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(Sent(phone, text))


class DisabledBackend(SmsBackend):
    """No SMS at this installation: every message fails with the reason."""

    def send(self, phone: str, text: str) -> None:
        raise SmsError("本系统未配置短信发送（GONGKAI_SMS_BACKEND）")


def get_backend() -> SmsBackend:
    """An instance of the configured sender (``GONGKAI_SMS_BACKEND``)."""
    return import_string(getattr(settings, "GONGKAI_SMS_BACKEND", "") or DEFAULT_BACKEND)()


def send_sms(phone: str, text: str, backend: SmsBackend | None = None) -> None:
    """Send ``text`` to the mobile number ``phone``; raises SmsError (or the sender's error)."""
    number = mobile_number(phone)
    if number is None:
        raise SmsError("不是可以接收短信的手机号码")
    if not text or len(text) > MAX_LENGTH:
        raise SmsError(f"短信内容为空或超过 {MAX_LENGTH} 字")
    (backend or get_backend()).send(number, text)
