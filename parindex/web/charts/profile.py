"""The charts of a unit profile: its index across the years (its predecessors' too) against its
group's average, its component index per area, and the points it claimed beyond the appraisal."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from parindex.core.dashboards.profile import UnitProfile
from parindex.web.charts.base import (
    ACCENT,
    AVERAGE,
    DOWN,
    SCORE_AXIS,
    SERIES,
    UP,
    axis_floor,
    finish,
    new_figure,
    plain,
    plotted,
    unit_year_hover,
    year_label,
)
from parindex.web.templatetags.scores import score, signed_score


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


def unit_years_chart(profile: UnitProfile, *, filename: str) -> dict:
    """Return the unit's index per year, its predecessors' before it, and its group's average."""
    # One group average per year: the unit's own group, else its predecessor's.
    by_year = {}
    for y in sorted(profile.years, key=lambda y: not y.own):
        by_year.setdefault(y.year, y)
    years = [by_year[year] for year in sorted(by_year)]
    periods = {y.year: y.period for y in profile.years}
    axis = [year_label(periods[year]) for year in sorted(periods)]
    fig = new_figure()
    _add_unit_lines(fig, profile)
    # The average of the unit's own group and that of its predecessors' are unlike things:
    # two lines, never joined across the reorganisation.
    for own in (False, True):
        segment = [y for y in years if y.own == own]
        if not segment:
            continue
        fig.add_scatter(
            x=[year_label(y.period) for y in segment],
            y=[plotted(y.group_average) for y in segment],
            name=_("Trung bình khối") if own else _("Trung bình khối (đơn vị tiền thân)"),
            mode="lines+markers",
            line={"color": AVERAGE, "dash": "dot", "width": 2},
            marker={"symbol": "diamond-open" if own else "circle-open", "size": 8},
            customdata=[
                [score(y.group_average), plain(y.result.shown_group_name)] for y in segment
            ],
            hovertemplate=(
                _("Trung bình") + " %{customdata[1]} — %{x}: %{customdata[0]}<extra></extra>"
            ),
        )
    values = [y.result.index for y in profile.years] + [y.group_average for y in years]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=axis, title=None)
    fig.update_yaxes(title=_("Chỉ số (%)"), range=[axis_floor(values), 101], **SCORE_AXIS)
    return finish(fig, height=360, filename=filename)


def _add_unit_lines(fig: go.Figure, profile: UnitProfile) -> None:
    """Draw a line of the unit's own years, then a dashed one per predecessor."""
    hover = unit_year_hover()
    lines = [(profile.unit, True)] + [(u, False) for u in profile.predecessors]
    for number, (unit, own) in enumerate(lines):
        points = sorted((y for y in profile.years if y.result.unit_id == unit.pk), key=_year)
        if not points:
            continue
        fig.add_scatter(
            x=[year_label(y.period) for y in points],
            y=[plotted(y.result.index) for y in points],
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
                    plain(y.result.shown_unit_name),
                    score(y.result.index),
                    _rank_of(y),
                    plain(y.result.grade_label) or "—",
                ]
                for y in points
            ],
            hovertemplate=hover,
        )


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
    """Return a dot plot of the unit's component index per area against its group's average."""
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
        x=[plotted(a.group_average) for a in areas],
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
        x=[plotted(a.index) for a in areas],
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
        title=_("Chỉ số thành phần (%)"), range=[axis_floor(values), 101], **SCORE_AXIS
    )
    return finish(
        fig,
        height=120 + 34 * len(areas),
        filename=filename,
        provisional=profile.selected is not None and not profile.selected.published,
    )


def unit_claims_chart(profile: UnitProfile, *, filename: str) -> dict:
    """Return, per area, the points claimed beyond the appraised result.

    Below zero the unit under-claimed: the appraisal gave it more than it claimed.
    """
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
    return finish(
        fig,
        height=320,
        filename=filename,
        provisional=profile.selected is not None and not profile.selected.published,
    )
