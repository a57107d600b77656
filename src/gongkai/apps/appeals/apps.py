from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "gongkai.apps.appeals"
    label = "appeals"
    verbose_name = "行政复议与行政诉讼"
    default_auto_field = "django.db.models.BigAutoField"
