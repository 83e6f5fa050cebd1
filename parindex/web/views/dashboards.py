"""Leaders' dashboards: a period at a glance, one unit's profile, trends across the years."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from parindex.core.dashboards import overview as period_reads
from parindex.core.dashboards import profile as profile_reads
from parindex.core.dashboards import trends as trend_reads
from parindex.core.models import Period, Unit
from parindex.web.caching import cache_public, cache_published
from parindex.web.charts.overview import period_figures
from parindex.web.charts.profile import unit_figures
from parindex.web.charts.trends import trend_figures
from parindex.web.views.access import latest_results_period, results_access


def latest_dashboard(request):
    """Show the dashboard of the latest period with results the visitor may see."""
    period = latest_results_period(request.user)
    if period is None:
        return render(request, "home/empty.html")
    return _period_page(request, period)


@cache_published
@results_access
def period_dashboard(request, period):
    """Show one period: every group's figures, then the charts of the group ``?group=``."""
    return _period_page(request, period)


def _period_page(request, period):
    overview = period_reads.period_overview(
        period, request.GET.get("group") or None, user=request.user
    )
    if overview is None:
        raise Http404
    return render(
        request,
        "dashboards/period.html",
        {
            "period": period,
            "overview": overview,
            "figures": period_figures(overview),
            "periods": Period.objects.visible_to(request.user),
        },
    )


@cache_public
def unit_profile(request, unit_code):
    """Show one unit across the years the visitor may see, its predecessors' years included."""
    unit = get_object_or_404(Unit.objects.select_related("group"), code=unit_code)
    year = request.GET.get("year", "")
    profile = profile_reads.unit_profile(
        unit, request.user, year=int(year) if year.isdigit() else None
    )
    return render(
        request,
        "dashboards/unit.html",
        {"unit": unit, "profile": profile, "figures": unit_figures(profile)},
    )


@cache_public
def trends(request):
    """Show the index of the units ``?units=CODE`` (repeatable) and of each group by year."""
    data = trend_reads.trends(request.user, request.GET.getlist("units"))
    return render(
        request,
        "dashboards/trends.html",
        {
            "trends": data,
            "figures": trend_figures(data),
            "chosen": {u.code for u in data.units},
            "limit": trend_reads.TREND_LIMIT,
        },
    )
