"""The remediation plan (kế hoạch khắc phục) a unit writes for the points it lost."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.errors import InvalidScore, WorkflowError
from parindex.core.models import (
    Assessment,
    Criterion,
    Method,
    RemediationItem,
    RemediationStatus,
)
from parindex.core.permissions import can_edit_remediation
from parindex.core.services import audit
from parindex.core.services.appraisal import require_scored_leaf
from parindex.core.services.entries import lock_assessment
from parindex.core.workflow import RESULTS_FINAL

PLAN_FIELDS = ("measure", "owner", "due_date", "status")


def _plan_values(item: RemediationItem) -> dict:
    return {field: str(getattr(item, field)) for field in PLAN_FIELDS}


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
    if assessment.period.status not in RESULTS_FINAL:
        raise WorkflowError(_("Kế hoạch khắc phục lập sau khi có kết quả."))
    if not (measure or "").strip() or not (owner or "").strip() or due_date is None:
        raise InvalidScore(_("Cần ghi biện pháp, người chủ trì và thời hạn."))
    if status not in RemediationStatus.values:
        raise InvalidScore(_("Tình trạng không hợp lệ."))
    if criterion is not None:
        require_scored_leaf(assessment, criterion, (Method.SELF, Method.SURVEY))
    if item is None:
        item = RemediationItem(assessment=assessment)
        old = {}
    else:
        item = RemediationItem.objects.get(pk=item.pk, assessment=assessment)
        old = _plan_values(item)
    item.criterion = criterion
    item.measure = measure.strip()
    item.owner = owner.strip()
    item.due_date = due_date
    item.status = status
    item.updated_by = by
    item.save()
    audit.record(
        "remediation.updated" if old else "remediation.added",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=item,
        changes={k: [old.get(k), v] for k, v in _plan_values(item).items() if old.get(k) != v},
    )
    return item
