"""Online applications into the registry.

The registry registers an application only for a registrar or handler of the agency
(``register_application``) and records who did it. An application from the portal is
registered by the installation's intake account "网上申请系统" — a user that cannot log in
(inactive, unusable password), created on first use, holding the registrar role in exactly the
agencies whose ``OnlineIntake`` is enabled. So the registry's rules (year closed, validation,
serial numbers from the locked counter, the register event in the history, attachments checked
for type and size) apply to online applications unchanged, and the case page shows
"登记人：网上申请系统".

No lawful application is refused for being one of many: an applicant's applications to an agency
beyond ``REVIEW_AFTER`` in a day are registered flagged for review (``flagged_for_review``, with a
note such as "该申请人当日向本机关提出的第6件网上申请"); the desk lists them ("待审查的网上申请")
and points to the step of 条例 Art. 35 (asking the applicant for reasons). Floods and robots are
stopped per address before this (``throttle``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application, Channel
from gongkai.apps.cases.services import add_attachment, register_application
from gongkai.apps.notices import services as notices
from gongkai.apps.system_accounts import system_account

from .models import OnlineIntake, OnlineSubmission
from .throttle import keyed
from .tracking import code_hash, new_code

INTAKE_USERNAME = "online-intake"
INTAKE_NAME = "网上申请系统"
ATTACHMENT_NOTE = "申请人网上提交"
# 条例 has no ground to refuse an application because of how many the person made: from the 6th
# online application of one applicant to one agency in a day, the application is registered as
# usual and flagged for the handler to consider asking for reasons (条例 Art. 35).
REVIEW_AFTER = 5
# What the applicant fills in that the registry keeps (channel and received_on are set here).
APPLICANT_FIELDS = ("applicant_type", "applicant_name", "id_type", "id_number", "credit_code", "contact_person",
                    "phone", "email", "address", "description", "form_wanted", "delivery_wanted")


def intake_account():
    """The intake account of this installation (created on first use; it can never log in)."""
    return system_account(INTAKE_USERNAME, INTAKE_NAME)


def enable_online_intake(agency: Agency, contact: str = "", notice: str = "") -> OnlineIntake:
    """Let ``agency`` accept online applications (and give the intake account its registrar role)."""
    with transaction.atomic():
        intake, _ = OnlineIntake.objects.update_or_create(
            agency=agency, defaults={"enabled": True, "contact": contact, "notice": notice})
        Membership.objects.get_or_create(user=intake_account(), agency=agency, role=Membership.Role.REGISTRAR)
    return intake


def disable_online_intake(agency: Agency) -> None:
    """Stop accepting online applications for ``agency`` (what came in before stays in the registry)."""
    with transaction.atomic():
        OnlineIntake.objects.filter(agency=agency).update(enabled=False)
        Membership.objects.filter(user__username=INTAKE_USERNAME, agency=agency,
                                  role=Membership.Role.REGISTRAR).delete()


def intake_agencies():
    """The agencies the public may apply to online, in the order of the hierarchy."""
    return Agency.objects.filter(online_intake__enabled=True, active=True).order_by("order_path")


@dataclass(frozen=True)
class Receipt:
    """What the applicant takes away: the registry record and the tracking code (shown once)."""

    application: Application
    code: str


def submit_online_application(agency: Agency, files: list[tuple[str, bytes]] = (), **fields) -> Receipt:
    """Register an application submitted on the portal today and return its tracking code.

    ``fields`` are ``APPLICANT_FIELDS``; ``files`` are (file name, content) pairs kept as its
    attachments. Received on the day of submission in Asia/Shanghai (条例 Art. 31: the receipt is
    the agency's confirmation). Raises ValidationError (in Chinese) if the agency does not accept
    online applications or a field is wrong, TransitionError if the year is closed; then nothing
    is stored.
    """
    unknown = set(fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"not an applicant field: {sorted(unknown)}")
    if not OnlineIntake.objects.filter(agency=agency, enabled=True, agency__active=True).exists():
        raise ValidationError({"agency": f"“{agency}”暂不接受网上申请，请选择其他机关或以信函、当面等方式提出申请"})
    code = new_code()
    today = timezone.localdate()
    key = applicant_key(fields)
    with transaction.atomic():
        user = intake_account()
        Membership.objects.get_or_create(user=user, agency=agency, role=Membership.Role.REGISTRAR)
        nth = 1 + (OnlineSubmission.objects.filter(applicant_key=key, application__agency=agency,
                                                   application__received_on=today).count() if key else 0)
        flag = {}
        if nth > review_after():
            flag = {"flagged_for_review": True, "flag_note": f"该申请人当日向本机关提出的第{nth}件网上申请"}
        application = register_application(user, agency, channel=Channel.ONLINE, received_on=today, **flag, **fields)
        for name, content in files:
            add_attachment(user, application, name, content, note=ATTACHMENT_NOTE)
        OnlineSubmission.objects.create(application=application, code_hash=code_hash(code), applicant_key=key)
        notices.online_application(application)
    return Receipt(application, code)


def review_after() -> int:
    """How many online applications of one applicant to one agency in a day are registered as
    usual; each one after them is registered too, flagged for review (``GONGKAI_ONLINE_REVIEW_AFTER``)."""
    return max(1, int(getattr(settings, "GONGKAI_ONLINE_REVIEW_AFTER", REVIEW_AFTER)))


def applicant_key(fields: dict) -> str:
    """Who applies, as a keyed hash of the ID number or the credit code ("" when neither is given)."""
    value = (fields.get("id_number") or fields.get("credit_code") or "").strip().upper()
    return keyed("online_applicant", value) if value else ""
