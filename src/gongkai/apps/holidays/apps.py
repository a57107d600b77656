from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "gongkai.apps.holidays"
    label = "holidays"
    verbose_name = "节假日安排"
    default_auto_field = "django.db.models.BigAutoField"
