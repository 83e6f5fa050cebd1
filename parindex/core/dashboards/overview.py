"""What the period overview reads: every group's headline figures and one group's charts.

The charts of the selected group: its ranking (a large group's leaders and laggards), the
component index of each unit per content area, the distribution of indices in bins coloured by
grade band, and the units that moved most since last year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from parindex import scoring
from parindex.core.models import (
    AreaResult,
    Criterion,
    GradeBand,
    Period,
    PeriodGroup,
    UnitGroup,
    UnitResult,
)

# A group's ranking chart and heatmap show every unit up to twice this many; a larger group
# shows this many at each end (the leaders and the laggards) and links to the full table.
RANKING_ENDS = 20
MOVERS = 5  # most improved and most declined units of a group
NO_BAND_COLOR = "#9aa4ae"
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class BandCount:
    """How many units of a group got one grade band (``lower_bound`` is None: no band)."""

    label: str
    color: str
    lower_bound: Decimal | None
    count: int


@dataclass(frozen=True)
class GroupSummary:
    """A group's headline figures in one period; names are those its results show (as
    published: ``results.shown_name``)."""

    group: UnitGroup
    name: str
    criteria_set_id: int
    unit_count: int
    average: Decimal | None
    highest: Decimal | None
    highest_unit: str
    lowest: Decimal | None
    lowest_unit: str
    bands: tuple[BandCount, ...]
    published: bool = False  # the group's results are published (groups publish one by one)
    ranked: bool = True  # the group is ranked in this period


@dataclass(frozen=True)
class Bin:
    """Units whose index lies from ``lower`` to ``upper`` (both as shown, two decimals)."""

    lower: Decimal
    upper: Decimal
    count: int
    color: str


@dataclass
class GroupDashboard:
    """Everything the charts of one group in one period need."""

    summary: GroupSummary
    areas: list[Criterion]
    bands: list[GradeBand]
    ranking: list[UnitResult]  # league order; a large group's leaders, then its laggards
    gap_after: int | None  # position in ``ranking`` after which units are left out
    area_index: dict[int, dict[int, Decimal | None]]  # unit result id → area id → index
    area_averages: dict[int, Decimal | None]  # area id → the group's average component index
    distribution: list[Bin]
    bin_width: int
    improved: list[UnitResult]
    declined: list[UnitResult]

    @property
    def hidden(self) -> int:
        """Return how many units of the group the ranking chart leaves out."""
        return self.summary.unit_count - len(self.ranking)

    def weakest_areas(self, result: UnitResult) -> set[int]:
        """Return the ids of the areas where ``result`` has its lowest component index."""
        indices = {
            area_id: index
            for area_id, index in self.area_index.get(result.pk, {}).items()
            if index is not None
        }
        if not indices:
            return set()
        lowest = min(indices.values())
        return {area_id for area_id, index in indices.items() if index == lowest}

    def heat_rows(self) -> list[tuple[UnitResult, list[tuple[Criterion, Decimal | None, bool]]]]:
        """Return each shown unit with (area, component index, is its weakest) per area."""
        rows = []
        for result in self.ranking:
            weakest = self.weakest_areas(result)
            values = self.area_index.get(result.pk, {})
            rows.append((result, [(a, values.get(a.pk), a.pk in weakest) for a in self.areas]))
        return rows

    def average_row(self) -> list[tuple[Criterion, Decimal | None]]:
        """Return the group's average component index per area, rounded once."""
        return [(a, scoring.round_score(self.area_averages.get(a.pk))) for a in self.areas]


@dataclass
class PeriodOverview:
    """A period's groups with their figures, and the charts of the one selected."""

    period: Period
    groups: list[GroupSummary]
    selected: GroupSummary | None
    dashboard: GroupDashboard | None  # None when the selected group has no results


def period_overview(
    period: Period, group_code: str | None = None, *, user
) -> PeriodOverview | None:
    """Return the overview of ``period`` as ``user`` may see it, with the charts of the group
    ``group_code``.

    Without a group code the first group with results is shown. An unknown group code, or a
    group ``user`` may not read yet (unpublished), returns None (the page answers 404).
    """
    period_groups = list(
        PeriodGroup.objects.for_period(period)
        .visible_to(user)
        .select_related("group")
        .with_result_summary()
    )
    bands = defaultdict(list)
    for band in GradeBand.objects.filter(period=period):
        bands[band.group_id].append(band)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in UnitResult.objects.current_for(period).band_counts():
        counts[row["group_id"]][row["grade_label"]] += row["count"]
    summaries = [_summary(pg, bands[pg.group_id], counts[pg.group_id]) for pg in period_groups]
    if group_code:
        selected = next((s for s in summaries if s.group.code == group_code), None)
        if selected is None:
            return None
    else:
        selected = next((s for s in summaries if s.unit_count), summaries[0] if summaries else None)
    dashboard = None
    if selected is not None and selected.unit_count:
        dashboard = _group_dashboard(period, selected, bands[selected.group.pk])
    return PeriodOverview(period=period, groups=summaries, selected=selected, dashboard=dashboard)


def _summary(pg: PeriodGroup, bands: list[GradeBand], counts: dict[str, int]) -> GroupSummary:
    """Build a group's figures; every band of the group is listed, with 0 when nobody got it."""
    left = dict(counts)
    listed = [
        BandCount(band.label, band.color, band.lower_bound, left.pop(band.label, 0))
        for band in bands
    ]
    # Units below every band, or graded by a band renamed since: shown, never dropped.
    for label, count in sorted(left.items()):
        listed.append(BandCount(label or str(_("Chưa xếp loại")), NO_BAND_COLOR, None, count))
    return GroupSummary(
        group=pg.group,
        name=pg.shown_group_name,
        criteria_set_id=pg.criteria_set_id,
        unit_count=pg.unit_count or 0,
        average=pg.average_index,
        highest=pg.highest_index,
        highest_unit=pg.highest_unit or "",
        lowest=pg.lowest_index,
        lowest_unit=pg.lowest_unit or "",
        bands=tuple(listed),
        published=pg.is_published,
        ranked=pg.ranked,
    )


def _group_dashboard(period: Period, summary: GroupSummary, bands) -> GroupDashboard:
    """Read what the charts of one group need, in a fixed number of queries."""
    rows = UnitResult.objects.current_for(period).for_group(summary.group)
    named = rows.select_related("unit").with_names()
    top = list(named.league_order()[:RANKING_ENDS])
    bottom = list(named.league_order_reversed()[:RANKING_ENDS])
    shown = {r.pk for r in top}
    tail = [r for r in reversed(bottom) if r.pk not in shown]
    ranking = top + tail
    gap_after = len(top) if len(ranking) < summary.unit_count else None

    area_index: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for unit_result_id, area_id, index in AreaResult.objects.filter(
        unit_result_id__in=[r.pk for r in ranking]
    ).values_list("unit_result_id", "area_id", "index"):
        area_index[unit_result_id][area_id] = index

    width = _bin_width(summary.lowest, summary.highest)
    return GroupDashboard(
        summary=summary,
        areas=list(
            Criterion.objects.filter(criteria_set_id=summary.criteria_set_id).scored_areas()
        ),
        bands=list(bands),
        ranking=ranking,
        gap_after=gap_after,
        area_index=dict(area_index),
        area_averages={row["area_id"]: row["average"] for row in rows.area_averages()},
        distribution=_distribution(rows.index_histogram(width), width, bands),
        bin_width=width,
        improved=list(named.by_change(rising=True)[:MOVERS]),
        declined=list(named.by_change(rising=False)[:MOVERS]),
    )


def _bin_width(lowest: Decimal | None, highest: Decimal | None) -> int:
    """Return a bin width (index points) that gives between about 5 and 25 bins."""
    if lowest is None or highest is None:
        return 1
    spread = highest - lowest
    if spread <= 25:
        return 1
    if spread <= 50:
        return 2
    return 5


def _distribution(histogram, width: int, bands) -> list[Bin]:
    """Turn the SQL histogram into consecutive bins, empty ones included, coloured by band.

    An index of exactly 100 joins the last bin below it rather than opening a bin of its own.
    """
    counts: dict[int, int] = defaultdict(int)
    top_bin = int(HUNDRED) // width - 1
    for row in histogram:
        counts[min(int(row["bin"]), top_bin)] += row["count"]
    if not counts:
        return []
    scoring_bands = [scoring.Band(b.label, b.lower_bound, b.color) for b in bands]
    bins = []
    for number in range(min(counts), max(counts) + 1):
        lower = Decimal(number * width)
        upper = HUNDRED if number == top_bin else lower + width - CENT
        band = scoring.grade_for(lower, scoring_bands)
        bins.append(Bin(lower, upper, counts.get(number, 0), band.color if band else NO_BAND_COLOR))
    return bins
