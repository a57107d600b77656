from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "gongkai.apps.signoff"
    label = "signoff"
    verbose_name = "答复审核签发"
    default_auto_field = "django.db.models.BigAutoField"
