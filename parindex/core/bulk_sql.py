"""Set-based writes beside ``bulk.py``: rows staged in a temporary table, and a write whose
history rows come from the same statement.

``bulk.insert_rows`` writes rows straight into a model's table. An import that changes 300,000
score rows first needs them next to the stored ones — new values keyed by row id, new rows keyed
by (assessment, leaf) — and then a few statements over all of them: INSERT … SELECT,
UPDATE … FROM, and one history row per written row.

- ``temporary_table`` creates a temporary table with columns typed like model fields, fills it
  (``bulk.copy_into`` on PostgreSQL, ``bulk.insert_into`` elsewhere), yields its quoted name
  and drops it. It belongs to the transaction: a rollback (a refused import, a rolled-back
  preview) takes it away with everything else, and a leftover of the same name is dropped first.
- ``fetch`` reads the rows of a ``values_list`` query straight from the driver on PostgreSQL.
- ``insert_one`` writes one row with a statement kept per process and prepared per connection,
  for rows written on every request of a deadline day (``insert_parts`` gives the INSERT to a
  caller that runs it inside a statement of its own).
- ``write_with_history`` runs an INSERT or UPDATE of a model with django-simple-history and
  writes the history row of every row it wrote, holding the row's new values, as
  ``bulk.copy_history`` does. On PostgreSQL the history comes from the statement's own RETURNING
  (one statement, no join back to the rows); elsewhere the caller's condition finds the rows.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from hashlib import blake2b

from django.db import connection

from parindex.core.bulk import (
    copy_history,
    copy_into,
    history_columns,
    history_table,
    history_values,
    insert_into,
)
from parindex.core.kept_statements import execute, fetch_one


def fetch(queryset):
    """Yield the rows of a ``values_list`` query of numbers, ids and texts.

    On PostgreSQL straight from the driver, whose numeric values are ``Decimal`` already: the
    ORM would call a converter per value, most of the time reading 80,000 summed rows takes.
    SQLite returns sums as floats, which the ORM's converters make exact ``Decimal`` again.
    """
    if connection.vendor != "postgresql":
        yield from queryset
        return
    with connection.cursor() as cursor:
        cursor.execute(*queryset.query.sql_with_params())
        # All at once, in the driver's C: iterating Django's cursor wrapper is a Python
        # generator step per row.
        yield from cursor.fetchall()


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
        copy_into(table, names, rows)
    else:
        insert_into(table, names, list(rows))
    yield table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")


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
    prepared: bool = False,
    also: tuple[str, list] | None = None,
) -> None:
    """Run ``statement`` (an INSERT … SELECT or UPDATE … FROM of ``model``'s table, without
    RETURNING) and write one history row (``history_type``, ``when``, user, reason) per row it
    wrote, with the row's values after the statement.

    ``written`` is a condition on the table aliased ``e`` that finds exactly the rows the
    statement wrote, for databases whose WITH cannot hold an INSERT or UPDATE. With
    ``prepared`` (a statement run on every request, its text the same each time) PostgreSQL
    keeps its plan (``kept_statements``). ``also`` is one more INSERT (statement, parameters)
    run with them: on PostgreSQL in the same statement (the audit entry of a save), elsewhere
    after them.
    """
    history = {"when": when, "user_id": user_id, "reason": reason, "history_type": history_type}
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
        copy_history(model, written, [], **history)
        if also is not None:
            with connection.cursor() as cursor:
                cursor.execute(*also)
        return
    also_sql, also_params = also if also is not None else ("", [])
    sql, name, fixed = _with_history(model, statement, also_sql)
    params = [*params, *also_params, *history_values(fixed, **history)]
    if prepared:
        execute(connection.alias, name, sql, params)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@functools.lru_cache(maxsize=64)
def _with_history(model, statement: str, also_sql: str):
    """The PostgreSQL statement of ``write_with_history`` (a save runs the same one every time:
    written and named once), the name it is prepared under, and the fixed history fields."""
    quote = connection.ops.quote_name
    targets, returned, fixed = history_columns(model)
    table = quote(model._meta.db_table)
    columns = targets + [quote(f.column) for f in fixed]
    sql = (
        f"WITH e AS ({statement} RETURNING {', '.join(f'{table}.{c}' for c in returned)}) "
        + (f", a AS ({also_sql}) " if also_sql else "")
        + f"INSERT INTO {history_table(model)} ({', '.join(columns)}) "
        f"SELECT {', '.join('e.' + c for c in returned)}, "
        f"{', '.join(['%s'] * len(fixed))} FROM e"
    )
    return sql, f"parindex_history_{blake2b(sql.encode(), digest_size=6).hexdigest()}", fixed


def update_rows(model, fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """Set ``fields`` of the rows of ``model`` named by ``rows`` (tuples: the row's id, then
    the values in ``fields`` order): staged in a temporary table, then one UPDATE … FROM.
    Return the count."""
    if not rows:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [("id", meta.pk)] + [
        (meta.get_field(name).column, meta.get_field(name)) for name in fields
    ]
    table = quote(meta.db_table)
    with temporary_table(f"update_{meta.db_table}", columns, rows) as staged:
        values = ", ".join(f"{quote(c)} = {staged}.{quote(c)}" for c, _field in columns[1:])
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {values} FROM {staged} "
                f"WHERE {table}.{quote(meta.pk.column)} = {staged}.{quote('id')}"
            )
    return len(rows)


def insert_one(model, values: dict):
    """INSERT one row of ``model`` (field name → value, as ``model(**values)`` takes them, a
    related object or None for a foreign key) and return its primary key.

    The statement is written once per process and set of fields, and prepared once per
    connection (``kept_statements``): a few rows are written on every save of a deadline day
    (the audit entry), and the ORM's ``create`` spent several times longer building its INSERT
    than the database took to run it. Values are prepared as the ORM prepares them
    (``get_db_prep_save``: JSON, SQLite's datetimes).
    """
    statement, params, name = insert_parts(model, values, returning=True)
    if connection.features.can_return_columns_from_insert:
        return fetch_one(connection.alias, name, statement, params)[0]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)


def insert_parts(model, values: dict, *, returning: bool = False) -> tuple[str, list, str]:
    """Return ``insert_one``'s INSERT of ``values`` (RETURNING the new id with ``returning``
    where the database can), its parameters and the name it is prepared under: for a caller
    that runs it inside a statement of its own (``write_with_history``'s ``also``)."""
    statement, fields, name = _insert_statement(model, tuple(values), connection.vendor, returning)
    params = []
    for field, value in zip(fields, values.values(), strict=True):
        if field.is_relation and value is not None:
            value = value.pk
        params.append(field.get_db_prep_save(value, connection))
    return statement, params, name


@functools.cache
def _insert_statement(model, names: tuple[str, ...], vendor: str, returning: bool):
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning and connection.features.can_return_columns_from_insert:
        statement += f" RETURNING {quote(meta.pk.column)}"
    # The name of the prepared statement (``kept_statements``): the table and the field set's.
    fingerprint = blake2b(statement.encode(), digest_size=4).hexdigest()
    name = f"parindex_insert_{meta.db_table}_{fingerprint}"
    return statement, fields, name
