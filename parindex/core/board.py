"""The Sở Nội vụ progress board: where the units of a period stand, per group and status, the
units past their deadline, and the work of each reviewer. Read-only.

Every count is a ``GROUP BY`` in SQL; the status a list shows ("Không nộp đúng hạn" for a unit
past its own deadline without a submission) is the one rule ``workflow.status_shown``, applied
to each (status, deadline) combination the query returns, never to each unit. The queue's
status filter (``shown_as``) uses the same combinations, so a count on the board and the queue
filtered by it list the same units.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from parindex.core import clock
from parindex.core.models import (
    Assessment,
    Method,
    Period,
    ScoreEntry,
    UnitGroup,
    User,
)
from parindex.core.permissions import APPRAISING_ROLES
from parindex.core.workflow import LATE, SHOWN_STATUSES, status_shown


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class GroupCounts:
    """One group's row of the board: how many of its units are in each shown status."""

    group: UnitGroup
    counts: tuple[StatusCount, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass(frozen=True)
class ReviewerWork:
    """What one reviewer has appraised in a period: leaves (distinct), the units of those
    leaves, and the units whose appraisal they closed."""

    reviewer: User
    leaves: int
    units: int
    closed: int


@dataclass(frozen=True)
class Board:
    period: Period
    groups: tuple[GroupCounts, ...]
    totals: tuple[StatusCount, ...]
    overdue: tuple[Assessment, ...]
    reviewers: tuple[ReviewerWork, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.totals)


def _shown_key(status, extended_to, period_deadline, now) -> str:
    """Return the key ``status_shown`` gives a unit of this status and these deadlines."""
    probe = Assessment(
        period=Period(self_assessment_deadline=period_deadline),
        status=status,
        deadline_extended_to=extended_to,
    )
    return status_shown(probe, now)[0]


def _combinations(assessments):
    """The distinct (status, extension, period deadline) of ``assessments``: one query,
    whatever the number of units. ``assessments`` carries no aggregate annotation."""
    return (
        assessments.values("status", "deadline_extended_to", "period__self_assessment_deadline")
        .distinct()
        .order_by()
    )


def _counts(counter: Counter) -> tuple[StatusCount, ...]:
    return tuple(StatusCount(key, str(label), counter[key]) for key, label in SHOWN_STATUSES)


def status_table(assessments) -> dict[int, Counter]:
    """Return group id → Counter of shown status keys over ``assessments`` (one query)."""
    now = clock.now()
    table: dict[int, Counter] = {}
    rows = (
        assessments.values(
            "unit__group_id", "status", "deadline_extended_to", "period__self_assessment_deadline"
        )
        .annotate(units=Count("id"))
        .order_by()
    )
    for row in rows:
        key = _shown_key(
            row["status"],
            row["deadline_extended_to"],
            row["period__self_assessment_deadline"],
            now,
        )
        table.setdefault(row["unit__group_id"], Counter())[key] += row["units"]
    return table


def status_counts(assessments) -> tuple[StatusCount, ...]:
    """Return how many of ``assessments`` each shown status has (the queue's and the board's
    totals; one query)."""
    total: Counter = Counter()
    for counter in status_table(assessments).values():
        total.update(counter)
    return _counts(total)


def shown_as(assessments, key: str):
    """Restrict ``assessments`` to those lists show with status ``key`` ("late" included).

    One query finds the (status, deadline) combinations that show as ``key``; the answer is
    a queryset filtered by them, so the queue filtered by a status lists exactly the units the
    board counts under it.
    """
    now = clock.now()
    wanted = Q(pk__in=[])
    for row in _combinations(assessments):
        extended, deadline = row["deadline_extended_to"], row["period__self_assessment_deadline"]
        if _shown_key(row["status"], extended, deadline, now) != key:
            continue
        wanted |= Q(
            Q(deadline_extended_to=extended) if extended else Q(deadline_extended_to__isnull=True),
            Q(period__self_assessment_deadline=deadline)
            if deadline
            else Q(period__self_assessment_deadline__isnull=True),
            status=row["status"],
        )
    return assessments.filter(wanted)


def overdue_units(assessments) -> list[Assessment]:
    """Return the units of ``assessments`` past their own deadline without a submission, the
    longest overdue first (two queries)."""
    late = shown_as(assessments, LATE).select_related("unit__group", "period")
    return sorted(late, key=lambda a: (a.entry_deadline, a.unit.name))


def reviewer_work(period: Period) -> tuple[ReviewerWork, ...]:
    """Return, per reviewer, the self-assessed leaves they appraised in ``period`` (from the
    history of the leaves: who set an appraised value, including the values accepted when
    closing), the units of those leaves and the appraisals they closed. Three queries.

    The appraisal team of a period (who is assigned to what) is another matter: this counts
    what was done.
    """
    appraised = (
        ScoreEntry.history.filter(
            assessment__period=period,
            criterion__method=Method.SELF,
            history_user__role__in=APPRAISING_ROLES,
        )
        .values("history_user_id")
        .annotate(leaves=Count("id", distinct=True), units=Count("assessment_id", distinct=True))
        .order_by()
    )
    closed = (
        Assessment.objects.for_period(period)
        .filter(appraised_by__isnull=False)
        .values("appraised_by_id")
        .annotate(units=Count("id"))
        .order_by()
    )
    work = {row["history_user_id"]: [row["leaves"], row["units"], 0] for row in appraised}
    for row in closed:
        work.setdefault(row["appraised_by_id"], [0, 0, 0])[2] = row["units"]
    users = User.objects.in_bulk(list(work))
    rows = [ReviewerWork(users[pk], *figures) for pk, figures in work.items() if pk in users]
    return tuple(sorted(rows, key=lambda r: (-r.leaves, -r.closed, r.reviewer.username)))


def progress_board(period: Period) -> Board:
    """Return the board of ``period``: every group's counts per shown status, the totals, the
    overdue units and the reviewers' work. Seven queries whatever the number of units."""
    assessments = Assessment.objects.for_period(period)
    table = status_table(assessments)
    groups = tuple(
        GroupCounts(pg.group, _counts(table.get(pg.group_id, Counter())))
        for pg in period.period_groups.select_related("group").order_by("group__order")
    )
    total: Counter = Counter()
    for counter in table.values():
        total.update(counter)
    return Board(
        period=period,
        groups=groups,
        totals=_counts(total),
        overdue=tuple(overdue_units(assessments)),
        reviewers=reviewer_work(period),
    )
