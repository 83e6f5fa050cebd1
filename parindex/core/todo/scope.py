"""Which units are a reviewer's: the one definition every reviewer's list uses."""

from __future__ import annotations

from parindex.core.models import Period
from parindex.core.team import assessments_assigned_to


def review_scope(user, period: Period):
    """Return the assessments of ``period`` that are ``user``'s to appraise: those where the
    appraisal team gives them leaves (every unit when the period has no team)."""
    return assessments_assigned_to(user, period)


def current_period() -> Period | None:
    """Return the period Sở Nội vụ works on: the latest one (as the queue's home does)."""
    return Period.objects.order_by("-year").first()
