"""Filters of the league tables (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parindex.core import clock
from parindex.core.models import Assessment, AssessmentStatus, UnitGroup, UnitResult

LATE = "late"


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
            | Q(unit_name__icontains=value)
            | Q(unit__short_name__icontains=value)
            | Q(unit__code__iexact=value)
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
        choices=[*AssessmentStatus.choices, (LATE, _("Không nộp đúng hạn"))],
        empty_label=_("Tất cả"),
        method="filter_status",
    )

    class Meta:
        model = Assessment
        fields = []

    filter_name = LeagueFilter.filter_name

    def filter_status(self, queryset, name, value):
        """Filter by status; "late" keeps the units past their deadline without a submission
        (the rule of ``Assessment.is_late``, read on the queue's few hundred rows)."""
        if value != LATE:
            return queryset.filter(status=value)
        now = clock.now()
        return queryset.filter(pk__in=[a.pk for a in queryset if a.is_late(now)])
