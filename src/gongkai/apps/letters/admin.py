from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from gongkai.apps.readonly_admin import ReadOnlyAdmin

from .models import IssuedLetter, LetterSettings, LetterTemplate


@admin.register(LetterSettings)
class LetterSettingsAdmin(ReadOnlyAdmin):
    """Shown only: the settings change on the letters' settings page, where every change is kept
    with who, when, before and after (``LetterSettingsChange``)."""

    list_display = ("agency", "review_body", "court", "number_prefix", "updated_by", "updated_at")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin):
    """Versions are shown, never changed or deleted: a new version is made on the templates page."""

    list_display = ("agency", "kind", "version", "title", "created_by", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("agency", "kind", "version", "title", "body", "note", "created_by", "created_at")


@admin.register(IssuedLetter)
class IssuedLetterAdmin(ReadOnlyAdmin):
    """Issued letters: read-only, never deleted; the file is downloaded through the letters page."""

    list_display = ("application", "title", "number", "recipient", "letter_date", "issued_by", "issued_at")
    list_filter = ("kind",)
    search_fields = ("number", "recipient", "application__applicant_name")
    fields = ("application", "kind", "title", "number", "recipient", "letter_date", "template_version", "issued_by",
              "issued_at", "filename", "sha256", "file")
    readonly_fields = fields

    @admin.display(description="文件")
    def file(self, obj):
        return format_html('<a href="{}">下载</a>', reverse("letters:download", args=[obj.pk]))

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD")  # the detail page shows the record; saving is refused
