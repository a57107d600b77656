from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "gongkai.apps.catalogue"
    label = "catalogue"
    verbose_name = "主动公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.apps.holidays.models import calendar_changed

        from .timeliness import refresh_due_dates

        calendar_changed.connect(lambda sender, **kwargs: refresh_due_dates(), weak=False,
                                 dispatch_uid="catalogue_refresh_due_dates")
