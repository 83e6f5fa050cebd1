"""The accounts page of the province's administrator: its form, its filter and its table.

The form only shapes input; ``core/account_rules.py`` (through the services) decides what is
valid and its messages are put at their fields.
"""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parindex.core import clock
from parindex.core.account_rules import EMAIL_MAX, FULL_NAME_MAX, USERNAME_MAX, AccountData
from parindex.core.models import Role, Unit, User
from parindex.web.filters import matching_units

PAGE_ROWS = 50


class AccountForm(forms.Form):
    """An account as the administrator types it; ``username`` only when it is created."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=USERNAME_MAX,
        help_text=_("Chữ cái không dấu, chữ số và . _ - @; không đổi được sau khi tạo."),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=FULL_NAME_MAX, help_text=_("VD: Nguyễn Văn An")
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=EMAIL_MAX,
        help_text=_("Liên kết đặt mật khẩu được gửi tới đây."),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", "—"), *Role.choices])
    unit_code = forms.CharField(
        label=_("Mã đơn vị"),
        required=False,
        max_length=30,
        help_text=_("Bắt buộc với cán bộ đầu mối và lãnh đạo đơn vị; để trống với vai trò khác."),
        widget=forms.TextInput(attrs={"list": "unit-codes", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        if user is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "full_name": user.get_full_name(),
                "email": user.email,
                "role": user.role,
                "unit_code": user.unit.code if user.unit_id else "",
            }
        super().__init__(*args, **kwargs)
        if user is not None:
            del self.fields["username"]

    def account(self) -> AccountData:
        return AccountData.typed(**self.cleaned_data)

    def mark_errors(self) -> None:
        """Tie each field in error to its message for screen readers (``accounts/form.html``
        gives the message the id ``<field id>-error``)."""
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].id_for_label
                self.fields[name].widget.attrs |= {
                    "aria-invalid": "true",
                    "aria-describedby": f"{field_id}-error",
                }

    def add_problems(self, fields: dict[str, str]) -> None:
        """Show the services' problems at their fields."""
        for field, message in fields.items():
            self.add_error(field if field in self.fields else None, message)


def active_units():
    """The units an account may be given now (the form's list of codes): one query."""
    return Unit.objects.existing_on(clock.today()).only("code", "name").order_by("code")


ACTIVE, LOCKED = "active", "locked"


class AccountFilter(django_filters.FilterSet):
    """Search by name, username or e-mail (without diacritics or case), filter by role, unit
    and whether the account is locked."""

    q = django_filters.CharFilter(
        label=_("Tìm"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên, tên đăng nhập hoặc email")}
        ),
    )
    role = django_filters.ChoiceFilter(
        label=_("Vai trò"), choices=Role.choices, empty_label=_("Tất cả")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị"),
        queryset=Unit.objects.only("name", "code").order_by("name"),
        empty_label=_("Tất cả"),
        widget=forms.Select(attrs={"style": "max-width: 100%"}),  # long names on a phone
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[(ACTIVE, _("Đang hoạt động")), (LOCKED, _("Đã khóa"))],
        empty_label=_("Tất cả"),
        method="filter_status",
    )

    class Meta:
        model = User
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Units are renamed and merged: the code tells two of the same name apart.
        self.form.fields["unit"].label_from_instance = lambda unit: f"{unit.name} ({unit.code})"

    def filter_text(self, queryset, name, value):
        # "nguyen van" finds "Nguyễn Văn An": the name is compared họ-first, as it is shown.
        named = queryset.annotate(full_name_text=Concat("last_name", Value(" "), "first_name"))
        return matching_units(
            named, value, code="username", names=("username", "full_name_text", "email")
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == ACTIVE)


class AccountTable(tables.Table):
    username = tables.Column(verbose_name=_("Tên đăng nhập"))
    full_name = tables.Column(
        verbose_name=_("Họ và tên"),
        accessor="get_full_name",
        order_by=("first_name", "last_name"),  # Vietnamese order: by tên, then họ
    )
    email = tables.Column(verbose_name=_("Email"))
    role = tables.Column(verbose_name=_("Vai trò"))
    unit = tables.Column(verbose_name=_("Đơn vị"), accessor="unit__name", order_by=("unit__name",))
    state = tables.Column(verbose_name=_("Trạng thái"), accessor="is_active", orderable=False)

    class Meta:
        attrs = {"class": "league accounts"}
        empty_text = _("Không có tài khoản nào phù hợp.")
        orderable = True
        per_page = PAGE_ROWS

    def render_username(self, value, record):
        url = reverse("web:account", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_role(self, value, record):
        return record.get_role_display()

    def render_state(self, value, record):
        if not record.is_active:
            return format_html('<span class="tag locked">{}</span>', _("Đã khóa"))
        if not record.has_usable_password():
            return format_html('<span class="tag">{}</span>', _("Chưa đặt mật khẩu"))
        return _("Đang hoạt động")
