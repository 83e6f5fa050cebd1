"""Plotly figures of the dashboards, built from what ``parindex.core.dashboards`` read.

Each function returns a plain dict (``Figure.to_plotly_json()`` plus the plotly.js config) that a
page carries in a ``json_script`` element; static/js/charts.js draws it with the plotly.js we serve
from our static files. No code goes into the page, so a Content-Security-Policy without
``unsafe-inline`` holds.

Every number a chart shows is written as published, with a decimal point and two decimals
("97.57"): hover texts and bar labels use the same ``score`` filter as the tables beside them,
axes use the d3 format ".2f", and the separators are fixed whatever the browser's locale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from parindex.core.dashboards.overview import GroupDashboard, PeriodOverview
from parindex.core.dashboards.profile import UnitProfile
from parindex.core.dashboards.trends import Trends
from parindex.web.templatetags.scores import score, signed_score

INK = "#1d2733"
MUTED = "#5b6673"
GRID = "#e3e7eb"
ACCENT = "#b71c1c"
UP = "#1a7f37"
DOWN = "#c62828"
AVERAGE = "#5b6673"
# Distinguishable, colour-blind-safe series colours (Okabe–Ito, then a few more).
SERIES = [
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#7f3c8d",
    "#3c3c3c",
    "#a0522d",
    "#228833",
]
FONT = '"Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
SCORE_AXIS = {"tickformat": ".2f", "hoverformat": ".2f"}
# Red for weak, amber in between, green for strong: the weakest area of a unit stands out.
HEAT_SCALE = [[0.0, "#c62828"], [0.5, "#f6c343"], [1.0, "#1a7f37"]]
ROW = 26  # pixels per unit on the horizontal charts: labels stay readable, never overlap

TEMPLATE = {
    "layout": {
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "colorway": SERIES,
        "hoverlabel": {"font": {"family": FONT, "size": 13}},
        # Fixed axes, no drag: on a tablet a finger on a chart scrolls the page, never zooms.
        "dragmode": False,
        "xaxis": {
            "gridcolor": GRID,
            "zerolinecolor": "#b8c0c8",
            "automargin": True,
            "fixedrange": True,
            "ticks": "",
        },
        "yaxis": {
            "gridcolor": GRID,
            "zerolinecolor": "#b8c0c8",
            "automargin": True,
            "fixedrange": True,
            "ticks": "",
        },
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    }
}


def config(filename: str) -> dict:
    """Return the plotly.js config of every chart: no logo, resizes with the page, one
    "download as PNG" button whose text is Vietnamese."""
    return {
        "displaylogo": False,
        "responsive": True,
        "displayModeBar": "hover",
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"filename": filename, "scale": 2},
        "locale": "vi",
        "locales": {
            "vi": {
                "dictionary": {
                    "Download plot as a PNG": _("Tải biểu đồ (PNG)"),
                    "Download plot": _("Tải biểu đồ"),
                    "Taking snapshot - this may take a few seconds": _("Đang tạo ảnh…"),
                    "Double-click to zoom back out": _("Nhấp đúp để thu nhỏ lại"),
                    "Double-click on legend to isolate one trace": _(
                        "Nhấp đúp vào chú giải để chỉ xem một đường"
                    ),
                }
            }
        },
    }


def new_figure(*traces) -> go.Figure:
    """Return a figure on our template; the template is given first, because setting it on a
    figure that already has traces and shapes makes plotly validate everything again."""
    return go.Figure(data=list(traces), layout={"template": TEMPLATE})


def _finish(fig: go.Figure, *, height: int, filename: str, provisional: bool = False) -> dict:
    """Apply the common layout and return the figure as the dict the page carries."""
    fig.update_layout(
        height=height,
        autosize=True,
        separators=".,",
        margin={"l": 8, "r": 16, "t": 48, "b": 40},
        hovermode="closest",
    )
    if provisional:
        # A chart copied out of the page (PNG button, screenshot) keeps its warning.
        fig.add_annotation(
            text=_("KẾT QUẢ TẠM TÍNH"),
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            yshift=36,
            xanchor="right",
            showarrow=False,
            font={"color": ACCENT, "size": 12},
            bgcolor="#fdecea",
        )
    figure = fig.to_plotly_json()
    figure["config"] = config(filename)
    return figure


def _number(value) -> float | None:
    """Return ``value`` for plotting (a float), or None for no figure (a gap, not a zero)."""
    return None if value is None else float(value)


def plain(text) -> str:
    """Return ``text`` escaped for plotly, which reads a few HTML tags and entities in every
    label and hover: a name with "<" or "&" shows as typed, never as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unique_labels(units: Sequence) -> list[str]:
    """Return a short label per unit; a plotly category axis merges equal labels, so a name
    shared by two units gets its code."""
    names = [plain(unit.display_name) for unit in units]
    return [
        f"{name} ({unit.code})" if names.count(name) > 1 else name
        for name, unit in zip(names, units, strict=True)
    ]


def ranking_labels(results: Sequence, *, ranked: bool) -> list[str]:
    """Return "rank. short name" per result (the name alone in a group that is not ranked)."""
    names = unique_labels([r.unit for r in results])
    if not ranked:
        return names
    return [
        f"{r.rank}. {name}" if r.rank is not None else name
        for r, name in zip(results, names, strict=True)
    ]


def _floor_to(value: Decimal | float, step: int) -> float:
    return float(math.floor(float(value) / step) * step)


def _axis_floor(values, *, step: int = 5, pad: float = 2) -> float:
    """Return where an index axis starts: a little below the lowest figure, on a round number.

    Indices of a group sit within a few points of each other; an axis from 0 would make their
    differences invisible. The axis shows where it starts, and each bar carries its figure.
    """
    known = [float(v) for v in values if v is not None]
    if not known:
        return 0.0
    return max(0.0, _floor_to(min(known) - pad, step))


def _rank_text(result, ranked: bool) -> str:
    if not ranked:
        return _("không xếp hạng")
    return str(result.rank) if result.rank is not None else "—"


# --- Period overview --------------------------------------------------------------------------


def ranking_chart(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Horizontal bars of the group's indices in league order, coloured by grade band.

    A large group shows its leaders and its laggards with a marked gap between them.
    """
    ranked = dashboard.summary.group.ranked
    rows = dashboard.ranking
    labels = ranking_labels(rows, ranked=ranked)
    order = list(labels)
    gap_label = None
    if dashboard.gap_after is not None:
        gap_label = _("⋯ %(count)s đơn vị khác ⋯") % {"count": dashboard.hidden}
        order.insert(dashboard.gap_after, gap_label)
    fig = new_figure()
    # The period's bands, best first, then any label no band carries any more (one per label).
    legend = [(b.label, b.color) for b in dashboard.bands]
    known = {label for label, _color in legend}
    legend += sorted(
        {r.grade_label: r.grade_color for r in rows if r.grade_label not in known}.items()
    )
    for label, color in legend:
        members = [(lbl, r) for lbl, r in zip(labels, rows, strict=True) if r.grade_label == label]
        if not members:
            continue
        fig.add_bar(
            orientation="h",
            y=[lbl for lbl, _r in members],
            x=[_number(r.index) for _lbl, r in members],
            name=plain(label) or _("Chưa xếp loại"),
            marker={"color": color or "#9aa4ae"},
            text=[score(r.index) for _lbl, r in members],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "#ffffff"},
            customdata=[
                [plain(r.unit.name), _rank_text(r, ranked), score(r.index), plain(label) or "—"]
                for _lbl, r in members
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                + _("Hạng")
                + ": %{customdata[1]}<br>"
                + _("Chỉ số")
                + ": %{customdata[2]}<br>"
                + _("Xếp loại")
                + ": %{customdata[3]}<extra></extra>"
            ),
        )
    if gap_label:
        fig.add_bar(orientation="h", y=[gap_label], x=[None], showlegend=False, hoverinfo="skip")
    start = _axis_floor([r.index for r in rows])
    for band in dashboard.bands:
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
    fig.update_yaxes(
        categoryorder="array", categoryarray=order, autorange="reversed", title=None, showgrid=False
    )
    fig.update_xaxes(range=[start, 100], title=_("Chỉ số (%)"), **SCORE_AXIS)
    # The legend names the colours even when every unit got the same band.
    fig.update_layout(bargap=0.25, barmode="overlay", showlegend=True)
    return _finish(fig, height=110 + ROW * len(order), filename=filename, provisional=provisional)


def area_heatmap(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Units × content areas, component index in %; each unit's weakest area is outlined."""
    rows = dashboard.ranking
    areas = dashboard.areas
    labels = ranking_labels(rows, ranked=dashboard.summary.group.ranked)
    z, text, titles, y = [], [], [], []
    for label, result in zip(labels, rows, strict=True):
        values = [dashboard.area_index.get(result.pk, {}).get(a.pk) for a in areas]
        y.append(label)
        z.append([_number(v) for v in values])
        text.append([score(v) for v in values])
        titles.append([plain(f"{a.code}. {a.title}") for a in areas])
    if dashboard.gap_after is not None:
        gap = _("⋯ %(count)s đơn vị khác ⋯") % {"count": dashboard.hidden}
        at = dashboard.gap_after
        y.insert(at, gap)
        z.insert(at, [None] * len(areas))
        text.insert(at, [""] * len(areas))
        titles.insert(at, [""] * len(areas))
    averages = [dashboard.area_averages.get(a.pk) for a in areas]
    y.append(f"<b>{_('Trung bình khối')}</b>")
    z.append([_number(v) for v in averages])
    text.append([score(v) for v in averages])
    titles.append([plain(f"{a.code}. {a.title}") for a in areas])
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
            zmin=_floor_to(min(known), 1) if known else 0,
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
    # One outline per weakest cell, set in one go: plotly re-validates every shape on each
    # add_shape, which costs a second at a thousand units.
    outlines = []
    offset = 0
    for row_number, result in enumerate(rows):
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
            for column, area in enumerate(areas)
            if area.pk in weakest
        ]
    fig.update_layout(shapes=outlines)
    fig.update_yaxes(autorange="reversed", title=None, showgrid=False)
    fig.update_xaxes(side="top", title=None, showgrid=False, type="category")
    return _finish(fig, height=90 + ROW * len(y), filename=filename, provisional=provisional)


def distribution_chart(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Number of units per index bin, each bin coloured by the grade band it starts in."""
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
    return _finish(fig, height=340, filename=filename, provisional=provisional)


def count_step(highest: int) -> int:
    """Return a tick step for a count axis: 1, 2 or 5 times a power of ten, about 5 ticks."""
    rough = max(highest / 5, 1)
    power = 10 ** math.floor(math.log10(rough))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= rough)


def movers_chart(dashboard: GroupDashboard, *, provisional: bool, filename: str) -> dict:
    """Change of index versus last year: the most improved and the most declined units."""
    fig = new_figure()
    rows = dashboard.improved + dashboard.declined
    labels = unique_labels([r.unit for r in rows])
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
            x=[_number(r.index - r.previous_index) for _lbl, r in members],
            name=name,
            marker={"color": color},
            text=[signed_score(r.index - r.previous_index) for _lbl, r in members],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    plain(r.unit.name),
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
    return _finish(
        fig, height=120 + ROW * max(len(rows), 2), filename=filename, provisional=provisional
    )


# --- Unit profile -----------------------------------------------------------------------------


def year_label(period) -> str:
    """Return how a year appears on an axis; an unpublished year says so."""
    if period.is_published:
        return str(period.year)
    return _("%(year)s (tạm tính)") % {"year": period.year}


def unit_years_chart(profile: UnitProfile, *, filename: str) -> dict:
    """The unit's index per year, its predecessors' before it, and its group's average."""
    # One group average per year: the unit's own group, else its predecessor's.
    by_year = {}
    for y in sorted(profile.years, key=lambda y: not y.own):
        by_year.setdefault(y.year, y)
    years = [by_year[year] for year in sorted(by_year)]
    periods = {y.year: y.period for y in profile.years}
    axis = [year_label(periods[year]) for year in sorted(periods)]
    fig = new_figure()
    lines = [(profile.unit, True)] + [(u, False) for u in profile.predecessors]
    for number, (unit, own) in enumerate(lines):
        points = sorted((y for y in profile.years if y.result.unit_id == unit.pk), key=_year)
        if not points:
            continue
        fig.add_scatter(
            x=[year_label(y.period) for y in points],
            y=[_number(y.result.index) for y in points],
            name=plain(unit.display_name)
            if own
            else _("%(unit)s (đơn vị tiền thân)") % {"unit": plain(unit.display_name)},
            mode="lines+markers+text" if own else "lines+markers",
            line={
                "color": ACCENT if own else SERIES[number % len(SERIES)],
                "width": 3 if own else 2,
                "dash": "solid" if own else "dash",
            },
            marker={"size": 9 if own else 7},
            text=[score(y.result.index) for y in points] if own else None,
            textposition="top center",
            customdata=[
                [
                    plain(unit.name),
                    score(y.result.index),
                    _rank_of(y),
                    plain(y.result.grade_label) or "—",
                ]
                for y in points
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b> — %{x}<br>"
                + _("Chỉ số")
                + ": %{customdata[1]}<br>"
                + _("Hạng")
                + ": %{customdata[2]}<br>"
                + _("Xếp loại")
                + ": %{customdata[3]}<extra></extra>"
            ),
        )
    fig.add_scatter(
        x=[year_label(y.period) for y in years],
        y=[_number(y.group_average) for y in years],
        name=_("Trung bình khối"),
        mode="lines+markers",
        line={"color": AVERAGE, "dash": "dot", "width": 2},
        marker={"symbol": "diamond-open", "size": 8},
        customdata=[[score(y.group_average), plain(y.result.group.name)] for y in years],
        hovertemplate=(
            _("Trung bình") + " %{customdata[1]} — %{x}: %{customdata[0]}<extra></extra>"
        ),
    )
    values = [y.result.index for y in profile.years] + [y.group_average for y in years]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=axis, title=None)
    fig.update_yaxes(title=_("Chỉ số (%)"), range=[_axis_floor(values), 101], **SCORE_AXIS)
    return _finish(fig, height=360, filename=filename)


def _year(year_result) -> int:
    return year_result.year


def _rank_of(year_result) -> str:
    r = year_result.result
    if not r.group.ranked:
        return _("không xếp hạng")
    if r.rank is None:
        return "—"
    return f"{r.rank}/{year_result.group_units}"


def _short(text: str, length: int = 42) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def unit_areas_chart(profile: UnitProfile, *, filename: str) -> dict:
    """Dot plot of the unit's component index per area against its group's average."""
    areas = profile.areas
    labels = [plain(f"{a.area.code}. {_short(a.area.title)}") for a in areas]
    fig = new_figure()
    # A bar from the group's average to the unit: green above the average, red below.
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "x0": float(a.group_average),
                "x1": float(a.index),
                "y0": label,
                "y1": label,
                "line": {"color": UP if a.index >= a.group_average else DOWN, "width": 3},
                "layer": "below",
            }
            for a, label in zip(areas, labels, strict=True)
            if a.index is not None and a.group_average is not None
        ]
    )
    fig.add_scatter(
        x=[_number(a.group_average) for a in areas],
        y=labels,
        mode="markers",
        name=_("Trung bình khối"),
        marker={"symbol": "diamond-open", "size": 12, "color": AVERAGE, "line": {"width": 2}},
        customdata=[[plain(a.area.title), score(a.group_average)] for a in areas],
        hovertemplate="%{customdata[0]}<br>"
        + _("Trung bình khối")
        + ": %{customdata[1]}<extra></extra>",
    )
    fig.add_scatter(
        x=[_number(a.index) for a in areas],
        y=labels,
        mode="markers",
        name=plain(profile.unit.display_name),
        marker={"size": 13, "color": ACCENT},
        customdata=[
            [plain(a.area.title), score(a.index), score(a.points), score(a.max_points)]
            for a in areas
        ],
        hovertemplate="%{customdata[0]}<br>"
        + _("Chỉ số thành phần")
        + ": %{customdata[1]} (%{customdata[2]}/%{customdata[3]} "
        + _("điểm")
        + ")<extra></extra>",
    )
    values = [a.index for a in areas] + [a.group_average for a in areas]
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(
        title=_("Chỉ số thành phần (%)"), range=[_axis_floor(values), 101], **SCORE_AXIS
    )
    return _finish(
        fig,
        height=120 + 34 * len(areas),
        filename=filename,
        provisional=profile.selected is not None and not profile.selected.published,
    )


def unit_claims_chart(profile: UnitProfile, *, filename: str) -> dict:
    """Points claimed beyond the appraised result, per area (below zero: under-claimed)."""
    claims = profile.claims
    fig = new_figure(
        go.Bar(
            x=[c.area.code for c in claims],
            y=[float(c.over) for c in claims],
            marker={"color": ["#e07b24" if c.over > 0 else "#0b5cad" for c in claims]},
            text=[signed_score(c.over) for c in claims],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [plain(c.area.title), score(c.claimed), score(c.final), score(c.max_points)]
                for c in claims
            ],
            hovertemplate=(
                "%{customdata[0]}<br>"
                + _("Tự chấm")
                + ": %{customdata[1]} / %{customdata[3]}<br>"
                + _("Sau thẩm định")
                + ": %{customdata[2]}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    reach = max([abs(float(c.over)) for c in claims] + [0.5]) * 1.3
    low = min([float(c.over) for c in claims] + [0.0])
    fig.update_xaxes(type="category", title=_("Nội dung"))
    fig.update_yaxes(
        title=_("Điểm tự chấm vượt kết quả thẩm định"),
        range=[min(low * 1.3, 0), reach],
        zeroline=True,
        zerolinewidth=2,
        **SCORE_AXIS,
    )
    return _finish(
        fig,
        height=320,
        filename=filename,
        provisional=profile.selected is not None and not profile.selected.published,
    )


# --- Trends -----------------------------------------------------------------------------------


def trend_units_chart(data: Trends, *, filename: str) -> dict:
    """The index of each chosen unit across the years."""
    axis = [year_label(p) for p in data.periods]
    fig = new_figure()
    values = []
    for number, (unit, label) in enumerate(zip(data.units, unique_labels(data.units), strict=True)):
        results = data.results.get(unit.pk, {})
        points = [results.get(p.year) for p in data.periods]
        values += [r.index for r in points if r is not None]
        fig.add_scatter(
            x=axis,
            y=[_number(r.index) if r else None for r in points],
            name=label,
            mode="lines+markers",
            line={"color": SERIES[number % len(SERIES)], "width": 2.5},
            marker={"size": 8},
            connectgaps=False,
            customdata=[
                [
                    plain(unit.name),
                    score(r.index) if r else "—",
                    (str(r.rank) if r and r.rank else "—"),
                    plain(r.grade_label if r else "") or "—",
                ]
                for r in points
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b> — %{x}<br>"
                + _("Chỉ số")
                + ": %{customdata[1]}<br>"
                + _("Hạng")
                + ": %{customdata[2]}<br>"
                + _("Xếp loại")
                + ": %{customdata[3]}<extra></extra>"
            ),
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=axis, title=None)
    fig.update_yaxes(title=_("Chỉ số (%)"), range=[_axis_floor(values), 101], **SCORE_AXIS)
    return _finish(fig, height=420, filename=filename)


def trend_groups_chart(data: Trends, *, filename: str) -> dict:
    """Each group's average index across the years."""
    axis = [year_label(p) for p in data.periods]
    fig = new_figure()
    values = []
    for number, (group, by_year) in enumerate(data.groups):
        points = [by_year.get(p.year) for p in data.periods]
        values += [avg for _n, avg in filter(None, points)]
        fig.add_scatter(
            x=axis,
            y=[_number(point[1]) if point else None for point in points],
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
        title=_("Chỉ số trung bình (%)"), range=[_axis_floor(values), 101], **SCORE_AXIS
    )
    return _finish(fig, height=380, filename=filename)


# --- The figures of each page -----------------------------------------------------------------


def period_figures(overview: PeriodOverview) -> dict[str, dict]:
    """Return the charts of a period overview's selected group (none without results)."""
    dashboard = overview.dashboard
    if dashboard is None:
        return {}
    draft = not overview.period.is_published
    name = f"chi-so-cchc-{overview.period.year}-{overview.selected.group.code}"
    return {
        "ranking": ranking_chart(dashboard, provisional=draft, filename=f"{name}-xep-hang"),
        "heatmap": area_heatmap(dashboard, provisional=draft, filename=f"{name}-noi-dung"),
        "distribution": distribution_chart(
            dashboard, provisional=draft, filename=f"{name}-phan-bo"
        ),
        "movers": movers_chart(dashboard, provisional=draft, filename=f"{name}-thay-doi"),
    }


def unit_figures(profile: UnitProfile) -> dict[str, dict]:
    """Return the charts of a unit profile: those it has figures for."""
    name = f"chi-so-cchc-{profile.unit.code}"
    figures = {}
    if profile.years:
        figures["years"] = unit_years_chart(profile, filename=f"{name}-qua-cac-nam")
    if profile.areas:
        year = profile.selected.year
        figures["areas"] = unit_areas_chart(profile, filename=f"{name}-{year}-noi-dung")
    if profile.claims:
        year = profile.selected.year
        figures["claims"] = unit_claims_chart(profile, filename=f"{name}-{year}-tu-cham")
    return figures


def trend_figures(data: Trends) -> dict[str, dict]:
    """Return the trend charts (none before any result is visible)."""
    if not data.periods:
        return {}
    figures = {"groups": trend_groups_chart(data, filename="chi-so-cchc-theo-khoi")}
    if data.units:
        figures["units"] = trend_units_chart(data, filename="chi-so-cchc-theo-don-vi")
    return figures
