"""Set-based writes beside ``bulk.py``: rows staged in a temporary table, and a write whose
history rows come from the same statement.

``bulk.insert_rows`` writes rows straight into a model's table. An import that changes 300,000
score rows first needs them next to the stored ones — new values keyed by row id, new rows keyed
by (assessment, leaf) — and then a few statements over all of them: INSERT … SELECT,
UPDATE … FROM, and one history row per written row.

- ``temporary_table`` creates a temporary table with columns typed like model fields, fills it
  (COPY on PostgreSQL, multi-row INSERT elsewhere, like ``insert_rows``), yields its quoted
  name and drops it. It belongs to the transaction: a rollback (a refused import, a rolled-back
  preview) takes it away with everything else, and a leftover of the same name is dropped first.
- ``write_with_history`` runs an INSERT or UPDATE of a model with django-simple-history and
  writes the history row of every row it wrote, holding the row's new values, as
  ``bulk.copy_history`` does. On PostgreSQL the history comes from the statement's own RETURNING
  (one statement, no join back to the rows); elsewhere the caller's condition finds the rows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection

from parindex.core.bulk import copy_history

HISTORY_FIXED = ("history_date", "history_change_reason", "history_type", "history_user")


@contextmanager
def temporary_table(name: str, columns: Sequence[tuple[str, object]], rows: Iterable[tuple]):
    """Create temporary table ``name`` with ``columns`` ((column name, model field) pairs, the
    column typed as the field), fill it with ``rows`` (tuples in that order, of None, booleans,
    numbers and text), yield its quoted name, and drop it when the block ends without an error.
    """
    quote = connection.ops.quote_name
    table = quote(name)
    names = [quote(column) for column, _field in columns]
    definition = ", ".join(
        f"{column} {field.rel_db_type(connection)}"
        for column, (_name, field) in zip(names, columns, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition})")
    if connection.vendor == "postgresql":
        _copy(table, names, rows)
    else:
        _insert(table, names, list(rows))
    yield table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy(table: str, names: list[str], rows: Iterable[tuple]) -> None:
    """COPY ``rows`` into ``table``. Values are written inline, without a function call each
    (``bulk._copy_text`` is the general form): for 300,000 rows of 7 values that halves the
    time spent in Python."""
    text = "".join(
        "\t".join(
            [
                "\\N"
                if v is None
                else "t"
                if v is True
                else "f"
                if v is False
                else v.translate(_ESCAPES)
                if v.__class__ is str
                else str(v)
                for v in row
            ]
        )
        + "\n"
        for row in rows
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(names)}) FROM STDIN", io.StringIO(text))


def _insert(table: str, names: list[str], rows: list[tuple]) -> None:
    batch = max(1, connection.features.max_query_params // len(names))
    placeholders = f"({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES {', '.join([placeholders] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def write_with_history(
    model,
    statement: str,
    params: Sequence,
    *,
    written: str,
    when,
    user_id=None,
    reason=None,
    history_type: str,
) -> None:
    """Run ``statement`` (an INSERT … SELECT or UPDATE … FROM of ``model``'s table, without
    RETURNING) and write one history row (``history_type``, ``when``, user, reason) per row it
    wrote, with the row's values after the statement.

    ``written`` is a condition on the table aliased ``e`` that finds exactly the rows the
    statement wrote, for databases whose WITH cannot hold an INSERT or UPDATE.
    """
    history = {"when": when, "user_id": user_id, "reason": reason, "history_type": history_type}
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
        copy_history(model, written, [], **history)
        return
    quote = connection.ops.quote_name
    meta, history_meta = model._meta, model.history.model._meta
    table = quote(meta.db_table)
    targets, returned = [], []
    for field in history_meta.concrete_fields:
        if field.primary_key or field.name in HISTORY_FIXED:
            continue
        targets.append(quote(field.column))
        returned.append(quote(meta.get_field(field.name).column))
    fixed = [f for f in history_meta.concrete_fields if f.name in HISTORY_FIXED]
    values = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": user_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH e AS ({statement} RETURNING {', '.join(f'{table}.{c}' for c in returned)}) "
            f"INSERT INTO {quote(history_meta.db_table)} "
            f"({', '.join(targets + [quote(f.column) for f in fixed])}) "
            f"SELECT {', '.join('e.' + c for c in returned)}, "
            f"{', '.join(['%s'] * len(fixed))} FROM e",
            [*params, *(values[f.name] for f in fixed)],
        )
