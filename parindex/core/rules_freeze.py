"""Which rules are frozen because results made with them are public: one rule, read-only.

A published result was computed with a criteria set (its tree, scale, caps and whether a total
may exceed the maximum), its group's criteria set assignment, ranking decision and grade bands,
and its period's tie rule. A correction recomputes a published group with the rules as stored, so
once a result is public these rules must stay as they were, or a one-leaf correction would
republish every unit of the group under new rules. Hence:

- a **criteria set** is frozen once any published group, of any period, uses it (a new decision
  is a new set);
- a **group of a period** (its criteria set, whether it is ranked, its grade bands) is frozen
  once that group is published. Each group has its own bands and its own publication decision,
  so the bands of a group not yet published may still change while another group of the same
  period is already public: they never touched a published figure;
- a **period's tie rule** is frozen once any of its groups is published (it ranks every group).

The admin (``core/admin.py``), the services (``decisions``, ``criteria``) and the period import
ask this module; on PostgreSQL the triggers of migration ``0009_freeze_triggers`` refuse the
same changes to the rows themselves. Every change of these rules before they freeze is written
to the audit trail by whoever makes it. Nothing here writes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.errors import WorkflowError
from parindex.core.models import CriteriaSet, GroupStage, Period, PeriodGroup

CRITERIA_SET_FROZEN = _(
    "Bộ tiêu chí này đã dùng cho kết quả đã công bố: thang điểm, mức trần điểm thưởng/điểm "
    "trừ và cây tiêu chí đã khóa. Muốn áp dụng quy tắc khác, hãy tạo bộ tiêu chí mới theo "
    "quyết định mới."
)
GROUP_FROZEN = _(
    "Khối đã công bố kết quả: bộ tiêu chí, việc xếp hạng và các mức xếp loại của khối trong kỳ "
    "này đã khóa; kết quả chỉ thay đổi bằng quyết định đính chính."
)
TIE_RULE_FROZEN = _(
    "Kỳ đánh giá đã có khối công bố kết quả: quy tắc xếp hạng khi bằng điểm đã khóa."
)


def _published_groups():
    return PeriodGroup.objects.filter(stage=GroupStage.PUBLISHED)


def criteria_set_frozen(criteria_set: CriteriaSet) -> bool:
    """Return True once a published group (of any period) uses ``criteria_set``."""
    return criteria_set.pk is not None and (
        _published_groups().filter(criteria_set_id=criteria_set.pk).exists()
    )


def frozen_group_ids(period: Period) -> set[int]:
    """Return the ids of the groups of ``period`` whose rules are frozen (the published ones)."""
    if period.pk is None:
        return set()
    return set(_published_groups().filter(period_id=period.pk).values_list("group_id", flat=True))


def group_frozen(period: Period, group_id: int | None) -> bool:
    """Return True once the group ``group_id`` of ``period`` is published."""
    return group_id is not None and group_id in frozen_group_ids(period)


def tie_rule_frozen(period: Period) -> bool:
    """Return True once any group of ``period`` is published."""
    return bool(frozen_group_ids(period))


def require_criteria_set_unfrozen(criteria_set: CriteriaSet) -> None:
    """Refuse (WorkflowError) any change to a criteria set used by published results."""
    if criteria_set_frozen(criteria_set):
        raise WorkflowError(CRITERIA_SET_FROZEN)


def require_group_unfrozen(period: Period, group_id: int) -> None:
    """Refuse any change to the criteria set, ranking or bands of a published group."""
    if group_frozen(period, group_id):
        raise WorkflowError(GROUP_FROZEN)


def require_tie_rule_unfrozen(period: Period) -> None:
    """Refuse a new tie rule once a group of ``period`` is published."""
    if tie_rule_frozen(period):
        raise WorkflowError(TIE_RULE_FROZEN)
