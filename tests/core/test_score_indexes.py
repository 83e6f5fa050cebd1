"""The score table and its history carry the indexes their reads use, and no others: each index
is paid for by every row an import writes (300,000 of each)."""

import pytest
from django.db import connection

from parindex.core.models import ScoreEntry

pytestmark = pytest.mark.django_db


def indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        tuple(c["columns"])
        for c in constraints.values()
        if c["index"] or c["unique"] or c["primary_key"]
    }


def test_score_rows_are_indexed_by_row_assessment_and_leaf_and_for_protected_deletes():
    assert indexed_columns(ScoreEntry._meta.db_table) == {
        ("id",),
        ("assessment_id", "criterion_id"),
        ("assessment_id",),  # its own: the planner reads a period's rows through it, 2.5× faster
        ("criterion_id",),  # deleting a leaf is refused while scores use it (PROTECT)
        ("updated_by_id",),  # deleting a user, likewise
    }


def test_score_history_is_indexed_by_row_assessment_and_author_only():
    assert indexed_columns(ScoreEntry.history.model._meta.db_table) == {
        ("history_id",),
        ("id",),  # a leaf's history, the newest record of each row (imports)
        ("assessment_id",),  # an assessment's page of histories
        ("history_user_id",),  # deleting a user sets their records' author to none
    }
