"""Writing the score rows of a whole period at once, for the demo and the synthetic periods.

About 100 rows per unit and year: the ORM's ``bulk_create_with_history`` spends most of a load
building and preparing one instance per row, field by field (some 40 seconds for 3,000 units);
plain tuples written in bulk and one INSERT … SELECT for the history take a small part of that.
Every score row gets its "created" history row, as rows written through the ORM do.
"""

from __future__ import annotations

from django.db import connection

from parindex.core.bulk import copy_history, insert_rows
from parindex.core.models import Assessment, Period, ScoreEntry
from parindex.core.services.import_writes import STAGED

# The columns ``insert_scores`` writes, in the order of the tuples it is given: a score row's
# key and values as an import stages them, then what an import leaves to the model defaults.
SCORE_FIELDS = (
    *STAGED[1:],
    "self_note",
    "appraisal_note",
    "explanation",
    "revision",
    "updated_at",
    "updated_by",
)


def new_score_row(staged: tuple, now, *, appraisal_note="") -> tuple:
    """Return the ``SCORE_FIELDS`` tuple of a new row from its ``STAGED`` values (assessment id,
    leaf id, self, appraised and survey points, not applicable), saved ``now`` by nobody: revision
    0, no note of the unit, no explanation."""
    return (*staged, "", appraisal_note, "", 0, now, None)


def score_row(
    assessment_id,
    criterion_id,
    now,
    *,
    self_points=None,
    appraised_points=None,
    survey_points=None,
    appraisal_note="",
) -> tuple:
    """Return the ``SCORE_FIELDS`` tuple of one applicable leaf of an assessment, new."""
    staged = (assessment_id, criterion_id, self_points, appraised_points, survey_points, False)
    return new_score_row(staged, now, appraisal_note=appraisal_note)


def insert_scores(rows: list[tuple], period: Period, now) -> None:
    """Insert the score rows (tuples in ``SCORE_FIELDS`` order) of ``period``, whose every
    score row is new, and their history rows dated ``now``."""
    insert_rows(ScoreEntry, SCORE_FIELDS, rows)
    quote = connection.ops.quote_name
    assessments = Assessment._meta
    copy_history(
        ScoreEntry,
        f"e.{quote(ScoreEntry._meta.get_field('assessment').column)} IN ("
        f"SELECT {quote(assessments.pk.column)} FROM {quote(assessments.db_table)} "
        f"WHERE {quote(assessments.get_field('period').column)} = %s)",
        [period.pk],
        when=now,
    )
