from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.apps.portal"
    label = "portal"
    verbose_name = "公开门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The cached category counts of the public catalogue are forgotten when an item changes.
        from . import catalogue_signals  # noqa: F401
