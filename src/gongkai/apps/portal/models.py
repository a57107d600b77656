"""What the public disclosure column keeps besides the catalogue: ``PortalRevision``, the number
under which rendered public pages are kept (``published.cached_page``). Online applications keep
their own tables in ``gongkai.apps.online``."""

from __future__ import annotations

from django.db import models

from gongkai.apps.agencies.models import Agency


class PortalRevision(models.Model):
    """A number that changes whenever what an agency's public pages show may have changed (an
    item of the agency saved or deleted, a category of its catalogue, the agency itself;
    ``catalogue_signals``). The portal keeps rendered pages and counts under it
    (``published.cached_page``): a change makes every kept page of the agency unused at once,
    in every server process, in the same transaction as the change."""

    agency = models.OneToOneField(Agency, verbose_name="机关", primary_key=True, on_delete=models.CASCADE,
                                  related_name="portal_revision")
    revision = models.PositiveBigIntegerField("版本", default=0)
    changed_at = models.DateTimeField("变更时间", auto_now=True)

    class Meta:
        verbose_name = "公开页面版本"
        verbose_name_plural = "公开页面版本"

    def __str__(self) -> str:
        return f"{self.agency} 第{self.revision}版"
