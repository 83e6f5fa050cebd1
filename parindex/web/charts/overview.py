"""The charts of a period overview: one group's ranking, its heatmap of content areas, the
distribution of its indices and the units that moved most since last year."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from parindex.core.dashboards.overview import GroupDashboard, PeriodOverview
from parindex.web.charts.base import (
    DOWN,
    INK,
    SCORE_AXIS,
    UP,
    axis_floor,
    finish,
    floor_to,
    new_figure,
    plain,
    plotted,
    result_labels,
)
from parindex.web.templatetags.scores import score, signed_score

# Red for weak, amber in between, green for strong: the weakest area of a unit stands out.
HEAT_SCALE = [[0.0, "#c62828"], [0.5, "#f6c343"], [1.0, "#1a7f37"]]
ROW = 26  # pixels per unit on the horizontal charts: labels stay readable, never overlap


def period_figures(overview: PeriodOverview) -> dict[str, dict]:
    """Return the charts of a period overview's selected group (none without results)."""
    dashboard = overview.dashboard
    if dashboard is None:
        return {}
    draft = not overview.selected.published
    name = f"chi-so-cchc-{overview.period.year}-{overview.selected.group.code}"
    return {
        "ranking": ranking_chart(dashboard, provisional=draft, filename=f"{name}-xep-hang"),
        "heatmap": area_heatmap(dashboard, provisional=draft, filename=f"{name}-noi-dung"),
        "distribution": distribution_chart(
            dashboard, provisional=draft, filename=f"{name}-phan-bo"
        ),
        "movers": movers_chart(dashboard, provisional=draft, filename=f"{name}-thay-doi"),
    }


def ranking_labels(results: Sequence, *, ranked: bool) -> list[str]:
    """Return "rank. short name" per result (the name alone in a group that is not ranked)."""
    names = result_labels(results)
    if not ranked:
        return names
    return [
        f"{r.rank}. {name}" if r.rank is not None else name
        for r, name in zip(results, names, strict=True)
    ]


def _gap_label(dashboard: GroupDashboard) -> str | None:
    """Return the row that stands for the units a large group's charts leave out, if any."""
    if dashboard.gap_after is None:
        return None
    return _("⋯ %(count)s đơn vị khác ⋯") % {"count": dashboard.hidden}


# --- Ranking ----------------------------------------------------------------------------------


def ranking_chart(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Return horizontal bars of the group's indices in league order, coloured by grade band.

    A large group shows its leaders and its laggards with a marked gap between them.
    """
    ranked = dashboard.summary.group.ranked
    rows = dashboard.ranking
    labels = ranking_labels(rows, ranked=ranked)
    order = list(labels)
    gap_label = _gap_label(dashboard)
    if gap_label:
        order.insert(dashboard.gap_after, gap_label)
    fig = new_figure()
    hover = _ranking_hover()
    for label, color in _band_legend(dashboard):
        members = [(lbl, r) for lbl, r in zip(labels, rows, strict=True) if r.grade_label == label]
        if not members:
            continue
        fig.add_bar(
            orientation="h",
            y=[lbl for lbl, _r in members],
            x=[plotted(r.index) for _lbl, r in members],
            name=plain(label) or _("Chưa xếp loại"),
            marker={"color": color or "#9aa4ae"},
            text=[score(r.index) for _lbl, r in members],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "#ffffff"},
            customdata=[
                [
                    plain(r.shown_unit_name),
                    _rank_text(r, ranked),
                    score(r.index),
                    plain(label) or "—",
                ]
                for _lbl, r in members
            ],
            hovertemplate=hover,
        )
    if gap_label:
        fig.add_bar(orientation="h", y=[gap_label], x=[None], showlegend=False, hoverinfo="skip")
    start = axis_floor([r.index for r in rows])
    _add_band_lines(fig, dashboard.bands, start)
    fig.update_yaxes(
        categoryorder="array", categoryarray=order, autorange="reversed", title=None, showgrid=False
    )
    fig.update_xaxes(range=[start, 100], title=_("Chỉ số (%)"), **SCORE_AXIS)
    # The legend names the colours even when every unit got the same band.
    fig.update_layout(bargap=0.25, barmode="overlay", showlegend=True)
    return finish(fig, height=110 + ROW * len(order), filename=filename, provisional=provisional)


def _band_legend(dashboard: GroupDashboard) -> list[tuple[str, str]]:
    """Return (label, colour) of the period's bands, best first, then of any label no band
    carries any more that a unit still has (one entry per label)."""
    legend = [(b.label, b.color) for b in dashboard.bands]
    known = {label for label, _color in legend}
    legend += sorted(
        {
            r.grade_label: r.grade_color for r in dashboard.ranking if r.grade_label not in known
        }.items()
    )
    return legend


def _ranking_hover() -> str:
    """Return the hover text of a ranking bar: the unit's name, rank, index and grade band."""
    return (
        "<b>%{customdata[0]}</b><br>"
        + _("Hạng")
        + ": %{customdata[1]}<br>"
        + _("Chỉ số")
        + ": %{customdata[2]}<br>"
        + _("Xếp loại")
        + ": %{customdata[3]}<extra></extra>"
    )


def _rank_text(result, ranked: bool) -> str:
    if not ranked:
        return _("không xếp hạng")
    return str(result.rank) if result.rank is not None else "—"


def _add_band_lines(fig: go.Figure, bands, start: float) -> None:
    """Draw a dotted line where each grade band starts, for the bands inside the axis."""
    for band in bands:
        if start < float(band.lower_bound) < 100:
            fig.add_vline(
                x=float(band.lower_bound),
                line={"color": band.color, "dash": "dot", "width": 1.5},
                # At the bottom, left of its line: the lowest-placed units' bars are the
                # shortest, so the label rarely covers one, and never the legend.
                annotation={
                    "text": f"{plain(band.label)} ≥ {score(band.lower_bound)}",
                    "font": {"size": 11, "color": INK},
                    "bgcolor": "rgba(255,255,255,0.85)",
                },
                annotation_position="bottom left",
            )


# --- Heatmap of content areas -----------------------------------------------------------------


def area_heatmap(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Return units × content areas, component index in %; each unit's weakest area outlined."""
    areas = dashboard.areas
    y, z, text, titles = _heat_grid(dashboard)
    known = [v for row in z for v in row if v is not None]
    fig = new_figure(
        go.Heatmap(
            z=z,
            x=[a.code for a in areas],
            y=y,
            text=text,
            customdata=titles,
            texttemplate="%{text}",
            textfont={"size": 11},
            colorscale=HEAT_SCALE,
            zmin=floor_to(min(known), 1) if known else 0,
            zmax=100,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            colorbar={"title": {"text": "%"}, "tickformat": ".2f", "thickness": 12},
            hovertemplate=(
                "<b>%{y}</b><br>%{customdata}<br>"
                + _("Chỉ số thành phần")
                + ": %{text}<extra></extra>"
            ),
        )
    )
    fig.update_layout(shapes=_weakest_outlines(dashboard))
    fig.update_yaxes(autorange="reversed", title=None, showgrid=False)
    fig.update_xaxes(side="top", title=None, showgrid=False, type="category")
    return finish(fig, height=90 + ROW * len(y), filename=filename, provisional=provisional)


def _heat_grid(dashboard: GroupDashboard) -> tuple[list, list, list, list]:
    """Return the heatmap's rows (labels, values, cell texts, area titles): the shown units in
    league order, an empty row at the gap, and the group's average last."""
    areas = dashboard.areas
    labels = ranking_labels(dashboard.ranking, ranked=dashboard.summary.group.ranked)
    area_titles = [plain(f"{a.code}. {a.title}") for a in areas]
    z, text, titles, y = [], [], [], []
    for label, result in zip(labels, dashboard.ranking, strict=True):
        values = [dashboard.area_index.get(result.pk, {}).get(a.pk) for a in areas]
        y.append(label)
        z.append([plotted(v) for v in values])
        text.append([score(v) for v in values])
        titles.append(list(area_titles))
    gap = _gap_label(dashboard)
    if gap is not None:
        at = dashboard.gap_after
        y.insert(at, gap)
        z.insert(at, [None] * len(areas))
        text.insert(at, [""] * len(areas))
        titles.insert(at, [""] * len(areas))
    averages = [dashboard.area_averages.get(a.pk) for a in areas]
    y.append(f"<b>{_('Trung bình khối')}</b>")
    z.append([plotted(v) for v in averages])
    text.append([score(v) for v in averages])
    titles.append(list(area_titles))
    return y, z, text, titles


def _weakest_outlines(dashboard: GroupDashboard) -> list[dict]:
    """Return one outline per unit's weakest cell, to be set in one go: plotly re-validates
    every shape on each add_shape, which costs a second at a thousand units."""
    outlines = []
    offset = 0
    for row_number, result in enumerate(dashboard.ranking):
        if dashboard.gap_after is not None and row_number == dashboard.gap_after:
            offset = 1
        weakest = dashboard.weakest_areas(result)
        outlines += [
            {
                "type": "rect",
                "x0": column - 0.5,
                "x1": column + 0.5,
                "y0": row_number + offset - 0.5,
                "y1": row_number + offset + 0.5,
                "line": {"color": INK, "width": 2.5},
            }
            for column, area in enumerate(dashboard.areas)
            if area.pk in weakest
        ]
    return outlines


# --- Distribution and movers ------------------------------------------------------------------


def distribution_chart(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Return the number of units per index bin, each bin coloured by the band it starts in."""
    width = dashboard.bin_width
    bins = dashboard.distribution
    fig = new_figure(
        go.Bar(
            x=[float(b.lower) + width / 2 for b in bins],
            y=[b.count for b in bins],
            width=[width * 0.92] * len(bins),
            marker={"color": [b.color for b in bins]},
            text=[str(b.count) if b.count else "" for b in bins],
            textposition="outside",
            customdata=[[score(b.lower), score(b.upper)] for b in bins],
            hovertemplate=(
                _("Chỉ số")
                + " %{customdata[0]}–%{customdata[1]}: %{y} "
                + _("đơn vị")
                + "<extra></extra>"
            ),
            showlegend=False,
        )
    )
    highest = max((b.count for b in bins), default=1)
    fig.update_xaxes(title=_("Chỉ số (%)"), **SCORE_AXIS)
    fig.update_yaxes(
        title=_("Số đơn vị"),
        tickformat="d",
        dtick=count_step(highest),  # whole units only: plotly would otherwise tick 0.5
        rangemode="tozero",
        range=[0, highest * 1.15 + 0.5],
    )
    return finish(fig, height=340, filename=filename, provisional=provisional)


def count_step(highest: int) -> int:
    """Return a tick step for a count axis: 1, 2 or 5 times a power of ten, about 5 ticks."""
    rough = max(highest / 5, 1)
    power = 10 ** math.floor(math.log10(rough))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= rough)


def movers_chart(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Return the change of index since last year of the most improved and declined units."""
    fig = new_figure()
    rows = dashboard.improved + dashboard.declined
    labels = result_labels(rows)
    for name, color, members in (
        (_("Tăng nhiều nhất"), UP, list(zip(labels, dashboard.improved, strict=False))),
        (
            _("Giảm nhiều nhất"),
            DOWN,
            list(zip(labels[len(dashboard.improved) :], dashboard.declined, strict=True)),
        ),
    ):
        if not members:
            continue
        fig.add_bar(
            orientation="h",
            y=[lbl for lbl, _r in members],
            x=[plotted(r.index - r.previous_index) for _lbl, r in members],
            name=name,
            marker={"color": color},
            text=[signed_score(r.index - r.previous_index) for _lbl, r in members],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    plain(r.shown_unit_name),
                    score(r.previous_index),
                    score(r.index),
                    signed_score(r.index - r.previous_index),
                ]
                for _lbl, r in members
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                + _("Năm trước")
                + ": %{customdata[1]}<br>"
                + _("Năm nay")
                + ": %{customdata[2]}<br>"
                + _("Thay đổi")
                + ": %{customdata[3]}<extra></extra>"
            ),
        )
    changes = [abs(float(r.index - r.previous_index)) for r in rows] or [1.0]
    reach = max(changes) * 1.3 + 0.1
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(
        title=_("Thay đổi chỉ số so với năm trước"),
        range=[-reach, reach],
        zeroline=True,
        zerolinewidth=2,
        **SCORE_AXIS,
    )
    return finish(
        fig, height=120 + ROW * max(len(rows), 2), filename=filename, provisional=provisional
    )
