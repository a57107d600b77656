"""Index numbers (索引号): the agency's format, the next number of a year, and a number typed in
for an existing item."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.counters import next_number
from gongkai.apps.records import snapshot
from gongkai.core.casework import catalogue as rules

from .access import require_review
from .history import record_setting
from .models import CatalogueSettings, IndexCounter, Item


def settings_for(agency: Agency) -> CatalogueSettings | None:
    return CatalogueSettings.objects.filter(agency=agency).first()


def save_settings(user, agency: Agency, index_prefix: str, index_format: str,
                  serial_digits: int = rules.DEFAULT_SERIAL_DIGITS, reason: str = "") -> CatalogueSettings:
    """The agency's index number format (its approvers only); every change is kept."""
    require_review(user, agency, "设置索引号格式")
    try:
        prefix = rules.check_index_prefix(index_prefix)
        rules.format_index_number(index_format, prefix, 2000, 1, 1, serial_digits)
    except rules.IndexNumberError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        current = CatalogueSettings.objects.select_for_update().filter(agency=agency).first()
        before = snapshot(current, SETTING_FIELDS) if current else {}
        settings, _ = CatalogueSettings.objects.update_or_create(
            agency=agency, defaults={"index_prefix": prefix, "index_format": index_format,
                                     "serial_digits": serial_digits, "updated_by": user})
        record_setting(agency, "index_numbers", user, before, snapshot(settings, SETTING_FIELDS), reason)
    return settings


SETTING_FIELDS = ("index_prefix", "index_format", "serial_digits")


def generate_index_number(agency: Agency, made_on: date) -> str:
    """The agency's next index number of ``made_on``'s year; call inside a transaction. Without
    settings, the agency's unified social credit code and the national format are used."""
    settings = settings_for(agency)
    prefix = settings.index_prefix if settings else agency.credit_code
    if not prefix:
        raise ValidationError({"index_number": f"“{agency}”尚未设置索引号前缀：请审核人在“目录设置”中填写，"
                                               "或填写已有的索引号"})
    fmt = settings.index_format if settings else rules.DEFAULT_INDEX_FORMAT
    digits = settings.serial_digits if settings else rules.DEFAULT_SERIAL_DIGITS
    while True:  # numbers entered by hand may already hold a serial the counter has not reached
        number = rules.format_index_number(fmt, prefix, made_on.year, made_on.month, next_number(IndexCounter, agency=agency, year=made_on.year),
                                           digits)
        if not Item.objects.filter(agency=agency, index_number=number).exists():
            return number


def accept_index_number(agency: Agency, text: str, item: Item | None = None) -> str:
    """An index number entered for an existing item, normalised, if it is readable and unused."""
    try:
        number = rules.parse_index_number(text).text
    except rules.IndexNumberError as exc:
        raise ValidationError({"index_number": str(exc)}) from exc
    taken = Item.objects.filter(agency=agency, index_number=number)
    if item is not None and item.pk:
        taken = taken.exclude(pk=item.pk)
    if taken.exists():
        raise ValidationError({"index_number": f"索引号 {number} 已被本机关的其他信息使用"})
    return number
