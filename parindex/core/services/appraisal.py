"""Appraisal by Sở Nội vụ: two rounds around the unit's explanation, and survey points.

Every function locks the assessment row, checks who acts (core/permissions.py) and the state
(core/workflow.py), writes the history and an audit entry, and raises WorkflowError otherwise.
Bonus and deduction items are in ``adjustments``, the remediation plan in ``remediation``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from parindex.core import clock
from parindex.core.errors import InvalidScore, WorkflowError
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Method,
    NotificationKind,
    ScoreEntry,
)
from parindex.core.notifications import reviewers_for, unit_members
from parindex.core.numbers import points_text
from parindex.core.permissions import can_appraise, can_submit_assessment
from parindex.core.services.entries import (
    check_revision,
    diff,
    lock_assessment,
    lock_leaf,
    require_leaf,
    save_entry,
    set_status,
)
from parindex.core.services.notifications import notify
from parindex.core.services.team import clear_parts
from parindex.core.team import can_appraise_leaf, open_parts, part_text, team_of
from parindex.core.validation import validate_leaf_points, validate_survey_points
from parindex.core.workflow import (
    APPRAISABLE,
    appraisal_can_close,
    require_explaining,
    require_period_open,
)


def _require_reviewer(assessment: Assessment, user) -> None:
    if not can_appraise(user, assessment):
        raise WorkflowError(_("Chỉ thẩm định viên Sở Nội vụ được thẩm định."))
    require_period_open(assessment)


def require_leaf_of_mine(assessment: Assessment, criterion: Criterion, user) -> None:
    """Refuse a leaf the appraisal team gives to someone else (``core/team.py``)."""
    if not can_appraise_leaf(user, assessment, criterion):
        raise WorkflowError(
            _("Tiêu chí %(code)s được phân công cho thẩm định viên khác.")
            % {"code": criterion.code}
        )


def require_scored_leaf(assessment: Assessment, criterion: Criterion, methods) -> None:
    """Refuse ``criterion`` unless it is a leaf of ``methods`` in the assessment's set."""
    require_leaf(
        assessment,
        criterion,
        methods,
        _("Tiêu chí %(code)s không thuộc loại này trong bộ tiêu chí của đơn vị.")
        % {"code": criterion.code},
    )


@transaction.atomic
def appraise_leaf(
    assessment: Assessment,
    criterion: Criterion,
    *,
    by,
    points_text: str,
    note: str,
    not_applicable: bool = False,
    revision: int,
) -> ScoreEntry:
    """Set a self-assessed leaf's appraised points (or mark it not applicable), with a reason.

    A value that differs from the unit's, and not-applicable, need a reason. The first appraisal
    of a submitted assessment moves it to "đang thẩm định".
    """
    entry = lock_leaf(assessment, criterion)
    assessment = entry.assessment
    _require_reviewer(assessment, by)
    if assessment.status not in APPRAISABLE:
        raise WorkflowError(
            _("Bản đánh giá đang “%(status)s”: chưa hoặc không còn thẩm định được.")
            % {"status": assessment.get_status_display()}
        )
    require_scored_leaf(assessment, criterion, (Method.SELF,))
    require_leaf_of_mine(assessment, criterion, by)
    note = (note or "").strip()
    points = None if not_applicable else validate_leaf_points(criterion, points_text)
    check_revision(
        entry,
        revision,
        field="appraised_points",
        note_field="appraisal_note",
        your_points=points_text,
        your_note=note,
    )
    _check_reason(entry, points, note, not_applicable)
    changes = diff(
        entry, appraised_points=points, appraisal_note=note, not_applicable=not_applicable
    )
    if assessment.status == AssessmentStatus.SUBMITTED:
        set_status(assessment, AssessmentStatus.APPRAISING, by=by, action="appraisal.started")
    if not changes:
        return entry
    entry.appraised_points = points
    entry.appraisal_note = note
    entry.not_applicable = not_applicable
    return save_entry(
        entry, by=by, action="appraisal.changed", assessment=assessment, changes=changes
    )


def _check_reason(entry: ScoreEntry, points, note: str, not_applicable: bool) -> None:
    """Refuse an appraisal that needs a reason and has none, or has no value at all."""
    if not_applicable:
        if not note:
            raise InvalidScore(_("Cần ghi lý do khi xác định tiêu chí không áp dụng."))
        return
    if points is None:
        raise InvalidScore(_("Nhập điểm thẩm định."))
    if points != entry.self_points and not note:
        raise InvalidScore(
            _("Điểm thẩm định khác điểm tự chấm (%(self)s): cần ghi lý do.")
            % {"self": points_text(entry.self_points, empty="—")}
        )


@transaction.atomic
def save_survey_points(
    assessment: Assessment, criterion: Criterion, *, by, points_text: str, revision: int
) -> ScoreEntry:
    """Enter the survey institute's points of a survey leaf for one unit."""
    entry = lock_leaf(assessment, criterion)
    assessment = entry.assessment
    _require_reviewer(assessment, by)
    require_scored_leaf(assessment, criterion, (Method.SURVEY,))
    require_leaf_of_mine(assessment, criterion, by)
    points = validate_survey_points(criterion, points_text)
    check_revision(entry, revision, field="survey_points", note_field=None, your_points=points_text)
    changes = diff(entry, survey_points=points)
    if not changes:
        return entry
    entry.survey_points = points
    return save_entry(entry, by=by, action="survey.changed", assessment=assessment, changes=changes)


@transaction.atomic
def return_for_explanation(assessment: Assessment, *, by, deadline) -> Assessment:
    """End round 1: send the appraisal to the unit, which explains by ``deadline``."""
    assessment = lock_assessment(assessment)
    _require_reviewer(assessment, by)
    if assessment.status != AssessmentStatus.APPRAISING:
        raise WorkflowError(
            _("Chỉ trả để giải trình được bản đang thẩm định (hiện: “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    if deadline is None or deadline < clock.today():
        raise WorkflowError(_("Hạn giải trình phải từ hôm nay trở đi."))
    assessment.explanation_deadline = deadline
    clear_parts(assessment)  # round 2 is appraised, and marked done, again
    set_status(
        assessment,
        AssessmentStatus.RETURNED,
        by=by,
        action="assessment.returned",
        fields=("explanation_deadline",),
    )
    notify(
        NotificationKind.RETURNED,
        unit_members([assessment.unit_id]),
        subject_object=assessment,
        by=by,
    )
    return assessment


@transaction.atomic
def save_explanation(
    assessment: Assessment, criterion: Criterion, *, by, text: str, revision: int
) -> ScoreEntry:
    """Record the unit's answer (giải trình) on a leaf the reviewer changed."""
    assessment = lock_assessment(assessment)
    require_explaining(assessment, by)
    entry = (
        ScoreEntry.objects.select_for_update()
        .select_related("criterion")
        .filter(assessment=assessment, criterion=criterion)
        .first()
    )
    if entry is None or not entry.is_contested:
        raise WorkflowError(
            _("Tiêu chí %(code)s không bị thay đổi khi thẩm định, không cần giải trình.")
            % {"code": criterion.code}
        )
    text = (text or "").strip()
    check_revision(entry, revision, field="explanation", note_field="explanation", your_note=text)
    changes = diff(entry, explanation=text)
    if not changes:
        return entry
    entry.explanation = text
    return save_entry(
        entry, by=by, action="explanation.changed", assessment=assessment, changes=changes
    )


@transaction.atomic
def send_explanation(assessment: Assessment, *, by) -> Assessment:
    """The unit's head sends the explanation back: round 2 of the appraisal can start."""
    assessment = lock_assessment(assessment)
    require_explaining(assessment, by)
    if not can_submit_assessment(by, assessment):
        raise WorkflowError(_("Chỉ lãnh đạo đơn vị được gửi giải trình."))
    set_status(assessment, AssessmentStatus.EXPLAINED, by=by, action="explanation.sent")
    notify(
        NotificationKind.EXPLANATION_SENT,
        reviewers_for(assessment),
        subject_object=assessment,
        by=by,
    )
    return assessment


@transaction.atomic
def finalise_appraisal(assessment: Assessment, *, by) -> Assessment:
    """Close the appraisal of one unit (after round 2, or at once when nothing is contested).

    Leaves the reviewer did not touch keep the unit's value: their appraised value is set to the
    self value, recorded in the history.
    """
    assessment = lock_assessment(assessment)
    _require_reviewer(assessment, by)
    if not appraisal_can_close(assessment):
        raise WorkflowError(
            _("Chưa kết thúc thẩm định được bản đang “%(status)s”.")
            % {"status": assessment.get_status_display()}
        )
    _require_parts_done(assessment)
    accepted = list(
        ScoreEntry.objects.filter(
            assessment=assessment,
            criterion__method=Method.SELF,
            appraised_points__isnull=True,
            not_applicable=False,
            self_points__isnull=False,
        )
    )
    for entry in accepted:
        entry.appraised_points = entry.self_points
        entry.revision += 1
        entry.updated_by = by
    bulk_update_with_history(
        accepted, ScoreEntry, ["appraised_points", "revision", "updated_by"], default_user=by
    )
    assessment.appraised_at = clock.now()
    assessment.appraised_by = by
    return set_status(
        assessment,
        AssessmentStatus.APPRAISED,
        by=by,
        action="assessment.appraised",
        fields=("appraised_at", "appraised_by"),
    )


def _require_parts_done(assessment: Assessment) -> None:
    """Refuse to close while an assigned reviewer's part is not marked done, naming them."""
    still_open = open_parts(assessment)
    if still_open:
        team = team_of(assessment.period_id)
        raise WorkflowError(
            _("Chưa kết thúc thẩm định được: các phần chưa hoàn thành — %(parts)s.")
            % {"parts": "; ".join(part_text(r, team, assessment.unit_id) for r in still_open)}
        )
