"""League tables: the groups of a period, and one group's table (HTML or CSV)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from parindex.core.excel.writing import write_annex
from parindex.core.models import GradeBand, Period, PeriodGroup, ResultSet, UnitResult
from parindex.core.permissions import can_view_group_results
from parindex.core.rankings import league_rows
from parindex.web.caching import cache_published
from parindex.web.exports import league_csv_response, xlsx_response
from parindex.web.filters import LeagueFilter
from parindex.web.tables import LeagueTable
from parindex.web.views.access import results_access


def group_visible(user, period_group) -> bool:
    """Return True if ``user`` may read the figures of one group of a period.

    Groups publish one by one (``can_view_group_results``); a period marked published as a
    whole counts as every group published.
    """
    return period_group.period.is_published or can_view_group_results(user, period_group)


@results_access
@cache_published
def period_groups(request, period):
    """List the groups of a period with their headline figures."""
    groups = (
        PeriodGroup.objects.for_period(period)
        .select_related("group", "period")
        .with_result_summary()
    )
    bands = {}
    for row in UnitResult.objects.current_for(period).band_counts():
        bands.setdefault(row["group_id"], []).append(row)
    return render(
        request,
        "rankings/period.html",
        {
            "period": period,
            "groups": [(pg, bands.get(pg.group_id, [])) for pg in groups],
            # Groups publish one by one: the public sees an unpublished group's name, no figures.
            "hidden": {pg.group_id for pg in groups if not group_visible(request.user, pg)},
            "decisions": {
                rs.group_id: rs
                for rs in ResultSet.objects.filter(period=period, is_current=True, published=True)
            },
            "periods": Period.objects.visible_to(request.user),
        },
    )


def shown_version(request, period):
    """Return the published result set asked for with ``?version=N`` (404 if none), else None."""
    asked = request.GET.get("version")
    if not asked:
        return None
    if not asked.isdigit():
        raise Http404
    return get_object_or_404(ResultSet, period=period, version=int(asked), published=True)


def league_context(request, period, period_group) -> dict:
    """Return the filtered, sortable table of one group and what the page shows around it."""
    group = period_group.group
    bands = list(GradeBand.objects.filter(period=period, group=group))
    version = shown_version(request, period)
    results, areas = league_rows(period, period_group, version)
    filters = LeagueFilter(request.GET, queryset=results, bands=bands)
    table = LeagueTable(filters.qs, areas=areas, ranked=group.ranked and period_group.ranked)
    RequestConfig(request, paginate=False).configure(table)
    return {
        "period": period,
        "group": group,
        "period_group": period_group,
        "areas": areas,
        "table": table,
        "filter": filters,
        "bands": bands,
        "version": version,
    }


@results_access
@cache_published
def group_table(request, period, group_code):
    """Show one group's league table; ``?export=csv`` or ``xlsx`` returns the same rows."""
    period_group = get_object_or_404(
        PeriodGroup.objects.select_related("group", "period"), period=period, group__code=group_code
    )
    if not group_visible(request.user, period_group):
        # Groups publish one by one: an unpublished group's table stays with the staff.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    league = league_context(request, period, period_group)
    export = EXPORTS.get(request.GET.get("export"))
    if export is not None:
        return export(league["table"], period=period, group=league["group"], areas=league["areas"])
    return render(
        request,
        "rankings/group.html",
        league
        | {
            "versions": list(period.result_sets.filter(published=True).order_by("version")),
            "periods": Period.objects.visible_to(request.user),
        },
    )


def annex_response(table, *, period, group, areas):
    """Answer the rows of a league table as the official annex (xlsx)."""
    return xlsx_response(
        write_annex(period, group, [row.record for row in table.rows], areas),
        f"phu-luc-xep-hang-{period.year}-{group.code}.xlsx",
    )


EXPORTS = {"csv": league_csv_response, "xlsx": annex_response}
