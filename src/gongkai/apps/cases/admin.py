from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Application, Attachment, CaseEvent
from .personal import mask_id_number


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
class ApplicationAdmin(ReadOnlyAdmin):
    """Shown, never added or changed here: the registry owns the case (registration, edits with a
    reason, steps, assignment all go through gongkai.apps.cases.services and its history, and
    recompute the due date); a case never moves between agencies, whose serials it holds."""

    list_display = ("number", "agency", "applicant_name", "applicant_type", "channel", "received_on", "state")
    list_filter = ("state", "applicant_type", "channel", "year")
    search_fields = ("applicant_name", "description")
    inlines = [AttachmentInline, CaseEventInline]
    exclude = ("id_number", "id_number_digest")  # shown masked only (个人信息保护法; docs/privacy.md)
    readonly_fields = ("masked_id_number",)

    @admin.display(description="身份证件号码（部分隐去）")
    def masked_id_number(self, application):
        return mask_id_number(application.id_number) or "—"
