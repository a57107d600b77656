"""Numbers drawn in order from a counter row (serial numbers of applications, index numbers of
catalogue items): the row is locked for the transaction, so concurrent drawers never get the
same number."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction


def next_number(counter: type[models.Model], **key) -> int:
    """The next number of the ``counter`` row ``key`` (a model with a ``last`` field and a unique
    constraint on the key fields); call inside a transaction."""
    try:
        with transaction.atomic():  # a savepoint: a concurrent first drawer may win the insert
            counter.objects.get_or_create(**key)
    except IntegrityError:
        pass
    row = counter.objects.select_for_update().get(**key)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last
