from django.contrib import admin

from .models import HolidayDay, NoticeYear


@admin.register(NoticeYear)
class NoticeYearAdmin(admin.ModelAdmin):
    list_display = ("year", "notice", "complete", "updated")
    list_filter = ("complete",)


@admin.register(HolidayDay)
class HolidayDayAdmin(admin.ModelAdmin):
    list_display = ("day", "workday", "name", "updated")
    list_filter = ("workday", "name")
    date_hierarchy = "day"
    search_fields = ("name",)
