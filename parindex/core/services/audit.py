"""Writing the audit trail; every service calls ``record`` inside its transaction.

Audit rows are only ever inserted: ``AuditEntry`` refuses updates and deletes, and so do the
PostgreSQL triggers. ``record_many`` inserts many rows at once with what ``record`` writes.
"""

from __future__ import annotations

from parindex.core import clock
from parindex.core.bulk import insert_rows
from parindex.core.bulk_sql import insert_one, insert_parts
from parindex.core.models import AuditEntry

RELATED = ("actor", "period", "unit")


def record(action, *, actor=None, period=None, unit=None, obj=None, changes=None, message=""):
    """Write one audit entry (``action`` is ``noun.past_tense``, e.g. ``results.published``)
    and return its id.

    One INSERT written once per process (``bulk_sql.insert_one``): every save of a leaf writes
    an entry, and the ORM's ``create`` cost more than the save's own UPDATE.
    """
    return insert_one(
        AuditEntry, _values(action, clock.now(), actor, period, unit, obj, changes, message)
    )


def insert(action, *, actor=None, period=None, unit=None, obj=None, changes=None, message=""):
    """Return the INSERT of the entry ``record`` writes and its parameters, for a caller that
    runs it inside its own statement (a save of a leaf: with the row's UPDATE)."""
    statement, params, _name = insert_parts(
        AuditEntry, _values(action, clock.now(), actor, period, unit, obj, changes, message)
    )
    return statement, params


def record_many(action, entries, *, actor=None, period=None) -> int:
    """Write one audit entry of ``action`` per item of ``entries`` in one go; return how many.

    An item is a dict of ``record``'s ``unit``, ``obj``, ``changes`` and ``message``; each row
    holds what ``record`` would write for it, all with the same time.
    """
    now = clock.now()
    rows = [
        _values(
            action,
            now,
            actor,
            period,
            entry.get("unit"),
            entry.get("obj"),
            entry.get("changes"),
            entry.get("message", ""),
        )
        for entry in entries
    ]
    if not rows:
        return 0
    fields = list(rows[0])
    return insert_rows(
        AuditEntry,
        fields,
        (
            tuple(getattr(v, "pk", None) if f in RELATED else v for f, v in row.items())
            for row in rows
        ),
    )


def _values(action, at, actor, period, unit, obj, changes, message) -> dict:
    """Return an audit row's field values: an anonymous actor is none, the object is named by
    its model label and primary key."""
    return {
        "created_at": at,
        "actor": actor if actor is not None and actor.is_authenticated else None,
        "action": action,
        "period": period,
        "unit": unit,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "changes": changes or {},
        "message": str(message),
    }
