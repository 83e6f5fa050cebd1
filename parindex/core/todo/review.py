"""The to-do list ("Việc cần làm") of Sở Nội vụ: a reviewer's units waiting for appraisal,
an approver's decisions. Read-only; a fixed number of queries whatever the number of units."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core import clock
from parindex.core.board import overdue_units, status_counts
from parindex.core.models import Adjustment, AdjustmentStatus, Assessment, AssessmentStatus
from parindex.core.todo.items import UNITS_SHOWN, Item
from parindex.core.todo.scope import review_scope
from parindex.core.workflow import LATE, group_flags

S = AssessmentStatus
# Why a unit waits for its reviewer: item key → (statuses, title).
WAITING = {
    "submitted": (Q(status=S.SUBMITTED), gettext_lazy("Đơn vị đã nộp, chờ thẩm định")),
    "appraising": (Q(status=S.APPRAISING), gettext_lazy("Đang thẩm định dở")),
    "explained": (
        Q(status=S.EXPLAINED),
        gettext_lazy("Đơn vị đã giải trình, chờ thẩm định vòng 2"),
    ),
}


def queue_url(period, **filters) -> str:
    """The queue of ``period``, filtered (``web/filters.py``: ``group``, ``status``)."""
    url = reverse("web:review-queue", args=[period.year])
    return f"{url}?{urlencode(filters)}" if filters else url


def _appraise_url(assessment: Assessment) -> str:
    return f"{assessment.get_absolute_url()}appraise/"


def _silent_returned() -> Q:
    """Returned for explanation, and the explanation window has closed without an answer:
    the reviewer may close the appraisal (``workflow.appraisal_actions``)."""
    today = clock.today()
    return Q(status=S.RETURNED) & (
        Q(explanation_deadline__isnull=True) | Q(explanation_deadline__lt=today)
    )


def reviewer_items(user, period) -> list[Item]:
    """Return what waits for a reviewer in ``period``, among ``review_scope``: units submitted,
    being appraised, explained, and returned units whose explanation time ran out. Two
    queries: the counts, then the units each item names."""
    waiting = dict(WAITING)
    waiting["silent"] = (
        _silent_returned(),
        _("Hết hạn giải trình mà đơn vị không gửi: kết thúc thẩm định"),
    )
    scope = review_scope(user, period)
    counts = scope.aggregate(
        **{key: Count("id", filter=condition) for key, (condition, _title) in waiting.items()}
    )
    named = defaultdict(list)
    any_waiting = Q(pk__in=[])
    for condition, _title in waiting.values():
        any_waiting |= condition
    for assessment in (
        scope.filter(any_waiting)
        .select_related("unit", "period")
        .order_by("submitted_at", "unit__name")
    ):
        key = _key_of(assessment)
        if len(named[key]) < UNITS_SHOWN:
            named[key].append((assessment.unit.name, _appraise_url(assessment)))
    filters = {"silent": S.RETURNED}
    return [
        Item(
            key,
            str(title),
            queue_url(period, status=filters.get(key, key)),
            count=counts[key],
            units=tuple(named[key]),
        )
        for key, (_condition, title) in waiting.items()
        if counts[key]
    ]


def _key_of(assessment: Assessment) -> str:
    return "silent" if assessment.status == S.RETURNED else assessment.status


def approver_items(user, period) -> list[Item]:
    """Return what waits for an approver's decision in ``period``: bonus and deduction items
    proposed by someone else, groups ready to finalise or to publish, and units past their
    deadline without a submission (extend, or have them appraised without one)."""
    items = []
    proposed = (
        Adjustment.objects.for_period(period)
        .filter(status=AdjustmentStatus.PROPOSED)
        .exclude(proposed_by=user)
        .count()
    )
    if proposed:
        items.append(
            Item(
                "adjustments",
                _("Điểm thưởng, điểm trừ chờ bạn phê duyệt"),
                reverse("web:adjustments", args=[period.year]),
                count=proposed,
            )
        )
    items += _group_items(user, period)
    late_count = {c.key: c.count for c in status_counts(Assessment.objects.for_period(period))}
    if late_count[LATE]:
        late = overdue_units(Assessment.objects.for_period(period))
        items.append(
            Item(
                "late",
                _("Đơn vị không nộp đúng hạn, chưa có quyết định (gia hạn hoặc thẩm định)"),
                queue_url(period, status=LATE),
                count=late_count[LATE],
                units=tuple((a.unit.name, _appraise_url(a)) for a in late[:UNITS_SHOWN]),
            )
        )
    return items


def _group_items(user, period) -> list[Item]:
    """The groups an approver may finalise (every unit appraised) or publish now (two
    queries), by the queue's own rules (``workflow.group_flags``)."""
    blockers = dict(
        Assessment.objects.for_period(period)
        .exclude(status=S.APPRAISED)
        .values("unit__group_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit__group_id", "n")
    )
    ready = {"can_finalise": [], "can_publish": []}
    for pg in period.period_groups.select_related("group", "period").order_by("group__order"):
        flags = group_flags(user, pg, blockers=blockers.get(pg.group_id, 0))
        for flag, groups in ready.items():
            if flags[flag]:
                url = f"{queue_url(period)}#group-{pg.group.code}"
                groups.append((pg.group.name, url))
    titles = {
        "can_finalise": ("finalise", _("Khối đã thẩm định xong mọi đơn vị: chốt kết quả")),
        "can_publish": ("publish", _("Khối đã chốt kết quả: công bố")),
    }
    return [
        Item(
            titles[flag][0],
            str(titles[flag][1]),
            f"{queue_url(period)}#groups",
            count=len(groups),
            units=tuple(groups),
        )
        for flag, groups in ready.items()
        if groups
    ]
