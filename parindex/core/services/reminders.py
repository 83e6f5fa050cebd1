"""Reminders sent by ``manage.py sendreminders`` (daily, by cron or a systemd timer).

What is due on a day: "the period is open" to every unit still drafting once its
self-assessment has started; the deadline in 7, 3 and 1 days to units that have not submitted
(their own extended deadline when they have one); the explanation deadline in 7, 3 and 1 days to
units asked to explain. Each reminder has a key (``deadline:<assessment>:<deadline>:<days>``)
and is written once per person and key, so running the command again, or twice a day, sends
nothing new. A day missed is caught up: the closest reminder not sent yet goes out (5 days
before the deadline, the 7-day one), never the ones already overtaken.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from parindex.core.models import (
    DEADLINE_KINDS,
    Assessment,
    AssessmentStatus,
    NotificationKind,
    PeriodStatus,
)
from parindex.core.notifications import unit_members
from parindex.core.services.notifications import deliver, not_told_yet, notice

STEPS = sorted(DEADLINE_KINDS)  # 1, 3, 7 days before a deadline


@dataclass
class Reminder:
    kind: str
    assessment: Assessment
    key: str
    context: dict = field(default_factory=dict)

    def message(self) -> dict:
        return notice(self.kind, self.assessment, context=self.context, key=self.key)

    def people(self):
        return unit_members([self.assessment.unit_id])


def step(days_left: int) -> int | None:
    """Return the reminder due ``days_left`` days before a deadline (the closest step at or
    above it), or None when the deadline is more than a week away, today or past."""
    if days_left < 1:
        return None
    return next((days for days in STEPS if days_left <= days), None)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def due_reminders(today: datetime.date) -> list[Reminder]:
    """Return every reminder due on ``today`` (sent or not)."""
    open_periods = (PeriodStatus.OPEN, PeriodStatus.APPRAISING)
    drafting = Assessment.objects.filter(
        status=AssessmentStatus.DRAFT, period__status__in=open_periods
    ).select_related("period", "unit")
    returned = Assessment.objects.filter(
        status=AssessmentStatus.RETURNED,
        period__status__in=open_periods,
        explanation_deadline__isnull=False,
    ).select_related("period", "unit")
    due = []
    for assessment in drafting.order_by("period_id", "unit__code"):
        due += _drafting(assessment, today)
    for assessment in returned.order_by("period_id", "unit__code"):
        deadline = assessment.explanation_deadline
        days = step((deadline - today).days)
        if days:
            key = f"explanation:{assessment.pk}:{deadline.isoformat()}:{days}"
            context = {"days": (deadline - today).days}
            due.append(Reminder(NotificationKind.EXPLANATION_DUE, assessment, key, context))
    return due


def _drafting(assessment: Assessment, today: datetime.date) -> list[Reminder]:
    if not assessment.entry_open(_noon(today)):
        return []
    due = []
    if assessment.period.status == PeriodStatus.OPEN:
        key = f"opened:{assessment.period_id}:{assessment.unit_id}"
        due.append(Reminder(NotificationKind.PERIOD_OPENED, assessment, key))
    deadline = assessment.entry_deadline
    days = step((deadline - today).days) if deadline else None
    if days:
        key = f"deadline:{assessment.pk}:{deadline.isoformat()}:{days}"
        context = {"days": (deadline - today).days}
        due.append(Reminder(DEADLINE_KINDS[days], assessment, key, context))
    return due


def send_reminders(today: datetime.date, *, dry_run: bool = False) -> list[tuple[Reminder, int]]:
    """Write the reminders due on ``today`` that were not sent yet into their recipients'
    inboxes (``dry_run``: only count them); return each reminder with how many it told."""
    told = []
    for reminder in due_reminders(today):
        message = reminder.message()
        if dry_run:
            count = len(not_told_yet(message, reminder.people()))
        else:
            count = deliver(message, reminder.people(), queue=False)
        if count:
            told.append((reminder, count))
    return told
