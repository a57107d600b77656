"""The supervising office's panels on other apps' pages: the submission history on an agency's
report page, the 督办 on a case page and on the staff's desk."""

from __future__ import annotations

from django import template

from gongkai.apps.agencies import permissions

from .. import notices, submissions
from ..models import SupervisionNotice

register = template.Library()


@register.inclusion_tag("supervision/_submission_panel.html", takes_context=True)
def submission_panel(context, agency, year, annual=None):
    user = context["user"]
    history = submissions.history(agency, year)
    return {"agency": agency, "year": year, "csrf_token": context.get("csrf_token"),
            "history": [(s, submissions.published_version(s)) for s in history],
            "can_submit": annual is not None and annual.pk is not None and submissions.may_submit(user, agency),
            "pending": bool(history) and history[0].state == history[0].State.SUBMITTED,
            "can_review": permissions.may_review(user, agency)}


@register.inclusion_tag("supervision/_case_notices.html", takes_context=True)
def case_notices(context, application):
    user = context["user"]
    return {"notices": list(SupervisionNotice.objects.filter(application=application)
                            .select_related("region", "sent_by", "answered_by", "closed_by")),
            "can_answer": permissions.may(user, application.agency, permissions.Action.ANSWER),
            "can_close": permissions.may_supervise(user, application.agency),
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("supervision/_desk_notices.html", takes_context=True)
def desk_notices(context):
    return {"notices": list(notices.for_staff(context["user"]))}
