"""Admin of online applications: which agencies accept them (the intake account's registrar roles
follow), and the submissions, the messages to applicants and their downloads (read-only; the
tracking code itself is never stored)."""

from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin

from .apply_intake import disable_online_intake, enable_online_intake
from .models import ApplicantMessage, DownloadRecord, OnlineIntake, OnlineSubmission


@admin.register(OnlineIntake)
class OnlineIntakeAdmin(admin.ModelAdmin):
    list_display = ("agency", "enabled", "contact", "updated_at")
    list_filter = ("enabled",)
    search_fields = ("agency__name",)

    def save_model(self, request, obj, form, change):
        if obj.enabled:
            enable_online_intake(obj.agency, contact=obj.contact, notice=obj.notice)
        else:
            obj.save()
            disable_online_intake(obj.agency)

    def delete_model(self, request, obj):
        disable_online_intake(obj.agency)
        obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OnlineSubmission)
class OnlineSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("application", "submitted_at")
    readonly_fields = ("application", "code_hash", "submitted_at")
    search_fields = ("application__agency__name",)


@admin.register(ApplicantMessage)
class ApplicantMessageAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "channel", "to_masked", "status", "created_at", "sent_at")
    list_filter = ("status", "kind", "channel")
    search_fields = ("application__agency__name",)


@admin.register(DownloadRecord)
class DownloadRecordAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "file_name", "at")
    list_filter = ("kind",)
    search_fields = ("application__agency__name", "file_name")
