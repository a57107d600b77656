from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "gongkai.apps.online"
    label = "online"
    verbose_name = "网上申请"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Applicants are told of receipt, correction requests, extensions and replies (notify.py).
        from django.db.models.signals import post_save

        from gongkai.apps.cases.models import CaseEvent

        from .notify import on_case_event

        post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="online_notify_applicant")
