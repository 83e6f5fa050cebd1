"""The Django admin: where administrators manage units, accounts, criteria sets and periods."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from parindex.core import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong CCHC"), {"fields": ("role", "unit")}),
    )
    autocomplete_fields = ("unit",)


@admin.register(models.UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "ranked", "order")


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "group", "active")
    list_filter = ("group", "active")
    search_fields = ("code", "name", "short_name")
    filter_horizontal = ("predecessors",)


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    fields = ("code", "title", "max_points", "method")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("name", "decision_number", "valid_from", "valid_to")
    inlines = [CriterionInline]


@admin.register(models.Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    """Read-only: a tree is loaded whole (``loadcriteria``) so its sums stay checked."""

    list_display = ("code", "title", "max_points", "method", "criteria_set")
    list_filter = ("criteria_set", "method")
    search_fields = ("code", "title")


class PeriodGroupInline(admin.TabularInline):
    model = models.PeriodGroup
    extra = 0
    # A group is finalised and published only through the audited services (the queue).
    readonly_fields = ("stage",)


class GradeBandInline(admin.TabularInline):
    model = models.GradeBand
    extra = 0


@admin.register(models.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "status", "self_assessment_deadline")
    readonly_fields = ("status", "published_at", "publication_decision", "tie_rule")
    inlines = [PeriodGroupInline, GradeBandInline]


@admin.register(models.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "period", "unit", "message")
    list_filter = ("action",)
