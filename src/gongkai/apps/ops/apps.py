from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "gongkai.apps.ops"
    verbose_name = "运行维护"
