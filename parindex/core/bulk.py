"""Writing many rows at once: plain tuples, COPY on PostgreSQL, multi-row INSERT elsewhere.

The ORM's ``bulk_create`` builds and prepares one model instance per row, field by field; for the
hundreds of thousands of score, history and snapshot rows an import or a computation writes that
preparation costs far more than the database's own work. Here rows are tuples in the order of the
named fields, written with COPY (PostgreSQL) or INSERTs of up to 1,000 rows (others). Column names
come from the models' metadata, so a renamed field fails loudly, not silently.

The caller gives values the database accepts as they are: ids for foreign keys, ``Decimal`` for
points, aware datetimes, ``dict``/``list`` for JSON fields. Fields not named take their model
default (``auto_now`` fields: now), as ``Model.save`` would give them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

INSERT_BATCH = 1000  # rows per INSERT statement at most


def insert_rows(model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in ``fields`` order) into ``model``'s table; return the count."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    defaults = _defaults(meta, model_fields)
    if defaults:
        model_fields += list(defaults)
        extra = tuple(defaults.values())
        rows = (tuple(row) + extra for row in _checked(rows, len(fields)))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    table = connection.ops.quote_name(meta.db_table)
    json_columns = [f.get_internal_type() == "JSONField" for f in model_fields]
    if connection.vendor == "postgresql":
        return _copy(table, columns, json_columns, rows)
    rows = [
        tuple(
            json.dumps(v) if is_json and v is not None else v
            for v, is_json in zip(row, json_columns, strict=True)
        )
        for row in rows
    ]
    if not rows:
        return 0
    batch = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(model_fields, rows)))
    placeholders = f"({', '.join(['%s'] * len(model_fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}",
                [value for row in chunk for value in row],
            )
    return len(rows)


def _defaults(meta, named) -> dict:
    """Return field → value for the columns not named: the model default, or now for
    ``auto_now`` fields, as ``Model.save`` would fill them."""
    defaults = {}
    for field in meta.concrete_fields:
        if field.primary_key or field in named:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field] = timezone.now()
        else:
            defaults[field] = field.get_default()  # "" for text, None for nullable fields
    return defaults


def _checked(rows: Iterable[tuple], length: int):
    for row in rows:
        if len(row) != length:
            raise ValueError(f"a row has {len(row)} values for {length} fields")
        yield row


def _copy(table: str, columns: str, json_columns: list[bool], rows: Iterable[tuple]) -> int:
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write(
            "\t".join(_copy_text(v, is_json) for v, is_json in zip(row, json_columns, strict=True))
            + "\n"
        )
        count += 1
    if count:
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    return count


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value, is_json: bool = False) -> str:
    """Return ``value`` in COPY's text format (``\\N`` for NULL, backslash escapes)."""
    if value is None:
        return "\\N"
    if is_json:
        return json.dumps(value).translate(_ESCAPES)
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def copy_history(
    model, where: str, params: Sequence, *, when, user_id=None, reason=None, history_type: str = "+"
) -> None:
    """Write one history row (django-simple-history) per row of ``model`` matching ``where``.

    ``where`` is an SQL condition on the model's table, aliased ``e``; the history rows copy the
    current values, as the ORM's ``bulk_create_with_history`` would, in one INSERT … SELECT.
    """
    quote = connection.ops.quote_name
    meta = model._meta
    history = model.history.model._meta
    fixed = {
        "history_date": "%s",
        "history_change_reason": "%s",
        "history_type": "%s",
        "history_user": "%s",
    }
    targets, sources = [], []
    for field in history.concrete_fields:
        if field.primary_key:
            continue
        targets.append(quote(field.column))
        sources.append(fixed.get(field.name) or "e." + quote(meta.get_field(field.name).column))
    values = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": user_id,
    }
    fixed_params = [values[f.name] for f in history.concrete_fields if f.name in fixed]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(sources)} FROM {quote(meta.db_table)} e WHERE {where}",
            [*fixed_params, *params],
        )
