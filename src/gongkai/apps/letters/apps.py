from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.apps.letters"
    label = "letters"
    verbose_name = "告知书与通知书"
    default_auto_field = "django.db.models.BigAutoField"
