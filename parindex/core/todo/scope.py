"""Which units are a reviewer's: the one definition every reviewer's list uses."""

from __future__ import annotations

from parindex.core.models import Assessment, Period


def review_scope(user, period: Period):
    """Return the assessments of ``period`` that are ``user``'s to appraise.

    For now every unit of the period (every reviewer may appraise every unit); the appraisal
    team of a period (who is assigned to which units) narrows it here, and only here.
    """
    return Assessment.objects.for_period(period)


def current_period() -> Period | None:
    """Return the period Sở Nội vụ works on: the latest one (as the queue's home does)."""
    return Period.objects.order_by("-year").first()
