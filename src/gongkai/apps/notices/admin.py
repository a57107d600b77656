from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Shown for support; made only by the registry's steps, read by their recipients on /notices/."""

    list_display = ("created", "recipient", "kind", "application", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "application")
