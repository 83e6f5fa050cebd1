"""League tables: the groups of a period, and one group's table (HTML or CSV)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django_tables2 import RequestConfig

from parindex.core.excel.annex import write_annex
from parindex.core.models import GradeBand, Period, PeriodGroup, ResultSet, UnitResult
from parindex.core.models.results import group_name_for
from parindex.core.permissions import can_view_group_results
from parindex.core.rankings import league_rows
from parindex.web.caching import cache_published
from parindex.web.exports import export_arguments, league_csv_response, xlsx_response
from parindex.web.filters import LeagueFilter
from parindex.web.tables import PAGE_ROWS, WHOLE_TABLE, LeagueTable, league_pagination
from parindex.web.views.access import results_access


@cache_published
@results_access
def period_groups(request, period):
    """List the groups of a period: figures of those the visitor may read, and which groups are
    published (with their decision) and which are not yet."""
    groups = PeriodGroup.objects.for_period(period).select_related("group").with_result_summary()
    bands = {}
    for row in UnitResult.objects.visible_to(request.user).current_for(period).band_counts():
        bands.setdefault(row["group_id"], []).append(row)
    current = current_result_sets(period)
    return render(
        request,
        "rankings/period.html",
        {
            "period": period,
            "groups": [
                (
                    pg,
                    bands.get(pg.group_id, []),
                    current.get(pg.group_id),
                    can_view_group_results(request.user, pg),
                )
                for pg in groups
            ],
            "periods": Period.objects.visible_to(request.user),
        },
    )


def current_result_sets(period) -> dict:
    """Return group id → the current result set of each group of ``period``."""
    return {rs.group_id: rs for rs in ResultSet.objects.filter(period=period, is_current=True)}


def shown_version(request, result_sets):
    """Return the published result set asked for with ``?version=N`` (404 if none), else None.

    ``result_sets`` are the group's result sets of the period.
    """
    asked = request.GET.get("version")
    if not asked:
        return None
    if not asked.isdigit():
        raise Http404
    for result_set in result_sets:
        if result_set.version == int(asked) and result_set.published:
            return result_set
    raise Http404


def league_context(request, period, period_group, *, paginate=True) -> dict:
    """Return the filtered, sortable table of one group and what the page shows around it.

    The page shows the table a page at a time (``league_pagination``); an export
    (``paginate=False``) always takes every row the filter keeps.
    """
    group = period_group.group
    bands = list(GradeBand.objects.filter(period=period, group=group))
    # The group's few versions, read once: the one asked for, the current one, those published.
    result_sets = list(period.result_sets.filter(group=group).order_by("version"))
    version = shown_version(request, result_sets)
    results, areas = league_rows(period, period_group, version)
    filters = LeagueFilter(request.GET, queryset=results, bands=bands)
    table = LeagueTable(
        filters.qs, areas=areas, ranked=period_group.ranked, empty_text=filters.nothing_found()
    )
    RequestConfig(request, paginate=paginate and league_pagination(request)).configure(table)
    result_set = version or next((rs for rs in result_sets if rs.is_current), None)
    return {
        "period": period,
        "period_group": period_group,
        "group": group,
        "areas": areas,
        "table": table,
        "filter": filters,
        "bands": bands,
        "version": version,
        "result_set": result_set,
        "versions": [rs for rs in result_sets if rs.published],
        "group_name": group_name_for(group, result_set),  # as published
        "whole_table": request.GET.get("per_page") == WHOLE_TABLE,
        "page_rows": PAGE_ROWS,
    }


# What the league page reads from its address: its stored copies are keyed on these alone.
LEAGUE_QUERY = (*LeagueFilter.base_filters, "sort", "page", "per_page", "version", "export")


@cache_published(query=LEAGUE_QUERY)
@results_access
def group_table(request, period, group_code):
    """Show one group's league table; ``?export=csv`` or ``xlsx`` returns the same rows.

    A group not published yet is for the province's staff only (the login page otherwise).
    """
    period_group = get_object_or_404(
        PeriodGroup.objects.select_related("group"), period=period, group__code=group_code
    )
    if not can_view_group_results(request.user, period_group):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    export = EXPORTS.get(request.GET.get("export"))
    league = league_context(request, period, period_group, paginate=export is None)
    if export is not None:
        # Exported files are documents in the province's language, like the decision's annex.
        with translation.override(settings.LANGUAGE_CODE):
            return export(league["table"], **export_arguments(period, period_group, league))
    return render(
        request,
        "rankings/group.html",
        league | {"periods": Period.objects.visible_to(request.user)},
    )


def annex_response(table, *, period, period_group, areas, result_set, selection=None):
    """Answer the rows of a league table as the official annex (xlsx), titled with what they
    are (``exports.export_arguments`` gives the keyword arguments)."""
    earlier = result_set is not None and not result_set.is_current
    version = f"-phien-ban-{result_set.version}" if earlier else ""
    return xlsx_response(
        write_annex(
            period,
            period_group,
            [row.record for row in table.rows],
            areas,
            result_set=result_set,
            selection=selection,
        ),
        f"phu-luc-xep-hang-{period.year}-{period_group.group.code}{version}.xlsx",
    )


EXPORTS = {"csv": league_csv_response, "xlsx": annex_response}
