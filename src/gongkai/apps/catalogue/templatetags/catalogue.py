"""``{% load catalogue %}{% catalogue_table2_note agency year %}``: on the annual report's year
page, which rows of table 2 are counted from the catalogue, with their numbers."""

from django import template

from gongkai.core import standard

from ..table2 import catalogue_table2_rows

register = template.Library()


@register.inclusion_tag("catalogue/includes/table2_note.html")
def catalogue_table2_note(agency, year):
    rows = catalogue_table2_rows(agency, year)
    return {"rows": [(standard.ACTIVE.row(key), counts) for key, counts in rows.items()], "year": year}
