"""The decisions that let a real year close: late units, extensions, reopening, ranking rules.

- An approver extends one unit's deadline (new date + reason): its entry reopens until then.
- A reviewer appraises a unit that did not submit by its deadline ("không nộp đúng hạn"): what
  it entered counts as its self-assessment, empty leaves count 0, the reason is recorded.
- An approver reopens a closed appraisal (reason required) until the unit's group is published.
- An approver leaves one unit out of the ranking of a period (graded, not ranked, with a reason),
  decides whether a group is ranked this period, and sets the period's tie rule.

Each function locks what it changes, checks who and when, and writes an audit entry.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import clock, rules_freeze
from parindex.core.errors import WorkflowError
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    GroupStage,
    NotificationKind,
    Period,
    PeriodGroup,
    TieRule,
)
from parindex.core.notifications import reopening_recipients, unit_members
from parindex.core.permissions import can_appraise, can_finalise_period
from parindex.core.services import audit
from parindex.core.services.entries import lock_assessment, set_status
from parindex.core.services.notifications import notify
from parindex.core.services.results import lock_period, sync_period_status
from parindex.core.services.team import clear_parts
from parindex.core.workflow import group_open, require_period_open


def _reason(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(message)
    return text


def _require_approver(user) -> None:
    if not can_finalise_period(user):
        raise WorkflowError(_("Chỉ người phê duyệt của Sở Nội vụ được quyết định việc này."))


@transaction.atomic
def extend_deadline(assessment: Assessment, *, by, until: datetime.date, reason: str) -> Assessment:
    """Give one unit until ``until`` to enter and submit; its entry reopens until then."""
    assessment = lock_assessment(assessment)
    _require_approver(by)
    require_period_open(assessment)
    reason = _reason(reason, _("Cần ghi lý do gia hạn."))
    if until is None or until < clock.today():
        raise WorkflowError(_("Ngày gia hạn phải từ hôm nay trở đi."))
    if assessment.status != AssessmentStatus.DRAFT:
        raise WorkflowError(
            _("Chỉ gia hạn được đơn vị chưa nộp (hiện: “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    old = assessment.deadline_extended_to
    assessment.deadline_extended_to = until
    assessment.extension_reason = reason
    assessment.save(update_fields=["deadline_extended_to", "extension_reason", "updated_at"])
    audit.record(
        "assessment.extended",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=assessment,
        changes={"deadline": [str(old or ""), str(until)]},
        message=reason,
    )
    notify(
        NotificationKind.EXTENDED,
        unit_members([assessment.unit_id]),
        subject_object=assessment,
        context={"reason": reason},
        by=by,
    )
    return assessment


@transaction.atomic
def appraise_without_submission(assessment: Assessment, *, by, reason: str) -> Assessment:
    """Start appraising a unit that did not submit by its deadline.

    What the unit entered counts as its self-assessment; leaves left empty count 0. The unit
    can no longer enter; the reason is kept and shown ("Không nộp đúng hạn").
    """
    assessment = lock_assessment(assessment)
    if not can_appraise(by, assessment):
        raise WorkflowError(_("Chỉ thẩm định viên Sở Nội vụ được thẩm định."))
    require_period_open(assessment)
    reason = _reason(reason, _("Cần ghi lý do thẩm định khi đơn vị không nộp."))
    if assessment.status != AssessmentStatus.DRAFT or not assessment.is_late(clock.now()):
        raise WorkflowError(
            _("Chỉ thẩm định thay được đơn vị chưa nộp và đã quá hạn (hiện: “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    assessment.late_reason = reason
    return set_status(
        assessment,
        AssessmentStatus.APPRAISING,
        by=by,
        action="assessment.appraised_without_submission",
        fields=("late_reason",),
    )


@transaction.atomic
def reopen_appraisal(assessment: Assessment, *, by, reason: str) -> Assessment:
    """Reopen a closed appraisal until the unit's group is published; a finalised group goes
    back to appraisal with it."""
    lock_period(assessment.period)
    assessment = lock_assessment(assessment)
    _require_approver(by)
    reason = _reason(reason, _("Cần ghi lý do mở lại thẩm định."))
    pg = assessment.period_group
    if assessment.status != AssessmentStatus.APPRAISED:
        raise WorkflowError(_("Chỉ mở lại được bản đã thẩm định xong."))
    if pg is None or pg.is_published:
        raise WorkflowError(_("Khối đã công bố; chỉ thay đổi được bằng quyết định đính chính."))
    if pg.stage == GroupStage.FINALISED:
        PeriodGroup.objects.filter(pk=pg.pk).update(stage=GroupStage.OPEN)
        audit.record(
            "group.reopened",
            actor=by,
            period=assessment.period,
            obj=pg,
            changes={"group": pg.group.code, "stage": [GroupStage.FINALISED, GroupStage.OPEN]},
            message=reason,
        )
        sync_period_status(assessment.period, by=by)
    clear_parts(assessment)  # the parts are appraised, and marked done, again
    set_status(assessment, AssessmentStatus.APPRAISING, by=by, action="assessment.reopened")
    audit.record(
        "assessment.reopen_reason",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=assessment,
        message=reason,
    )
    notify(
        NotificationKind.REOPENED,
        reopening_recipients(assessment),
        subject_object=assessment,
        context={"reason": reason},
        by=by,
    )
    return assessment


@transaction.atomic
def set_unit_ranking(assessment: Assessment, *, by, excluded: bool, reason: str = "") -> Assessment:
    """Leave one unit out of the ranking of its period (``excluded``, reason required) or put
    it back. The unit keeps its index and grade; the others rank as if it were not there."""
    assessment = lock_assessment(assessment)
    _require_approver(by)
    if not group_open(assessment):
        raise WorkflowError(_("Khối đã chốt hoặc công bố: không đổi việc xếp hạng được nữa."))
    new = _reason(reason, _("Cần ghi lý do không xếp hạng.")) if excluded else ""
    old = assessment.unranked_reason
    assessment.unranked_reason = new
    assessment.save(update_fields=["unranked_reason", "updated_at"])
    audit.record(
        "assessment.ranking_changed",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=assessment,
        changes={"unranked_reason": [old, new]},
    )
    return assessment


@transaction.atomic
def set_group_ranking(
    period: Period, group_id: int, *, by, ranked: bool, reason: str = ""
) -> PeriodGroup:
    """Decide whether a group is ranked in this period (a reason when it is not)."""
    period = lock_period(period)
    _require_approver(by)
    pg = PeriodGroup.objects.select_for_update(of=("self",)).select_related("group")
    pg = pg.get(period=period, group_id=group_id)
    rules_freeze.require_group_unfrozen(period, pg.group_id)
    if pg.stage != GroupStage.OPEN:
        raise WorkflowError(_("Khối đã chốt hoặc công bố: không đổi việc xếp hạng được nữa."))
    reason = "" if ranked else _reason(reason, _("Cần ghi lý do khối không xếp hạng kỳ này."))
    old = [pg.ranked, pg.unranked_reason]
    pg.ranked, pg.unranked_reason = ranked, reason
    pg.save(update_fields=["ranked", "unranked_reason"])
    audit.record(
        "group.ranking_changed",
        actor=by,
        period=period,
        obj=pg,
        changes={"group": pg.group.code, "ranked": [old, [ranked, reason]]},
    )
    return pg


@transaction.atomic
def set_tie_rule(period: Period, *, by, rule: str) -> Period:
    """Set how equal indices rank in ``period``; frozen once a group is published."""
    period = lock_period(period)
    _require_approver(by)
    if rule not in TieRule.values:
        raise WorkflowError(_("Quy tắc xếp hạng khi bằng điểm không hợp lệ."))
    rules_freeze.require_tie_rule_unfrozen(period)
    # Stricter than the freeze: a finalised group's results were computed with this rule.
    if period.period_groups.exclude(stage=GroupStage.OPEN).exists():
        raise WorkflowError(_("Đã có khối chốt hoặc công bố: không đổi quy tắc xếp hạng được."))
    old = period.tie_rule
    period.tie_rule = rule
    period.save(update_fields=["tie_rule"])
    audit.record(
        "period.tie_rule_changed",
        actor=by,
        period=period,
        obj=period,
        changes={"tie_rule": [old, rule]},
    )
    return period
