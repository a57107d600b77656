from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "gongkai.apps.catalogue"
    label = "catalogue"
    verbose_name = "主动公开"
    default_auto_field = "django.db.models.BigAutoField"
