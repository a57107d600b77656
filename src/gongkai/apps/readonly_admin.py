"""Admin classes that show records and change nothing: what the apps keep (histories, issued
letters, reviewed items) changes only through their services, where every change is recorded."""

from __future__ import annotations

from django.contrib import admin


class NoDeleteAdmin(admin.ModelAdmin):
    """Nothing is ever hard-deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """Listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their record, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
