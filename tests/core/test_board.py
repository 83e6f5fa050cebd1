"""The Sở Nội vụ progress board (core/board.py): counts per group and shown status, overdue
units, the work of each reviewer, and the queue filter that lists what a count counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core import clock
from parindex.core.board import progress_board, shown_as, status_counts
from parindex.core.models import Assessment
from parindex.core.services.appraisal import appraise_leaf
from parindex.core.workflow import status_shown
from tests.builders import leaf_of, make_user, open_period
from tests.todo_builders import deadline_passed, unit_at

pytestmark = pytest.mark.django_db

KEYS = ("draft", "submitted", "appraising", "returned", "explained", "appraised", "late")


STEPS = ("submitted", "submitted", "appraising", "returned", "explained", "appraised")


def build(units_per_step=1, year=2023):
    """Two groups; SO has a unit at every step, one late and one extended; QH one submitted
    and one late (each ``units_per_step`` times). The period's deadline passed two days ago."""
    period = open_period(year, groups=(("SO", True), ("QH", True)))
    reviewer = make_user(f"thamdinh{year}", "reviewer")
    for n in range(units_per_step):
        p = f"{year % 100}{n}"
        for i, step in enumerate(STEPS):
            unit_at(period, f"S{p}-{i}", step, reviewer=reviewer)
        unit_at(period, f"LATE{p}", "empty", reviewer=reviewer)
        unit_at(period, f"EXT{p}", "empty", reviewer=reviewer)
        unit_at(period, f"QS{p}", "submitted", reviewer=reviewer, group="QH")
        unit_at(period, f"QL{p}", "empty", reviewer=reviewer, group="QH")
    Assessment.objects.filter(period=period, unit__code__startswith="EXT").update(
        deadline_extended_to=clock.today() + timedelta(days=4)
    )
    deadline_passed(period)
    return period, reviewer


def counts(row) -> dict:
    return {c.key: c.count for c in row}


def test_the_board_counts_each_groups_units_per_shown_status():
    period, _reviewer = build()

    board = progress_board(period)

    by_group = {row.group.code: counts(row.counts) for row in board.groups}
    assert by_group["SO"] == dict(zip(KEYS, (1, 2, 1, 1, 1, 1, 1), strict=True))
    assert by_group["QH"] == dict(zip(KEYS, (0, 1, 0, 0, 0, 0, 1), strict=True))
    assert counts(board.totals) == dict(zip(KEYS, (1, 3, 1, 1, 1, 1, 2), strict=True))
    assert board.total == 10
    assert [c.label for c in board.totals][-1] == "Không nộp đúng hạn"


def test_every_count_is_the_rule_status_shown_applied_to_each_unit():
    period, _reviewer = build()
    now = clock.now()
    by_rule = {}
    for a in Assessment.objects.filter(period=period).select_related("period"):
        key = status_shown(a, now)[0]
        by_rule[key] = by_rule.get(key, 0) + 1
    assert {
        k: v for k, v in counts(status_counts(Assessment.objects.all())).items() if v
    } == by_rule


@pytest.mark.parametrize("key", KEYS)
def test_shown_as_keeps_exactly_the_units_a_status_count_counts(key):
    period, _reviewer = build()
    now = clock.now()
    expected = {
        a.unit.code
        for a in Assessment.objects.select_related("period", "unit")
        if status_shown(a, now)[0] == key
    }
    found = {a.unit.code for a in shown_as(Assessment.objects.filter(period=period), key)}
    assert found == expected and found


def test_the_overdue_units_are_those_past_their_own_deadline_without_a_submission():
    period, _reviewer = build()
    assert [a.unit.code for a in progress_board(period).overdue] == ["LATE230", "QL230"]


def test_the_work_of_each_reviewer_comes_from_who_appraised_the_leaves():
    period, reviewer = build()
    other = make_user("thamdinh.b", "reviewer")
    submitted = Assessment.objects.filter(period=period, status="submitted").first()
    appraise_leaf(
        submitted, leaf_of(period, "1.2.1"), by=other, points_text="25", note="Thiếu", revision=1
    )

    work = {
        w.reviewer.username: (w.leaves, w.units, w.closed) for w in progress_board(period).reviewers
    }

    # thamdinh cut leaf 1.1 of the appraising, returned and explained units (3 leaves in 3
    # units) and closed one unit, accepting its 3 leaves.
    assert work == {"thamdinh2023": (6, 4, 1), "thamdinh.b": (1, 1, 0)}


def test_the_board_takes_the_same_queries_whatever_the_number_of_units():
    small, _r = build(1, 2023)
    large, _r = build(2, 2024)
    with CaptureQueriesContext(connection) as few:
        progress_board(small)
    with CaptureQueriesContext(connection) as many:
        board = progress_board(large)
    assert board.total == 20
    assert len(few) == len(many) <= 8
