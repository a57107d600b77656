from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import DecisionDraft, DraftEvent, SignoffSettings, SignoffSettingsChange


class DraftEventInline(ReadOnlyInline):
    model = DraftEvent
    fields = ("at", "action", "user", "reason", "before", "after")
    readonly_fields = fields


@admin.register(DecisionDraft)
class DecisionDraftAdmin(ReadOnlyAdmin):
    """Drafts and their review: shown, changed only through the sign-off pages (every change recorded)."""

    list_display = ("application", "revision", "state", "outcome", "decided_on", "drafted_by", "signed_by", "signed_at")
    list_filter = ("state", "outcome")
    search_fields = ("application__applicant_name",)
    readonly_fields = ("application", "state", "outcome", "decided_on", "decision_reasons", "prohibiting_law",
                       "other_agency_name", "other_agency_contact", "letter_note", "revision", "drafted_by",
                       "drafted_at", "revised_by", "submitted_at", "secrecy_reviewed_by", "secrecy_reviewed_at",
                       "secrecy_opinion", "signed_by", "signed_at", "letter")
    fields = readonly_fields
    inlines = [DraftEventInline]


@admin.register(SignoffSettings)
class SignoffSettingsAdmin(ReadOnlyAdmin):
    """Changed on the agency's sign-off settings page, where every change is recorded."""

    list_display = ("agency", "outcomes", "updated_by", "updated_at")
    readonly_fields = ("agency", "outcomes", "updated_by", "updated_at")


@admin.register(SignoffSettingsChange)
class SignoffSettingsChangeAdmin(ReadOnlyAdmin):
    list_display = ("agency", "at", "user", "reason")
    readonly_fields = ("agency", "at", "user", "reason", "before", "after")
