from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "gongkai.apps.agencies"
    label = "agencies"
    verbose_name = "机关与人员"
    default_auto_field = "django.db.models.BigAutoField"
