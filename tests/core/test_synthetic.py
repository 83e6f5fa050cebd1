"""The synthetic period for measuring pages at scale (``loadsynthetic``)."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from parindex.core.calculation import check_results
from parindex.core.demo import synthetic
from parindex.core.models import (
    Assessment,
    Criterion,
    Period,
    PeriodStatus,
    ScoreEntry,
    Unit,
    UnitGroup,
    UnitResult,
)

pytestmark = pytest.mark.django_db


def test_synthetic_period_is_published_with_results_computed_from_the_scores():
    period = synthetic.build_synthetic_period(2030, 30, seed=1)
    assert period.status == PeriodStatus.PUBLISHED
    results = UnitResult.objects.current_for(period)
    assert results.count() == 30
    assert {g: results.filter(group__code=g).count() for g, _n, _r in synthetic.GROUPS} == {
        "SYN-SO": 10,
        "SYN-QH": 10,
        "SYN-NGANHDOC": 10,
    }
    assert not results.filter(group__code="SYN-NGANHDOC").exclude(rank=None).exists()
    assert results.filter(index__lt=100).exists() and results.filter(index__gt=50).exists()
    assert check_results(period) == []  # every stored figure is what the scores give


def test_every_synthetic_score_row_has_its_history_row():
    period = synthetic.build_synthetic_period(2030, 6)
    entries = ScoreEntry.objects.filter(assessment__period=period)
    history = ScoreEntry.history.filter(id__in=entries.values("id"), history_type="+")
    assert entries.count() > 6 * 50 and history.count() == entries.count()
    some = entries.exclude(self_points=None).first()
    assert some.history.first().self_points == some.self_points


def test_a_second_synthetic_year_compares_with_the_first():
    synthetic.build_synthetic_period(2029, 9, seed=3)
    period = synthetic.build_synthetic_period(2030, 9, seed=3)
    results = UnitResult.objects.current_for(period)
    assert not results.filter(previous_index=None).exists()
    assert results.exclude(index=F("previous_index")).exists()
    assert Unit.objects.filter(code__startswith="SYN-").count() == 9


def test_synthetic_scores_are_the_same_for_the_same_seed():
    period = synthetic.build_synthetic_period(2030, 3, seed=7)
    assessment = Assessment.objects.filter(period=period).select_related("unit").first()
    leaves = list(Criterion.objects.filter(criteria_set__period_groups__period=period).distinct())
    leaves = [c for c in leaves if c.method]
    first = synthetic._scores(assessment, assessment.unit.code, leaves, 2030, 7)[0]
    again = synthetic._scores(assessment, assessment.unit.code, leaves, 2030, 7)[0]
    other = synthetic._scores(assessment, assessment.unit.code, leaves, 2030, 8)[0]
    assert first == again and first != other


def test_synthetic_period_leaves_the_demo_alone(demo):
    demo_units = set(Unit.objects.values_list("code", flat=True))
    league = list(
        UnitResult.objects.current_for(Period.objects.get(year=2022)).values_list(
            "unit__code", "index", "rank"
        )
    )
    synthetic.build_synthetic_period(2030, 12)
    others = Unit.objects.exclude(code__startswith="SYN-")
    assert set(others.values_list("code", flat=True)) == demo_units
    assert not Unit.objects.filter(code__startswith="SYN-", group__code__in=["SO", "QH"]).exists()
    assert UnitGroup.objects.filter(code__startswith="SYN-").count() == 3
    assert (
        list(
            UnitResult.objects.current_for(Period.objects.get(year=2022)).values_list(
                "unit__code", "index", "rank"
            )
        )
        == league
    )


def test_loadsynthetic_builds_a_period_and_refuses_an_existing_year(capsys):
    call_command("loadsynthetic", "--year", "2031", "--units", "6", "--seed", "2")
    assert "6 đơn vị" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Đã có kỳ đánh giá năm 2031"):
        call_command("loadsynthetic", "--year", "2031", "--units", "6")
    assert Period.objects.filter(year=2031).count() == 1
