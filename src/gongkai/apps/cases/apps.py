from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongkai.apps.cases"
    label = "cases"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.apps.holidays.models import calendar_changed

        from .services import refresh_due_dates

        calendar_changed.connect(lambda sender, **kwargs: refresh_due_dates(), weak=False,
                                 dispatch_uid="cases_refresh_due_dates")
