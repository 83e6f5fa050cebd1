"""Corrections of published results (đính chính): a recorded decision makes a new version.

A published result never changes silently: the leaves named by the correction are changed with
their history, each published group they belong to is recomputed into version n+1, published at
once, with who, why and the decision number; the earlier version stays readable.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.calculation import calculate_results
from parindex.core.errors import InvalidScore, WorkflowError
from parindex.core.models import (
    Assessment,
    Criterion,
    GroupStage,
    Method,
    Period,
    ResultSet,
    ScoreEntry,
)
from parindex.core.services import audit
from parindex.core.services.appraisal import require_scored_leaf
from parindex.core.services.entries import diff, lock_leaf, save_entry
from parindex.core.services.results import lock_period, require_approver
from parindex.core.services.snapshots import write_result_set
from parindex.core.validation import validate_leaf_points, validate_survey_points


@transaction.atomic
def correct_results(
    period: Period, *, by, reason: str, decision_number: str, changes=()
) -> ResultSet:
    """Correct published results by a recorded decision: a new version, the old one kept.

    ``changes`` is a list of (assessment, leaf, new points, note) applied first; each published
    group they touch (every published group when there are none) is then recomputed into
    version n+1, published, with who, why and the decision. Returns the last new version.
    """
    period = lock_period(period)
    require_approver(by)
    published = set(
        period.period_groups.filter(stage=GroupStage.PUBLISHED).values_list("group_id", flat=True)
    )
    if not published:
        raise WorkflowError(_("Chỉ đính chính được kết quả đã công bố."))
    if not (reason or "").strip() or not (decision_number or "").strip():
        raise WorkflowError(_("Đính chính cần lý do và số quyết định."))
    touched = {assessment.unit.group_id for assessment, *_rest in changes} or published
    if touched - published:
        raise WorkflowError(
            _("Khối của đơn vị chưa công bố: sửa điểm bằng thẩm định, không đính chính.")
        )
    for assessment, leaf, typed, note in changes:
        _correct_entry(assessment, leaf, by=by, points_text=typed, note=note)
    rows = calculate_results(period, sorted(touched))
    now = clock.now()
    for group_id in sorted(touched):
        previous = ResultSet.objects.get(period=period, group_id=group_id, is_current=True)
        result_set = write_result_set(
            period,
            group_id,
            [r for r in rows if r[0].group_id == group_id],
            by=by,
            published=True,
            published_at=now,
            decision_date=timezone.localdate(now),
            reason=reason.strip(),
            decision_number=decision_number.strip(),
        )
        audit.record(
            "results.corrected",
            actor=by,
            period=period,
            obj=result_set,
            changes={"version": [previous.version, result_set.version], "group": group_id},
            message=f"{decision_number}: {reason}",
        )
    return result_set


def _correct_entry(
    assessment: Assessment, criterion: Criterion, *, by, points_text: str, note: str
) -> ScoreEntry:
    """Change one leaf's final points as part of the correction, with the reason."""
    entry = lock_leaf(assessment, criterion)
    assessment = entry.assessment
    require_scored_leaf(assessment, criterion, (Method.SELF, Method.SURVEY))
    note = (note or "").strip()
    if not note:
        raise InvalidScore(_("Cần ghi lý do điều chỉnh."))
    if criterion.method == Method.SURVEY:
        points = validate_survey_points(criterion, points_text)
        if points is None:
            raise InvalidScore(
                _("Điểm phải trong khoảng 0 – %(max)s.")
                % {"max": points_text(criterion.max_points)}
            )
        changes = diff(entry, survey_points=points)
        entry.survey_points = points
    else:
        points = validate_leaf_points(criterion, points_text)
        changes = diff(entry, appraised_points=points, appraisal_note=note)
        entry.appraised_points = points
        entry.appraisal_note = note
    return save_entry(
        entry, by=by, action="correction.changed", assessment=assessment, changes=changes
    )
