"""The charts of the trends page: the chosen units' index and each group's average by year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parindex.core.dashboards.trends import Trends
from parindex.web.charts.base import (
    SCORE_AXIS,
    SERIES,
    axis_floor,
    finish,
    new_figure,
    plain,
    plotted,
    unique_labels,
    unit_year_hover,
    year_label,
)
from parindex.web.templatetags.scores import score


def trend_figures(data: Trends) -> dict[str, dict]:
    """Return the trend charts (none before any result is visible)."""
    if not data.periods:
        return {}
    figures = {"groups": trend_groups_chart(data, filename="chi-so-cchc-theo-khoi")}
    if data.units:
        figures["units"] = trend_units_chart(data, filename="chi-so-cchc-theo-don-vi")
    return figures


def trend_units_chart(data: Trends, *, filename: str) -> dict:
    """Return the index of each chosen unit across the years."""
    axis = [year_label(p) for p in data.periods]
    fig = new_figure()
    values = []
    for number, (unit, label) in enumerate(zip(data.units, unique_labels(data.units), strict=True)):
        results = data.results.get(unit.pk, {})
        points = [results.get(p.year) for p in data.periods]
        values += [r.index for r in points if r is not None]
        fig.add_scatter(
            x=axis,
            y=[plotted(r.index) if r else None for r in points],
            name=label,
            mode="lines+markers",
            line={"color": SERIES[number % len(SERIES)], "width": 2.5},
            marker={"size": 8},
            connectgaps=False,
            customdata=[
                [
                    plain(r.shown_unit_name if r else unit.name),
                    score(r.index) if r else "—",
                    (str(r.rank) if r and r.rank else "—"),
                    plain(r.grade_label if r else "") or "—",
                ]
                for r in points
            ],
            hovertemplate=unit_year_hover(),
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=axis, title=None)
    fig.update_yaxes(title=_("Chỉ số (%)"), range=[axis_floor(values), 101], **SCORE_AXIS)
    return finish(fig, height=420, filename=filename)


def trend_groups_chart(data: Trends, *, filename: str) -> dict:
    """Return each group's average index across the years."""
    axis = [year_label(p) for p in data.periods]
    fig = new_figure()
    values = []
    for number, (group, by_year) in enumerate(data.groups):
        points = [by_year.get(p.year) for p in data.periods]
        values += [avg for _n, avg in filter(None, points)]
        fig.add_scatter(
            x=axis,
            y=[plotted(point[1]) if point else None for point in points],
            name=plain(group.name),
            mode="lines+markers",
            line={"color": SERIES[number % len(SERIES)], "width": 2.5},
            marker={"size": 8},
            customdata=[
                [plain(group.name), score(point[1]) if point else "—", point[0] if point else 0]
                for point in points
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b> — %{x}<br>"
                + _("Chỉ số trung bình")
                + ": %{customdata[1]} (%{customdata[2]} "
                + _("đơn vị")
                + ")<extra></extra>"
            ),
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=axis, title=None)
    fig.update_yaxes(
        title=_("Chỉ số trung bình (%)"), range=[axis_floor(values), 101], **SCORE_AXIS
    )
    return finish(fig, height=380, filename=filename)
