from django.contrib import admin

from gongkai.apps.readonly_admin import NoDeleteAdmin, ReadOnlyInline

from .models import Application, Attachment, CaseEvent


class CaseEventInline(ReadOnlyInline):
    """The case's history: shown, never edited or deleted."""

    model = CaseEvent
    readonly_fields = ("event", "on", "at", "user", "reason", "before", "after")


class AttachmentInline(ReadOnlyInline):
    """Files of the application: listed, never edited or deleted here."""

    model = Attachment
    readonly_fields = ("name", "size", "sha256", "uploaded_by", "uploaded_at", "note")
    exclude = ("file",)


@admin.register(Application)
class ApplicationAdmin(NoDeleteAdmin):
    list_display = ("number", "agency", "applicant_name", "applicant_type", "channel", "received_on", "state")
    list_filter = ("state", "applicant_type", "channel", "year")
    search_fields = ("applicant_name", "description")
    # The lifecycle changes only through its steps (gongkai.apps.cases.services.transition).
    readonly_fields = (
        "year", "serial", "registered_by", "created", "state", "correction_requested_on", "corrected_on",
        "consultation_started_on", "extended", "outcome", "decided_on", "replied_on", "reply_channel",
        "delivery_proof", "merged_into", "fee_method", "fee_yuan", "fee_explanation", "fee_notice_on", "fee_paid_on",
        "due_on", "due_provisional",
    )
    inlines = [AttachmentInline, CaseEventInline]
