"""Computing, finalising and publishing results, against the database."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core.calculation import check_results
from parindex.core.models import (
    AdjustmentKind,
    AdjustmentStatus,
    AssessmentStatus,
    AuditEntry,
    Period,
    PeriodStatus,
    ResultSet,
    UnitResult,
)
from parindex.core.services import WorkflowError
from parindex.core.services.results import compute_results, finalise_period, publish_results
from tests.builders import adjust, assess, full_scores, make_period, make_unit, refused

pytestmark = pytest.mark.django_db


def result_of(period, code):
    return UnitResult.objects.current_for(period).select_related("unit").get(unit__code=code)


def test_index_is_summed_from_leaves_with_appraised_overriding_self_points():
    period = make_period()
    scores = full_scores(self_points=55, survey_points="32.57")
    scores["1.1"] = {"self_points": 20, "appraised_points": 10}  # reviewer cut 10 points
    assess(period, make_unit("A"), scores)
    compute_results(period)
    r = result_of(period, "A")
    assert (r.points, r.max_points, r.index) == (D("77.57"), D("100"), D("77.57"))


def test_not_applicable_leaves_leave_points_and_maximum():
    period = make_period()
    scores = full_scores(self_points=50, survey_points=30)
    scores["1.2.2"] = {"self_points": 10, "not_applicable": True}
    assess(period, make_unit("A"), scores)
    compute_results(period)
    r = result_of(period, "A")
    assert (r.points, r.max_points) == (D("80"), D("90"))  # the 10 claimed points don't count
    assert r.index == D("88.89")


def test_unscored_leaves_count_zero_points_but_keep_their_maximum():
    period = make_period()
    assess(period, make_unit("A"), {"1.1": {"self_points": 20}})
    compute_results(period)
    r = result_of(period, "A")
    assert (r.points, r.max_points, r.index) == (D("20"), D("100"), D("20.00"))


def test_component_indices_are_stored_per_area():
    period = make_period()
    assess(period, make_unit("A"), full_scores(self_points=45, survey_points=30))
    compute_results(period)
    areas = {a.area.code: a for a in result_of(period, "A").areas.select_related("area")}
    assert {c: (a.points, a.max_points, a.index) for c, a in areas.items()} == {
        "1": (D("45"), D("60"), D("75.00")),
        "2": (D("30"), D("40"), D("75.00")),
    }


def test_only_approved_adjustments_count_within_their_caps():
    period = make_period()
    a = assess(period, make_unit("A"), full_scores(self_points=50, survey_points=30))
    adjust(a, "3.1", AdjustmentKind.BONUS, "5")  # category cap 2
    adjust(a, "3.2", AdjustmentKind.DEDUCTION, "0.5")
    adjust(a, "3.2", AdjustmentKind.DEDUCTION, "9", status=AdjustmentStatus.PROPOSED)
    adjust(a, "3.2", AdjustmentKind.DEDUCTION, "9", status=AdjustmentStatus.REJECTED)
    compute_results(period)
    r = result_of(period, "A")
    assert (r.bonus, r.deduction, r.total, r.index) == (D("2"), D("0.5"), D("81.5"), D("81.50"))


def test_ranked_group_gets_competition_ranks_and_grades():
    period = make_period()
    for code, survey in [("A", "36.3"), ("B", "35.7"), ("C", "35.7"), ("D", "35.22")]:
        assess(period, make_unit(code), full_scores(self_points=60, survey_points=survey))
    compute_results(period)
    got = {
        r.unit.code: (r.index, r.rank, r.grade_label)
        for r in UnitResult.objects.current_for(period).select_related("unit")
    }
    assert got == {
        "A": (D("96.30"), 1, "Tốt"),
        "B": (D("95.70"), 2, "Tốt"),
        "C": (D("95.70"), 2, "Tốt"),
        "D": (D("95.22"), 4, "Tốt"),
    }


def test_unranked_group_is_graded_but_not_ranked():
    period = make_period(groups=(("NGANHDOC", False),))
    assess(period, make_unit("CHQ", "NGANHDOC"), full_scores(60, "35.17"))
    assess(period, make_unit("BHXH", "NGANHDOC"), full_scores(50, "28.12"))
    compute_results(period)
    got = {
        r.unit.code: (r.rank, r.grade_label, r.index)
        for r in UnitResult.objects.current_for(period).select_related("unit")
    }
    assert got == {"CHQ": (None, "Tốt", D("95.17")), "BHXH": (None, "Khá", D("78.12"))}


def publish(period):
    finalise_period(period)
    return publish_results(Period.objects.get(pk=period.pk), decision_number="12/QĐ-UBND")


def test_change_versus_last_year_follows_the_unit_and_its_predecessors():
    old = make_period(2021)
    assess(old, make_unit("A"), full_scores(60, 30))  # 90.00, rank 1
    assess(old, make_unit("P1"), full_scores(50, 30))  # 80.00, rank 3
    assess(old, make_unit("P2"), full_scores(55, 30))  # 85.00, rank 2
    publish(old)
    new = make_period(2022, criteria_set=old.period_groups.first().criteria_set)
    assess(new, make_unit("A"), full_scores(60, 35))
    merged = make_unit("M")
    merged.predecessors.add(*[make_unit("P1"), make_unit("P2")])
    assess(new, merged, full_scores(50, 30))
    compute_results(new)
    a, m = result_of(new, "A"), result_of(new, "M")
    assert (a.previous_index, a.previous_rank) == (D("90.00"), 1)
    assert (m.previous_index, m.previous_rank) == (D("82.50"), None)


def test_recomputing_replaces_the_provisional_snapshot():
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30))
    compute_results(period)
    compute_results(period)
    assert ResultSet.objects.filter(period=period).count() == 1
    assert UnitResult.objects.current_for(period).count() == 1
    assert AuditEntry.objects.filter(action="results.computed", period=period).count() == 2


def stored_rows(period):
    """The provisional rows as stored, with their ids: unit rows and area rows."""
    from parindex.core.models import AreaResult

    units = UnitResult.objects.current_for(period).order_by("unit__code")
    areas = AreaResult.objects.filter(unit_result__in=units).order_by("unit_result", "area")
    return list(units.values_list("pk", "unit__code", "index", "rank")), list(
        areas.values_list("pk", "unit_result", "area", "points", "index")
    )


def units_scored(period, points):
    return [
        assess(period, make_unit(chr(ord("A") + n)), full_scores(value, 30))
        for n, value in enumerate(points)
    ]


def three_units(period):
    return units_scored(period, (60, 50, 40))


def test_recomputing_unchanged_data_keeps_every_stored_row_and_writes_none():
    period = make_period()
    three_units(period)
    (first,) = compute_results(period)
    before = stored_rows(period)
    with CaptureQueriesContext(connection) as captured:
        (again,) = compute_results(period)
    assert again.pk == first.pk and again.version == first.version == 1
    assert stored_rows(period) == before
    writes = [q["sql"] for q in captured if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert all("core_unitresult" not in sql and "core_arearesult" not in sql for sql in writes)


def same_as_written_anew(period):
    """Tell whether the stored rows hold what a computation from nothing writes."""
    units, areas = stored_rows(period)
    kept = [row[1:] for row in units], [row[2:] for row in areas]
    ResultSet.objects.filter(period=period).delete()
    compute_results(period)
    units, areas = stored_rows(period)
    return ([row[1:] for row in units], [row[2:] for row in areas]) == kept


def lower(assessment, code="1.2.1", points="0"):
    from parindex.core.models import ScoreEntry

    ScoreEntry.objects.filter(assessment=assessment, criterion__code=code).update(
        appraised_points=D(points)
    )


def test_a_few_changed_scores_update_in_place_only_the_rows_they_change():
    period = make_period()
    *_others, last = units_scored(period, (60, 58, 56, 54, 52, 50, 48, 46))
    compute_results(period)
    before = dict(((pk, code), (index, rank)) for pk, code, index, rank in stored_rows(period)[0])
    lower(last)  # H: 76 → 50, still last
    compute_results(period)
    after = dict(((pk, code), (index, rank)) for pk, code, index, rank in stored_rows(period)[0])
    assert after.keys() == before.keys()  # the same rows
    assert [key[1] for key in after if after[key] != before[key]] == ["H"]
    assert after[next(key for key in after if key[1] == "H")] == (D("50.00"), 8)
    assert same_as_written_anew(period)


def area_reads(monkeypatch):
    """Record the unit row ids whose area rows a recomputation reads back."""
    from parindex.core.services import snapshots

    read, original = [], snapshots._area_rows_of

    def spy(unit_row_ids):
        unit_row_ids = list(unit_row_ids)
        read.append(sorted(unit_row_ids))
        return original(unit_row_ids)

    monkeypatch.setattr(snapshots, "_area_rows_of", spy)
    return read


def unit_row_id(period, code):
    return UnitResult.objects.current_for(period).get(unit__code=code).pk


def test_a_recomputation_reads_back_the_area_rows_only_of_units_whose_areas_changed(monkeypatch):
    period = make_period()
    *_others, last = units_scored(period, (60, 58, 56, 54, 52, 50, 48, 46))
    compute_results(period)
    read = area_reads(monkeypatch)
    compute_results(period)
    assert read == []  # nothing changed: no area row read back
    lower(last)
    compute_results(period)
    assert read == [[unit_row_id(period, "H")]]
    assert same_as_written_anew(period)


def test_rows_stored_without_a_fingerprint_are_read_back_and_given_one(monkeypatch):
    period = make_period()
    three_units(period)
    compute_results(period)
    before = stored_rows(period)
    UnitResult.objects.current_for(period).update(areas_digest=None)  # as before migration 0014
    read = area_reads(monkeypatch)
    compute_results(period)
    assert read and stored_rows(period)[0][0][1:] == before[0][0][1:]
    assert not UnitResult.objects.current_for(period).filter(areas_digest=None).exists()
    assert same_as_written_anew(period)


def test_the_fingerprint_of_areas_is_the_same_in_every_process_and_tells_values_apart():
    from hashlib import blake2b

    from parindex.core.services.snapshots import areas_digest
    from parindex.scoring import AreaScore

    areas = [AreaScore(7, D("9.50"), D("10.00"), D("95.00")), AreaScore(8, D("0"), D("0"), None)]
    text = b"7,9.50,10.00,95.00;8,0,0,None"  # BLAKE2 of the values' text, not ``hash``
    digest = int.from_bytes(blake2b(text, digest_size=8).digest(), "big", signed=True)
    assert areas_digest(areas) == digest
    assert areas_digest(areas[:1]) != areas_digest(areas)
    assert areas_digest([AreaScore(7, D("9.25"), D("10.00"), D("92.50"))]) != areas_digest(
        areas[:1]
    )
    assert -(2**63) <= areas_digest(areas) < 2**63  # fits a BigIntegerField


def test_when_most_rows_change_the_group_is_written_anew_with_the_same_figures():
    period = make_period()
    a, _b, _c = three_units(period)
    compute_results(period)
    ids_before = [row[0] for row in stored_rows(period)[0]]
    lower(a)  # A: 90 → 60, below B (80) and C (70): every rank moves
    compute_results(period)
    units, _areas = stored_rows(period)
    assert not {row[0] for row in units} & set(ids_before)
    assert [(code, rank) for _pk, code, _index, rank in units] == [("A", 3), ("B", 1), ("C", 2)]
    assert same_as_written_anew(period)


def test_a_unit_added_since_the_last_computation_makes_the_group_written_anew():
    period = make_period()
    three_units(period)
    (first,) = compute_results(period)
    assess(period, make_unit("D"), full_scores(70, 30))
    (again,) = compute_results(period)
    assert again.pk != first.pk and not ResultSet.objects.filter(pk=first.pk).exists()
    assert [row[1] for row in stored_rows(period)[0]] == ["A", "B", "C", "D"]


def test_finalising_is_refused_while_units_are_not_appraised():
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30), status=AssessmentStatus.SUBMITTED)
    with refused(WorkflowError) as caught:
        finalise_period(period)
    assert "Đơn vị A" in str(caught.value)
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPRAISING


def test_publishing_requires_a_finalised_period():
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30))
    with refused(WorkflowError, match="đã chốt"):
        publish_results(period)


def test_published_results_are_frozen_and_recorded():
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30))
    (result_set,) = publish(period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    assert result_set.published and period.publication_decision == "12/QĐ-UBND"
    assert AuditEntry.objects.filter(action="group.published", period=period).exists()
    with refused(WorkflowError, match="đã công bố"):
        compute_results(period)
    assert result_of(period, "A").index == D("90.00")


def test_a_unit_whose_group_has_no_criteria_set_stops_the_computation():
    period = make_period()
    make_period(2030, groups=(("QH", True),))
    assess(period, make_unit("A"), full_scores(60, 30))
    from parindex.core.models import Assessment

    Assessment.objects.create(period=period, unit=make_unit("X", "QH"))
    with refused(WorkflowError) as caught:
        compute_results(period)
    assert "X" in caught.value.details
    assert not ResultSet.objects.filter(period=period).exists()


def compute_query_count(year, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = make_period(year)
    for n in range(units):
        assess(period, make_unit(f"U{year}-{n}"), full_scores(50 + n % 10, 30))
    with CaptureQueriesContext(connection) as captured:
        compute_results(period)
    return len(captured)


def test_computing_a_period_takes_the_same_number_of_queries_at_any_size():
    # 45 units: SQLite splits a multi-row INSERT above 999 parameters (20 per result row).
    small, large = compute_query_count(2021, 3), compute_query_count(2022, 45)
    assert small == large
    assert large <= 24  # constant: the guards, the audit mark and one write per group


def test_check_finds_no_difference_on_a_fresh_snapshot_and_reports_a_changed_score():
    from parindex.core.models import ScoreEntry

    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30))
    publish(period)
    assert check_results(period) == []
    ScoreEntry.objects.filter(criterion__code="2.1").update(survey_points=D("20"))
    differences = check_results(period)
    assert "A index: 90.00 → 80.00" in differences
    assert result_of(period, "A").index == D("90.00")  # the check wrote nothing
