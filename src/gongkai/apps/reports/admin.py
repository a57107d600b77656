from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import AnnualReport, ReportRevision, ReportVersion


class RevisionInline(ReadOnlyInline):
    model = ReportRevision
    readonly_fields = ("part", "user", "at", "reason", "before", "after")


class VersionInline(ReadOnlyInline):
    model = ReportVersion
    readonly_fields = ("number", "approved_by", "approved_at", "reason", "content")


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    """Read-only here: reports are written on their year page, where every change is kept."""

    list_display = ("agency", "year", "published_on", "updated_at")
    list_filter = ("year",)
    inlines = [RevisionInline, VersionInline]
