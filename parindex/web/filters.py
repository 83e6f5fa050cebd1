"""Filters of the league tables (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parindex.core.models import UnitResult


class LeagueFilter(django_filters.FilterSet):
    """Filter a group's results by grade band and by unit name or code."""

    q = django_filters.CharFilter(label=_("Tên hoặc mã đơn vị"), method="filter_name")
    grade = django_filters.ChoiceFilter(
        label=_("Xếp loại"), field_name="grade_label", empty_label=_("Tất cả")
    )

    class Meta:
        model = UnitResult
        fields = []

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["grade"].extra["choices"] = [(b.label, b.label) for b in bands]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(unit__name__icontains=value)
            | Q(unit__short_name__icontains=value)
            | Q(unit__code__iexact=value)
        )
