"""One leaf of one unit's assessment, found by the codes of a URL, in one statement.

A save on a deadline day first finds the assessment (with its period and unit) and the leaf in
the criteria set the unit's group uses in the period. Through the ORM that was two queries whose
building cost the web server more than a third of the save's time; here it is one statement,
written once per process from the models' fields, prepared once per connection
(``core.kept_statements``), its row made model instances as the ORM makes them
(``core.instances``).

Whether the person may see the assessment is not decided here: ``web.views.access`` asks
``permissions.can_view_assessment``, the predicate twin of ``visible_to``.
"""

from __future__ import annotations

import functools

from django.db import connections, router

from parindex.core.instances import column, columns_of, table
from parindex.core.kept_statements import fetch_one
from parindex.core.models import Assessment, Criterion, Period, PeriodGroup, Unit

MODELS = (Assessment, Period, Unit, Criterion)


def find_leaf(year: int, unit_code: str, code: str) -> tuple[Assessment | None, Criterion | None]:
    """Return the assessment of ``unit_code`` in ``year`` (with its period and unit) and its leaf
    ``code`` (None when the set of the unit's group has no such criterion); (None, None) when
    there is no such assessment. Any criterion of that code is returned, leaf or not: the
    services refuse what is not a leaf of their method. Read where the routers send reads of
    assessments (the primary for a signed-in person, with a read replica)."""
    db = router.db_for_read(Assessment)
    statement, layout = _statement(connections[db].vendor)
    row = fetch_one(db, "parindex_find_leaf", statement, [code, year, unit_code])
    if row is None:
        return None, None
    assessment, period, unit, leaf = (columns.instance(row, db) for columns in layout)
    assessment.period, assessment.unit = period, unit
    if leaf.pk is None:  # no criterion of that code in the set (the LEFT JOIN gave NULLs)
        return assessment, None
    assessment.criteria_set_id = leaf.criteria_set_id
    return assessment, leaf


@functools.cache
def _statement(vendor: str):
    """The SELECT of the four models' columns and their ``Columns``, per database kind (as
    Django's own converters are)."""
    layout = columns_of(*zip(MODELS, ("a", "p", "u", "c"), strict=True))
    statement = (
        f"SELECT {', '.join(c for columns in layout for c in columns.sql)} "
        f"FROM {table(Assessment)} a "
        f"JOIN {table(Period)} p ON p.{column(Period, 'id')} = a.{column(Assessment, 'period')} "
        f"JOIN {table(Unit)} u ON u.{column(Unit, 'id')} = a.{column(Assessment, 'unit')} "
        f"LEFT JOIN {table(PeriodGroup)} pg ON pg.{column(PeriodGroup, 'period')} = "
        f"a.{column(Assessment, 'period')} AND pg.{column(PeriodGroup, 'group')} = "
        f"u.{column(Unit, 'group')} "
        f"LEFT JOIN {table(Criterion)} c ON c.{column(Criterion, 'criteria_set')} = "
        f"pg.{column(PeriodGroup, 'criteria_set')} AND c.{column(Criterion, 'code')} = %s "
        f"WHERE p.{column(Period, 'year')} = %s AND u.{column(Unit, 'code')} = %s"
    )
    return statement, layout
