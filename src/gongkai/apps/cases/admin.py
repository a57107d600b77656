from django.contrib import admin

from .models import Application, Attachment, CaseEvent


class CaseEventInline(admin.TabularInline):
    """The case's history: shown, never edited or deleted."""

    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ("event", "on", "at", "user", "reason", "before", "after")

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    """Files of the application: listed, never edited or deleted here."""

    model = Attachment
    extra = 0
    can_delete = False
    readonly_fields = ("name", "size", "sha256", "uploaded_by", "uploaded_at", "note")
    exclude = ("file",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "agency", "applicant_name", "applicant_type", "channel", "received_on", "state")
    list_filter = ("state", "applicant_type", "channel", "year")
    search_fields = ("applicant_name", "description")
    # The lifecycle changes only through its steps (gongkai.apps.cases.models.transition).
    readonly_fields = (
        "year", "serial", "registered_by", "created", "state", "correction_requested_on", "corrected_on",
        "consultation_started_on", "extended", "outcome", "decided_on", "replied_on", "reply_channel",
        "delivery_proof", "merged_into", "fee_method", "fee_yuan", "fee_explanation", "fee_notice_on", "fee_paid_on",
        "due_on", "due_provisional",
    )
    inlines = [AttachmentInline, CaseEventInline]

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is ever hard-deleted
