"""Twenty threads saving and transitioning one assessment at once (PostgreSQL: real row locks).

Afterwards every successful write is in the audit trail and the history, no update was lost
(each entry's revision equals the number of successful saves to it) and the stored results
equal a recomputation from the entries.
"""

import random
import threading
from collections import Counter

import pytest
from django.db import connection

from parindex.core.calculation import check_results
from parindex.core.errors import EditConflict
from parindex.core.models import Assessment, AuditEntry, ScoreEntry
from parindex.core.services import WorkflowError
from parindex.core.services.assessments import (
    save_self_score,
    submit_assessment,
    withdraw_submission,
)
from parindex.core.services.results import compute_results
from tests.builders import assess, leaf_of, make_unit, make_user, open_period

THREADS = 20
ROUNDS = 6
LEAVES = {"1.2.1": 30, "1.2.2": 10}


@pytest.fixture
def world(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are real only on PostgreSQL; CI runs this on PostgreSQL")
    period = open_period(2023)
    unit = make_unit("A")
    assessment = assess(period, unit, status="draft")
    officer = make_user("canbo", "officer", unit)
    head = make_user("lanhdao.a", "unit_head", unit)
    for code, points in [("1.1", "20"), ("1.2.1", "30"), ("1.2.2", "10")]:
        save_self_score(
            assessment,
            leaf_of(period, code),
            by=officer,
            points_text=points,
            note="Báo cáo năm",
            revision=0,
        )
    return {"period": period, "assessment": assessment, "officer": officer, "head": head}


def worker(number, world, outcomes, barrier):
    rng = random.Random(number)
    try:
        barrier.wait()
        for _ in range(ROUNDS):
            if number % 5 == 0:
                action = rng.choice([submit_assessment, withdraw_submission])
                try:
                    action(world["assessment"], by=world["head"])
                    outcomes.append(("transition", action.__name__))
                except WorkflowError:
                    outcomes.append(("refused", action.__name__))
                continue
            code = rng.choice(list(LEAVES))
            leaf = leaf_of(world["period"], code)
            revision = ScoreEntry.objects.get(
                assessment=world["assessment"], criterion=leaf
            ).revision
            points = str(rng.randint(0, LEAVES[code]))
            try:
                entry = save_self_score(
                    world["assessment"],
                    leaf,
                    by=world["officer"],
                    points_text=points,
                    note=f"luồng {number}",
                    revision=revision,
                )
                outcomes.append(("saved", code, entry.revision))
            except WorkflowError:  # includes EditConflict: refused, never silently lost
                outcomes.append(("refused", code))
    finally:
        connection.close()


def history_of(code):
    return ScoreEntry.history.filter(criterion__code=code)


def test_twenty_threads_lose_nothing_and_leave_a_complete_audit_trail(world):
    audit_before = Counter(AuditEntry.objects.values_list("action", flat=True))
    revisions_before = dict(ScoreEntry.objects.values_list("criterion__code", "revision"))
    history_before = {code: history_of(code).count() for code in LEAVES}
    outcomes: list = []
    barrier = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=worker, args=(n, world, outcomes, barrier)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == THREADS * ROUNDS

    saves = Counter(o[1] for o in outcomes if o[0] == "saved")
    changed = {
        code: ScoreEntry.objects.get(criterion__code=code).revision - revisions_before[code]
        for code in LEAVES
    }
    audit = Counter(AuditEntry.objects.values_list("action", flat=True)) - audit_before
    # A save of the same value writes nothing; every other success is one revision, one audit
    # row and one history row: nothing was overwritten without being counted.
    assert sum(changed.values()) == audit["score.changed"]
    assert all(changed[code] <= saves[code] for code in LEAVES)
    transitions = Counter(o[1] for o in outcomes if o[0] == "transition")
    assert audit["assessment.submitted"] == transitions["submit_assessment"]
    assert audit["assessment.withdrawn"] == transitions["withdraw_submission"]
    for code in LEAVES:
        assert history_of(code).count() - history_before[code] == changed[code]
    assert sum(saves.values()) > 0 and any(o[0] == "refused" for o in outcomes)

    assessment = Assessment.objects.get(pk=world["assessment"].pk)
    assert assessment.status in ("draft", "submitted")
    compute_results(world["period"])
    assert check_results(world["period"]) == []


def test_first_saves_of_one_leaf_at_once_make_one_row_and_conflicts(world):
    """Nobody saved leaf 1.1 of unit B yet: of twenty officers saving it from revision 0, one
    inserts the row and the others are refused with the stored value, never an error."""
    unit = make_unit("B")
    assessment = assess(world["period"], unit, status="draft")
    officers = [make_user(f"canbo.b{n}", "officer", unit) for n in range(THREADS)]
    leaf = leaf_of(world["period"], "1.1")
    outcomes: list = []
    barrier = threading.Barrier(THREADS)

    def first_save(officer):
        try:
            barrier.wait()
            save_self_score(
                assessment, leaf, by=officer, points_text="10", note=officer.username, revision=0
            )
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        except Exception as error:  # any other outcome fails the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=first_save, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["saved"]
    entry = ScoreEntry.objects.get(assessment=assessment, criterion=leaf)
    assert (entry.revision, entry.history.count()) == (1, 1)
    assert AuditEntry.objects.filter(action="score.changed", unit=unit).count() == 1
