from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.apps.search"
    label = "search"
    verbose_name = "全文检索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the index to Item saves
