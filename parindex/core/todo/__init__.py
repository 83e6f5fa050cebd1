"""The to-do list ("Việc cần làm"): what waits for each person now, where, and how many.

Read-only. Each role gets its own list (``todo_for``): a unit's officer the leaves still empty,
the leaves to explain and the days to its deadline; the unit head also what to submit and send
(``unit``); a reviewer the units waiting for appraisal, an approver the decisions waiting for
them (``review``); an administrator the jobs that need a look. A leader's work is the dashboard
(``shows_dashboard``). Every count is an SQL count or aggregate, in a number of queries that does
not grow with the number of units; the page only shows the items.
"""

from __future__ import annotations

from parindex.core.models import Role
from parindex.core.permissions import can_import
from parindex.core.todo.items import Item, Todo, days_text
from parindex.core.todo.review import approver_items, reviewer_items
from parindex.core.todo.scope import current_period, review_scope
from parindex.core.todo.unit import admin_todo, unit_todo

__all__ = ["Item", "Todo", "days_text", "review_scope", "shows_dashboard", "todo_for"]


def shows_dashboard(user) -> bool:
    """Return True for leaders: their work is the dashboard of the current period."""
    return user.is_authenticated and user.role == Role.LEADER and not user.is_superuser


def todo_for(user) -> Todo:
    """Return the to-do list of ``user`` (a leader's is the dashboard: ``shows_dashboard``)."""
    if not user.is_authenticated:
        return Todo(period=None)
    if user.role in (Role.OFFICER, Role.UNIT_HEAD) and user.unit_id:
        return unit_todo(user)
    if can_import(user):
        return admin_todo(user)
    if user.role in (Role.REVIEWER, Role.APPROVER):
        period = current_period()
        if period is None:
            return Todo(period=None)
        build = approver_items if user.role == Role.APPROVER else reviewer_items
        return Todo(period=period, items=tuple(build(user, period)))
    return Todo(period=None)
