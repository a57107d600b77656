"""The index follows the catalogue: an item saved is indexed if published, removed otherwise."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from gongkai.apps.catalogue.models import Item

from .services import index_item


@receiver(post_save, sender=Item, dispatch_uid="search_index_item")
def item_saved(sender, instance: Item, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures (loaddata) are indexed by rebuild_search_index
        index_item(instance)
