from django import template

from gongkai.apps.appeals.services import can_write

register = template.Library()


@register.filter
def can_appeal(user, application) -> bool:
    """May ``user`` record reviews and lawsuits of ``application`` (decided or not: an undecided one
    is appealed for not being answered, 不作为)?"""
    return can_write(user, application)


@register.filter
def can_edit_appeals(user, application) -> bool:
    return can_write(user, application)
