from django.contrib import admin

from .models import Appeal, AppealEvent


class AppealEventInline(admin.TabularInline):
    """The appeal's history: shown, never edited or deleted."""

    model = AppealEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "at", "user", "reason", "before", "after")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Read-only here: appeals change through the case page, where every change is recorded."""

    list_display = ("case_number", "kind", "application", "body", "filed_on", "result", "concluded_on")
    list_filter = ("kind", "result")
    search_fields = ("case_number", "body")
    inlines = [AppealEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
