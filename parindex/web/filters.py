"""Filters of the league tables (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from parindex.core.board import shown_as
from parindex.core.models import Assessment, UnitGroup, UnitResult
from parindex.core.team import assessments_to_do
from parindex.core.text import fold
from parindex.core.workflow import SHOWN_STATUSES


def matching_units(queryset, value, *, code, names):
    """Keep the rows whose unit code is ``value`` or one of whose unit names contains it.

    Both sides are compared folded (``core.text.fold``: "tu phap" finds "Sở Tư pháp"), which
    SQL cannot do the same way on SQLite and PostgreSQL, so the codes and names of the rows are
    read in one query and the matching rows kept by id: one query, whatever the number of units.
    """
    wanted = fold(value)
    if not wanted:
        return queryset
    found = [
        pk
        for pk, unit_code, *texts in queryset.order_by().values_list("pk", code, *names)
        if fold(unit_code) == wanted or any(wanted in fold(text) for text in texts if text)
    ]
    return queryset.filter(pk__in=found)


class LeagueFilter(django_filters.FilterSet):
    """Filter a group's results by grade band and by unit name or code."""

    q = django_filters.CharFilter(
        label=_("Tên hoặc mã đơn vị"),
        method="filter_name",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("VD: tu phap hoặc STP")}),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Xếp loại"), field_name="grade_label", empty_label=_("Tất cả")
    )

    class Meta:
        model = UnitResult
        fields = []

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["grade"].extra["choices"] = [(b.label, b.label) for b in bands]

    def nothing_found(self) -> str | None:
        """Return what an empty table says when the search or the band left no row (None when
        nothing was asked: the group simply has no results)."""
        self.form.is_valid()
        asked = self.form.cleaned_data
        q = " ".join((asked.get("q") or "").split())
        if q:
            return _("Không có đơn vị nào khớp với “%(q)s”.") % {"q": q}
        if asked.get("grade"):
            return _("Không có đơn vị nào xếp loại “%(grade)s”.") % {"grade": asked["grade"]}
        return None

    def filter_name(self, queryset, name, value):
        # The name the row was published under and the unit's current names both find it.
        return matching_units(
            queryset,
            value,
            code="unit__code",
            names=("unit_name", "unit__name", "unit__short_name"),
        )


class QueueFilter(django_filters.FilterSet):
    """Filter the reviewers' queue by group, status and unit name."""

    q = django_filters.CharFilter(label=_("Tên hoặc mã đơn vị"), method="filter_name")
    group = django_filters.ModelChoiceFilter(
        label=_("Khối"),
        field_name="unit__group",
        queryset=UnitGroup.objects.all(),
        empty_label=_("Tất cả"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=SHOWN_STATUSES,
        empty_label=_("Tất cả"),
        method="filter_status",
    )

    mine = django_filters.BooleanFilter(
        label=_("Việc của tôi"),
        method="filter_mine",
        widget=forms.CheckboxInput,
        help_text=_("Đơn vị có phần được phân công cho tôi còn phải thẩm định."),
    )

    class Meta:
        model = Assessment
        fields = []

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def filter_name(self, queryset, name, value):
        return matching_units(
            queryset, value, code="unit__code", names=("unit__name", "unit__short_name")
        )

    def filter_mine(self, queryset, name, value):
        """Keep the units where the team gives me leaves still to appraise (core/team.py)."""
        if not value or self.request is None or self.period is None:
            return queryset
        return queryset.filter(pk__in=assessments_to_do(self.request.user, self.period))

    def filter_status(self, queryset, name, value):
        """Filter by the status lists show (``workflow.status_shown``): "late" keeps the units
        past their own deadline without a submission, "draft" the others not submitted — the
        units the progress board counts under each (``board.shown_as``)."""
        return shown_as(queryset, value)
