"""Computing, finalising and publishing the results of a period.

The database sums the score rows (one GROUP BY per kind of row); ``parindex.scoring`` applies the
rules to the sums; the result is written as a snapshot the league tables read.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from parindex import scoring
from parindex.core import clock
from parindex.core.models import (
    AdjustmentKind,
    AreaResult,
    Assessment,
    AssessmentStatus,
    Criterion,
    GradeBand,
    Period,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    ScoreEntry,
    Unit,
    UnitResult,
)
from parindex.core.models.reviews import Adjustment
from parindex.core.services import audit
from parindex.core.services.errors import WorkflowError

ZERO = Decimal("0")


def _lock(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


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


def _group_inputs(period: Period):
    """Read everything the formula needs for a period, in a fixed number of queries."""
    period_groups = list(
        PeriodGroup.objects.filter(period=period).select_related("group", "criteria_set")
    )
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
            code=str(area_id),
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
            key=str(assessment.pk),
            areas=_area_totals(area_max, entries),
            bonus=tuple(adjustments[AdjustmentKind.BONUS]),
            deductions=tuple(adjustments[AdjustmentKind.DEDUCTION]),
        ),
        scoring.Rules(cs.bonus_cap, cs.deduction_cap, cs.allow_over_max),
    )


def calculate_results(period: Period) -> list[tuple[UnitResult, list[AreaResult]]]:
    """Return the results of ``period`` as unsaved snapshot rows, computed from the scores.

    Reads only: a fixed number of aggregate queries whatever the number of units and leaves.
    """
    period_groups, area_max, bands, entries, self_totals, adjustments = _group_inputs(period)
    assessments = list(
        Assessment.objects.for_period(period).select_related("unit").order_by("unit__code")
    )
    by_group = defaultdict(list)
    for assessment in assessments:
        by_group[assessment.unit.group_id].append(assessment)
    known_groups = {pg.group_id for pg in period_groups}
    stray = [a.unit.code for a in assessments if a.unit.group_id not in known_groups]
    if stray:
        raise WorkflowError(
            _("Khối của các đơn vị sau chưa được gắn bộ tiêu chí trong kỳ đánh giá:"),
            details=stray,
        )
    previous = _previous_results(period, [a.unit_id for a in assessments])
    rows = []
    for pg in period_groups:
        cs = pg.criteria_set
        rules = scoring.Rules(
            bonus_cap=cs.bonus_cap, deduction_cap=cs.deduction_cap, allow_over_max=cs.allow_over_max
        )
        members = by_group.get(pg.group_id, [])
        totals = [
            scoring.UnitTotals(
                key=str(a.pk),
                areas=_area_totals(area_max[cs.pk], entries[a.pk]),
                bonus=tuple(adjustments.get((a.pk, AdjustmentKind.BONUS), ())),
                deductions=tuple(adjustments.get((a.pk, AdjustmentKind.DEDUCTION), ())),
            )
            for a in members
        ]
        ranked = scoring.score_group(
            totals, rules, bands.get(pg.group_id, []), ranked=pg.group.ranked
        )
        for a, result in zip(members, ranked, strict=True):
            s = result.score
            prev_index, prev_rank = previous.get(a.unit_id, (None, None))
            unit_row = UnitResult(
                unit_id=a.unit_id,
                group_id=pg.group_id,
                points=s.points,
                bonus=s.bonus,
                deduction=s.deduction,
                total=s.total,
                max_points=s.max_points,
                self_points=self_totals[a.pk],
                index=s.index,
                rank=result.rank,
                grade_label=result.band.label if result.band else "",
                grade_color=result.band.color if result.band else "",
                previous_index=prev_index,
                previous_rank=prev_rank if pg.group.ranked else None,
            )
            areas = [
                AreaResult(
                    area_id=int(area.code),
                    points=area.points,
                    max_points=area.max_points,
                    index=area.index,
                )
                for area in s.areas
            ]
            rows.append((unit_row, areas))
    return rows


@transaction.atomic
def compute_results(period: Period, *, by=None) -> ResultSet:
    """Recompute the provisional results of an unpublished period and store them as a snapshot.

    Refused once the period is published: a published result changes only by a recorded
    correction.
    """
    period = _lock(period)
    if period.is_published:
        raise WorkflowError(
            _("Kết quả năm %(year)s đã công bố; chỉ thay đổi được bằng quyết định đính chính.")
            % {"year": period.year}
        )
    rows = calculate_results(period)
    ResultSet.objects.filter(period=period, is_current=True, published=False).delete()
    result_set = _write_result_set(period, rows, by=by)
    audit.record(
        "results.computed",
        actor=by,
        period=period,
        obj=result_set,
        changes={"units": len(rows), "version": result_set.version},
    )
    return result_set


def _write_result_set(period: Period, rows, *, by, **fields) -> ResultSet:
    """Store ``rows`` as the period's new current result set (the next version)."""
    ResultSet.objects.filter(period=period, is_current=True).update(is_current=False)
    version = (
        ResultSet.objects.filter(period=period)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    result_set = ResultSet.objects.create(
        period=period, version=version, computed_at=clock.now(), computed_by=by, **fields
    )
    for unit_row, _areas in rows:
        unit_row.result_set = result_set
    UnitResult.objects.bulk_create([unit_row for unit_row, _areas in rows], batch_size=500)
    for unit_row, areas in rows:
        for area in areas:
            area.unit_result_id = unit_row.pk
    AreaResult.objects.bulk_create([a for _u, areas in rows for a in areas], batch_size=1000)
    return result_set


@transaction.atomic
def correct_results(
    period: Period, *, by, reason: str, decision_number: str, changes=()
) -> ResultSet:
    """Correct published results by a recorded decision: a new version, the old one kept.

    ``changes`` is a list of (assessment, leaf, new appraised points, note) applied first; the
    whole period is then recomputed into version n+1, published, with who, why and the decision.
    """
    from parindex.core.services.appraisal import apply_correction_to_entry

    period = _lock(period)
    _require_approver(by)
    if not period.is_published:
        raise WorkflowError(_("Chỉ đính chính được kết quả đã công bố."))
    if not (reason or "").strip() or not (decision_number or "").strip():
        raise WorkflowError(_("Đính chính cần lý do và số quyết định."))
    for assessment, leaf, points_text, note in changes:
        apply_correction_to_entry(assessment, leaf, by=by, points_text=points_text, note=note)
    previous = ResultSet.objects.get(period=period, is_current=True)
    result_set = _write_result_set(
        period,
        calculate_results(period),
        by=by,
        published=True,
        reason=reason.strip(),
        decision_number=decision_number.strip(),
    )
    audit.record(
        "results.corrected",
        actor=by,
        period=period,
        obj=result_set,
        changes={"version": [previous.version, result_set.version]},
        message=f"{decision_number}: {reason}",
    )
    return result_set


def _require_approver(by) -> None:
    """Refuse unless ``by`` is an approver; ``None`` is the system (commands, demo loading)."""
    from parindex.core.permissions import can_finalise_period

    if by is not None and not can_finalise_period(by):
        raise WorkflowError(_("Chỉ người phê duyệt của Sở Nội vụ được chốt, công bố, đính chính."))


SNAPSHOT_FIELDS = (
    "points",
    "bonus",
    "deduction",
    "total",
    "max_points",
    "index",
    "rank",
    "grade_label",
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


def finalisation_blockers(period: Period) -> list[Assessment]:
    """Return the assessments that are not appraised yet (they block finalising)."""
    return list(
        Assessment.objects.for_period(period)
        .exclude(status=AssessmentStatus.APPRAISED)
        .select_related("unit", "period")
        .order_by("unit__name")
    )


@transaction.atomic
def finalise_period(period: Period, *, by=None) -> Period:
    """Close appraisal: every assessment must be appraised; results are recomputed."""
    period = _lock(period)
    _require_approver(by)
    if period.status not in (PeriodStatus.OPEN, PeriodStatus.APPRAISING):
        raise WorkflowError(
            _("Kỳ đánh giá đang ở trạng thái “%(status)s”, không chốt được.")
            % {"status": period.get_status_display()}
        )
    blockers = finalisation_blockers(period)
    if blockers:
        raise WorkflowError(
            _("Còn %(count)s đơn vị chưa thẩm định xong:") % {"count": len(blockers)},
            details=[str(a.unit) for a in blockers],
        )
    compute_results(period, by=by)
    old = period.status
    period.status = PeriodStatus.FINALISED
    period.save(update_fields=["status"])
    audit.record(
        "period.finalised",
        actor=by,
        period=period,
        obj=period,
        changes={"status": [old, period.status]},
    )
    return period


@transaction.atomic
def publish_results(period: Period, *, by=None, decision_number: str = "") -> ResultSet:
    """Publish a finalised period: its current snapshot becomes read-only."""
    period = _lock(period)
    _require_approver(by)
    if period.status != PeriodStatus.FINALISED:
        raise WorkflowError(
            _("Chỉ công bố được kỳ đánh giá đã chốt kết quả (hiện: “%(status)s”).")
            % {"status": period.get_status_display()}
        )
    result_set = ResultSet.objects.filter(period=period, is_current=True).first()
    if result_set is None:
        raise WorkflowError(_("Kỳ đánh giá chưa có kết quả để công bố."))
    result_set.published = True
    result_set.decision_number = decision_number
    result_set.save(update_fields=["published", "decision_number"])
    period.status = PeriodStatus.PUBLISHED
    period.published_at = clock.now()
    period.publication_decision = decision_number
    period.save(update_fields=["status", "published_at", "publication_decision"])
    audit.record(
        "results.published",
        actor=by,
        period=period,
        obj=result_set,
        changes={"status": [PeriodStatus.FINALISED, PeriodStatus.PUBLISHED]},
        message=decision_number,
    )
    return result_set
