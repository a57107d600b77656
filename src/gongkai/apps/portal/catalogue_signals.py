"""The portal's kept pages and counts follow the catalogue: a new revision of the agency's public
pages (``published.bump_revision``) when one of its items or categories, or the agency itself,
is saved or deleted — in the transaction of the change, so that no process serves a kept page
of what has changed once the change is committed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gongkai.apps.agencies.models import Agency
from gongkai.apps.catalogue.models import Category, Item

from .published import bump_revision


@receiver([post_save, post_delete], sender=Item, dispatch_uid="portal_revision_item")
@receiver([post_save, post_delete], sender=Category, dispatch_uid="portal_revision_category")
def catalogue_changed(sender, instance, **kwargs) -> None:
    bump_revision(instance.agency_id)


@receiver(post_save, sender=Agency, dispatch_uid="portal_revision_agency")
def agency_changed(sender, instance: Agency, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump_revision(instance.pk)
