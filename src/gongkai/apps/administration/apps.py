from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "gongkai.apps.administration"
    label = "administration"
    verbose_name = "管理"
    default_auto_field = "django.db.models.BigAutoField"
