"""The snapshot of a group's results: rows of ``calculate_results`` stored as a result set.

A new version is written in bulk (``core.bulk``: COPY on PostgreSQL); a provisional set whose
units are the same is refreshed in place, writing only the rows whose values changed.
"""

from __future__ import annotations

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
# A provisional set is updated in place while at most this share of its rows changed, else
# rewritten (staging most rows to update them costs more than writing them anew).
REWRITE_SHARE = 0.25


def refresh_result_set(result_set: ResultSet, rows) -> bool:
    """Bring the stored rows of a provisional ``result_set`` to ``rows`` (from
    ``calculate_results``), writing only the unit and area rows whose values differ: a
    recomputation after a few changes (each result page for staff runs one) rewrites a few rows,
    not the whole group with its foreign-key checks.

    Return False, writing nothing, when the set does not hold the same units and areas as
    ``rows`` or when more than ``REWRITE_SHARE`` of its rows changed: the caller rewrites it.
    """
    stored = {
        row[1]: row
        for row in fetch(
            UnitResult.objects.filter(result_set=result_set).values_list("pk", *UNIT_FIELDS)
        )
    }
    if stored.keys() != {unit_row.unit_id for unit_row, _areas in rows}:
        return False
    ids = {unit_id: row[0] for unit_id, row in stored.items()}
    new_areas = dict(_area_values(rows, ids))
    area_changes, found = [], 0
    for pk, unit_row_id, area_id, points, maximum, index in fetch(
        _area_rows_of(ids.values()).values_list("pk", *AREA_FIELDS)
    ):
        computed = new_areas.get((unit_row_id, area_id))
        if computed is None:
            return False  # a stored area the computation no longer has
        found += 1
        if computed != (points, maximum, index):
            area_changes.append((pk, *computed))
    if found != len(new_areas):
        return False  # a computed area not stored yet
    unit_changes = [
        (ids[unit_row.unit_id], *unit_row)
        for unit_row, _areas in rows
        if stored[unit_row.unit_id][1:] != tuple(unit_row)
    ]
    if len(unit_changes) + len(area_changes) > REWRITE_SHARE * (len(stored) + found):
        return False
    update_rows(UnitResult, UNIT_FIELDS, unit_changes)
    update_rows(AreaResult, AREA_FIELDS[2:], area_changes)
    return True


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
        UnitResult, ("result_set", *UNIT_FIELDS), ((set_id, *unit_row) for unit_row, _a in rows)
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
