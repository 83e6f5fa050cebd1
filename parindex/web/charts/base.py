"""What every dashboard chart shares: the plotly template and colours, the plotly.js config, the
escaping and labelling of names, the index axes and the dict a page carries.

Each chart function returns a plain dict (``Figure.to_plotly_json()`` plus the plotly.js config)
that a page carries in a ``json_script`` element; static/js/charts.js draws it with the plotly.js
we serve from our static files. No code goes into the page, so a Content-Security-Policy without
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
# The pages load plotly.js's cartesian dist bundle (templates/includes/_chart_scripts.html), the
# smallest published bundle with heatmaps: a third of the full build. A trace type outside this
# set would draw nothing; tests/web/test_plotly_bundle.py checks the set against the bundle file
# and every trace the chart modules build against the set.
PLOTLY_BUNDLE = "vendor/plotly-cartesian-3.7.0.min.js"
PLOTLY_TRACE_TYPES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)
FONT = '"Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
SCORE_AXIS = {"tickformat": ".2f", "hoverformat": ".2f"}

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


def finish(fig: go.Figure, *, height: int, filename: str, provisional: bool = False) -> dict:
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


def plotted(value) -> float | None:
    """Return ``value`` for plotting (a float), or None for no figure (a gap, not a zero)."""
    return None if value is None else float(value)


def plain(text) -> str:
    """Return ``text`` escaped for plotly, which reads a few HTML tags and entities in every
    label and hover: a name with "<" or "&" shows as typed, never as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unique_labels(units: Sequence, names: Sequence[str] | None = None) -> list[str]:
    """Return a short label per unit; a plotly category axis merges equal labels, so a name
    shared by two units gets its code. ``names`` replaces the units' own short names."""
    names = [plain(name) for name in names or [unit.display_name for unit in units]]
    return [
        f"{name} ({unit.code})" if names.count(name) > 1 else name
        for name, unit in zip(names, units, strict=True)
    ]


def result_labels(results: Sequence) -> list[str]:
    """Return a short label per result row (``UnitResult.with_names``): the unit's short name
    while the row shows its current name, else the name it was published under."""
    return unique_labels(
        [r.unit for r in results],
        [
            r.unit.display_name if r.shown_unit_name == r.unit.name else r.shown_unit_name
            for r in results
        ],
    )


def year_label(period) -> str:
    """Return how a year appears on an axis; an unpublished year says so."""
    if period.is_published:
        return str(period.year)
    return _("%(year)s (tạm tính)") % {"year": period.year}


def unit_year_hover() -> str:
    """Return the hover text of a unit's point in a year, from its customdata: the unit's
    name, its index, its rank and its grade band."""
    return (
        "<b>%{customdata[0]}</b> — %{x}<br>"
        + _("Chỉ số")
        + ": %{customdata[1]}<br>"
        + _("Hạng")
        + ": %{customdata[2]}<br>"
        + _("Xếp loại")
        + ": %{customdata[3]}<extra></extra>"
    )


def floor_to(value: Decimal | float, step: int) -> float:
    """Return ``value`` rounded down to a multiple of ``step``."""
    return float(math.floor(float(value) / step) * step)


def axis_floor(values, *, step: int = 5, pad: float = 2) -> float:
    """Return where an index axis starts: a little below the lowest figure, on a round number.

    Indices of a group sit within a few points of each other; an axis from 0 would make their
    differences invisible. The axis shows where it starts, and each bar carries its figure.
    """
    known = [float(v) for v in values if v is not None]
    if not known:
        return 0.0
    return max(0.0, floor_to(min(known) - pad, step))
