from django.contrib import admin

from .models import HolidayDay, NoticeYear, announce_calendar_change


class AnnouncesChange:
    """Every save or delete in the admin recomputes the stored due dates of open applications."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        announce_calendar_change()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        announce_calendar_change()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        announce_calendar_change()


@admin.register(NoticeYear)
class NoticeYearAdmin(AnnouncesChange, admin.ModelAdmin):
    list_display = ("year", "notice", "complete", "updated")
    list_filter = ("complete",)


@admin.register(HolidayDay)
class HolidayDayAdmin(AnnouncesChange, admin.ModelAdmin):
    list_display = ("day", "workday", "name", "updated")
    list_filter = ("workday", "name")
    date_hierarchy = "day"
    search_fields = ("name",)
