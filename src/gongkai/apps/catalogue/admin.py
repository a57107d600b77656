from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Category,
    GuideSupplement,
    GuideSupplementRevision,
    Item,
    ItemEvent,
    ReviewStep,
    ValidityChange,
    WordList,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "parent", "code", "position")
    list_filter = ("agency",)
    search_fields = ("name", "code")


class ReviewInline(ReadOnlyInline):
    model = ReviewStep


class EventInline(ReadOnlyInline):
    model = ItemEvent


class ValidityInline(ReadOnlyInline):
    model = ValidityChange


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    """Read-only: items change only through the staff pages (gongkai.apps.catalogue: items, review, validity …),
    so that nothing reaches the catalogue without its review."""

    list_display = ("index_number", "title", "agency", "kind", "state", "made_on", "published_on", "due_on")
    list_filter = ("state", "kind", "validity")
    search_fields = ("index_number", "title", "document_number")
    inlines = (ReviewInline, ValidityInline, EventInline)


@admin.register(WordList)
class WordListAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "use_defaults", "updated")
    readonly_fields = ("updated_by",)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class GuideRevisionInline(ReadOnlyInline):
    model = GuideSupplementRevision


@admin.register(GuideSupplement)
class GuideSupplementAdmin(ReadOnlyAdmin):
    """Read-only: changed on the catalogue's settings page, where every change is kept."""

    list_display = ("agency", "office_hours", "email", "updated_by", "updated")
    inlines = (GuideRevisionInline,)
