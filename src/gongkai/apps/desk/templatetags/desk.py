"""Template filters of the staff workspace."""

from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A person's name as Chinese writes it (family name first, no space), else the login name."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()


@register.filter
def field(form, name: str):
    """The bound field ``name`` of ``form`` (a field named in a list the template loops over)."""
    return form[name]
