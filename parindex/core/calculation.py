"""The read side of the formula: the sums the database makes, and ``parindex.scoring`` on top.

Every figure of a period, provisional or to be published, comes from ``calculate_results``: one
GROUP BY per kind of row (score rows per assessment and area, approved adjustments per category)
whatever the number of units and leaves; ``parindex.scoring`` applies DOMAIN.md's rules to the
sums. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Sum
from django.utils.translation import gettext as _

from parindex import scoring
from parindex.core import clock
from parindex.core.bulk_sql import fetch
from parindex.core.comparisons import NOTHING, previous_results
from parindex.core.errors import WorkflowError
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    Assessment,
    AssessmentStatus,
    Criterion,
    GradeBand,
    Period,
    PeriodGroup,
    ScoreEntry,
    TieRule,
    UnitResult,
)
from parindex.core.workflow import status_shown
from parindex.scoring.index import new_tuple

ZERO = Decimal("0")


class UnitRow(NamedTuple):
    """One unit's computed result row: the values of a ``UnitResult`` (``UNIT_FIELDS``)."""

    unit_id: int
    group_id: int
    unit_name: str
    group_name: str
    points: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    max_points: Decimal
    index: Decimal | None
    rank: int | None
    grade_label: str
    grade_color: str
    previous_index: Decimal | None
    previous_rank: int | None
    comparison: str
    unranked_reason: str
    standing: str


# The ``UnitResult`` fields a ``UnitRow`` holds, in its order.
UNIT_FIELDS = ("unit", "group", *UnitRow._fields[2:])


class Member(NamedTuple):
    """What the results need of one assessment (read as a tuple, not as a model instance)."""

    pk: int
    unit_id: int
    group_id: int
    unit_name: str
    unranked_reason: str
    formed: date | None  # the unit's ``valid_from``


def _members(period: Period, group_ids, now) -> tuple[dict[int, list[Member]], dict[int, str]]:
    """Return the assessments of ``period`` (of the groups ``group_ids`` if given) as
    ``Member`` tuples per group in unit code order, and the standing of the units shown with
    one."""
    assessments = Assessment.objects.for_period(period)
    if group_ids is not None:
        assessments = assessments.filter(unit__group_id__in=group_ids)
    by_group = defaultdict(list)
    for row in fetch(
        assessments.order_by("unit__code").values_list(
            "pk", "unit_id", "unit__group_id", "unit__name", "unranked_reason", "unit__valid_from"
        )
    ):
        member = Member._make(row)
        by_group[member.group_id].append(member)
    # Only a unit that has not submitted shows a standing: read those few as model instances.
    standings = {
        a.pk: standing_of(a, now)
        for a in assessments.filter(status=AssessmentStatus.DRAFT).select_related("period")
    }
    return by_group, standings


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
    # The whole period is summed even for some groups: on tables without statistics a filter on
    # the units' groups turned PostgreSQL's plan into a nested loop over every score row.
    scores = ScoreEntry.objects.for_period(period).result_sums()
    entries = defaultdict(dict)  # assessment id → {area id: (points, not-applicable maximum)}
    for assessment_id, area_id, points, na_max in fetch(scores):
        entries[assessment_id][area_id] = (points, na_max)
    amounts = defaultdict(list)
    for assessment_id, kind, code, amount, cap in fetch(
        Adjustment.objects.for_period(period)
        .category_totals()
        .values_list("assessment_id", "kind", "category__code", "amount", "cap")
    ):
        amounts[(assessment_id, kind)].append(scoring.CategoryAmount(code, amount, cap))
    amounts = {key: tuple(items) for key, items in amounts.items()}
    return period_groups, area_max, bands, entries, amounts


NO_SUMS = (None, None)
AreaTotals = scoring.AreaTotals


def _area_totals(area_max: dict, unit_entries: dict) -> tuple[scoring.AreaTotals, ...]:
    """Return one unit's totals per area; an area without score rows has 0 points.

    ``unit_entries`` maps an area id to its (points, not-applicable maximum), either of them
    None for a sum over no row.
    """
    totals = []
    for area_id, maximum in area_max.items():
        points, na_max = unit_entries.get(area_id, NO_SUMS)
        totals.append(  # once per area of every unit: ``new_tuple`` skips the generated __new__
            new_tuple(
                AreaTotals,
                (
                    area_id,
                    ZERO if points is None else points,
                    maximum if na_max is None else maximum - na_max,
                ),
            )
        )
    return tuple(totals)


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
        row["criterion__area_id"]: (row["points"], row["na_max"])
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


def _snapshot_row(pg, group_name: str, member: Member, result, *, standing: str, previous):
    """Return one unit's snapshot: its result row and its scores per content area.

    A unit that has not submitted (``standing``) keeps its sums but shows no index or grade.
    The row keeps the unit's and the group's (``group_name``) names as they are now (what a
    published table shows after any later renaming).
    """
    s = result.score
    band = result.band if not standing else None
    unit_row = UnitRow(
        unit_id=member.unit_id,
        group_id=pg.group_id,
        unit_name=member.unit_name,
        group_name=group_name,
        points=s.points,
        bonus=s.bonus,
        deduction=s.deduction,
        total=s.total,
        max_points=s.max_points,
        index=None if standing else s.index,
        rank=result.rank,
        grade_label=band.label if band else "",
        grade_color=band.color if band else "",
        previous_index=previous.index,
        previous_rank=previous.rank if pg.ranked else None,
        comparison=previous.comparison,
        unranked_reason=member.unranked_reason,
        standing=standing,
    )
    return unit_row, s.areas


def calculate_results(
    period: Period, group_ids=None
) -> list[tuple[UnitRow, tuple[scoring.AreaScore, ...]]]:
    """Return the results of ``period`` (or of the groups ``group_ids``) computed from the
    scores: per unit its ``UnitRow`` and its ``scoring.AreaScore`` per content area (``key``
    is the area's id), ready for ``snapshots.write_result_set``.

    Reads only: a fixed number of aggregate queries whatever the number of units and leaves.
    A unit that has not submitted gets no index, grade or rank, only its standing; a unit left
    out of the ranking keeps its index and grade without a rank; the period's tie rule decides
    how equal indices rank.
    """
    _require_groups(period)
    period_groups, area_max, bands, entries, adjustments = _group_inputs(period, group_ids)
    by_group, standings = _members(period, group_ids, clock.now())
    everyone = [m for members in by_group.values() for m in members]
    previous = previous_results(period, [(m.unit_id, m.group_id, m.formed) for m in everyone])
    unranked = frozenset(m.pk for m in everyone if m.unranked_reason or standings.get(m.pk))
    rows = []
    for pg in period_groups:
        cs = pg.criteria_set
        maxima = area_max[cs.pk]
        members = by_group.get(pg.group_id, [])
        totals = [
            scoring.UnitTotals(
                key=m.pk,
                areas=_area_totals(maxima, entries.get(m.pk, {})),
                bonus=adjustments.get((m.pk, AdjustmentKind.BONUS), ()),
                deductions=adjustments.get((m.pk, AdjustmentKind.DEDUCTION), ()),
            )
            for m in members
        ]
        ranked = scoring.score_group(
            totals,
            scoring.Rules(cs.bonus_cap, cs.deduction_cap, cs.allow_over_max),
            bands.get(pg.group_id, []),
            ranked=pg.ranked,
            unranked=unranked,
            unrounded_ties=period.tie_rule == TieRule.UNROUNDED,
        )
        group_name = pg.group.name  # once per group: a related object's descriptor is slow
        rows += [
            _snapshot_row(
                pg,
                group_name,
                m,
                result,
                standing=standings.get(m.pk, ""),
                previous=previous.get(m.unit_id, NOTHING),
            )
            for m, result in zip(members, ranked, strict=True)
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
