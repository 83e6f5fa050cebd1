"""Self-assessment: a unit's officers enter scores, notes and evidence; its head submits.

Every function locks the assessment row, checks who is acting (core/permissions.py) and the
state (status, the self-assessment window on the server clock), writes the history and an audit
entry, and raises WorkflowError (or EditConflict) otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.filetypes import FileTypeError, check_evidence_file
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Evidence,
    EvidenceStage,
    Method,
    ScoreEntry,
)
from parindex.core.numbers import parse_decimal
from parindex.core.permissions import can_edit_assessment, can_submit_assessment
from parindex.core.services import audit
from parindex.core.services.errors import WorkflowError

CENT = Decimal("0.01")


class InvalidScore(WorkflowError):
    """A typed score that cannot be saved; the message is shown at the field."""


class EditConflict(WorkflowError):
    """Someone saved the same leaf since the form was loaded; nothing was overwritten.

    Carries both versions so the screen can show them side by side.
    """

    def __init__(
        self,
        message,
        *,
        entry: ScoreEntry,
        your_points: str,
        your_note: str,
        their_points=None,
        their_note=None,
    ):
        super().__init__(message)
        self.their_points = entry.self_points if their_points is None else their_points
        self.their_note = entry.self_note if their_note is None else their_note
        self.their_author = str(entry.updated_by) if entry.updated_by else ""
        self.revision = entry.revision
        self.your_points = your_points
        self.your_note = your_note


def lock_assessment(assessment: Assessment) -> Assessment:
    """Return ``assessment`` re-read with its row locked (select_for_update on PostgreSQL)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=assessment.pk)
    )


def _require_window(assessment: Assessment) -> None:
    period = assessment.period
    if not period.self_assessment_open(clock.now()):
        deadline = period.self_assessment_deadline
        raise WorkflowError(
            _("Đã hết thời hạn tự đánh giá (%(deadline)s): không thể nhập, nộp hoặc rút.")
            % {"deadline": formats.date_format(deadline, "SHORT_DATE_FORMAT") if deadline else "—"}
        )


def _require_editable(assessment: Assessment, user) -> None:
    if not can_edit_assessment(user, assessment):
        raise WorkflowError(_("Bạn không có quyền sửa bản tự đánh giá của đơn vị này."))
    _require_window(assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise WorkflowError(
            _("Bản tự đánh giá đang ở trạng thái “%(status)s”; đơn vị không sửa được nữa.")
            % {"status": assessment.get_status_display()}
        )


def _self_leaf(assessment: Assessment, criterion: Criterion) -> Criterion:
    in_set = Criterion.objects.filter(
        pk=criterion.pk,
        criteria_set__period_groups__period_id=assessment.period_id,
        criteria_set__period_groups__group_id=assessment.unit.group_id,
    ).exists()
    if not in_set or criterion.method != Method.SELF:
        raise WorkflowError(
            _("Tiêu chí %(code)s không do đơn vị tự chấm.") % {"code": criterion.code}
        )
    return criterion


def _points_text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def validate_self_points(criterion: Criterion, text: str) -> Decimal | None:
    """Return the points typed for ``criterion`` ("0,5" or "0.5"), None when left empty.

    Refused with a Vietnamese message: not a number, negative, above the maximum, more than two
    decimals, or not one of the leaf's choices.
    """
    if text is None or not str(text).strip():
        return None
    points = parse_decimal(text)
    if points is None:
        raise InvalidScore(_("“%(text)s” không phải là số (ví dụ: 0,5).") % {"text": text})
    if points < 0:
        raise InvalidScore(_("Điểm không được âm."))
    if points > criterion.max_points:
        raise InvalidScore(
            _("Điểm tối đa của tiêu chí này là %(max)s.")
            % {"max": _points_text(criterion.max_points)}
        )
    if points != points.quantize(CENT):
        raise InvalidScore(_("Điểm chỉ có tối đa 2 chữ số thập phân."))
    options = [p for _label, p in criterion.option_points()]
    if options and points not in options:
        raise InvalidScore(
            _("Điểm phải là một trong các mức: %(options)s.")
            % {"options": "; ".join(_points_text(p) for p in options)}
        )
    return points


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
    assessment = lock_assessment(assessment)
    _require_editable(assessment, by)
    _self_leaf(assessment, criterion)
    points = validate_self_points(criterion, points_text)
    note = (note or "").strip()
    entry, _created = ScoreEntry.objects.select_for_update().get_or_create(
        assessment=assessment, criterion=criterion
    )
    if entry.revision != revision:
        raise EditConflict(
            _(
                "%(author)s vừa lưu tiêu chí %(code)s (điểm %(points)s). Giá trị của bạn chưa "
                "được lưu: hãy xem lại rồi lưu lần nữa."
            )
            % {
                "author": entry.updated_by or _("Người khác"),
                "code": criterion.code,
                "points": _points_text(entry.self_points) if entry.self_points is not None else "—",
            },
            entry=entry,
            your_points=points_text,
            your_note=note,
        )
    changes = {}
    if entry.self_points != points:
        changes["self_points"] = [_str(entry.self_points), _str(points)]
    if entry.self_note != note:
        changes["self_note"] = [entry.self_note, note]
    if not changes:
        return entry
    entry.self_points = points
    entry.self_note = note
    entry.revision += 1
    entry.updated_by = by
    entry._history_user = by
    entry.save()
    audit.record(
        "score.changed",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=entry,
        changes={"criterion": criterion.code, **changes},
    )
    return entry


def _str(value):
    return None if value is None else str(value)


@transaction.atomic
def add_evidence(
    assessment: Assessment, criterion: Criterion, *, by, file, citation: str = ""
) -> Evidence:
    """Attach an evidence file to a self-assessed leaf (type checked by content).

    While the unit explains an appraisal, files go in as explanation evidence.
    """
    assessment = lock_assessment(assessment)
    if assessment.status == AssessmentStatus.RETURNED:
        from parindex.core.services.appraisal import require_explaining

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


def submission_blockers(assessment: Assessment) -> list[str]:
    """List why ``assessment`` cannot be submitted yet (empty when it can).

    Every applicable self-assessed leaf needs a score, and a leaf with points needs evidence or
    an explanation.
    """
    leaves = Criterion.objects.filter(
        criteria_set__period_groups__period_id=assessment.period_id,
        criteria_set__period_groups__group_id=assessment.unit.group_id,
        method=Method.SELF,
    ).order_by("position")
    entries = {
        e.criterion_id: e
        for e in ScoreEntry.objects.filter(assessment=assessment).annotate(
            evidence_count=Count("evidence")
        )
    }
    blockers = []
    for leaf in leaves:
        entry = entries.get(leaf.pk)
        if entry is not None and entry.not_applicable:
            continue
        if entry is None or entry.self_points is None:
            blockers.append(_("%(code)s — chưa chấm điểm") % {"code": leaf.code})
        elif entry.self_points > 0 and not entry.evidence_count and not entry.self_note.strip():
            blockers.append(
                _("%(code)s — có điểm nhưng chưa có tài liệu kiểm chứng hoặc giải thích")
                % {"code": leaf.code}
            )
    return blockers


def set_status(assessment: Assessment, status, *, by, action: str, fields=()) -> Assessment:
    """Move a locked, checked assessment to ``status`` and record it (old → new)."""
    old = assessment.status
    assessment.status = status
    assessment.save(update_fields=["status", "updated_at", *fields])
    audit.record(
        action,
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=assessment,
        changes={"status": [old, status]},
    )
    return assessment


def _require_head(assessment: Assessment, user) -> None:
    if not can_submit_assessment(user, assessment):
        raise WorkflowError(_("Chỉ lãnh đạo đơn vị được nộp hoặc rút bản tự đánh giá."))
    _require_window(assessment)


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
    return set_status(
        assessment,
        AssessmentStatus.SUBMITTED,
        by=by,
        action="assessment.submitted",
        fields=("submitted_at", "submitted_by"),
    )


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


def allowed_actions(user, assessment: Assessment) -> frozenset[str]:
    """Return what ``user`` may do to ``assessment`` now: "edit", "submit", "withdraw"."""
    if not assessment.period.self_assessment_open(clock.now()):
        return frozenset()
    actions = set()
    if assessment.status == AssessmentStatus.DRAFT and can_edit_assessment(user, assessment):
        actions.add("edit")
    if can_submit_assessment(user, assessment):
        if assessment.status == AssessmentStatus.DRAFT:
            actions.add("submit")
        elif assessment.status == AssessmentStatus.SUBMITTED:
            actions.add("withdraw")
    return frozenset(actions)
