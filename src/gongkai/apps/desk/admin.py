from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin

from .models import SavedFilter


@admin.register(SavedFilter)
class SavedFilterAdmin(ReadOnlyAdmin):
    """Each person keeps their own saved filters on the work-list pages; shown here, not changed."""

    list_display = ("user", "name", "worklist", "query", "created")
    list_select_related = ("user",)
