"""What a unit profile reads: the unit's years and its predecessors', its areas against its
group's average, and (for those who may read its assessment) its weakest criteria and claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from parindex import scoring
from parindex.core.lostpoints import LostLeaf, lost_points
from parindex.core.models import (
    AreaResult,
    Assessment,
    Criterion,
    Lineage,
    Method,
    Period,
    ScoreEntry,
    Unit,
    UnitResult,
)
from parindex.core.models.assessments import ZERO as ZERO_POINTS
from parindex.core.models.assessments import final_points
from parindex.core.models.results import shown_unit_name
from parindex.core.models.units import WHOLE
from parindex.core.permissions import (
    can_see_appraisal,
    can_view_assessment,
)

WEAKEST = 8  # weakest criteria listed on a unit profile


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
    """A unit across the years, with the areas and criteria of one of them."""

    unit: Unit
    predecessors: list[Unit]  # every unit it succeeds, nearest first
    successors: list[LineageLink]  # the units it went into, each with the share
    lineage: list[LineageStep]  # how it (and each of its predecessors) was formed
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
    included and marked; each year names the unit (and its group) as that year's results show
    them (as published). The areas and criteria are those of ``year`` when the unit has a
    result that year, else of its latest year. Per-criterion figures (weakest criteria, points
    claimed versus appraised) are shown only to those who may read the unit's assessment.
    """
    predecessor_ids, lineage_rows = _lineage(unit.pk)
    successor_links = [r for r in lineage_rows if r[1] == unit.pk]
    related = Unit.objects.in_bulk(predecessor_ids + [r[0] for r in successor_links])
    related[unit.pk] = unit
    visible = Period.objects.visible_to(user)
    results = list(
        UnitResult.objects.visible_to(user)
        .current_in(visible)
        .filter(unit_id__in=[unit.pk, *predecessor_ids])
        .select_related("result_set__period", "group", "unit")
        .with_names()
        .order_by("-result_set__period__year", shown_unit_name())
    )
    group_figures = {}
    if results:
        for row in (
            UnitResult.objects.visible_to(user)
            .current_in(visible)
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
        successors=[
            LineageLink(related[s], share, since) for s, _p, share, since in successor_links
        ],
        lineage=_steps(unit, predecessor_ids, lineage_rows, related),
        years=years,
        selected=selected,
    )
    if selected is not None:
        _add_area_figures(profile, selected)
        _add_details(profile, selected, user)
    return profile


@dataclass(frozen=True)
class LineageLink:
    """One link of a unit's lineage seen from one side: the unit at the other end, the share
    of the predecessor that went over (1: the whole of it), and the date."""

    unit: Unit
    share: Decimal
    since: date | None

    @property
    def whole(self) -> bool:
        return self.share == WHOLE

    @property
    def percent(self) -> Decimal:
        return (self.share * 100).quantize(Decimal("1"))


@dataclass(frozen=True)
class LineageStep:
    """A reorganisation on a unit's way: ``unit`` formed (``since``) from ``parts``."""

    unit: Unit
    since: date | None
    parts: list[LineageLink]


def _lineage(unit_id: int) -> tuple[list[int], list[tuple]]:
    """Return the ids of every unit ``unit_id`` succeeds (nearest first) and the lineage rows
    (successor id, predecessor id, share, since) of the unit, its ancestors and its direct
    successors: one query for the unit's own links, then one per earlier generation (a ward
    formed from wards formed from others: two or three), never the whole lineage table."""
    fields = ("successor_id", "predecessor_id", "share", "since")
    order = ("successor_id", "-share", "predecessor_id")
    rows = list(
        Lineage.objects.filter(Q(successor_id=unit_id) | Q(predecessor_id=unit_id))
        .values_list(*fields)
        .order_by(*order)
    )
    found: list[int] = []
    step = [r for r in rows if r[0] == unit_id]
    while step:
        frontier = [r[1] for r in step if r[1] != unit_id and r[1] not in found]
        frontier = list(dict.fromkeys(frontier))
        found += frontier
        step = (
            list(
                Lineage.objects.filter(successor_id__in=frontier)
                .values_list(*fields)
                .order_by(*order)
            )
            if frontier
            else []
        )
        rows += step
    return found, rows


def _steps(unit: Unit, ancestors: list[int], rows: list[tuple], units: dict) -> list[LineageStep]:
    """Return the unit's own reorganisation, then its ancestors', nearest first."""
    steps = []
    for successor_id in [unit.pk, *ancestors]:
        parts = [
            LineageLink(units[p], share, since) for s, p, share, since in rows if s == successor_id
        ]
        if parts:
            owner = unit if successor_id == unit.pk else units[successor_id]
            since = owner.valid_from or next((p.since for p in parts if p.since), None)
            steps.append(LineageStep(owner, since, parts))
    return steps


def _add_area_figures(profile: UnitProfile, selected: YearResult) -> None:
    """Add the unit's component index per area and its group's average that year."""
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
            final=Coalesce(Sum(final_points()), ZERO_POINTS),
        )
        .order_by()
    }
    maxima = (
        Criterion.objects.for_assessment(assessment)
        .filter(method=Method.SELF)
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
