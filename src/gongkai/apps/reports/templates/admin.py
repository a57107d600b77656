from django.contrib import admin

from .models import AnnualReport, ReportRevision


class RevisionInline(admin.TabularInline):
    model = ReportRevision
    extra = 0
    can_delete = False
    readonly_fields = ("part", "user", "at", "before", "after")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Read-only here: reports are written on their year page, where every change is kept."""

    list_display = ("agency", "year", "published_on", "updated_at")
    list_filter = ("year",)
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
