"""Which step of the yearly cycle may happen now, and who may take it: read-only predicates.

``core/permissions.py`` answers "who"; this module adds "when" (statuses, deadlines on the server
clock) and gives the screens their flags, so that no view or template compares a status or a
role. The ``require_*`` guards raise ``WorkflowError``; the services call them inside their
transactions, on rows they have locked. Nothing here writes.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core import clock
from parindex.core.errors import WorkflowError
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    GroupStage,
    Method,
    Period,
    PeriodStatus,
    ScoreEntry,
)
from parindex.core.permissions import (
    can_appraise,
    can_edit_assessment,
    can_explain,
    can_finalise_period,
    can_see_appraisal,
    can_submit_assessment,
    is_province_staff,
)

APPRAISABLE = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISING, AssessmentStatus.EXPLAINED)
OPEN_PERIOD = (PeriodStatus.OPEN, PeriodStatus.APPRAISING)
RESULTS_FINAL = (PeriodStatus.FINALISED, PeriodStatus.PUBLISHED)


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


# --- Self-assessment ------------------------------------------------------------------------


def allowed_actions(user, assessment: Assessment) -> frozenset[str]:
    """Return what ``user`` may do to ``assessment`` now: "edit", "submit", "withdraw"."""
    if not assessment.entry_open(clock.now()):
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


def require_window(assessment: Assessment) -> None:
    """Refuse unless the self-assessment window of the period is open (server clock)."""
    if not assessment.entry_open(clock.now()):
        raise WorkflowError(
            _("Đã hết thời hạn tự đánh giá (%(deadline)s): không thể nhập, nộp hoặc rút.")
            % {"deadline": _date(assessment.entry_deadline)}
        )


def submission_blockers(assessment: Assessment) -> list[str]:
    """List why ``assessment`` cannot be submitted yet (empty when it can).

    Every applicable self-assessed leaf needs a score, and a leaf with points needs evidence or
    an explanation.
    """
    leaves = (
        Criterion.objects.for_assessment(assessment).filter(method=Method.SELF).order_by("position")
    )
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


# --- Appraisal and explanation ----------------------------------------------------------------


def appraisal_actions(user, assessment: Assessment) -> frozenset[str]:
    """Return what ``user`` may do on the appraisal screen now: "appraise", "return", "finalise".

    "return" is offered from the first look at a submitted assessment: the first appraised leaf
    moves it to "đang thẩm định" without a reload, and the service refuses a premature return.
    """
    if not can_appraise(user, assessment) or not group_open(assessment):
        if can_reopen(user, assessment):
            return frozenset({"reopen"})
        return frozenset()
    status = assessment.status
    actions = set()
    if status in APPRAISABLE:
        actions |= {"appraise", "finalise"}
    if status == AssessmentStatus.DRAFT and assessment.is_late(clock.now()):
        actions.add("appraise_late")
    if can_reopen(user, assessment):
        actions.add("reopen")
    if status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISING):
        actions.add("return")
    if status == AssessmentStatus.RETURNED and not explanation_open(assessment):
        actions.add("finalise")
    return frozenset(actions)


def appraisal_can_close(assessment: Assessment) -> bool:
    """Return True if the appraisal of ``assessment`` may be closed in its current state."""
    return assessment.status in APPRAISABLE or (
        assessment.status == AssessmentStatus.RETURNED and not explanation_open(assessment)
    )


def group_open(assessment: Assessment) -> bool:
    """Return True while the scores of ``assessment`` may change: its period is open and its
    group is neither finalised nor published (groups close one by one)."""
    if assessment.period.status not in OPEN_PERIOD:
        return False
    pg = assessment.period_group
    return pg is None or not pg.is_finalised


def require_period_open(assessment: Assessment) -> None:
    """Refuse once the unit's group (or the period) is finalised or published."""
    if assessment.period.status not in OPEN_PERIOD:
        raise WorkflowError(
            _("Kỳ đánh giá đã “%(status)s”: không sửa điểm được nữa.")
            % {"status": assessment.period.get_status_display()}
        )
    if not group_open(assessment):
        raise WorkflowError(
            _("Khối “%(group)s” đã “%(stage)s”: không sửa điểm được nữa.")
            % {
                "group": assessment.period_group.group,
                "stage": assessment.period_group.get_stage_display(),
            }
        )


def can_reopen(user, assessment: Assessment) -> bool:
    """Return True if ``user`` may reopen the closed appraisal of ``assessment`` now: an
    approver, while the unit's group is not published."""
    return (
        can_finalise_period(user)
        and assessment.status == AssessmentStatus.APPRAISED
        and assessment.period_group is not None
        and not assessment.period_group.is_published
    )


def can_manage_deadlines(user, assessment: Assessment) -> bool:
    """Return True if ``user`` may extend the unit's deadline or leave it out of the ranking:
    an approver, while the unit's group is open."""
    return can_finalise_period(user) and group_open(assessment)


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
        raise WorkflowError(
            _("Không trong thời gian giải trình (hạn: %(deadline)s).")
            % {"deadline": _date(assessment.explanation_deadline)}
        )


def can_view_lost_points(user, assessment: Assessment) -> bool:
    """Return True if ``user`` may read where ``assessment`` lost points.

    Province staff always; the unit once its results are final (finalised or published).
    """
    if is_province_staff(user):
        return True
    return can_see_appraisal(user, assessment) and assessment.period.status in RESULTS_FINAL


def entry_flags(user, assessment: Assessment) -> dict[str, bool]:
    """Return the flags of a unit's entry page: what ``user`` may do and see there now."""
    actions = allowed_actions(user, assessment)
    explaining = explanation_open(assessment) and can_explain(user, assessment)
    return {
        "can_edit": "edit" in actions,
        "can_submit": "submit" in actions,
        "can_withdraw": "withdraw" in actions,
        "explaining": explaining,
        "can_send_explanation": explaining and can_submit_assessment(user, assessment),
        "window_open": assessment.entry_open(clock.now()),
        "is_late": assessment.is_late(clock.now()),
        "is_submitted": assessment.status != AssessmentStatus.DRAFT,
        "can_view_lost_points": can_view_lost_points(user, assessment),
    }


# --- The period -------------------------------------------------------------------------------


def finalisation_blockers(period: Period, group_ids=None) -> list[Assessment]:
    """Return the assessments not appraised yet (they block finalising their group).

    ``group_ids`` limits the answer to some groups; by default every group still open.
    """
    if group_ids is None:
        group_ids = period.period_groups.filter(stage=GroupStage.OPEN).values("group_id")
    return list(
        Assessment.objects.for_period(period)
        .filter(unit__group_id__in=group_ids)
        .exclude(status=AssessmentStatus.APPRAISED)
        .select_related("unit", "period")
        .order_by("unit__name")
    )


def period_flags(user, period: Period) -> dict[str, bool]:
    """Return the flags of the queue's "finalise and publish" box for ``user`` now."""
    manager = can_finalise_period(user)
    return {
        "can_manage": manager,
        "appraisal_open": period.status in OPEN_PERIOD,
        "can_publish": manager and period.status == PeriodStatus.FINALISED,
        "is_published": period.is_published,
        "can_correct": manager and period.has_published_group,
    }


# --- Decisions on one unit and on the groups of a period ---------------------------------------


# The status lists show for a unit that has not submitted by its deadline, and every status a
# list may show, in the order of the cycle (the board's columns, the queue's filter).
LATE, LATE_LABEL = "late", gettext_lazy("Không nộp đúng hạn")
SHOWN_STATUSES = (*AssessmentStatus.choices, (LATE, LATE_LABEL))


def status_shown(assessment: Assessment, now) -> tuple[str, str]:
    """Return the (key, label) of the status lists show for ``assessment``: "late" and "Không
    nộp đúng hạn" for a unit that has not submitted by its deadline, else its status."""
    if assessment.status == AssessmentStatus.DRAFT and assessment.is_late(now):
        return LATE, str(LATE_LABEL)
    return assessment.status, assessment.get_status_display()


def decision_flags(user, assessment: Assessment) -> dict[str, bool]:
    """Return the flags of the "Quyết định về đơn vị" panel: what ``user`` may decide now."""
    manage = can_manage_deadlines(user, assessment)
    return {
        "can_extend": manage and assessment.status == AssessmentStatus.DRAFT,
        "can_set_unit_ranking": manage,
        "can_reopen": can_reopen(user, assessment),
        "can_appraise_late": "appraise_late" in appraisal_actions(user, assessment),
        "is_late": assessment.is_late(clock.now()),
    }


def group_flags(user, period_group, *, blockers: int) -> dict[str, bool]:
    """Return what ``user`` may do to one group of a period now (the queue's group box).

    ``blockers`` is how many of its units are not appraised yet.
    """
    manager = can_finalise_period(user)
    is_open = period_group.stage == GroupStage.OPEN
    return {
        "is_open": is_open,
        "is_finalised": period_group.stage == GroupStage.FINALISED,
        "is_published": period_group.is_published,
        "can_finalise": manager
        and is_open
        and period_group.period.status in OPEN_PERIOD
        and not blockers,
        "can_publish": manager and period_group.stage == GroupStage.FINALISED,
        "can_set_ranking": manager and is_open,
    }


def can_set_tie_rule(user, period_groups) -> bool:
    """Return True if ``user`` may change the tie rule of the period of ``period_groups``: an
    approver, while every group is still open (the rule is frozen once one is finalised)."""
    return can_finalise_period(user) and all(pg.stage == GroupStage.OPEN for pg in period_groups)
