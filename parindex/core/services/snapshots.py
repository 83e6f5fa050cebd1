"""The snapshot of a group's results: rows of ``calculate_results`` stored as a result set.

A new version is written in bulk (``core.bulk``: COPY on PostgreSQL); a provisional set whose
units are the same is refreshed in place, writing only the rows whose values changed.
"""

from __future__ import annotations

from hashlib import blake2b

from django.db.models import Max

from parindex.core import clock
from parindex.core.bulk import insert_rows
from parindex.core.bulk_sql import fetch, update_rows
from parindex.core.calculation import UNIT_FIELDS
from parindex.core.models import AreaResult, Period, ResultSet, UnitResult


def store_results(period: Period, group_ids, rows, *, by, audit_mark) -> list[ResultSet]:
    """Store ``rows`` as the provisional results of the groups ``group_ids``: a group's current
    provisional set is refreshed in place when it can be (``refresh_result_set``), else replaced
    by a new one; return the groups' sets in ``group_ids`` order."""
    by_group = {group_id: [] for group_id in group_ids}
    for row in rows:
        by_group[row[0].group_id].append(row)
    provisional = ResultSet.objects.filter(
        period=period, group_id__in=group_ids, is_current=True, published=False
    )
    written, replaced = {}, []
    for result_set in provisional:
        if refresh_result_set(result_set, by_group[result_set.group_id]):
            result_set.computed_at = clock.now()
            result_set.computed_by = by
            result_set.audit_mark = audit_mark
            result_set.save(update_fields=["computed_at", "computed_by", "audit_mark"])
            written[result_set.group_id] = result_set
        else:
            replaced.append(result_set.pk)
    _delete_sets(replaced)
    for group_id in group_ids:
        if group_id not in written:
            written[group_id] = write_result_set(
                period, group_id, by_group[group_id], by=by, audit_mark=audit_mark
            )
    return [written[group_id] for group_id in group_ids]


def _delete_sets(set_ids) -> None:
    """Delete the provisional result sets ``set_ids``, rows and all.

    The area and unit rows first, one DELETE per table (the ORM's cascade would read every unit
    row into a model instance), then the sets through the ORM, which cascades as usual.
    """
    if not set_ids:
        return
    unit_rows = UnitResult.objects.filter(result_set_id__in=set_ids)
    unit_row_ids = list(unit_rows.values_list("pk", flat=True))
    for rows in (_area_rows_of(unit_row_ids), unit_rows):
        rows._raw_delete(rows.db)  # nothing but area rows refers to a unit row
    ResultSet.objects.filter(pk__in=set_ids).delete()


def _area_rows_of(unit_row_ids):
    """Return the area rows of the unit rows ``unit_row_ids``, found through their index.

    By the ids, not by a join on the set: the join made PostgreSQL scan every area row of every
    period. The ids' bounds as well: without statistics (a table just written, autovacuum not
    yet by), PostgreSQL guessed that a list of 1,000 ids matched every row and scanned them all
    (55 ms, against 5 ms through the index, for a 1,000-unit group among 300,000 area rows).
    """
    unit_row_ids = list(unit_row_ids)
    if not unit_row_ids:
        return AreaResult.objects.none()
    return AreaResult.objects.filter(
        unit_result_id__in=unit_row_ids,
        unit_result_id__gte=min(unit_row_ids),
        unit_result_id__lte=max(unit_row_ids),
    )


AREA_FIELDS = ("unit_result", "area", "points", "max_points", "index")
# The unit row's fields as stored: the computed values, then the fingerprint of its areas.
STORED_UNIT_FIELDS = (*UNIT_FIELDS, "areas_digest")
# A provisional set is updated in place while at most this share of its rows changed, else
# rewritten (staging most rows to update them costs more than writing them anew).
REWRITE_SHARE = 0.25


def areas_digest(areas) -> int:
    """Return a fingerprint of one unit's computed area scores (a signed 64-bit integer).

    Stored with the unit row, it lets a recomputation skip reading back the area rows of every
    unit whose scores did not change (most of them, most of the time). BLAKE2 of the values'
    text: the same in every process and Python version, unlike ``hash`` of a tuple holding None.
    A fingerprint that differs only costs a read of that unit's area rows. The price: an area
    row changed in the database behind the application's back (provisional rows have no freeze
    trigger) is put right only when its unit's scores change or the set is written anew.
    """
    text = ";".join([",".join(map(str, area)) for area in areas])  # "key,points,max,index;…"
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def refresh_result_set(result_set: ResultSet, rows) -> bool:
    """Bring the stored rows of a provisional ``result_set`` to ``rows`` (from
    ``calculate_results``), writing only the unit and area rows whose values differ: a
    recomputation after a few changes (each result page for staff runs one) rewrites a few rows,
    not the whole group with its foreign-key checks.

    The unit rows are read back; the area rows only of the units whose fingerprint
    (``areas_digest``) differs from the computed one.

    Return False, writing nothing, when the set does not hold the same units and areas as
    ``rows`` or when more than ``REWRITE_SHARE`` of its rows changed: the caller rewrites it.
    """
    stored = {
        row[1]: row
        for row in fetch(
            UnitResult.objects.filter(result_set=result_set).values_list("pk", *STORED_UNIT_FIELDS)
        )
    }
    if stored.keys() != {unit_row.unit_id for unit_row, _areas in rows}:
        return False
    unit_changes, changed, area_count = [], [], 0
    for unit_row, areas in rows:
        row = stored[unit_row.unit_id]
        digest = areas_digest(areas)
        area_count += len(areas)
        if row[-1] != digest:
            changed.append((unit_row, areas))
        if row[-1] != digest or row[1:-1] != tuple(unit_row):
            unit_changes.append((row[0], *unit_row, digest))
    area_changes = _area_changes(changed, stored)
    if area_changes is None:
        return False
    if len(unit_changes) + len(area_changes) > REWRITE_SHARE * (len(stored) + area_count):
        return False
    update_rows(UnitResult, STORED_UNIT_FIELDS, unit_changes)
    update_rows(AreaResult, AREA_FIELDS[2:], area_changes)
    return True


def _area_changes(rows, stored: dict) -> list[tuple] | None:
    """Return the (area row id, points, maximum, index) of the stored area rows of ``rows``
    whose values differ from the computed ones, or None when the stored and computed areas of
    those units are not the same areas. ``stored`` maps a unit id to its stored unit row."""
    if not rows:
        return []
    ids = {unit_row.unit_id: stored[unit_row.unit_id][0] for unit_row, _areas in rows}
    new_areas = dict(_area_values(rows, ids))
    changes, found = [], 0
    for pk, unit_row_id, area_id, points, maximum, index in fetch(
        _area_rows_of(ids.values()).values_list("pk", *AREA_FIELDS)
    ):
        computed = new_areas.get((unit_row_id, area_id))
        if computed is None:
            return None  # a stored area the computation no longer has
        found += 1
        if computed != (points, maximum, index):
            changes.append((pk, *computed))
    if found != len(new_areas):
        return None  # a computed area not stored yet
    return changes


def write_result_set(period: Period, group_id: int, rows, *, by, **fields) -> ResultSet:
    """Store ``rows`` (from ``calculate_results``) as the new current result set (the next
    version) of one group: the unit rows in bulk (``core.bulk``), their ids read back in one
    query, then the area rows."""
    ResultSet.objects.filter(period=period, group_id=group_id, is_current=True).update(
        is_current=False
    )
    last = ResultSet.objects.filter(period=period, group_id=group_id).aggregate(v=Max("version"))
    version = (last["v"] or 0) + 1
    result_set = ResultSet.objects.create(
        period=period,
        group_id=group_id,
        version=version,
        computed_at=clock.now(),
        computed_by=by,
        **fields,
    )
    set_id = result_set.pk
    # Generators: COPY writes each tuple as it comes, none of them outlives its line.
    insert_rows(
        UnitResult,
        ("result_set", *STORED_UNIT_FIELDS),
        ((set_id, *unit_row, areas_digest(areas)) for unit_row, areas in rows),
    )
    ids = dict(UnitResult.objects.filter(result_set=result_set).values_list("unit_id", "pk"))
    insert_rows(AreaResult, AREA_FIELDS, (key + values for key, values in _area_values(rows, ids)))
    return result_set


def _area_values(rows, ids: dict):
    """Yield each area row of ``rows`` as ((unit row id, area id), (points, maximum, index)),
    the unit row's id from ``ids`` (unit id → unit row id): ``AREA_FIELDS`` split in two."""
    for unit_row, areas in rows:
        unit_row_id = ids[unit_row.unit_id]
        for a in areas:
            yield (unit_row_id, a.key), (a.points, a.max_points, a.index)
