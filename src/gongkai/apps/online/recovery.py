"""Recovering a lost tracking code (找回查询码) by the contact the applicant gave.

The applicant names the agency, the application's number (``2026-0042``) or the day it was
submitted, and the e-mail address or mobile number given on the form. For each online application
of that agency that matches, a NEW code is drawn, its SHA-256 replaces the old one (which stops
working at once, and with it any open tracking session), and the code is sent to the address the
application holds — never to an address typed only now. The answer is the same whether anything
matched or not, so the form does not tell whether a case exists; floods are limited per client
address and per contact typed (``GONGKAI_THROTTLE_RECOVER_IP``, ``GONGKAI_THROTTLE_RECOVER_CONTACT``).
"""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application

from . import notify, sms
from .models import ApplicantMessage, OnlineSubmission
from .tracking import code_hash, new_code, show_code

NUMBER = re.compile(r"^\s*(\d{4})\s*[-－—_/]\s*0*(\d{1,6})\s*$")
MAX_MATCHES = 20  # one applicant's online applications to one agency on one day, and then some


def parse_number(text: str) -> tuple[int, int] | None:
    """``2026-0042`` → (2026, 42); None if it is not a registry number."""
    found = NUMBER.match(text or "")
    return (int(found[1]), int(found[2])) if found else None


def normalize_contact(text: str) -> notify.Contact | None:
    """What the applicant typed as an e-mail address or a mobile number; None if it is neither."""
    text = (text or "").strip()
    if "@" in text:
        return notify.Contact(ApplicantMessage.Channel.EMAIL, text.lower())
    mobile = sms.mobile_number(text)
    return notify.Contact(ApplicantMessage.Channel.SMS, mobile) if mobile else None


def given_contact(application: Application, typed: notify.Contact) -> notify.Contact | None:
    """The application's own contact that ``typed`` names, or None."""
    for contact in notify.contacts_of(application):
        if contact.channel == typed.channel and (
                contact.address.lower() == typed.address if contact.channel == ApplicantMessage.Channel.EMAIL
                else contact.address == typed.address):
            return contact
    return None


def recover(agency: Agency, number: tuple[int, int] | None, day: date | None, typed: notify.Contact) -> int:
    """Issue and send a new code for each matching online application; returns how many (for tests
    and the log only: the page never says)."""
    if number is None and day is None:
        return 0
    applications = Application.objects.filter(agency=agency, online_submission__isnull=False).select_related("agency")
    if number is not None:
        applications = applications.filter(year=number[0], serial=number[1])
    else:
        applications = applications.filter(received_on=day)
    issued = 0
    with transaction.atomic():
        for application in applications.order_by("pk")[:MAX_MATCHES]:
            contact = given_contact(application, typed)
            if contact is None:
                continue
            code = new_code()
            OnlineSubmission.objects.filter(application=application).update(code_hash=code_hash(code))
            notify.queue(application, ApplicantMessage.Kind.TRACKING_CODE, code=show_code(code), contacts=[contact])
            issued += 1
    return issued
