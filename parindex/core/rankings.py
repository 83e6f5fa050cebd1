"""The rows of a league table: one group's results with points per content area."""

from parindex.core.models import Criterion, UnitResult


def league_rows(period, period_group, version=None):
    """Return (results, areas) of a group: the current results, or a replaced ``version``.

    ``results`` is a queryset annotated with ``area_<id>`` points, changes versus last year and
    the names shown (``with_names``: as published), in published order; ``areas`` are the
    scored content areas of the group's criteria set.
    """
    areas = list(
        Criterion.objects.filter(criteria_set_id=period_group.criteria_set_id).scored_areas()
    )
    rows = (
        UnitResult.objects.version_for(version)
        if version is not None and not version.is_current
        else UnitResult.objects.current_for(period)
    )
    results = (
        rows.for_group(period_group.group)
        .select_related("unit")
        .with_area_points(areas)
        .with_changes()
        .with_names()
        .league_order()
    )
    return results, areas
