"""Who may do what to which unit: the one place that answers it. Deny by default.

Predicates answer "who"; the services check "when" (status, deadline) and raise WorkflowError.
Views use both: out of scope → 404, in scope but not allowed → 403.
"""

from __future__ import annotations

from parindex.core.models.choices import PROVINCE_ROLES, AssessmentStatus, GroupStage, Role


def is_province_staff(user) -> bool:
    """Return True for Sở Nội vụ reviewers and approvers, leaders and administrators."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in PROVINCE_ROLES


def is_member_of(user, unit_id: int) -> bool:
    """Return True if ``user`` is an officer or the head of the unit ``unit_id``."""
    return (
        user.is_authenticated
        and user.role in (Role.OFFICER, Role.UNIT_HEAD)
        and user.unit_id is not None
        and user.unit_id == unit_id
    )


def can_view_results(user, period) -> bool:
    """Return True if ``user`` may read the league tables of ``period``.

    Published results are public decisions: everyone may read a period once one of its groups
    is published (and, inside it, only the published groups). Provisional results are for the
    province's staff only.
    """
    if is_province_staff(user):
        return True
    return period.has_published_group


def can_view_group_results(user, period_group) -> bool:
    """Return True if ``user`` may read one group's table: staff always, others once published."""
    return is_province_staff(user) or period_group.is_published


def visible_periods(user, periods):
    """Restrict ``periods`` to those whose results ``user`` may read (every results list).

    Used through ``Period.objects.visible_to(user)``.
    """
    if is_province_staff(user):
        return periods
    return periods.with_published_group()


def visible_period_groups(user, period_groups):
    """Restrict ``period_groups`` to those whose table ``user`` may read: staff every group,
    everyone else the published ones (``PeriodGroup.objects.visible_to(user)``)."""
    if is_province_staff(user):
        return period_groups
    return period_groups.filter(stage=GroupStage.PUBLISHED)


def visible_results(user, results):
    """Restrict ``results`` (UnitResult rows) to those ``user`` may read.

    Used through ``UnitResult.objects.visible_to(user)``: staff read provisional rows too; the
    public reads only rows of published result sets.
    """
    if is_province_staff(user):
        return results
    return results.filter(result_set__published=True)


def visible_assessments(user, queryset):
    """Restrict ``queryset`` of assessments to those ``user`` may see.

    Used through ``Assessment.objects.visible_to(user)``. Province staff see every unit; a
    unit's officer and head see their own unit; nobody else sees any.
    """
    if is_province_staff(user):
        return queryset
    if user.is_authenticated and user.role in (Role.OFFICER, Role.UNIT_HEAD) and user.unit_id:
        return queryset.filter(unit_id=user.unit_id)
    return queryset.none()


def can_view_assessment(user, assessment) -> bool:
    """Return True if ``user`` may read ``assessment``, its entries and its evidence."""
    return is_province_staff(user) or is_member_of(user, assessment.unit_id)


def can_edit_assessment(user, assessment) -> bool:
    """Return True if ``user`` may enter scores, notes and evidence for ``assessment``.

    Only the unit's own officer and head; leaders and reviewers read but never edit a
    self-assessment.
    """
    return is_member_of(user, assessment.unit_id)


def can_submit_assessment(user, assessment) -> bool:
    """Return True if ``user`` may submit or withdraw ``assessment``: the unit's head only."""
    return is_member_of(user, assessment.unit_id) and user.role == Role.UNIT_HEAD


APPRAISING_ROLES = (Role.REVIEWER, Role.APPROVER)


def is_reviewer(user) -> bool:
    """Return True for Sở Nội vụ staff who appraise: reviewers and approvers."""
    return user.is_authenticated and user.role in APPRAISING_ROLES


def is_approver(user) -> bool:
    """Return True for the Sở Nội vụ staff with approving rights."""
    return user.is_authenticated and user.role == Role.APPROVER


def can_appraise(user, assessment) -> bool:
    """Return True if ``user`` may appraise ``assessment`` (any unit: Sở Nội vụ staff)."""
    return is_reviewer(user)


def can_see_appraisal(user, assessment) -> bool:
    """Return True if ``user`` may see the appraised values of ``assessment`` now.

    Province staff always; the unit itself only once the values are sent to it (returned for
    explanation, appraised) — never a draft appraisal.
    """
    if is_province_staff(user):
        return True
    return is_member_of(user, assessment.unit_id) and assessment.status in (
        AssessmentStatus.RETURNED,
        AssessmentStatus.APPRAISED,
    )


def can_view_appraisal_page(user, assessment) -> bool:
    """Return True if ``user`` may open the appraisal screen of ``assessment`` (read-only for
    leaders and administrators): province staff only, never the unit itself."""
    return is_province_staff(user)


def can_explain(user, assessment) -> bool:
    """Return True if ``user`` may answer the appraisal of ``assessment`` (its unit's staff)."""
    return is_member_of(user, assessment.unit_id)


def can_propose_adjustment(user) -> bool:
    """Return True for reviewers and approvers: they propose bonus and deduction items."""
    return is_reviewer(user)


def can_decide_adjustment(user, adjustment) -> bool:
    """Return True if ``user`` may decide on ``adjustment``: an approver, not its proposer."""
    return is_approver(user) and adjustment.proposed_by_id != user.pk


def can_finalise_period(user) -> bool:
    """Return True if ``user`` may finalise, publish and correct a period: approvers only."""
    return is_approver(user)


def can_edit_remediation(user, assessment) -> bool:
    """Return True if ``user`` may write the remediation plan of ``assessment``: its unit."""
    return is_member_of(user, assessment.unit_id)


def can_see_all_jobs(user) -> bool:
    """Return True for administrators: the list of every job, whoever started it."""
    return can_import(user)


def visible_jobs(user, jobs):
    """Restrict ``jobs`` to those ``user`` may follow: their own; every job for administrators."""
    if can_see_all_jobs(user):
        return jobs
    if not user.is_authenticated:
        return jobs.none()
    return jobs.filter(started_by=user)


def can_import(user) -> bool:
    """Return True for administrators: imports replace data across units."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


def can_manage_accounts(user) -> bool:
    """Return True for administrators: they create, change and lock the province's accounts."""
    return can_import(user)


def can_manage_team(user) -> bool:
    """Return True if ``user`` may assign the appraisal team of a period: approvers only.

    Which leaf each reviewer then appraises is the team's rule, ``core/team.py``.
    """
    return is_approver(user)


def can_comment_on_leaf(user, assessment) -> bool:
    """Return True if ``user`` may post in a leaf's comment thread: whoever sees the unit."""
    return can_view_assessment(user, assessment)
