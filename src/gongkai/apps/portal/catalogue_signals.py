"""The portal's cached category counts follow the catalogue: forgotten when an item is saved or deleted."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gongkai.apps.catalogue.models import Item

from .published import forget_counts


@receiver([post_save, post_delete], sender=Item, dispatch_uid="portal_forget_category_counts")
def item_changed(sender, instance: Item, **kwargs) -> None:
    forget_counts(instance.agency_id)
