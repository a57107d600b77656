from django.contrib import admin

from .models import Agency, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    inlines = [MembershipInline]
