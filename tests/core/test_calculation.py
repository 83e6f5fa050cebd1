"""The results of a period from one pass of sums, written in bulk, against the database."""

from decimal import Decimal as D

import pytest

from parindex.core.calculation import UNIT_FIELDS, calculate_results, check_results
from parindex.core.models import (
    AdjustmentKind,
    AreaResult,
    AssessmentStatus,
    ResultSet,
    ScoreEntry,
    UnitResult,
)
from parindex.core.services.results import compute_results, finalise_group, publish_group
from tests.builders import adjust, assess, full_scores, make_period, make_unit

pytestmark = pytest.mark.django_db

# One leaf of every kind: appraised over claimed, claimed only, not applicable (claimed and
# appraised all the same), survey points with a stray claim on the same row.
EVERY_KIND = {
    "1.1": {"self_points": 20, "appraised_points": 10},
    "1.2.1": {"self_points": 25},
    "1.2.2": {"self_points": 10, "appraised_points": 5, "not_applicable": True},
    "2.1": {"survey_points": "32.5", "self_points": 40},
}


def result_of(period, code):
    return UnitResult.objects.current_for(period).get(unit__code=code)


def areas_of(period, code):
    return {
        a.area.code: (a.points, a.max_points, a.index)
        for a in result_of(period, code).areas.select_related("area")
    }


def test_a_unit_with_not_applicable_and_survey_leaves_sums_as_before():
    period = make_period()
    assess(period, make_unit("A"), EVERY_KIND)
    compute_results(period)
    r = result_of(period, "A")
    # 10 appraised + 25 claimed + 32.5 survey; the not-applicable leaf leaves the maximum
    assert (r.points, r.max_points, r.index) == (D("67.5"), D("90"), D("75.00"))
    assert areas_of(period, "A") == {
        "1": (D("35"), D("50"), D("70.00")),
        "2": (D("32.5"), D("40"), D("81.25")),
    }


def test_the_summed_points_are_the_final_points_of_each_leaf():
    period = make_period()
    a = assess(period, make_unit("A"), EVERY_KIND)
    compute_results(period)
    finals = ScoreEntry.objects.filter(assessment=a).with_final_points(counted=True)
    assert result_of(period, "A").points == sum(e.final for e in finals)


def test_the_sums_give_no_row_to_an_area_without_scores_and_null_for_empty_sums():
    period = make_period()
    a = assess(period, make_unit("A"), {"1.1": {"self_points": 20}})
    ((assessment_id, _area, points, na_max),) = ScoreEntry.objects.filter(
        assessment=a
    ).result_sums()
    assert (assessment_id, points, na_max) == (a.pk, D("20"), None)


def two_group_period():
    """Two groups, a non-submitter, a unit out of the ranking, adjustments."""
    period = make_period(groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), EVERY_KIND)
    b = assess(period, make_unit("B"), full_scores(55, 30))
    adjust(b, "3.1", AdjustmentKind.BONUS, "1.5")
    adjust(b, "3.2", AdjustmentKind.DEDUCTION, "0.25")
    c = assess(period, make_unit("C"), full_scores(60, 30))
    c.unranked_reason = "Sáp nhập giữa kỳ"
    c.save()
    assess(period, make_unit("D"), {"1.1": {"self_points": 5}}, status=AssessmentStatus.DRAFT)
    assess(period, make_unit("Q1", "QH"), full_scores(40, 20))
    assess(period, make_unit("Q2", "QH"), full_scores(50, 25))
    return period


def test_the_snapshot_written_in_bulk_is_the_computed_one_field_by_field():
    period = two_group_period()
    compute_results(period)
    computed = calculate_results(period)
    fields = ["unit_id", "group_id", *UNIT_FIELDS[2:]]
    stored = {r["unit_id"]: r for r in UnitResult.objects.current_for(period).values(*fields)}
    assert {row.unit_id: row._asdict() for row, _areas in computed} == stored
    stored_areas = set(
        AreaResult.objects.filter(
            unit_result__in=UnitResult.objects.current_for(period)
        ).values_list("unit_result__unit_id", "area_id", "points", "max_points", "index")
    )
    assert stored_areas == {
        (row.unit_id, a.key, a.points, a.max_points, a.index)
        for row, areas in computed
        for a in areas
    }
    assert check_results(period) == []
    d = result_of(period, "D")
    assert (d.index, d.rank, d.standing) == (None, None, "Chưa nộp")


def test_recomputing_replaces_every_row_of_the_provisional_snapshot():
    period = two_group_period()
    compute_results(period)
    ScoreEntry.objects.filter(assessment__unit__code="B", criterion__code="2.1").update(
        survey_points=D("40")
    )
    compute_results(period)
    assert ResultSet.objects.filter(period=period).count() == 2  # one per group
    assert UnitResult.objects.count() == 6
    assert AreaResult.objects.count() == 12  # no row left behind by the old version
    assert result_of(period, "B").points == D("95")
    assert check_results(period) == []


def test_recomputing_one_group_gives_the_figures_of_the_whole_period_and_leaves_the_other():
    period = two_group_period()
    compute_results(period)
    whole = {row.unit_id: row for row, _areas in calculate_results(period)}
    other = ResultSet.objects.get(period=period, group__code="QH", is_current=True)
    so = ResultSet.objects.get(period=period, group__code="SO", is_current=True).group_id
    (again,) = compute_results(period, group_ids=[so])
    assert ResultSet.objects.get(pk=other.pk).is_current  # untouched
    assert set(UnitResult.objects.filter(result_set=again).values_list("unit_id", flat=True)) == {
        unit_id for unit_id, row in whole.items() if row.group_id == so
    }
    for row, _areas in calculate_results(period, [so]):
        assert row == whole[row.unit_id]


def test_recomputing_keeps_the_published_group_as_it_was():
    period = two_group_period()
    finalise_group(period, period.period_groups.get(group__code="QH").group_id)
    published = publish_group(period, period.period_groups.get(group__code="QH").group_id)
    rows = list(UnitResult.objects.filter(result_set=published).values_list("pk", "index"))
    compute_results(period)
    assert list(UnitResult.objects.filter(result_set=published).values_list("pk", "index")) == (
        rows
    )


def recompute_queries(year, units, django_assert_max_num_queries, limit):
    period = make_period(year)
    for n in range(units):
        assess(period, make_unit(f"R{year}-{n}"), full_scores(50 + n % 10, 30))
    compute_results(period)
    with django_assert_max_num_queries(limit):
        compute_results(period)


@pytest.mark.parametrize("units", [2, 40])
def test_recomputing_takes_the_same_number_of_queries_at_any_size(
    units, django_assert_max_num_queries
):
    # 40 units: SQLite splits a multi-row INSERT above 999 parameters (19 per unit row).
    # 30: the guards and reads, one DELETE per table of the old snapshot, two writes per group.
    recompute_queries(2040 + units, units, django_assert_max_num_queries, 30)
