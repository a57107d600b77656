from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "gongkai.apps.desk"
    label = "desk"
    verbose_name = "工作台"
    default_auto_field = "django.db.models.BigAutoField"
