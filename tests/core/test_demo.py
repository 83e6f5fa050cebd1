"""The demo province reproduces the published TP.HCM 2022 figures from criterion-level scores."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from parindex.core.models import (
    Adjustment,
    AreaResult,
    Assignment,
    AuditEntry,
    Period,
    PeriodStatus,
    ScoreEntry,
    UnitResult,
)

pytestmark = pytest.mark.django_db

PUBLISHED_2022 = [
    # group, unit, index, rank
    ("SO", "Sở Tư pháp", "97.57", 1),
    ("SO", "Trung tâm Xúc tiến Thương mại và Đầu tư", "85.18", 26),
    ("NGANHDOC", "Cục Hải quan TP.HCM", "95.17", None),
    ("NGANHDOC", "Bảo hiểm xã hội TP", "88.12", None),
    ("QH", "UBND quận Bình Tân", "96.53", 1),
    ("QH", "UBND Quận 5", "86.22", 22),
]


@pytest.mark.parametrize("group, unit, index, rank", PUBLISHED_2022)
def test_demo_reproduces_the_published_2022_figures(demo, group, unit, index, rank):
    period = Period.objects.get(year=2022)
    r = UnitResult.objects.current_for(period).get(unit__name=unit)
    assert (r.group.code, r.index, r.rank, r.grade_label) == (group, D(index), rank, "Tốt")


@pytest.mark.parametrize(
    "group, count, highest, lowest",
    [
        ("SO", 26, "97.57", "85.18"),
        ("NGANHDOC", 7, "95.17", "88.12"),
        ("QH", 22, "96.53", "86.22"),
    ],
)
def test_demo_groups_have_the_published_size_and_extremes(demo, group, count, highest, lowest):
    results = UnitResult.objects.current_for(Period.objects.get(year=2022)).filter(
        group__code=group
    )
    indices = sorted(r.index for r in results)
    assert (len(indices), indices[-1], indices[0]) == (count, D(highest), D(lowest))
    assert {r.grade_label for r in results} == {"Tốt"}


def leaf_final(entry):
    """DOMAIN.md's rule, restated here so the test does not reuse the code it checks."""
    if entry.not_applicable:
        return None
    if entry.criterion.method == "survey":
        return entry.survey_points
    if entry.appraised_points is not None:
        return entry.appraised_points
    return entry.self_points


def test_demo_totals_come_from_the_leaf_scores(demo):
    """Each stored total equals the sum of its unit's final leaf points, bonus and deduction."""
    period = Period.objects.get(year=2022)
    for r in UnitResult.objects.current_for(period).select_related("unit"):
        entries = ScoreEntry.objects.filter(
            assessment__period=period, assessment__unit=r.unit
        ).select_related("criterion")
        leaf_points = sum(leaf_final(e) or 0 for e in entries)
        assert leaf_points == r.points
        assert r.total == r.points + r.bonus - r.deduction
        assert AreaResult.objects.filter(unit_result=r).count() == 8


def test_demo_has_both_years_published_with_change_versus_last_year(demo):
    assert list(Period.objects.filter(year__lte=2022).values_list("year", "status")) == [
        (2022, PeriodStatus.PUBLISHED),
        (2021, PeriodStatus.PUBLISHED),
    ]
    r = UnitResult.objects.current_for(Period.objects.get(year=2022)).get(unit__code="STP")
    assert r.previous_index is not None and r.previous_rank is not None
    assert Adjustment.objects.exists()


def test_loading_the_demo_twice_changes_nothing(demo):
    models = (ScoreEntry, UnitResult, AuditEntry, Adjustment, Assignment)
    counts = lambda: [m.objects.count() for m in models]  # noqa: E731
    before = counts()
    call_command("loaddemo")
    assert counts() == before


def test_the_demo_notes_say_which_figures_are_illustrative(demo):
    assert "minh họa" in Period.objects.get(year=2022).notes
    assert "minh họa" in Period.objects.get(year=2021).notes


def test_demo_opens_the_current_year_with_the_window_open_for_weeks(demo):
    from parindex.core import clock
    from parindex.core.models import Assessment, AssessmentStatus

    period = Period.objects.get(year=clock.today().year)
    assert period.status == PeriodStatus.OPEN
    assert (period.self_assessment_deadline - clock.today()).days >= 28
    assert period.self_assessment_open(clock.now())
    statuses = set(Assessment.objects.filter(period=period).values_list("status", flat=True))
    assert statuses == {AssessmentStatus.DRAFT}
    units = Assessment.objects.filter(period=period)
    assert units.count() == 61
    # The structure after the 2025 reorganisation: no district, the wards and communes instead.
    assert not units.filter(unit__group__code="QH").exists()
    assert set(units.values_list("unit__group__code", flat=True)) == {
        "SO",
        "NGANHDOC",
        "PHUONG",
        "XA",
    }


@pytest.mark.parametrize(
    "username, role, unit",
    [
        ("canbo.tuphap", "officer", "STP"),
        ("lanhdao.tuphap", "unit_head", "STP"),
        ("canbo.binhtan", "officer", "BINHTAN"),
        ("thamdinh", "reviewer", None),
        ("pheduyet", "approver", None),
        ("lanhdao", "leader", None),
        ("admin", "admin", None),
    ],
)
def test_demo_accounts_have_their_roles_and_the_demo_password(demo, username, role, unit):
    from parindex.core.models import User

    user = User.objects.select_related("unit").get(username=username)
    assert (user.role, user.unit.code if user.unit else None) == (role, unit)
    assert user.check_password("demo12345")
    user.full_clean()


def test_demo_scores_have_history_rows(demo):
    assert ScoreEntry.history.count() == ScoreEntry.objects.count()


def test_the_demo_period_has_a_small_team_and_thamdinh_stays_in_the_pool(demo):
    from parindex.core import clock
    from parindex.core.models import Criterion
    from parindex.core.team import can_appraise_leaf

    period = Period.objects.get(year=clock.today().year)
    team = Assignment.objects.filter(period=period)
    assert {(a.reviewer.username, a.unit_id, a.criterion.code) for a in team} == {
        ("thamdinh.tuphap", None, "2")
    }
    assessment = period.assessments.select_related("unit").get(unit__code="STP")
    leaves = Criterion.objects.for_assessment(assessment).leaves()
    content_2 = leaves.filter(area__code="2").first()
    content_3 = leaves.filter(area__code="3").first()
    from parindex.core.models import User

    tuphap, pool = (
        User.objects.get(username="thamdinh.tuphap"),
        User.objects.get(username="thamdinh"),
    )
    assert can_appraise_leaf(tuphap, assessment, content_2)
    assert not can_appraise_leaf(tuphap, assessment, content_3)
    assert can_appraise_leaf(pool, assessment, content_3)
    assert not can_appraise_leaf(pool, assessment, content_2)


@pytest.mark.django_db(transaction=True)
def test_rebuilding_past_years_leaves_nobody_a_notice_of_their_publication():
    from parindex.core.models import Notification
    from tests.builders import load_demo_copied

    # The demo as a real load commits it (the publications' notices are written on commit): on
    # in-memory SQLite, the session's copy of that committed load (see ``load_demo_copied``).
    load_demo_copied()
    assert not Notification.objects.filter(kind="group_published").exists()
