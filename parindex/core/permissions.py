"""Who may do what: the one place that answers it. Deny by default."""

from __future__ import annotations

from parindex.core.models import PROVINCE_ROLES, Period, Role


def is_province_staff(user) -> bool:
    """Return True for Sở Nội vụ reviewers and approvers, leaders and administrators."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in PROVINCE_ROLES


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


__all__ = ["Role", "can_view_results", "is_province_staff", "results_visible_periods"]
