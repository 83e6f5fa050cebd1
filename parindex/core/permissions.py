"""Who may do what to which unit: the one place that answers it. Deny by default.

Predicates answer "who"; the services check "when" (status, deadline) and raise WorkflowError.
Views use both: out of scope → 404, in scope but not allowed → 403.
"""

from __future__ import annotations

from parindex.core.models import PROVINCE_ROLES, Period, Role


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


def can_view_results(user, period: Period) -> bool:
    """Return True if ``user`` may read the league tables of ``period``.

    Published results are public decisions: everyone may read them. Provisional results of an
    unpublished period are for the province's staff only.
    """
    if period.is_published:
        return True
    return is_province_staff(user)


def results_visible_periods(user):
    """Return the periods whose results ``user`` may read (the scope of every results list)."""
    periods = Period.objects.all()
    if is_province_staff(user):
        return periods
    return periods.published()


def visible_assessments(user, queryset):
    """Restrict ``queryset`` of assessments to those ``user`` may see.

    Province staff see every unit; a unit's officer and head see their own unit; nobody else
    sees any.
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
