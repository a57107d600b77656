"""What the registry does with applicants' personal data besides keeping it (个人信息保护法):
the recorded reveal of a full ID number, and the erasure after the retention period.

- ``reveal_id_number``: the full number for the handler assigned to the case or an approver of its
  agency, nobody else (not the registrar, not another handler, not a supervisor); each reveal is a
  ``CaseEvent`` ``reveal_id`` with who and when, never the number.
- ``purge_personal_data``: for cases finished (replied, closed, withdrawn or merged) longer ago
  than ``GONGKAI_RETENTION_YEARS`` — counted, as archive periods are, from 1 January of the year
  after the last step — the applicant's name (of a natural person), ID, phone, e-mail, address and
  contact person are erased, in the case and in the copies its history kept; what table 3 counts
  (applicant type, dates, outcome) stays. Each erasure is a ``CaseEvent`` ``purge_personal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from gongkai.apps.agencies.permissions import may_reveal_id_number
from gongkai.apps.system_accounts import system_account
from gongkai.core.casework.lifecycle import Event, State

from .models import PURGE_EVENT, REVEAL_EVENT, Application, CaseEvent
from .personal import ERASED_NAME

DEFAULT_RETENTION_YEARS = 10
# Finished: nothing more happens to the case (a decided case waits for its reply to be delivered).
FINISHED_STATES = (State.REPLIED.value, State.CLOSED.value, State.WITHDRAWN.value, State.MERGED.value)
# The applicant's personal data in the registry (an organisation's name and credit code are not).
PERSONAL_FIELDS = ("applicant_name", "id_type", "id_number", "contact_person", "phone", "email", "address")
ERASED_LABELS = "申请人姓名（自然人）、身份证件类型和号码、联系人、联系电话、电子邮箱、通信地址"
RETENTION_USERNAME = "personal-data-retention"
RETENTION_NAME = "个人信息保存期限（系统）"


# --- reveal -------------------------------------------------------------------------------------

def reveal_id_number(user, application: Application, reason: str = "") -> str:
    """The full ID number of ``application``, recorded in its history (who, when, why; not the number)."""
    if not application.id_number:
        raise PermissionDenied("该申请没有登记身份证件号码")
    if not may_reveal_id_number(user, application):
        raise PermissionDenied("只有本件的承办人和本机关的审核人（负责人）才能查看完整的身份证件号码")
    CaseEvent.objects.create(application=application, event=REVEAL_EVENT, on=timezone.localdate(), user=user,
                             reason=reason.strip()[:500], before={}, after={})
    return application.id_number


# --- retention ----------------------------------------------------------------------------------

def retention_years() -> int:
    """``GONGKAI_RETENTION_YEARS`` (default 10): years a finished case keeps its applicant's data."""
    value = getattr(settings, "GONGKAI_RETENTION_YEARS", DEFAULT_RETENTION_YEARS)
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = 0
    if years < 1:
        raise ImproperlyConfigured(f"GONGKAI_RETENTION_YEARS 应为不小于1的整数（年），现为“{value}”")
    return years


def keep_until_year(finished_on: date, years: int) -> int:
    """The last year a case finished on ``finished_on`` is kept (archive periods count from 1 January
    of the year after): finished in 2026, kept 10 years → kept to the end of 2036."""
    return finished_on.year + years


def due_for_purge(today: date | None = None, years: int | None = None) -> models.QuerySet:
    """Finished cases past the retention period, not yet erased, without a pending review or lawsuit,
    annotated with ``finished_on`` (the date of their last lifecycle step)."""
    today = today or timezone.localdate()
    years = retention_years() if years is None else years
    steps = [e.value for e in Event]
    return (Application.objects.filter(state__in=FINISHED_STATES)
            .annotate(finished_on=models.Max("events__on", filter=models.Q(events__event__in=steps)))
            .filter(finished_on__lt=date(today.year - years, 1, 1))
            .exclude(events__event=PURGE_EVENT)
            .exclude(appeals__result="pending")
            .select_related("agency").order_by("agency__order_path", "year", "serial"))


def retention_account():
    """The account the erasures are recorded under when no person runs them (it cannot log in)."""
    return system_account(RETENTION_USERNAME, RETENTION_NAME)


@dataclass(frozen=True)
class Purged:
    application: Application
    finished_on: date


def _erased(application: Application, name: str):
    if name == "applicant_name":
        return ERASED_NAME if application.applicant_type == "natural_person" else application.applicant_name
    return ""


def purge_personal_data(today: date | None = None, years: int | None = None, user=None,
                        dry_run: bool = False) -> list[Purged]:
    """Erase the personal data of the cases past the retention period (see the module's text)."""
    years = retention_years() if years is None else years
    if years < 1:
        raise ValueError("保存期限至少为1年")
    found = [Purged(a, a.finished_on) for a in due_for_purge(today, years)]
    if dry_run or not found:
        return found
    user = user or retention_account()
    reason = (f"办结后保存期限（{years}年，自办结次年1月1日起算）已届满，依《个人信息保护法》第四十七条删除{ERASED_LABELS}；"
              "申请人类别、日期、办理结果等统计所需内容保留")
    on = today or timezone.localdate()
    for item in found:
        with transaction.atomic():
            current = Application.objects.select_for_update().get(pk=item.application.pk)
            for name in PERSONAL_FIELDS:
                setattr(current, name, _erased(current, name))
            current.save(update_fields=list(PERSONAL_FIELDS))
            for event in current.events.all():  # the copies the history kept
                if _erase_copies(current, event.before) | _erase_copies(current, event.after):
                    event.save(update_fields=["before", "after"])
            CaseEvent.objects.create(application=current, event=PURGE_EVENT, on=on, user=user, reason=reason,
                                     before={}, after={})
    return found


def _erase_copies(application: Application, record) -> bool:
    if not isinstance(record, dict):
        return False
    changed = False
    for name in PERSONAL_FIELDS:
        if name == "applicant_name" and application.applicant_type != "natural_person":
            continue
        if record.get(name) and record[name] != ERASED_NAME:
            record[name] = ERASED_NAME
            changed = True
    return changed


__all__ = ["may_reveal_id_number", "reveal_id_number", "purge_personal_data", "due_for_purge", "retention_years",
           "keep_until_year", "PERSONAL_FIELDS", "FINISHED_STATES", "DEFAULT_RETENTION_YEARS"]
