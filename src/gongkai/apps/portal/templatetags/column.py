"""``{% column_section %}``, ``{% column_nav %}`` and ``{% column_crumbs %}``: the section of the
page being rendered, the disclosure column's navigation and the page's first breadcrumbs (from
its ``agency`` and ``section``; ``portal.column``)."""

from __future__ import annotations

from django import template

from .. import column

register = template.Library()


def _url_name(context) -> str | None:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.url_name if match else None


@register.simple_tag(takes_context=True)
def column_section(context) -> str:
    return column.current_section(context.get("section") or "", _url_name(context))


@register.simple_tag(takes_context=True)
def column_nav(context) -> list[column.Link]:
    return column.navigation(context.get("agency"))


@register.simple_tag(takes_context=True)
def column_crumbs(context) -> list[column.Link]:
    crumbs = column.crumbs(context.get("agency"), column_section(context))
    page = column.ON_REQUEST_PAGES.get(_url_name(context) or "")
    if page:
        crumbs.append(column.Link("page", page, context["request"].path))
    return crumbs
