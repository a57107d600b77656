"""督办: the supervising office's notice to an agency about an overdue application.

The supervisor sends it from the region's list of overdue applications (the registry's
``overdue`` work list, ``desk.worklists``): an application whose reply period has ended without
a decision. The agency's staff see it on their desk and on the case page until they answer (a
handler or an approver: what was done and when the reply will be made); the office reads the
answer and closes the notice. One notice about an application runs at a time; a closed one stays
in the history and a new one may follow. Nothing is deleted.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application
from gongkai.apps.desk.worklists import WORKLISTS, today, worklist_cases
from gongkai.apps.holidays.models import work_calendar
from gongkai.core.casework.workdays import count_working_days

from .models import SupervisionNotice

ANSWER_WORKING_DAYS = 3  # the usual time an office gives for the written answer to a 督办
RUNNING = (SupervisionNotice.State.OPEN, SupervisionNotice.State.ANSWERED)


def overdue(region: Agency, day: date | None = None) -> QuerySet[Application]:
    """The region's overdue applications (the registry's ``overdue`` work list), oldest due first."""
    return worklist_cases(WORKLISTS["overdue"], region.subtree(), day or today(), work_calendar())


def default_answer_due(day: date | None = None) -> date:
    return count_working_days(day or today(), ANSWER_WORKING_DAYS, work_calendar()).due


def default_text(application: Application, answer_due: date) -> str:
    """The notice's usual wording, from the case's own dates (the office may change it)."""
    return (f"你单位{chinese_date(application.received_on)}收到的第{application.number}号政府信息公开申请，"
            f"答复期限已于{chinese_date(application.due_on)}届满，至今未作出答复。"
            f"根据《中华人民共和国政府信息公开条例》第三十三条的规定，请抓紧依法办理，"
            f"并于{chinese_date(answer_due)}前书面答复逾期原因、办理进展和整改措施。")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def send(user, application: Application, text: str, answer_due_on: date) -> SupervisionNotice:
    """The supervisor of the application's region sends a 督办 about it; only an overdue case,
    and only one running notice per case."""
    region = permissions.region_of(user, application.agency)
    if region is None:
        raise PermissionDenied(f"只有“{application.agency}”所在地区的政务公开工作主管部门才能督办")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请写明督办事项"})
    day = today()
    if answer_due_on <= day:
        raise ValidationError({"answer_due_on": "答复期限应在今天之后"})
    with transaction.atomic():
        if not overdue(region, day).filter(pk=application.pk).exists():
            raise ValidationError(f"申请 {application.number} 没有逾期（或已作出答复决定），无需督办")
        if SupervisionNotice.objects.filter(application=application, state__in=RUNNING).exists():
            raise ValidationError(f"申请 {application.number} 已有尚未办结的督办")
        try:
            with transaction.atomic():
                return SupervisionNotice.objects.create(region=region, agency=application.agency,
                                                        application=application, text=text,
                                                        answer_due_on=answer_due_on, sent_by=user)
        except IntegrityError as exc:  # sent meanwhile by another supervisor
            raise ValidationError(f"申请 {application.number} 已有尚未办结的督办") from exc


def answer(user, notice: SupervisionNotice, text: str) -> SupervisionNotice:
    """A handler or approver of the agency answers the notice."""
    if not permissions.may(user, notice.agency, permissions.Action.ANSWER):
        raise PermissionDenied(f"只有“{notice.agency}”的承办或审核人员才能答复督办")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": "请写明逾期原因、办理进展和整改措施"})
    with transaction.atomic():
        locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.state != SupervisionNotice.State.OPEN:
            raise ValidationError(f"该督办{locked.get_state_display()}，不能再答复")
        locked.state, locked.answer = SupervisionNotice.State.ANSWERED, text
        locked.answered_by, locked.answered_at = user, timezone.now()
        locked.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        return locked


def close(user, notice: SupervisionNotice) -> SupervisionNotice:
    """The supervising office closes the notice (answered, or the case decided meanwhile)."""
    if not permissions.may_supervise(user, notice.agency):
        raise PermissionDenied("只有发出督办的政务公开工作主管部门才能办结督办")
    with transaction.atomic():
        locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.state == SupervisionNotice.State.CLOSED:
            raise ValidationError("该督办已办结")
        locked.state, locked.closed_by, locked.closed_at = SupervisionNotice.State.CLOSED, user, timezone.now()
        locked.save(update_fields=["state", "closed_by", "closed_at"])
        return locked


def for_staff(user) -> QuerySet[SupervisionNotice]:
    """The open notices to the agencies where ``user`` works (not those of supervised ones)."""
    return (SupervisionNotice.objects.filter(agency__in=permissions.writable_agencies(user),
                                             state=SupervisionNotice.State.OPEN)
            .select_related("agency", "application", "region").order_by("answer_due_on", "pk"))


def for_region(user) -> QuerySet[SupervisionNotice]:
    """Every notice sent by ``user``'s regions, newest first."""
    return (SupervisionNotice.objects.filter(region__in=permissions.supervised_regions(user))
            .select_related("agency", "application", "sent_by", "answered_by", "closed_by"))
