"""What every writing service shares: the assessment lock, status moves, and saving one leaf.

The one revision check (two people saving the same leaf) and the one way a score row is saved
with its history and audit entry live here; the self-assessment, appraisal, explanation and
correction services call them.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.bulk_sql import write_with_history
from parindex.core.errors import EditConflict, WorkflowError
from parindex.core.instances import Columns, column, columns_of, table
from parindex.core.kept_statements import fetch_one
from parindex.core.models import Assessment, ScoreEntry
from parindex.core.numbers import points_text
from parindex.core.services import audit


def lock_assessment(assessment: Assessment) -> Assessment:
    """Return ``assessment`` re-read with its row locked (select_for_update on PostgreSQL).

    It comes with its period, its unit and ``criteria_set_id`` (``require_leaf`` reads it), in
    one statement.
    """
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .with_criteria_set()
        .get(pk=assessment.pk)
    )


def set_status(assessment: Assessment, status, *, by, action: str, fields=()) -> Assessment:
    """Move a locked, checked assessment to ``status`` and record it (old → new)."""
    old = assessment.status
    assessment.status = status
    assessment.save(update_fields=["status", "updated_at", *fields])
    audit.record(
        action,
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=assessment,
        changes={"status": [old, status]},
    )
    return assessment


def lock_leaf(assessment: Assessment, criterion) -> ScoreEntry:
    """Return the score row of ``criterion`` and its assessment re-read, both locked.

    The lock guards what a save checks and changes: the assessment's row (status, deadline)
    and the leaf's row. A leaf saved before takes one statement, which locks the assessment
    first and then the row, the order of every other writer; PostgreSQL returns both as
    committed by whoever held them. What does not change under the lock (period, unit and the
    id of the criteria set, ``criteria_set_id``) is the caller's: ``get_assessment`` read them.

    A leaf never saved gets a new row in memory (revision 0), which ``save_entry`` inserts
    with its values: a refused or unchanged save writes nothing. Every writer of score rows
    holds the assessment's lock, so the row is read again once it is taken: someone may have
    created it just before.
    """
    entry = saved_row_locked(assessment.pk, criterion.pk)
    if entry is not None:
        locked = entry.assessment
        locked.period, locked.unit = assessment.period, assessment.unit
        locked.criteria_set_id = criteria_set_id(assessment)
    else:
        locked = lock_assessment(assessment)
        entry = (
            ScoreEntry.objects.select_for_update()
            .filter(assessment_id=locked.pk, criterion_id=criterion.pk)
            .first()
        ) or ScoreEntry()
        entry.assessment = locked
    entry.criterion = criterion  # the caller's instance: no query to read its code again
    return entry


def saved_row_locked(assessment_id: int, criterion_id: int) -> ScoreEntry | None:
    """Return the saved score row of a leaf with its assessment (``entry.assessment``), both
    locked, assessment first, in one statement; None for a leaf never saved.

    On PostgreSQL the statement is written out once per process, prepared once per connection
    (``core.kept_statements``) and its row made into the two instances by ``core.instances``:
    Django spent several times longer building the query than PostgreSQL running it, on every
    save of a deadline day.
    Elsewhere (SQLite locks the whole database) the ORM's query.
    """
    if connection.vendor != "postgresql":
        return (
            ScoreEntry.objects.select_for_update(of=("assessment", "self"))  # in this order
            .select_related("assessment")
            .filter(assessment_id=assessment_id, criterion_id=criterion_id)
            .first()
        )
    sql, entry_columns, assessment_columns = _saved_row_statement()
    row = fetch_one(
        connection.alias, "parindex_saved_row_locked", sql, [assessment_id, criterion_id]
    )
    if row is None:
        return None
    entry = entry_columns.instance(row)
    entry.assessment = assessment_columns.instance(row)
    return entry


@functools.cache
def _saved_row_statement() -> tuple[str, Columns, Columns]:
    entry_columns, assessment_columns = columns_of((ScoreEntry, "e"), (Assessment, "a"))
    assessment = column(ScoreEntry, "assessment")
    sql = (
        f"SELECT {', '.join(entry_columns.sql + assessment_columns.sql)} "
        f"FROM {table(ScoreEntry)} e JOIN {table(Assessment)} a "
        f"ON a.{column(Assessment, 'id')} = e.{assessment} "
        f"WHERE e.{assessment} = %s AND e.{column(ScoreEntry, 'criterion')} = %s "
        "FOR UPDATE OF a, e"
    )
    return sql, entry_columns, assessment_columns


def criteria_set_id(assessment: Assessment) -> int | None:
    """Return the id of the assessment's criteria set: annotated by ``get_assessment`` and
    ``lock_assessment`` (``with_criteria_set``), else read."""
    if hasattr(assessment, "criteria_set_id"):
        return assessment.criteria_set_id
    period_group = assessment.period_group
    return period_group.criteria_set_id if period_group else None


def check_revision(
    entry: ScoreEntry,
    revision: int,
    *,
    field: str,
    note_field: str | None,
    your_points: str = "",
    your_note: str = "",
) -> None:
    """Refuse with EditConflict if the leaf was saved since the form was loaded at ``revision``.

    ``field`` and ``note_field`` name what the person edits (the unit's points and note, the
    reviewer's, the survey points, the explanation); the conflict carries the stored values of
    those fields next to what was typed, and says who saved them.
    """
    if entry.revision == revision:
        return
    stored = getattr(entry, field)
    is_points = isinstance(ScoreEntry._meta.get_field(field), DecimalField)
    what = ScoreEntry._meta.get_field(field).verbose_name
    if is_points:
        what = f"{what} {points_text(stored, empty='—')}"
    raise EditConflict(
        _("%(author)s vừa lưu tiêu chí %(code)s (%(what)s). Giá trị của bạn chưa được lưu.")
        % {
            "author": entry.updated_by or _("Người khác"),
            "code": entry.criterion.code,
            "what": what,
        },
        entry=entry,
        your_points=your_points,
        your_note=your_note,
        their_points=stored if is_points else None,
        their_note=getattr(entry, note_field) if note_field else "",
    )


def diff(entry: ScoreEntry, **new) -> dict:
    """Return field → [old, new] of the values that change (JSON-ready, for the audit entry)."""
    return {
        field: [_jsonable(getattr(entry, field)), _jsonable(value)]
        for field, value in new.items()
        if getattr(entry, field) != value
    }


def _jsonable(value):
    # Points as they are typed back ("20", "12.5"), the stored old value and the new alike:
    # str() wrote the stored one with the column's scale, "20.0000" → "25".
    return points_text(value) if isinstance(value, Decimal) else value


def save_entry(entry: ScoreEntry, *, by, action: str, assessment, changes: dict) -> ScoreEntry:
    """Save a changed score row: next revision, who changed it, its history and audit entry.

    A leaf saved the first time is inserted through the ORM (django-simple-history writes its
    history row), then its audit entry; a row saved before is updated by
    ``_update_with_history``, with its audit entry in the same statement on PostgreSQL.
    """
    entry.revision += 1
    entry.updated_by = by
    audit_entry = {
        "actor": by,
        "period": assessment.period,
        "unit": assessment.unit,
        "obj": entry,
        "changes": {"criterion": entry.criterion.code, **changes},
    }
    if entry.pk is None:
        entry._history_user = by
        entry.save()
        audit.record(action, **audit_entry)
    else:
        _update_with_history(entry, by, audit.insert(action, **audit_entry))
    return entry


def _update_with_history(entry: ScoreEntry, by, audit_insert) -> None:
    """Write every field of a saved row, its history row ("~", ``by``) and ``audit_insert``, as
    ``entry.save()``, django-simple-history and ``audit.record`` would: one statement on
    PostgreSQL (``write_with_history``), not three plus the ORM's preparation of each, which
    cost most of a save on a deadline day."""
    statement, fields, written = _update_statement()
    values = [f.get_db_prep_save(f.pre_save(entry, False), connection) for f in fields]
    write_with_history(
        ScoreEntry,
        statement,
        [*values, entry.pk],
        written=written % int(entry.pk),
        when=timezone.now(),
        user_id=by.pk if by is not None else None,
        history_type="~",
        prepared=True,
        also=audit_insert,
    )


@functools.cache
def _update_statement() -> tuple[str, list, str]:
    """The UPDATE of every field of one score row by its id, its fields in order, and the
    condition (``% id``) that finds the row for ``write_with_history``: written once per
    process, as ``_saved_row_statement``."""
    quote = connection.ops.quote_name
    meta = ScoreEntry._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk = quote(meta.pk.column)
    statement = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk} = %s"
    return statement, fields, f"e.{pk} = %d"


def require_leaf(assessment: Assessment, criterion, methods, message) -> None:
    """Refuse ``criterion`` unless it is a leaf of one of ``methods`` in the assessment's set.

    ``assessment`` comes from ``lock_assessment`` or ``lock_leaf``, with the id of its set.
    """
    if criterion.criteria_set_id != criteria_set_id(assessment) or criterion.method not in methods:
        raise WorkflowError(message)
