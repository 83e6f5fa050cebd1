"""What the leaders' dashboards read, in a fixed number of queries whatever the number of units.

Figures come from the result snapshots that ``compute_results`` stored (``UnitResult``,
``AreaResult``), counted and averaged in SQL. Only the per-criterion part of a unit profile reads
score rows, those of one assessment. Nothing here runs a query per unit, per year or per area, so
a page costs the same number of queries for 26 units as for 3,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from parindex import scoring
from parindex.core.lostpoints import LostLeaf, lost_points
from parindex.core.models import (
    AreaResult,
    Assessment,
    Criterion,
    GradeBand,
    Method,
    Period,
    PeriodGroup,
    ScoreEntry,
    Unit,
    UnitGroup,
    UnitResult,
)
from parindex.core.models.assessments import ZERO as ZERO_POINTS
from parindex.core.permissions import (
    can_see_appraisal,
    can_view_assessment,
)

# A group's ranking chart and heatmap show every unit up to twice this many; a larger group
# shows this many at each end (the leaders and the laggards) and links to the full table.
RANKING_ENDS = 20
MOVERS = 5  # most improved and most declined units of a group
WEAKEST = 8  # weakest criteria listed on a unit profile
TREND_LIMIT = 10  # more lines than this make a trend chart unreadable
TREND_DEFAULT = 5
NO_BAND_COLOR = "#9aa4ae"
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


# --- Period overview --------------------------------------------------------------------------


@dataclass(frozen=True)
class BandCount:
    """How many units of a group got one grade band (``lower_bound`` is None: no band)."""

    label: str
    color: str
    lower_bound: Decimal | None
    count: int


@dataclass(frozen=True)
class GroupSummary:
    """A group's headline figures in one period."""

    group: UnitGroup
    criteria_set_id: int
    unit_count: int
    average: Decimal | None
    highest: Decimal | None
    highest_unit: str
    lowest: Decimal | None
    lowest_unit: str
    bands: tuple[BandCount, ...]


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
    period: Period
    groups: list[GroupSummary]
    selected: GroupSummary | None
    dashboard: GroupDashboard | None  # None when the selected group has no results


def period_overview(period: Period, group_code: str | None = None) -> PeriodOverview | None:
    """Return the overview of ``period``, with the charts of the group ``group_code``.

    Without a group code the first group with results is shown. An unknown group code returns
    None (the page answers 404).
    """
    period_groups = list(
        PeriodGroup.objects.for_period(period).select_related("group").with_result_summary()
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
        criteria_set_id=pg.criteria_set_id,
        unit_count=pg.unit_count or 0,
        average=pg.average_index,
        highest=pg.highest_index,
        highest_unit=pg.highest_unit or "",
        lowest=pg.lowest_index,
        lowest_unit=pg.lowest_unit or "",
        bands=tuple(listed),
    )


def _group_dashboard(period: Period, summary: GroupSummary, bands) -> GroupDashboard:
    rows = UnitResult.objects.current_for(period).for_group(summary.group)
    top = list(rows.select_related("unit").league_order()[:RANKING_ENDS])
    bottom = list(rows.select_related("unit").league_order_reversed()[:RANKING_ENDS])
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
        improved=list(rows.select_related("unit").by_change(rising=True)[:MOVERS]),
        declined=list(rows.select_related("unit").by_change(rising=False)[:MOVERS]),
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


# --- Unit profile -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult:
    """A unit's (or one of its predecessors') result in one year, with its group's figures."""

    result: UnitResult
    own: bool  # False: the result of a predecessor unit
    group_units: int
    group_average: Decimal | None

    @property
    def year(self) -> int:
        return self.result.result_set.period.year

    @property
    def period(self) -> Period:
        return self.result.result_set.period

    @property
    def published(self) -> bool:
        return self.result.result_set.published

    @property
    def change(self) -> Decimal | None:
        r = self.result
        if r.index is None or r.previous_index is None:
            return None
        return r.index - r.previous_index


@dataclass(frozen=True)
class AreaComparison:
    """A unit's component index in one area next to its group's average."""

    area: Criterion
    points: Decimal
    max_points: Decimal
    index: Decimal | None
    group_average: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.index is None or self.group_average is None:
            return None
        return scoring.round_score(self.index - self.group_average)


@dataclass(frozen=True)
class AreaClaim:
    """Self-assessed leaves of one area: the points the unit claimed and those it kept.

    Not-applicable leaves count on neither side; survey leaves are not self-assessed.
    """

    area: Criterion
    max_points: Decimal
    claimed: Decimal
    final: Decimal

    @property
    def over(self) -> Decimal:
        """Return the points claimed beyond the appraised result (negative: under-claimed)."""
        return self.claimed - self.final


@dataclass
class UnitProfile:
    unit: Unit
    predecessors: list[Unit]  # every unit it succeeds, nearest first
    successors: list[Unit]
    years: list[YearResult]  # newest first: its own results and its predecessors'
    selected: YearResult | None  # the year whose areas and criteria are shown
    areas: list[AreaComparison] = field(default_factory=list)
    details_visible: bool = False  # criteria and claims: for the unit itself and province staff
    weakest: list[LostLeaf] = field(default_factory=list)
    claims: list[AreaClaim] = field(default_factory=list)

    @property
    def own_years(self) -> list[YearResult]:
        return [y for y in self.years if y.own]

    @property
    def has_predecessor_years(self) -> bool:
        return any(not y.own for y in self.years)

    @property
    def has_provisional(self) -> bool:
        return any(not y.published for y in self.years)

    @property
    def over_claimed(self) -> Decimal:
        return sum((c.over for c in self.claims), Decimal("0"))


def unit_profile(unit: Unit, user, *, year: int | None = None) -> UnitProfile:
    """Return ``unit``'s profile as ``user`` may see it.

    Years: the published ones for everyone, the provisional ones too for province staff; the
    years of the units it succeeds (mergers, renamings, followed back as far as they go) are
    included and marked. The areas and criteria are those of ``year`` when the unit has a
    result that year, else of its latest year. Per-criterion figures (weakest criteria, points
    claimed versus appraised) are shown only to those who may read the unit's assessment.
    """
    predecessor_ids, successor_ids = _lineage(unit.pk)
    related = Unit.objects.in_bulk(predecessor_ids + successor_ids)
    visible = Period.objects.visible_to(user)
    results = list(
        UnitResult.objects.current_in(visible)
        .filter(unit_id__in=[unit.pk, *predecessor_ids])
        .select_related("result_set__period", "group", "unit")
        .order_by("-result_set__period__year", "unit__name")
    )
    group_figures = {}
    if results:
        for row in (
            UnitResult.objects.current_in(visible)
            .filter(
                group_id__in={r.group_id for r in results},
                result_set__period__year__in={r.result_set.period.year for r in results},
            )
            .yearly_averages()
        ):
            group_figures[(row["year"], row["group_id"])] = (row["units"], row["average"])
    years = [
        YearResult(
            result=r,
            own=r.unit_id == unit.pk,
            group_units=group_figures.get((r.result_set.period.year, r.group_id), (0, None))[0],
            group_average=group_figures.get((r.result_set.period.year, r.group_id), (0, None))[1],
        )
        for r in results
    ]
    own = [y for y in years if y.own]
    selected = next((y for y in own if y.year == year), own[0] if own else None)
    profile = UnitProfile(
        unit=unit,
        predecessors=[related[pk] for pk in predecessor_ids if pk in related],
        successors=[related[pk] for pk in successor_ids if pk in related],
        years=years,
        selected=selected,
    )
    if selected is not None:
        _add_area_figures(profile, selected)
        _add_details(profile, selected, user)
    return profile


def _lineage(unit_id: int) -> tuple[list[int], list[int]]:
    """Return the ids of every unit ``unit_id`` succeeds (nearest first) and of its direct
    successors, from one read of the lineage table (it holds one row per merger, not per unit).
    """
    earlier: dict[int, list[int]] = defaultdict(list)
    later: dict[int, list[int]] = defaultdict(list)
    for successor, predecessor in Unit.predecessors.through.objects.values_list(
        "from_unit_id", "to_unit_id"
    ).order_by("from_unit_id", "to_unit_id"):
        earlier[successor].append(predecessor)
        later[predecessor].append(successor)
    found: list[int] = []
    frontier = [unit_id]
    while frontier:
        step = [p for u in frontier for p in earlier[u] if p != unit_id and p not in found]
        step = list(dict.fromkeys(step))
        found += step
        frontier = step
    return found, later[unit_id]


def _add_area_figures(profile: UnitProfile, selected: YearResult) -> None:
    result = selected.result
    averages = {
        row["area_id"]: row["average"]
        for row in UnitResult.objects.current_for(selected.period)
        .for_group(result.group_id)
        .area_averages()
    }
    profile.areas = [
        AreaComparison(
            area=row.area,
            points=row.points,
            max_points=row.max_points,
            index=row.index,
            group_average=scoring.round_score(averages.get(row.area_id)),
        )
        for row in AreaResult.objects.filter(unit_result=result)
        .select_related("area")
        .order_by("area__position")
    ]


def _add_details(profile: UnitProfile, selected: YearResult, user) -> None:
    """Add the weakest criteria and the claims per area when ``user`` may read them."""
    assessment = (
        Assessment.objects.filter(period=selected.period, unit=profile.unit)
        .select_related("unit", "period")
        .first()
    )
    if assessment is None:
        return
    if not (can_view_assessment(user, assessment) and can_see_appraisal(user, assessment)):
        return
    profile.details_visible = True
    leaves = lost_points(assessment).leaves
    # Most points lost first; between equal losses, the leaf that lost the larger share.
    profile.weakest = sorted(
        leaves,
        key=lambda leaf: (-leaf.lost, -leaf.lost / (leaf.criterion.max_points or 1)),
    )[:WEAKEST]
    profile.claims = area_claims(assessment)


def area_claims(assessment: Assessment) -> list[AreaClaim]:
    """Return, per content area, the self-assessed points claimed and kept after appraisal.

    One GROUP BY over the assessment's score rows, one over the criteria for the maxima.
    """
    sums = {
        row["criterion__area_id"]: row
        for row in ScoreEntry.objects.filter(
            assessment=assessment, criterion__method=Method.SELF, not_applicable=False
        )
        .values("criterion__area_id")
        .annotate(
            claimed=Coalesce(Sum("self_points"), ZERO_POINTS),
            final=Coalesce(Sum(Coalesce("appraised_points", "self_points")), ZERO_POINTS),
        )
        .order_by()
    }
    maxima = (
        Criterion.objects.filter(
            criteria_set__period_groups__period_id=assessment.period_id,
            criteria_set__period_groups__group_id=assessment.unit.group_id,
            method=Method.SELF,
        )
        .values("area_id")
        .annotate(total=Sum("max_points"))
        .order_by()
    )
    area_max = {row["area_id"]: row["total"] for row in maxima}
    areas = Criterion.objects.filter(pk__in=list(area_max)).order_by("position")
    none = {"claimed": Decimal("0"), "final": Decimal("0")}
    return [
        AreaClaim(
            area=area,
            max_points=area_max[area.pk],
            claimed=sums.get(area.pk, none)["claimed"],
            final=sums.get(area.pk, none)["final"],
        )
        for area in areas
    ]


# --- Trends -----------------------------------------------------------------------------------


@dataclass
class Trends:
    periods: list[Period]  # oldest first: the visible periods that have results
    units: list[Unit]  # the units drawn, in the order asked
    results: dict[int, dict[int, UnitResult]]  # unit id → year → result
    groups: list[tuple[UnitGroup, dict[int, tuple[int, Decimal | None]]]]  # year → (n, avg)
    options: list[tuple[UnitGroup, list[Unit]]]  # the units one may choose, by group
    unknown: list[str] = field(default_factory=list)  # codes asked for that match no unit
    dropped: list[str] = field(default_factory=list)  # codes beyond TREND_LIMIT
    defaulted: bool = False  # True when nothing was asked and the default selection is shown

    @property
    def has_provisional(self) -> bool:
        return any(not p.is_published for p in self.periods)


def trends(user, codes) -> Trends:
    """Return the index of the units ``codes`` and each group's average across the years
    ``user`` may see; without codes, the top units of the latest period's first group."""
    periods = list(
        Period.objects.visible_to(user).filter(result_sets__is_current=True).order_by("year")
    )
    asked = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    dropped = asked[TREND_LIMIT:]
    asked = asked[:TREND_LIMIT]
    unknown: list[str] = []
    defaulted = False
    if asked:
        found = Unit.objects.select_related("group").in_bulk(asked, field_name="code")
        units = [found[code] for code in asked if code in found]
        unknown = [code for code in asked if code not in found]
    elif periods:
        defaulted = True
        units = [
            r.unit
            for r in UnitResult.objects.current_for(periods[-1])
            .select_related("unit__group")
            .order_by(
                "group__order",
                F("rank").asc(nulls_last=True),
                F("index").desc(nulls_last=True),
                "unit__name",
            )[:TREND_DEFAULT]
        ]
    else:
        units = []
    by_unit: dict[int, dict[int, UnitResult]] = defaultdict(dict)
    if units:
        for r in (
            UnitResult.objects.current_in(periods)
            .filter(unit_id__in=[u.pk for u in units])
            .select_related("result_set__period")
        ):
            by_unit[r.unit_id][r.result_set.period.year] = r
    averages: dict[int, dict[int, tuple[int, Decimal | None]]] = defaultdict(dict)
    for row in UnitResult.objects.current_in(periods).yearly_averages():
        averages[row["group_id"]][row["year"]] = (row["units"], row["average"])
    groups = [(g, averages[g.pk]) for g in UnitGroup.objects.filter(pk__in=list(averages))]
    return Trends(
        periods=periods,
        units=units,
        results=dict(by_unit),
        groups=groups,
        options=_options(periods),
        unknown=unknown,
        dropped=dropped,
        defaulted=defaulted,
    )


def _options(periods: list[Period]) -> list[tuple[UnitGroup, list[Unit]]]:
    """Return the units with a result in ``periods``, by group (one query)."""
    if not periods:
        return []
    units = (
        Unit.objects.filter(pk__in=UnitResult.objects.current_in(periods).values("unit_id"))
        .select_related("group")
        .order_by("group__order", "group__code", "name")
    )
    options: dict[int, tuple[UnitGroup, list[Unit]]] = {}
    for unit in units:
        options.setdefault(unit.group_id, (unit.group, []))[1].append(unit)
    return list(options.values())
