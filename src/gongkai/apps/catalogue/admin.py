from django.contrib import admin

from gongkai.apps.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Category,
    GuideSupplement,
    GuideSupplementRevision,
    Item,
    ItemEvent,
    ReviewStep,
    SettingChange,
    ValidityChange,
    WordList,
)


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    """Read-only: categories are added on the settings page, each addition recorded (SettingChange)."""

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
class WordListAdmin(ReadOnlyAdmin):
    """Read-only: word lists change on the word-list page, where switching a check off needs an
    approver and every change is recorded (SettingChange)."""

    list_display = ("agency", "kind", "use_defaults", "updated")


@admin.register(SettingChange)
class SettingChangeAdmin(ReadOnlyAdmin):
    list_display = ("agency", "setting", "user", "at", "reason")
    list_filter = ("setting",)


class GuideRevisionInline(ReadOnlyInline):
    model = GuideSupplementRevision


@admin.register(GuideSupplement)
class GuideSupplementAdmin(ReadOnlyAdmin):
    """Read-only: changed on the catalogue's settings page, where every change is kept."""

    list_display = ("agency", "office_hours", "email", "updated_by", "updated")
    inlines = (GuideRevisionInline,)
