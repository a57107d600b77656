from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Appeal, AppealEvent


class AppealEventInline(ReadOnlyInline):
    """The appeal's history: shown, never edited or deleted."""

    model = AppealEvent
    readonly_fields = ("action", "at", "user", "reason", "before", "after")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """Read-only here: appeals change through the case page, where every change is recorded."""

    list_display = ("case_number", "kind", "subject", "agency", "application", "body", "filed_on", "result",
                    "concluded_on")
    list_filter = ("kind", "subject", "result")
    search_fields = ("case_number", "body")
    inlines = [AppealEventInline]
