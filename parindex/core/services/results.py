"""Computing, finalising and publishing the results of a period, group by group.

The database sums the score rows (one GROUP BY per kind of row); ``parindex.scoring`` applies the
rules to the sums; the result is written as one snapshot per group (``snapshots``), which the
league tables read. Each group is finalised and published on its own (its own decision number
and date); the period's status follows its groups: finalised when every group is, published
when every group is.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, CharField, F, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.calculation import calculate_results
from parindex.core.errors import WorkflowError
from parindex.core.gc_pause import paused_collection
from parindex.core.models import (
    AuditEntry,
    GroupStage,
    NotificationKind,
    Period,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    UnitResult,
)
from parindex.core.notifications import publication_recipients
from parindex.core.permissions import can_finalise_period
from parindex.core.services import audit
from parindex.core.services.notifications import notify
from parindex.core.services.snapshots import store_results
from parindex.core.workflow import OPEN_PERIOD, finalisation_blockers

CRITERIA_SET = "core.CriteriaSet"  # audit entries about a criteria set (its caps, its tree)

# Audit actions that record a computation rather than a change of the figures.
RESULT_ACTIONS = (
    "results.computed",
    "group.finalised",
    "group.published",
    "period.status_changed",
)


def lock_period(period: Period) -> Period:
    """Return ``period`` re-read with its row locked (select_for_update on PostgreSQL).

    FOR NO KEY UPDATE (``period_lock``): it keeps out whoever else locks the period (another
    computation, an import, a publication), not the rows that only refer to it.
    """
    return period_lock(Period.objects).get(pk=period.pk)


def period_lock(periods):
    """Lock the periods of the query ``periods`` the way every writer of a whole period does.

    FOR NO KEY UPDATE, not FOR UPDATE: a row referring to the period (the audit entry of every
    save, a job) is checked by PostgreSQL with FOR KEY SHARE on it, which FOR UPDATE blocks. A
    recomputation or an import holding the period for seconds then held up every save of the
    province; FOR NO KEY UPDATE still serialises those writers among themselves.
    """
    return periods.select_for_update(no_key=True)


def _group_ids(period: Period, stages) -> list[int]:
    return list(
        PeriodGroup.objects.filter(period=period, stage__in=stages).values_list(
            "group_id", flat=True
        )
    )


def _last_audit_id() -> int:
    """The newest audit entry: results computed now reflect every change recorded up to it."""
    return AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0


@transaction.atomic
def compute_results(period: Period, *, by=None, group_ids=None) -> list[ResultSet]:
    """Recompute the provisional results of the unpublished groups of a period.

    ``group_ids`` limits it to some groups. Refused once the period (or an asked group) is
    published: a published result changes only by a recorded correction.
    """
    period = lock_period(period)
    if period.is_published:
        raise WorkflowError(
            _("Kết quả năm %(year)s đã công bố; chỉ thay đổi được bằng quyết định đính chính.")
            % {"year": period.year}
        )
    unpublished = _group_ids(period, (GroupStage.OPEN, GroupStage.FINALISED))
    if group_ids is None:
        group_ids = unpublished
    elif set(group_ids) - set(unpublished):
        raise WorkflowError(_("Khối đã công bố; chỉ thay đổi được bằng quyết định đính chính."))
    mark = _last_audit_id()
    with paused_collection():  # hundreds of thousands of small objects, no cycle among them
        rows = calculate_results(period, group_ids)
        result_sets = store_results(period, group_ids, rows, by=by, audit_mark=mark)
    audit.record(
        "results.computed",
        actor=by,
        period=period,
        changes={"units": len(rows), "groups": len(result_sets)},
    )
    return result_sets


def stale_groups(period: Period) -> list[int]:
    """Return the open groups whose provisional results no longer reflect the data.

    A group is stale when it has no current result set, when something was recorded in the
    audit trail after its computation about one of its units or about the whole period (a
    score, a status, an adjustment, a band, an import) or about its criteria set (caps changed
    in the admin), or when it was computed before today (a deadline may have passed: "Không nộp
    đúng hạn"). Three queries; a change to one unit makes only its group stale.
    """
    criteria_sets = dict(
        PeriodGroup.objects.filter(period=period, stage=GroupStage.OPEN).values_list(
            "group_id", "criteria_set_id"
        )
    )
    if not criteria_sets:
        return []
    current = {
        row["group_id"]: row
        for row in ResultSet.objects.filter(
            period=period, group_id__in=criteria_sets, is_current=True
        ).values("group_id", "audit_mark", "computed_at")
    }
    newer = AuditEntry.objects.filter(
        pk__gt=min((row["audit_mark"] for row in current.values()), default=0)
    ).exclude(action__in=RESULT_ACTIONS)
    last, last_of_set = {}, {}
    for group_id, set_id, pk in (
        newer.filter(Q(period=period) | Q(object_type=CRITERIA_SET))
        .annotate(
            set_id=Case(
                When(object_type=CRITERIA_SET, then=F("object_id")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values_list("unit__group_id", "set_id")
        .annotate(last=Max("pk"))
        .values_list("unit__group_id", "set_id", "last")
        .order_by()
    ):
        if set_id:
            last_of_set[set_id] = max(last_of_set.get(set_id, 0), pk)
        else:
            last[group_id] = max(last.get(group_id, 0), pk)
    today = clock.today()
    return [
        group_id
        for group_id, set_id in criteria_sets.items()
        if group_id not in current
        or max(last.get(group_id, 0), last.get(None, 0), last_of_set.get(str(set_id), 0))
        > current[group_id]["audit_mark"]
        or timezone.localdate(current[group_id]["computed_at"]) < today
    ]


def fresh_results(period: Period) -> None:
    """Bring the provisional results of ``period`` up to date before a page reads them.

    Called by the result pages for province staff: after each appraisal, survey or adjustment
    change the next reader sees current standings without anyone running a command. Nothing is
    written when nothing changed.
    """
    if period.is_published or not stale_groups(period):
        return
    with transaction.atomic():
        locked = lock_period(period)
        stale = stale_groups(locked)  # another reader may have just recomputed them
        if stale:
            compute_results(locked, group_ids=stale)


def require_approver(by) -> None:
    """Refuse unless ``by`` is an approver; ``None`` is the system (commands, demo loading)."""
    if by is not None and not can_finalise_period(by):
        raise WorkflowError(_("Chỉ người phê duyệt của Sở Nội vụ được chốt, công bố, đính chính."))


def sync_period_status(period: Period, *, by=None) -> None:
    """Set the period's status from its groups' stages (finalised / published when all are)."""
    stages = set(PeriodGroup.objects.filter(period=period).values_list("stage", flat=True))
    old = period.status
    if stages == {GroupStage.PUBLISHED}:
        period.status = PeriodStatus.PUBLISHED
        period.published_at = period.published_at or clock.now()
    elif stages and stages <= {GroupStage.FINALISED, GroupStage.PUBLISHED}:
        period.status = PeriodStatus.FINALISED
    elif old in (PeriodStatus.FINALISED, PeriodStatus.PUBLISHED):
        period.status = PeriodStatus.APPRAISING
    if period.status != old:
        period.save(update_fields=["status", "published_at"])
        audit.record(
            "period.status_changed",
            actor=by,
            period=period,
            obj=period,
            changes={"status": [old, period.status]},
        )


def require_appraised(period: Period, group_ids) -> None:
    """Refuse, naming them, while units of the groups ``group_ids`` are not appraised yet."""
    blockers = finalisation_blockers(period, group_ids=group_ids)
    if blockers:
        raise WorkflowError(
            _("Còn %(count)s đơn vị chưa thẩm định xong:") % {"count": len(blockers)},
            details=[str(a.unit) for a in blockers],
        )


def _period_group(period: Period, group) -> PeriodGroup:
    group_id = getattr(group, "pk", group)
    try:
        return (
            PeriodGroup.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(period=period, group_id=group_id)
        )
    except PeriodGroup.DoesNotExist:
        raise WorkflowError(_("Khối này không có trong kỳ đánh giá.")) from None


@transaction.atomic
def finalise_group(period: Period, group, *, by=None) -> PeriodGroup:
    """Close appraisal of one group: every unit of it must be appraised; results recomputed."""
    period = lock_period(period)
    require_approver(by)
    pg = _period_group(period, group)
    if period.status not in OPEN_PERIOD or pg.stage != GroupStage.OPEN:
        raise WorkflowError(
            _("Khối “%(group)s” đang ở giai đoạn “%(stage)s”, không chốt được.")
            % {"group": pg.group, "stage": pg.get_stage_display()}
        )
    require_appraised(period, [pg.group_id])
    compute_results(period, by=by, group_ids=[pg.group_id])
    pg.stage = GroupStage.FINALISED
    pg.save(update_fields=["stage"])
    audit.record(
        "group.finalised",
        actor=by,
        period=period,
        obj=pg,
        changes={"group": pg.group.code, "stage": [GroupStage.OPEN, GroupStage.FINALISED]},
    )
    sync_period_status(period, by=by)
    return pg


@transaction.atomic
def finalise_period(period: Period, *, by=None) -> Period:
    """Close appraisal of every group still open: every unit of them must be appraised."""
    period = lock_period(period)
    require_approver(by)
    if period.status not in OPEN_PERIOD:
        raise WorkflowError(
            _("Kỳ đánh giá đang ở trạng thái “%(status)s”, không chốt được.")
            % {"status": period.get_status_display()}
        )
    open_ids = _group_ids(period, (GroupStage.OPEN,))
    require_appraised(period, open_ids)
    for group_id in open_ids:
        finalise_group(period, group_id, by=by)
    period.refresh_from_db()
    return period


@transaction.atomic
def publish_group(
    period: Period, group, *, by=None, decision_number: str = "", decision_date=None
) -> ResultSet:
    """Publish one finalised group: its current snapshot becomes read-only and public."""
    period = lock_period(period)
    require_approver(by)
    pg = _period_group(period, group)
    if pg.stage != GroupStage.FINALISED:
        raise WorkflowError(
            _("Chỉ công bố được khối đã chốt kết quả (khối “%(group)s”: “%(stage)s”).")
            % {"group": pg.group, "stage": pg.get_stage_display()}
        )
    result_set = ResultSet.objects.filter(
        period=period, group_id=pg.group_id, is_current=True
    ).first()
    if result_set is None:
        raise WorkflowError(_("Khối chưa có kết quả để công bố."))
    # Published under the names the unit and the group have today, kept from now on.
    UnitResult.objects.filter(result_set=result_set).save_current_names()
    now = clock.now()
    result_set.published = True
    result_set.decision_number = (decision_number or "").strip()
    result_set.decision_date = decision_date or timezone.localdate(now)
    result_set.published_at = now
    result_set.save(update_fields=["published", "decision_number", "decision_date", "published_at"])
    pg.stage = GroupStage.PUBLISHED
    pg.save(update_fields=["stage"])
    if result_set.decision_number:
        period.publication_decision = result_set.decision_number
        period.save(update_fields=["publication_decision"])
    audit.record(
        "group.published",
        actor=by,
        period=period,
        obj=result_set,
        changes={"group": pg.group.code, "stage": [GroupStage.FINALISED, GroupStage.PUBLISHED]},
        message=result_set.decision_number,
    )
    sync_period_status(period, by=by)
    notify(
        NotificationKind.GROUP_PUBLISHED,
        publication_recipients(result_set),
        subject_object=result_set,
        by=by,
    )
    return result_set


@transaction.atomic
def publish_results(
    period: Period, *, by=None, decision_number: str = "", decision_date=None, group=None
) -> list[ResultSet]:
    """Publish ``group``, or every finalised group of the period under one decision."""
    period = lock_period(period)
    require_approver(by)
    if group is not None:
        return [
            publish_group(
                period, group, by=by, decision_number=decision_number, decision_date=decision_date
            )
        ]
    finalised = _group_ids(period, (GroupStage.FINALISED,))
    if not finalised:
        raise WorkflowError(
            _("Chỉ công bố được khi đã chốt kết quả (hiện: “%(status)s”).")
            % {"status": period.get_status_display()}
        )
    return [
        publish_group(
            period, group_id, by=by, decision_number=decision_number, decision_date=decision_date
        )
        for group_id in finalised
    ]
