"""Self-assessment: a unit's officers enter scores, notes and evidence; its head submits.

Every function locks the assessment row, checks who is acting (core/permissions.py) and the
state (core/workflow.py: status, the self-assessment window on the server clock), writes the
history and an audit entry, and raises WorkflowError (or EditConflict) otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.errors import WorkflowError
from parindex.core.filetypes import FileTypeError, check_evidence_file
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Evidence,
    EvidenceStage,
    Method,
    NotificationKind,
    ScoreEntry,
)
from parindex.core.notifications import reviewers_for
from parindex.core.permissions import can_edit_assessment, can_submit_assessment
from parindex.core.services import audit
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
from parindex.core.validation import validate_leaf_points
from parindex.core.workflow import require_explaining, require_window, submission_blockers


def _require_editable(assessment: Assessment, user) -> None:
    if not can_edit_assessment(user, assessment):
        raise WorkflowError(_("Bạn không có quyền sửa bản tự đánh giá của đơn vị này."))
    require_window(assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise WorkflowError(
            _("Bản tự đánh giá đang ở trạng thái “%(status)s”; đơn vị không sửa được nữa.")
            % {"status": assessment.get_status_display()}
        )


def _self_leaf(assessment: Assessment, criterion: Criterion) -> None:
    require_leaf(
        assessment,
        criterion,
        (Method.SELF,),
        _("Tiêu chí %(code)s không do đơn vị tự chấm.") % {"code": criterion.code},
    )


@transaction.atomic
def save_self_score(
    assessment: Assessment,
    criterion: Criterion,
    *,
    by,
    points_text: str,
    note: str,
    revision: int,
) -> ScoreEntry:
    """Save a leaf's self-assessed points and explanation.

    ``revision`` is the entry revision the form was loaded with: if someone saved the leaf
    since, EditConflict is raised with both values and nothing is written.
    """
    entry = lock_leaf(assessment, criterion)
    assessment = entry.assessment
    _require_editable(assessment, by)
    _self_leaf(assessment, criterion)
    points = validate_leaf_points(criterion, points_text)
    note = (note or "").strip()
    check_revision(
        entry,
        revision,
        field="self_points",
        note_field="self_note",
        your_points=points_text,
        your_note=note,
    )
    changes = diff(entry, self_points=points, self_note=note)
    if not changes:
        return entry
    entry.self_points = points
    entry.self_note = note
    return save_entry(entry, by=by, action="score.changed", assessment=assessment, changes=changes)


@transaction.atomic
def add_evidence(
    assessment: Assessment, criterion: Criterion, *, by, file, citation: str = ""
) -> Evidence:
    """Attach an evidence file to a self-assessed leaf (type checked by content).

    While the unit explains an appraisal, files go in as explanation evidence.
    """
    assessment = lock_assessment(assessment)
    if assessment.status == AssessmentStatus.RETURNED:
        require_explaining(assessment, by)
        stage = EvidenceStage.EXPLANATION
    else:
        _require_editable(assessment, by)
        stage = EvidenceStage.SELF
    _self_leaf(assessment, criterion)
    try:
        kind = check_evidence_file(file, file.name, settings.EVIDENCE_MAX_BYTES)
    except FileTypeError as error:
        raise WorkflowError(str(error)) from None
    entry, _created = ScoreEntry.objects.get_or_create(assessment=assessment, criterion=criterion)
    evidence = Evidence(
        entry=entry,
        original_name=file.name[-255:],
        content_type=kind.content_type,
        size=file.size,
        citation=(citation or "").strip()[:255],
        uploaded_by=by,
        uploaded_at=clock.now(),
        stage=stage,
    )
    evidence.file.save(file.name, file, save=False)
    evidence._history_user = by
    evidence.save()
    audit.record(
        "evidence.added",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=evidence,
        changes={"criterion": criterion.code, "file": evidence.original_name},
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by) -> None:
    """Detach an evidence file; the row's history keeps the record of it."""
    evidence = Evidence.objects.select_related("entry__criterion", "entry__assessment").get(
        pk=evidence.pk
    )
    assessment = lock_assessment(evidence.entry.assessment)
    _require_editable(assessment, by)
    stored = evidence.file
    evidence._history_user = by
    name = evidence.original_name
    evidence.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
    audit.record(
        "evidence.removed",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=evidence.entry,
        changes={"criterion": evidence.entry.criterion.code, "file": name},
    )


def _require_head(assessment: Assessment, user) -> None:
    if not can_submit_assessment(user, assessment):
        raise WorkflowError(_("Chỉ lãnh đạo đơn vị được nộp hoặc rút bản tự đánh giá."))
    require_window(assessment)


@transaction.atomic
def submit_assessment(assessment: Assessment, *, by) -> Assessment:
    """Submit a complete self-assessment; the entries become read-only for the unit."""
    assessment = lock_assessment(assessment)
    _require_head(assessment, by)
    if assessment.status != AssessmentStatus.DRAFT:
        raise WorkflowError(
            _("Bản tự đánh giá đang ở trạng thái “%(status)s”, không nộp được.")
            % {"status": assessment.get_status_display()}
        )
    blockers = submission_blockers(assessment)
    if blockers:
        raise WorkflowError(
            _("Chưa nộp được: %(count)s tiêu chí cần hoàn thiện.") % {"count": len(blockers)},
            details=blockers,
        )
    assessment.submitted_at = clock.now()
    assessment.submitted_by = by
    set_status(
        assessment,
        AssessmentStatus.SUBMITTED,
        by=by,
        action="assessment.submitted",
        fields=("submitted_at", "submitted_by"),
    )
    notify(NotificationKind.SUBMITTED, reviewers_for(assessment), subject_object=assessment, by=by)
    return assessment


@transaction.atomic
def withdraw_submission(assessment: Assessment, *, by) -> Assessment:
    """Take a submission back to edit it, while the self-assessment window is open."""
    assessment = lock_assessment(assessment)
    _require_head(assessment, by)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise WorkflowError(
            _("Chỉ rút được bản đã nộp và chưa thẩm định (hiện: “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    return set_status(assessment, AssessmentStatus.DRAFT, by=by, action="assessment.withdrawn")
