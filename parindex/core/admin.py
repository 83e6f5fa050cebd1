"""The Django admin: where administrators manage units, accounts, criteria sets and periods."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from parindex.core import models, rules_freeze
from parindex.core.numbers import points_text
from parindex.core.services import audit


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The user's own fields in Vietnamese whatever the browser asks for (Django's catalogue would
# answer an English browser in English: "Username", "Email address", "Active").
USER_LABELS = {
    "username": _("Tên đăng nhập"),
    "password": _("Mật khẩu"),
    "email": _("Email"),
    "is_active": _("Đang hoạt động"),
    "is_staff": _("Vào được trang quản trị Django"),
    "is_superuser": _("Toàn quyền trong trang quản trị Django"),
    "groups": _("Nhóm quyền"),
    "user_permissions": _("Quyền riêng"),
    "last_login": _("Đăng nhập lần cuối"),
    "date_joined": _("Ngày tạo"),
}


class UserForm(UserChangeForm):
    """The admin's user form with one "Họ và tên" (stored split, ``models/users.py``)."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].initial = self.instance.get_full_name()
        for name, label in USER_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label

    def save(self, commit=True):
        self.instance.full_name = self.cleaned_data.get("full_name", "")
        return super().save(commit)


class ActiveFilter(admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("1", _("Đang hoạt động")), ("0", _("Đã khóa"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_active=self.value() == "1")
        return queryset


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    """Accounts are managed on the accounts page (``/accounts/``, audited); the admin shows them
    in Vietnamese, names in Vietnamese order."""

    form = UserForm
    list_display = ("login_name", "full_name", "email_address", "role", "unit", "active")
    list_display_links = ("login_name",)
    list_filter = ("role", ActiveFilter)
    search_fields = ("username", "last_name", "first_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email")}),
        (_("Vai trò trong CCHC"), {"fields": ("role", "unit")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    autocomplete_fields = ("unit",)

    @admin.display(description=USER_LABELS["username"], ordering="username")
    def login_name(self, user):
        return user.username

    @admin.display(description=_("Họ và tên"), ordering="first_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=USER_LABELS["email"], ordering="email")
    def email_address(self, user):
        return user.email

    @admin.display(description=USER_LABELS["is_active"], ordering="is_active", boolean=True)
    def active(self, user):
        return user.is_active


@admin.register(models.UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "ranked", "order")


class LineageInline(admin.TabularInline):
    model = models.Lineage
    fk_name = "successor"
    autocomplete_fields = ("predecessor",)
    extra = 0


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "group", "valid_from", "valid_to")
    list_filter = ("group",)
    search_fields = ("code", "name", "short_name")
    inlines = [LineageInline]


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made here, inlines included, is an audit entry (old → new).

    Deleting goes one object at a time (no bulk "delete selected"), so that each is recorded.
    """

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        stored = _stored(obj) if change else None
        super().save_model(request, obj, form, change)
        _record(request, obj, "changed" if change else "added", stored)

    def delete_model(self, request, obj):
        _record(request, obj, "deleted", obj)
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        ids = [f.instance.pk for f in formset.initial_forms]
        stored = {o.pk: o for o in formset.model._default_manager.filter(pk__in=ids)}
        for deleted in formset.deleted_forms:
            old = stored.get(deleted.instance.pk)
            if old is not None:
                _record(request, old, "deleted", old)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _record(request, obj, "added", None)
        for obj, _fields in formset.changed_objects:
            _record(request, obj, "changed", stored.get(obj.pk))


def _stored(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def _shown(obj, field) -> str:
    value = getattr(obj, field.name) if obj is not None else None
    if isinstance(value, Decimal):
        return points_text(value)
    return "" if value is None else str(value)


def _record(request, obj, verb: str, stored) -> None:
    """Write ``<noun>.<verb>`` with each concrete field that differs: [old, new]."""
    after = None if verb == "deleted" else obj
    changes = {
        f.name: [_shown(stored, f), _shown(after, f)]
        for f in obj._meta.concrete_fields
        if not f.primary_key and _shown(stored, f) != _shown(after, f)
    }
    if verb == "changed" and not changes:
        return
    if isinstance(obj, models.Period):
        # The entry of a deleted period names it in its message: a link would keep it.
        period = None if verb == "deleted" else obj
    else:
        period = getattr(obj, "period", None)
    audit.record(
        f"{AUDIT_NOUNS[type(obj)]}.{verb}",
        actor=request.user,
        period=period,
        obj=obj,
        changes=changes,
        message=_("Trang quản trị: %(obj)s") % {"obj": obj},
    )


AUDIT_NOUNS = {
    models.CriteriaSet: "criteria_set",
    models.Period: "period",
    models.PeriodGroup: "period_group",
    models.GradeBand: "grade_band",
}


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
class CriteriaSetAdmin(AuditedAdmin):
    """Read-only once a published group uses the set (``core/rules_freeze.py``)."""

    list_display = ("name", "decision_number", "valid_from", "valid_to")
    inlines = [CriterionInline]

    @admin.display(description=_("Khóa quy tắc"))
    def frozen_note(self, obj):
        return rules_freeze.CRITERIA_SET_FROZEN if obj and obj.pk else ""

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "frozen_note"]
        return ["frozen_note", *fields] if self._frozen(obj) else fields

    def get_readonly_fields(self, request, obj=None):
        return ("frozen_note",) if self._frozen(obj) else ()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    @staticmethod
    def _frozen(obj) -> bool:
        return obj is not None and rules_freeze.criteria_set_frozen(obj)


@admin.register(models.Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    """Read-only: a tree is loaded whole (``loadcriteria``) so its sums stay checked."""

    list_display = ("code", "title", "max_points", "method", "criteria_set")
    list_filter = ("criteria_set", "method")
    search_fields = ("code", "title")


class FrozenRowsFormSet(BaseInlineFormSet):
    """An inline whose rows of a published group show as they are and cannot be deleted; a
    row cannot be added to, or moved into, a published group (``core/rules_freeze.py``).

    Disabled fields keep their stored value whatever is posted."""

    @cached_property
    def frozen_groups(self) -> set[int]:
        return rules_freeze.frozen_group_ids(self.instance)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is not None and form.instance.group_id in self.frozen_groups:
            keep = {self.fk.name, form.instance._meta.pk.name}
            for name, field in form.fields.items():
                if name not in keep:
                    field.disabled = True

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            group = form.cleaned_data.get("group")
            if group is not None and group.pk in self.frozen_groups:
                raise ValidationError(rules_freeze.GROUP_FROZEN)


class FrozenNoteInline(admin.TabularInline):
    formset = FrozenRowsFormSet
    extra = 0

    @admin.display(description=_("Khóa quy tắc"))
    def frozen_note(self, obj):
        if obj is None or obj.pk is None:
            return ""
        frozen = rules_freeze.group_frozen(obj.period, obj.group_id)
        return rules_freeze.GROUP_FROZEN if frozen else ""


class PeriodGroupInline(FrozenNoteInline):
    model = models.PeriodGroup
    # A group is finalised and published only through the audited services (the queue).
    readonly_fields = ("stage", "frozen_note")


class GradeBandInline(FrozenNoteInline):
    model = models.GradeBand
    readonly_fields = ("frozen_note",)


@admin.register(models.Period)
class PeriodAdmin(AuditedAdmin):
    """The tie rule is set by the approver (``decisions.set_tie_rule``); the rules of each
    published group are frozen in the inlines; a period with a published group stays."""

    list_display = ("year", "name", "status", "self_assessment_deadline")
    readonly_fields = ("status", "published_at", "publication_decision", "tie_rule")
    inlines = [PeriodGroupInline, GradeBandInline]

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and rules_freeze.tie_rule_frozen(obj)
        return super().has_delete_permission(request, obj) and not frozen


@admin.register(models.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "period", "unit", "message")
    list_filter = ("action",)
