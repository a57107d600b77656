from django.contrib import admin
from django.utils.html import format_html
from django.urls import reverse

from .models import IssuedLetter, LetterSettings, LetterTemplate


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "review_body", "court", "number_prefix", "updated_by", "updated_at")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Versions are shown, never changed or deleted: a new version is made on the templates page."""

    list_display = ("agency", "kind", "version", "title", "created_by", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("agency", "kind", "version", "title", "body", "note", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedLetter)
class IssuedLetterAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD")

    def has_delete_permission(self, request, obj=None):
        return False
