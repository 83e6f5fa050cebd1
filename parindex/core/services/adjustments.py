"""Bonus and deduction items (điểm thưởng / điểm trừ): proposed by a reviewer, decided by
another person with approving rights. Each function is atomic, checks who acts and the state,
and writes an audit entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.errors import InvalidScore, WorkflowError
from parindex.core.filetypes import FileTypeError, check_evidence_file
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Assessment,
    Criterion,
    NotificationKind,
)
from parindex.core.notifications import approvers, decision_recipients
from parindex.core.permissions import can_decide_adjustment, can_propose_adjustment
from parindex.core.services import audit
from parindex.core.services.appraisal import require_leaf_of_mine, require_scored_leaf
from parindex.core.services.entries import lock_assessment
from parindex.core.services.notifications import notify
from parindex.core.services.results import compute_results
from parindex.core.validation import validate_adjustment_amount


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
    """Propose a bonus or deduction item under ``category``; it counts once another approves.

    ``kind`` must be the category's own (``Criterion.adjustment_kind``).
    """
    assessment = lock_assessment(assessment)
    if not can_propose_adjustment(by):
        raise WorkflowError(_("Chỉ thẩm định viên Sở Nội vụ được đề xuất điểm thưởng, điểm trừ."))
    if assessment.period_group is not None and assessment.period_group.is_published:
        raise WorkflowError(_("Kết quả đã công bố: không thêm điểm thưởng, điểm trừ được nữa."))
    if kind not in AdjustmentKind.values:
        raise WorkflowError(_("Loại không hợp lệ."))
    require_scored_leaf(assessment, category, (kind,))
    require_leaf_of_mine(assessment, category, by)
    amount = validate_adjustment_amount(category, amount_text)
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
        _attach(adjustment, file)
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
    notify(NotificationKind.DEDUCTION_PROPOSED, approvers(), subject_object=adjustment, by=by)
    return adjustment


def _attach(adjustment: Adjustment, file) -> None:
    try:
        kind_of_file = check_evidence_file(file, file.name, settings.EVIDENCE_MAX_BYTES)
    except FileTypeError as error:
        raise WorkflowError(str(error)) from None
    adjustment.evidence.save(file.name, file, save=False)
    adjustment.evidence_name = file.name[-255:]
    adjustment.evidence_type = kind_of_file.content_type


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
    period_group = adjustment.assessment.period_group
    if period_group is not None and period_group.is_published:
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
    if (
        period_group is not None
        and period_group.is_finalised
        and status == AdjustmentStatus.APPROVED
    ):
        # a finalised group's results follow its approvals
        compute_results(period, by=by, group_ids=[period_group.group_id])
    notify(
        NotificationKind.DEDUCTION_DECIDED,
        decision_recipients(adjustment),
        subject_object=adjustment,
        by=by,
    )
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
