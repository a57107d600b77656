from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.apps.supervision"
    verbose_name = "监督检查（政务公开办）"
