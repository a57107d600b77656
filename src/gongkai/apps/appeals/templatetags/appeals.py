from django import template

from gongkai.apps.appeals.models import DECIDED_STATES
from gongkai.apps.appeals.services import can_write

register = template.Library()


@register.filter
def can_appeal(user, application) -> bool:
    """May ``user`` record reviews and lawsuits of ``application`` (and is it decided)?"""
    return application.state in DECIDED_STATES and can_write(user, application)


@register.filter
def can_edit_appeals(user, application) -> bool:
    return can_write(user, application)
