"""Appraisal by Sở Nội vụ: two rounds around the unit's explanation, survey points, bonus and
deduction items with a second person's approval, and the remediation plan after publication.

Every function locks the assessment row, checks who acts (core/permissions.py) and the state,
writes the history and an audit entry, and raises WorkflowError otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from parindex.core import clock
from parindex.core.filetypes import FileTypeError, check_evidence_file
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    Criterion,
    Method,
    PeriodStatus,
    RemediationItem,
    RemediationStatus,
    ScoreEntry,
)
from parindex.core.numbers import parse_decimal
from parindex.core.permissions import (
    can_appraise,
    can_decide_adjustment,
    can_edit_remediation,
    can_explain,
    can_propose_adjustment,
    can_submit_assessment,
)
from parindex.core.services import audit
from parindex.core.services.assessments import (
    EditConflict,
    InvalidScore,
    lock_assessment,
    set_status,
    validate_self_points,
)
from parindex.core.services.errors import WorkflowError

APPRAISABLE = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISING, AssessmentStatus.EXPLAINED)
OPEN_PERIOD = (PeriodStatus.OPEN, PeriodStatus.APPRAISING)


def _points_text(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def _require_period_open(assessment: Assessment) -> None:
    if assessment.period.status not in OPEN_PERIOD:
        raise WorkflowError(
            _("Kỳ đánh giá đã “%(status)s”: không sửa điểm được nữa.")
            % {"status": assessment.period.get_status_display()}
        )


def _require_reviewer(assessment: Assessment, user) -> None:
    if not can_appraise(user, assessment):
        raise WorkflowError(_("Chỉ thẩm định viên Sở Nội vụ được thẩm định."))
    _require_period_open(assessment)


def _leaf(assessment: Assessment, criterion: Criterion, methods) -> Criterion:
    in_set = Criterion.objects.filter(
        pk=criterion.pk,
        criteria_set__period_groups__period_id=assessment.period_id,
        criteria_set__period_groups__group_id=assessment.unit.group_id,
        method__in=methods,
    ).exists()
    if not in_set:
        raise WorkflowError(
            _("Tiêu chí %(code)s không thuộc loại này trong bộ tiêu chí của đơn vị.")
            % {"code": criterion.code}
        )
    return criterion


def _check_revision(entry: ScoreEntry, revision: int, criterion, your_points, your_note) -> None:
    if entry.revision != revision:
        raise EditConflict(
            _(
                "%(author)s vừa lưu tiêu chí %(code)s (điểm thẩm định %(points)s). Giá trị của "
                "bạn chưa được lưu: hãy xem lại rồi lưu lần nữa."
            )
            % {
                "author": entry.updated_by or _("Người khác"),
                "code": criterion.code,
                "points": _points_text(entry.appraised_points),
            },
            entry=entry,
            your_points=your_points,
            your_note=your_note,
            their_points=entry.appraised_points,
            their_note=entry.appraisal_note,
        )


def _save_entry(entry: ScoreEntry, *, by, action: str, assessment, changes: dict) -> ScoreEntry:
    entry.revision += 1
    entry.updated_by = by
    entry._history_user = by
    entry.save()
    audit.record(
        action,
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=entry,
        changes={"criterion": entry.criterion.code, **changes},
    )
    return entry


def _diff(entry: ScoreEntry, **new) -> dict:
    return {
        field: [_jsonable(getattr(entry, field)), _jsonable(value)]
        for field, value in new.items()
        if getattr(entry, field) != value
    }


def _jsonable(value):
    return str(value) if isinstance(value, Decimal) else value


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
    assessment = lock_assessment(assessment)
    _require_reviewer(assessment, by)
    if assessment.status not in APPRAISABLE:
        raise WorkflowError(
            _("Bản đánh giá đang “%(status)s”: chưa hoặc không còn thẩm định được.")
            % {"status": assessment.get_status_display()}
        )
    _leaf(assessment, criterion, (Method.SELF,))
    note = (note or "").strip()
    points = None if not_applicable else validate_self_points(criterion, points_text)
    entry, _created = ScoreEntry.objects.select_for_update().get_or_create(
        assessment=assessment, criterion=criterion
    )
    _check_revision(entry, revision, criterion, points_text, note)
    if not_applicable and not note:
        raise InvalidScore(_("Cần ghi lý do khi xác định tiêu chí không áp dụng."))
    if not not_applicable:
        if points is None:
            raise InvalidScore(_("Nhập điểm thẩm định."))
        if points != entry.self_points and not note:
            raise InvalidScore(
                _("Điểm thẩm định khác điểm tự chấm (%(self)s): cần ghi lý do.")
                % {"self": _points_text(entry.self_points)}
            )
    changes = _diff(
        entry, appraised_points=points, appraisal_note=note, not_applicable=not_applicable
    )
    if assessment.status == AssessmentStatus.SUBMITTED:
        set_status(assessment, AssessmentStatus.APPRAISING, by=by, action="appraisal.started")
    if not changes:
        return entry
    entry.appraised_points = points
    entry.appraisal_note = note
    entry.not_applicable = not_applicable
    return _save_entry(
        entry, by=by, action="appraisal.changed", assessment=assessment, changes=changes
    )


@transaction.atomic
def save_survey_points(
    assessment: Assessment, criterion: Criterion, *, by, points_text: str, revision: int
) -> ScoreEntry:
    """Enter the survey institute's points of a survey leaf for one unit."""
    assessment = lock_assessment(assessment)
    _require_reviewer(assessment, by)
    _leaf(assessment, criterion, (Method.SURVEY,))
    points = None
    if points_text and str(points_text).strip():
        points = parse_decimal(points_text)
        if points is None:
            raise InvalidScore(
                _("“%(text)s” không phải là số (ví dụ: 2,75).") % {"text": points_text}
            )
        if points < 0 or points > criterion.max_points:
            raise InvalidScore(
                _("Điểm phải trong khoảng 0 – %(max)s.")
                % {"max": _points_text(criterion.max_points)}
            )
        if points != points.quantize(Decimal("0.0001")):
            raise InvalidScore(_("Điểm điều tra có tối đa 4 chữ số thập phân."))
    entry, _created = ScoreEntry.objects.select_for_update().get_or_create(
        assessment=assessment, criterion=criterion
    )
    if entry.revision != revision:
        raise EditConflict(
            _("Người khác vừa lưu điểm điều tra của tiêu chí %(code)s (%(points)s).")
            % {"code": criterion.code, "points": _points_text(entry.survey_points)},
            entry=entry,
            your_points=points_text,
            your_note="",
            their_points=entry.survey_points,
            their_note="",
        )
    changes = _diff(entry, survey_points=points)
    if not changes:
        return entry
    entry.survey_points = points
    return _save_entry(
        entry, by=by, action="survey.changed", assessment=assessment, changes=changes
    )


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
    return set_status(
        assessment,
        AssessmentStatus.RETURNED,
        by=by,
        action="assessment.returned",
        fields=("explanation_deadline",),
    )


def appraisal_actions(user, assessment: Assessment) -> frozenset[str]:
    """Return what ``user`` may do on the appraisal screen now: "appraise", "return", "finalise".

    "return" is offered from the first look at a submitted assessment: the first appraised leaf
    moves it to "đang thẩm định" without a reload, and the service refuses a premature return.
    """
    if not can_appraise(user, assessment) or assessment.period.status not in OPEN_PERIOD:
        return frozenset()
    status = assessment.status
    actions = set()
    if status in APPRAISABLE:
        actions |= {"appraise", "finalise"}
    if status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISING):
        actions.add("return")
    if status == AssessmentStatus.RETURNED and not explanation_open(assessment):
        actions.add("finalise")
    return frozenset(actions)


def explanation_open(assessment: Assessment) -> bool:
    """Return True while the unit may explain: returned, up to the end of the deadline day."""
    return (
        assessment.status == AssessmentStatus.RETURNED
        and assessment.explanation_deadline is not None
        and clock.today() <= assessment.explanation_deadline
    )


def require_explaining(assessment: Assessment, user) -> None:
    """Refuse unless ``user`` is of the unit and the explanation window is open."""
    if not can_explain(user, assessment):
        raise WorkflowError(_("Chỉ đơn vị được thẩm định mới giải trình được."))
    if not explanation_open(assessment):
        deadline = assessment.explanation_deadline
        raise WorkflowError(
            _("Không trong thời gian giải trình (hạn: %(deadline)s).")
            % {"deadline": formats.date_format(deadline, "SHORT_DATE_FORMAT") if deadline else "—"}
        )


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
    if entry.revision != revision:
        raise EditConflict(
            _("Người khác vừa lưu giải trình của tiêu chí %(code)s.") % {"code": criterion.code},
            entry=entry,
            your_points="",
            your_note=text,
            their_points=None,
            their_note=entry.explanation,
        )
    changes = _diff(entry, explanation=text)
    if not changes:
        return entry
    entry.explanation = text
    return _save_entry(
        entry, by=by, action="explanation.changed", assessment=assessment, changes=changes
    )


@transaction.atomic
def send_explanation(assessment: Assessment, *, by) -> Assessment:
    """The unit's head sends the explanation back: round 2 of the appraisal can start."""
    assessment = lock_assessment(assessment)
    require_explaining(assessment, by)
    if not can_submit_assessment(by, assessment):
        raise WorkflowError(_("Chỉ lãnh đạo đơn vị được gửi giải trình."))
    return set_status(assessment, AssessmentStatus.EXPLAINED, by=by, action="explanation.sent")


@transaction.atomic
def finalise_appraisal(assessment: Assessment, *, by) -> Assessment:
    """Close the appraisal of one unit (after round 2, or at once when nothing is contested).

    Leaves the reviewer did not touch keep the unit's value: their appraised value is set to the
    self value, recorded in the history.
    """
    assessment = lock_assessment(assessment)
    _require_reviewer(assessment, by)
    allowed = assessment.status in APPRAISABLE or (
        assessment.status == AssessmentStatus.RETURNED and not explanation_open(assessment)
    )
    if not allowed:
        raise WorkflowError(
            _("Chưa kết thúc thẩm định được bản đang “%(status)s”.")
            % {"status": assessment.get_status_display()}
        )
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


def _adjustment_category(assessment: Assessment, category: Criterion, kind: str) -> Criterion:
    return _leaf(assessment, category, (kind,))


@transaction.atomic
def propose_adjustment(
    assessment: Assessment,
    *,
    by,
    kind: str,
    category: Criterion,
    amount_text: str,
    reason: str,
    file=None,
) -> Adjustment:
    """Propose a bonus or deduction item against a unit; it counts once another approves it."""
    assessment = lock_assessment(assessment)
    if not can_propose_adjustment(by):
        raise WorkflowError(_("Chỉ thẩm định viên Sở Nội vụ được đề xuất điểm thưởng, điểm trừ."))
    if assessment.period.status == PeriodStatus.PUBLISHED:
        raise WorkflowError(_("Kết quả đã công bố: không thêm điểm thưởng, điểm trừ được nữa."))
    if kind not in AdjustmentKind.values:
        raise WorkflowError(_("Loại không hợp lệ."))
    _adjustment_category(assessment, category, kind)
    amount = parse_decimal(amount_text)
    if amount is None or amount <= 0:
        raise InvalidScore(_("Số điểm phải là số dương (ví dụ: 0,25)."))
    if amount > category.max_points:
        raise InvalidScore(
            _("Số điểm vượt mức tối đa %(max)s của nhóm “%(title)s”.")
            % {"max": _points_text(category.max_points), "title": category.title}
        )
    if not (reason or "").strip():
        raise InvalidScore(_("Cần ghi lý do."))
    adjustment = Adjustment(
        assessment=assessment,
        kind=kind,
        category=category,
        amount=amount,
        reason=reason.strip(),
        proposed_by=by,
    )
    if file is not None:
        try:
            kind_of_file = check_evidence_file(file, file.name, settings.EVIDENCE_MAX_BYTES)
        except FileTypeError as error:
            raise WorkflowError(str(error)) from None
        adjustment.evidence.save(file.name, file, save=False)
        adjustment.evidence_name = file.name[-255:]
        adjustment.evidence_type = kind_of_file.content_type
    adjustment.save()
    audit.record(
        f"{kind}.proposed",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=adjustment,
        changes={"category": category.code, "amount": str(amount)},
        message=adjustment.reason,
    )
    return adjustment


def _decide(adjustment: Adjustment, *, by, status: str, note: str) -> Adjustment:
    adjustment = (
        Adjustment.objects.select_for_update(of=("self",))
        .select_related("assessment__period", "assessment__unit")
        .get(pk=adjustment.pk)
    )
    if not can_decide_adjustment(by, adjustment):
        raise WorkflowError(
            _("Người phê duyệt phải là người khác với người đề xuất và có quyền phê duyệt.")
        )
    if adjustment.status != AdjustmentStatus.PROPOSED:
        raise WorkflowError(
            _("Mục này đã được quyết định (“%(status)s”).")
            % {"status": adjustment.get_status_display()}
        )
    period = adjustment.assessment.period
    if period.status == PeriodStatus.PUBLISHED:
        raise WorkflowError(_("Kết quả đã công bố: không quyết định được nữa."))
    adjustment.status = status
    adjustment.decided_by = by
    adjustment.decided_at = clock.now()
    adjustment.decision_note = (note or "").strip()
    adjustment.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        f"{adjustment.kind}.{status}",
        actor=by,
        period=period,
        unit=adjustment.assessment.unit,
        obj=adjustment,
        changes={"status": [AdjustmentStatus.PROPOSED, status], "amount": str(adjustment.amount)},
        message=adjustment.decision_note,
    )
    if period.status == PeriodStatus.FINALISED and status == AdjustmentStatus.APPROVED:
        from parindex.core.services.results import compute_results

        compute_results(period, by=by)  # a finalised period's results follow its approvals
    return adjustment


@transaction.atomic
def approve_adjustment(adjustment: Adjustment, *, by, note: str = "") -> Adjustment:
    """Approve a proposed bonus or deduction (by an approver other than its proposer)."""
    return _decide(adjustment, by=by, status=AdjustmentStatus.APPROVED, note=note)


@transaction.atomic
def reject_adjustment(adjustment: Adjustment, *, by, note: str) -> Adjustment:
    """Reject a proposed bonus or deduction; a rejection needs a reason."""
    if not (note or "").strip():
        raise InvalidScore(_("Cần ghi lý do từ chối."))
    return _decide(adjustment, by=by, status=AdjustmentStatus.REJECTED, note=note)


@transaction.atomic
def save_remediation_item(
    assessment: Assessment,
    *,
    by,
    item: RemediationItem | None = None,
    criterion: Criterion | None,
    measure: str,
    owner: str,
    due_date,
    status: str = RemediationStatus.PLANNED,
) -> RemediationItem:
    """Add or update one measure of the unit's remediation plan (after the results)."""
    assessment = lock_assessment(assessment)
    if not can_edit_remediation(by, assessment):
        raise WorkflowError(_("Chỉ đơn vị mới lập kế hoạch khắc phục của mình."))
    if assessment.period.status not in (PeriodStatus.FINALISED, PeriodStatus.PUBLISHED):
        raise WorkflowError(_("Kế hoạch khắc phục lập sau khi có kết quả."))
    if not (measure or "").strip() or not (owner or "").strip() or due_date is None:
        raise InvalidScore(_("Cần ghi biện pháp, người chủ trì và thời hạn."))
    if status not in RemediationStatus.values:
        raise InvalidScore(_("Tình trạng không hợp lệ."))
    if criterion is not None:
        _leaf(assessment, criterion, (Method.SELF, Method.SURVEY))
    if item is None:
        item = RemediationItem(assessment=assessment)
        old = {}
    else:
        item = RemediationItem.objects.get(pk=item.pk, assessment=assessment)
        old = {
            "measure": item.measure,
            "owner": item.owner,
            "due_date": str(item.due_date),
            "status": item.status,
        }
    item.criterion = criterion
    item.measure = measure.strip()
    item.owner = owner.strip()
    item.due_date = due_date
    item.status = status
    item.updated_by = by
    item.save()
    new = {
        "measure": item.measure,
        "owner": item.owner,
        "due_date": str(item.due_date),
        "status": item.status,
    }
    audit.record(
        "remediation.updated" if old else "remediation.added",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=item,
        changes={k: [old.get(k), v] for k, v in new.items() if old.get(k) != v},
    )
    return item


def apply_correction_to_entry(
    assessment: Assessment, criterion: Criterion, *, by, points_text: str, note: str
) -> ScoreEntry:
    """Change one leaf's final points as part of a recorded correction of published results.

    Called only by ``results.correct_results`` inside its transaction, after its checks.
    """
    assessment = lock_assessment(assessment)
    _leaf(assessment, criterion, (Method.SELF, Method.SURVEY))
    entry, _created = ScoreEntry.objects.select_for_update().get_or_create(
        assessment=assessment, criterion=criterion
    )
    if not (note or "").strip():
        raise InvalidScore(_("Cần ghi lý do điều chỉnh."))
    if criterion.method == Method.SURVEY:
        points = parse_decimal(points_text)
        if points is None or points < 0 or points > criterion.max_points:
            raise InvalidScore(
                _("Điểm phải trong khoảng 0 – %(max)s.")
                % {"max": _points_text(criterion.max_points)}
            )
        changes = _diff(entry, survey_points=points)
        entry.survey_points = points
    else:
        points = validate_self_points(criterion, points_text)
        changes = _diff(entry, appraised_points=points, appraisal_note=note.strip())
        entry.appraised_points = points
        entry.appraisal_note = note.strip()
    return _save_entry(
        entry, by=by, action="correction.changed", assessment=assessment, changes=changes
    )
