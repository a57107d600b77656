from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "gongkai.apps.ledger"
    label = "ledger"
    verbose_name = "台账导入导出"
    default_auto_field = "django.db.models.BigAutoField"
