"""Computing, finalising and publishing the results of a period.

The database sums the score rows (one GROUP BY per kind of row); ``parindex.scoring`` applies the
rules to the sums; the result is written as a snapshot the league tables read.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.calculation import calculate_results
from parindex.core.errors import WorkflowError
from parindex.core.models import (
    AreaResult,
    Period,
    PeriodStatus,
    ResultSet,
    UnitResult,
)
from parindex.core.permissions import can_finalise_period
from parindex.core.services import audit
from parindex.core.workflow import OPEN_PERIOD, finalisation_blockers


def lock_period(period: Period) -> Period:
    """Return ``period`` re-read with its row locked (select_for_update on PostgreSQL)."""
    return Period.objects.select_for_update().get(pk=period.pk)


@transaction.atomic
def compute_results(period: Period, *, by=None) -> ResultSet:
    """Recompute the provisional results of an unpublished period and store them as a snapshot.

    Refused once the period is published: a published result changes only by a recorded
    correction.
    """
    period = lock_period(period)
    if period.is_published:
        raise WorkflowError(
            _("Kết quả năm %(year)s đã công bố; chỉ thay đổi được bằng quyết định đính chính.")
            % {"year": period.year}
        )
    rows = calculate_results(period)
    ResultSet.objects.filter(period=period, is_current=True, published=False).delete()
    result_set = write_result_set(period, rows, by=by)
    audit.record(
        "results.computed",
        actor=by,
        period=period,
        obj=result_set,
        changes={"units": len(rows), "version": result_set.version},
    )
    return result_set


def write_result_set(period: Period, rows, *, by, **fields) -> ResultSet:
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


def require_approver(by) -> None:
    """Refuse unless ``by`` is an approver; ``None`` is the system (commands, demo loading)."""
    if by is not None and not can_finalise_period(by):
        raise WorkflowError(_("Chỉ người phê duyệt của Sở Nội vụ được chốt, công bố, đính chính."))


@transaction.atomic
def finalise_period(period: Period, *, by=None) -> Period:
    """Close appraisal: every assessment must be appraised; results are recomputed."""
    period = lock_period(period)
    require_approver(by)
    if period.status not in OPEN_PERIOD:
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
    period = lock_period(period)
    require_approver(by)
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
