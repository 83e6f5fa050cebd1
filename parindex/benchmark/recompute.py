"""The benchmark's recomputation rows: ``computeresults`` against one plain SQL sum of the same
score rows (the floor), on the same statistic."""

from __future__ import annotations

import time

from django.db import connection

from parindex.benchmark.measure import Row, seconds


def floor_sql_seconds(period) -> float:
    """One plain statement summing the period's score rows per unit and area (the floor)."""
    sql = (
        "SELECT e.assessment_id, c.area_id, "
        "SUM(COALESCE(e.appraised_points, e.self_points, e.survey_points, 0)) "
        "FROM core_scoreentry e JOIN core_criterion c ON c.id = e.criterion_id "
        "JOIN core_assessment a ON a.id = e.assessment_id "
        "WHERE a.period_id = %s AND e.not_applicable = %s GROUP BY e.assessment_id, c.area_id"
    )
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, [period.pk, False])
        cursor.fetchall()
        return time.perf_counter() - started


def analyse() -> None:
    """Give the planner statistics of the tables just written, as autovacuum does within a
    minute of a bulk write on a production server (it may be off on a test machine: then every
    plan is made on guesses, and the floor's and computeresults' alike)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def recompute_seconds(period) -> float:
    from parindex.core.services.results import compute_results

    elapsed, _ = seconds(compute_results, period)
    return elapsed


RUNS = 5  # recomputations (and sums) per period size


def recompute_rows(period, size: int, *, first: bool) -> list[Row]:
    """``computeresults`` of a period whose results are stored and current (what a recompute
    after a few changes costs: only changed rows are written) and, with ``first``, of the same
    period once its results are deleted (every unit and area row written anew)."""
    from parindex.core.models import ResultSet

    # The same statistic on both sides: the best of RUNS, each recompute run right after a sum
    # (the machine's speed drifts within seconds). The first recompute is shown beside it.
    floors, recomputes = [], []
    for _ in range(RUNS):
        floors.append(floor_sql_seconds(period))
        recomputes.append(recompute_seconds(period))
    floor = min(floors)
    best = f"best of {RUNS}, each after a sum; first {recomputes[0]:.2f} s"
    # The target is at 3,000 and 10,000 units; the smaller periods show how the cost
    # grows (a few tens of milliseconds of fixed work dwarf a 3 ms sum of 30 units).
    measured = [("results stored", min(recomputes), best, "≤ 2" if size >= 3000 else "")]
    if first:
        ResultSet.objects.filter(period=period).delete()
        measured.append(("none stored: every row written", recompute_seconds(period), "once", ""))
    return [
        Row(
            f"computeresults, {size} units × 99 leaves ({what})",
            f"{elapsed:.2f} s ({how})",
            f"plain SQL sum {floor:.3f} s (best of {RUNS})",
            f"{elapsed / floor:.1f}",
            target,
        )
        for what, elapsed, how, target in measured
    ]
