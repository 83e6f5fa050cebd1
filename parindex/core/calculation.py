"""The read side of the formula: the sums the database makes, and ``parindex.scoring`` on top.

Every figure of a period — provisional or to be published — comes from ``calculate_results``:
one GROUP BY per kind of row (score rows per assessment and area, approved adjustments per
category), whatever the number of units and leaves; the rules of DOMAIN.md are applied by the
scoring package to the summed numbers. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from parindex import scoring
from parindex.core import clock
from parindex.core.errors import WorkflowError
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    AreaResult,
    Assessment,
    AssessmentStatus,
    Criterion,
    GradeBand,
    Period,
    PeriodGroup,
    ScoreEntry,
    TieRule,
    Unit,
    UnitResult,
)
from parindex.core.workflow import status_shown

ZERO = Decimal("0")


def _previous_results(period: Period, unit_ids: list[int]) -> dict[int, tuple]:
    """Return unit id → (previous index, previous rank), following lineage one step back.

    A unit compares with its own result of the year before; a unit without one (merged or
    renamed) compares with its predecessors' (see ``scoring.previous_index``); a rank is only
    carried over from the unit itself or a single predecessor.
    """
    last = UnitResult.objects.filter(
        result_set__period__year=period.year - 1,
        result_set__is_current=True,
        result_set__published=True,
    ).values_list("unit_id", "index", "rank")
    by_unit = {unit_id: (index, rank) for unit_id, index, rank in last}
    predecessors: dict[int, list[int]] = defaultdict(list)
    for successor_id, predecessor_id in Unit.predecessors.through.objects.filter(
        from_unit_id__in=unit_ids
    ).values_list("from_unit_id", "to_unit_id"):
        predecessors[successor_id].append(predecessor_id)
    previous = {}
    for unit_id in unit_ids:
        own = by_unit.get(unit_id)
        if own is not None:
            previous[unit_id] = own
            continue
        earlier = [by_unit[p] for p in predecessors.get(unit_id, []) if p in by_unit]
        index = scoring.previous_index(None, [i for i, _r in earlier])
        rank = earlier[0][1] if len(earlier) == 1 else None
        previous[unit_id] = (index, rank)
    return previous


def _group_inputs(period: Period, group_ids=None):
    """Read everything the formula needs for a period, in a fixed number of queries."""
    period_groups = PeriodGroup.objects.filter(period=period).select_related(
        "group", "criteria_set"
    )
    if group_ids is not None:
        period_groups = period_groups.filter(group_id__in=group_ids)
    period_groups = list(period_groups)
    set_ids = {pg.criteria_set_id for pg in period_groups}
    area_max = defaultdict(dict)  # set id → {area id: max of scored leaves}
    for row in (
        Criterion.objects.filter(criteria_set_id__in=set_ids)
        .scored()
        .values("criteria_set_id", "area_id")
        .annotate(total=Sum("max_points"))
        .order_by("area__position")
    ):
        area_max[row["criteria_set_id"]][row["area_id"]] = row["total"]
    bands = defaultdict(list)
    for band in GradeBand.objects.filter(period=period):
        bands[band.group_id].append(
            scoring.Band(label=band.label, lower_bound=band.lower_bound, color=band.color)
        )
    entries = defaultdict(dict)
    self_totals = defaultdict(lambda: ZERO)
    for row in ScoreEntry.objects.for_period(period).area_totals():
        entries[row["assessment_id"]][row["criterion__area_id"]] = row
        self_totals[row["assessment_id"]] += row["self_points_total"]
    adjustments = defaultdict(list)
    for row in Adjustment.objects.for_period(period).category_totals():
        adjustments[(row["assessment_id"], row["kind"])].append(
            scoring.CategoryAmount(code=row["category__code"], amount=row["amount"], cap=row["cap"])
        )
    return period_groups, area_max, bands, entries, self_totals, adjustments


NO_ENTRIES = {"points": ZERO, "na_max": ZERO}


def _area_totals(area_max: dict, unit_entries: dict) -> tuple[scoring.AreaTotals, ...]:
    """Return one unit's totals per area; an area without score rows has 0 points."""
    return tuple(
        scoring.AreaTotals(
            key=area_id,
            points=unit_entries.get(area_id, NO_ENTRIES)["points"],
            max_points=maximum - unit_entries.get(area_id, NO_ENTRIES)["na_max"],
        )
        for area_id, maximum in area_max.items()
    )


def score_assessment(assessment: Assessment) -> scoring.UnitScore:
    """Return one unit's current provisional score (what the appraisal screen shows)."""
    pg = PeriodGroup.objects.select_related("criteria_set").get(
        period_id=assessment.period_id, group_id=assessment.unit.group_id
    )
    cs = pg.criteria_set
    area_max = dict(
        Criterion.objects.filter(criteria_set=cs)
        .scored()
        .values("area_id")
        .annotate(total=Sum("max_points"))
        .order_by("area__position")
        .values_list("area_id", "total")
    )
    entries = {
        row["criterion__area_id"]: row
        for row in ScoreEntry.objects.filter(assessment=assessment).area_totals()
    }
    adjustments = defaultdict(list)
    for row in Adjustment.objects.filter(assessment=assessment).category_totals():
        adjustments[row["kind"]].append(
            scoring.CategoryAmount(code=row["category__code"], amount=row["amount"], cap=row["cap"])
        )
    return scoring.score_unit(
        scoring.UnitTotals(
            key=assessment.pk,
            areas=_area_totals(area_max, entries),
            bonus=tuple(adjustments[AdjustmentKind.BONUS]),
            deductions=tuple(adjustments[AdjustmentKind.DEDUCTION]),
        ),
        scoring.Rules(cs.bonus_cap, cs.deduction_cap, cs.allow_over_max),
    )


def standing_of(assessment: Assessment, now) -> str:
    """Return what a provisional table shows instead of an index for a unit that has not
    submitted ("Chưa nộp", "Không nộp đúng hạn"), or "" for a unit that takes part."""
    if assessment.status != AssessmentStatus.DRAFT:
        return ""
    return str(status_shown(assessment, now)[1])


def _require_groups(period: Period) -> None:
    """Refuse a period where some unit's group has no criteria set in it."""
    stray = list(
        Assessment.objects.for_period(period)
        .exclude(unit__group_id__in=PeriodGroup.objects.filter(period=period).values("group_id"))
        .values_list("unit__code", flat=True)
    )
    if stray:
        raise WorkflowError(
            _("Khối của các đơn vị sau chưa được gắn bộ tiêu chí trong kỳ đánh giá:"),
            details=stray,
        )


def _snapshot_row(pg, a, result, *, standing: str, previous, self_total):
    """Return one unit's unsaved snapshot: its result row and its rows per content area.

    A unit that has not submitted (``standing``) keeps its sums but shows no index or grade.
    The row keeps the unit's and the group's names as they are now (what a published table
    shows after any later renaming).
    """
    s = result.score
    band = result.band if not standing else None
    prev_index, prev_rank = previous
    unit_row = UnitResult(
        unit_id=a.unit_id,
        group_id=pg.group_id,
        unit_name=a.unit.name,
        group_name=pg.group.name,
        points=s.points,
        bonus=s.bonus,
        deduction=s.deduction,
        total=s.total,
        max_points=s.max_points,
        self_points=self_total,
        index=None if standing else s.index,
        rank=result.rank,
        grade_label=band.label if band else "",
        grade_color=band.color if band else "",
        previous_index=prev_index,
        previous_rank=prev_rank if pg.ranked else None,
        unranked_reason=a.unranked_reason,
        standing=standing,
    )
    areas = [
        AreaResult(area_id=x.key, points=x.points, max_points=x.max_points, index=x.index)
        for x in s.areas
    ]
    return unit_row, areas


def calculate_results(period: Period, group_ids=None) -> list[tuple[UnitResult, list[AreaResult]]]:
    """Return the results of ``period`` (or of the groups ``group_ids``) as unsaved snapshot
    rows, computed from the scores.

    Reads only: a fixed number of aggregate queries whatever the number of units and leaves.
    A unit that has not submitted gets no index, grade or rank, only its standing; a unit left
    out of the ranking keeps its index and grade without a rank; the period's tie rule decides
    how equal indices rank.
    """
    _require_groups(period)
    period_groups, area_max, bands, entries, self_totals, adjustments = _group_inputs(
        period, group_ids
    )
    assessments = Assessment.objects.for_period(period).select_related("unit", "period")
    if group_ids is not None:
        assessments = assessments.filter(unit__group_id__in=group_ids)
    by_group = defaultdict(list)
    for assessment in assessments.order_by("unit__code"):
        by_group[assessment.unit.group_id].append(assessment)
    everyone = [a for members in by_group.values() for a in members]
    previous = _previous_results(period, [a.unit_id for a in everyone])
    now = clock.now()
    standings = {a.pk: standing_of(a, now) for a in everyone}
    unranked = frozenset(a.pk for a in everyone if a.unranked_reason or standings[a.pk])
    rows = []
    for pg in period_groups:
        cs = pg.criteria_set
        members = by_group.get(pg.group_id, [])
        totals = [
            scoring.UnitTotals(
                key=a.pk,
                areas=_area_totals(area_max[cs.pk], entries[a.pk]),
                bonus=tuple(adjustments.get((a.pk, AdjustmentKind.BONUS), ())),
                deductions=tuple(adjustments.get((a.pk, AdjustmentKind.DEDUCTION), ())),
            )
            for a in members
        ]
        ranked = scoring.score_group(
            totals,
            scoring.Rules(cs.bonus_cap, cs.deduction_cap, cs.allow_over_max),
            bands.get(pg.group_id, []),
            ranked=pg.ranked,
            unranked=unranked,
            unrounded_ties=period.tie_rule == TieRule.UNROUNDED,
        )
        rows += [
            _snapshot_row(
                pg,
                a,
                result,
                standing=standings[a.pk],
                previous=previous.get(a.unit_id, (None, None)),
                self_total=self_totals[a.pk],
            )
            for a, result in zip(members, ranked, strict=True)
        ]
    return rows


SNAPSHOT_FIELDS = (
    "points",
    "bonus",
    "deduction",
    "total",
    "max_points",
    "index",
    "rank",
    "grade_label",
    "unranked_reason",
    "standing",
)


def check_results(period: Period) -> list[str]:
    """Recompute ``period`` from its scores and list where the current snapshot differs.

    Writes nothing, so it works on published periods too: an empty list means every stored
    figure is what the scores give today.
    """
    stored = {r.unit_id: r for r in UnitResult.objects.current_for(period).select_related("unit")}
    differences = []
    for computed, _areas in calculate_results(period):
        current = stored.pop(computed.unit_id, None)
        if current is None:
            differences.append(
                _("Đơn vị %(unit)s chưa có kết quả lưu.") % {"unit": computed.unit_id}
            )
            continue
        for field in SNAPSHOT_FIELDS:
            if getattr(current, field) != getattr(computed, field):
                differences.append(
                    f"{current.unit.code} {field}: {getattr(current, field)} → "
                    f"{getattr(computed, field)}"
                )
    differences += [
        _("Kết quả lưu của %(unit)s không còn bản đánh giá.") % {"unit": r.unit.code}
        for r in stored.values()
    ]
    return differences
