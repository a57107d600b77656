from django.contrib import admin

from .models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "agency", "applicant_name", "applicant_type", "channel", "received_on")
    list_filter = ("applicant_type", "channel", "year")
    search_fields = ("applicant_name", "description")
    readonly_fields = ("year", "serial", "registered_by", "created")
