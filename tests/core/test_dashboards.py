"""What the dashboards read: figures from the snapshots, lineage, visibility, movers."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from parindex.core.dashboards import overview as period_reads
from parindex.core.dashboards import profile as profile_reads
from parindex.core.dashboards import trends as trend_reads
from parindex.core.models import Period, Role, Unit
from parindex.core.services.results import compute_results, finalise_period, publish_results
from tests.builders import assess, full_scores, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db

# The province staff read every group, published or provisional.
STAFF = SimpleNamespace(is_authenticated=True, is_superuser=False, role=Role.LEADER)


def published(year, scores):
    """A published period of group SO; ``scores`` maps unit code → (self points, survey)."""
    period = make_period(year)
    for code, (self_points, survey) in scores.items():
        assess(period, make_unit(code), full_scores(self_points, survey))
    finalise_period(period)
    publish_results(period)
    return Period.objects.get(pk=period.pk)


def test_overview_figures_and_band_counts_come_from_the_snapshot():
    period = published(2022, {"A": (60, 40), "B": (50, 30), "C": (40, 30)})
    overview = period_reads.period_overview(period, user=STAFF)
    (summary,) = overview.groups
    assert (summary.unit_count, summary.highest, summary.lowest) == (3, D("100"), D("70"))
    assert summary.highest_unit == "Đơn vị A"
    assert [(b.label, b.count) for b in summary.bands] == [("Tốt", 2), ("Khá", 1)]
    assert [r.unit.code for r in overview.dashboard.ranking] == ["A", "B", "C"]


def test_a_band_nobody_reached_is_listed_with_zero_and_ungraded_units_are_counted():
    period = published(2022, {"A": (60, 40), "B": (20, 10)})  # B: 30 %, below every band
    (summary,) = period_reads.period_overview(period, user=STAFF).groups
    assert [(b.label, b.count) for b in summary.bands] == [
        ("Tốt", 1),
        ("Khá", 0),
        ("Chưa xếp loại", 1),
    ]


def test_unknown_group_code_gives_no_overview():
    period = published(2022, {"A": (60, 40)})
    assert period_reads.period_overview(period, "XYZ", user=STAFF) is None


def test_the_weakest_area_of_each_unit_is_its_lowest_component_index():
    period = published(2022, {"A": (60, 20), "B": (30, 40)})
    dashboard = period_reads.period_overview(period, user=STAFF).dashboard
    areas = {a.code: a.pk for a in dashboard.areas}
    a, b = dashboard.ranking
    assert dashboard.weakest_areas(a) == {areas["2"]}  # 20/40 = 50 % against 100 %
    assert dashboard.weakest_areas(b) == {areas["1"]}  # 30/60 = 50 % against 100 %
    averages = dict((area.code, value) for area, value in dashboard.average_row())
    assert averages == {"1": D("75.00"), "2": D("75.00")}


def test_a_large_group_shows_its_leaders_and_laggards_around_a_gap(monkeypatch):
    monkeypatch.setattr(period_reads, "RANKING_ENDS", 2)
    period = published(2022, {f"U{n}": (60 - n, 40) for n in range(7)})
    dashboard = period_reads.period_overview(period, user=STAFF).dashboard
    assert [r.unit.code for r in dashboard.ranking] == ["U0", "U1", "U5", "U6"]
    assert (dashboard.gap_after, dashboard.hidden) == (2, 3)


def test_a_small_group_is_shown_whole_without_a_gap(monkeypatch):
    monkeypatch.setattr(period_reads, "RANKING_ENDS", 2)
    period = published(2022, {f"U{n}": (60 - n, 40) for n in range(4)})
    dashboard = period_reads.period_overview(period, user=STAFF).dashboard
    assert [r.unit.code for r in dashboard.ranking] == ["U0", "U1", "U2", "U3"]
    assert dashboard.gap_after is None and dashboard.hidden == 0


def test_distribution_counts_every_unit_once_and_puts_100_in_the_last_bin():
    period = published(2022, {"A": (60, 40), "B": (59, 40), "C": (40, 30)})
    dashboard = period_reads.period_overview(period, user=STAFF).dashboard
    bins = dashboard.distribution
    assert dashboard.bin_width == 2  # spread of 30 points
    assert sum(b.count for b in bins) == 3
    assert (bins[0].lower, bins[0].count) == (D("70"), 1)
    assert (bins[-1].lower, bins[-1].upper, bins[-1].count) == (D("98"), D("100"), 2)
    assert all(b.count == 0 for b in bins[1:-1])


def test_most_improved_and_declined_compare_with_last_year():
    published(2021, {"A": (40, 40), "B": (60, 30), "C": (50, 30)})
    period = published(2022, {"A": (50, 40), "B": (55, 30), "C": (50, 30)})
    dashboard = period_reads.period_overview(period, user=STAFF).dashboard
    assert [(r.unit.code, r.index_change) for r in dashboard.improved] == [("A", D("10.00"))]
    assert [(r.unit.code, r.index_change) for r in dashboard.declined] == [("B", D("-5.00"))]


def merged_world():
    """P1 and P2 (2020, 2021) merged into S (2022); P0 had merged into P1 before 2020."""
    published(2019, {"P0": (50, 30)})
    published(2020, {"P1": (40, 30), "P2": (50, 30)})
    published(2021, {"P1": (45, 30), "P2": (55, 30)})
    period = published(2022, {"S": (55, 35)})
    successor = Unit.objects.get(code="S")
    successor.predecessors.add(*Unit.objects.filter(code__in=["P1", "P2"]))
    Unit.objects.get(code="P1").predecessors.add(Unit.objects.get(code="P0"))
    return period, successor


def test_unit_profile_follows_predecessors_across_mergers():
    _period, successor = merged_world()
    profile = profile_reads.unit_profile(successor, make_user("u", "leader"))
    assert [p.code for p in profile.predecessors] == ["P1", "P2", "P0"]
    rows = [(y.year, y.result.unit.code, y.own, y.result.index) for y in profile.years]
    assert rows == [
        (2022, "S", True, D("90.00")),
        (2021, "P1", False, D("75.00")),
        (2021, "P2", False, D("85.00")),
        (2020, "P1", False, D("70.00")),
        (2020, "P2", False, D("80.00")),
        (2019, "P0", False, D("80.00")),
    ]
    assert profile.selected.year == 2022
    former = profile_reads.unit_profile(Unit.objects.get(code="P2"), AnonymousUser())
    assert [s.unit.code for s in former.successors] == ["S"]
    assert [y.year for y in former.years] == [2021, 2020]


def test_unit_profile_shows_the_public_only_published_years():
    published(2021, {"A": (50, 30)})
    draft = make_period(2022)
    assess(draft, make_unit("A"), full_scores(60, 30))
    compute_results(draft)
    unit = Unit.objects.get(code="A")
    public = profile_reads.unit_profile(unit, AnonymousUser())
    staff = profile_reads.unit_profile(unit, make_user("u", "reviewer"))
    assert [y.year for y in public.years] == [2021]
    assert [(y.year, y.published) for y in staff.years] == [(2022, False), (2021, True)]
    assert staff.has_provisional and not public.has_provisional


def test_unit_profile_compares_areas_with_the_group_average():
    published(2022, {"A": (60, 20), "B": (30, 40)})
    profile = profile_reads.unit_profile(Unit.objects.get(code="A"), AnonymousUser())
    assert [(a.area.code, a.index, a.group_average, a.difference) for a in profile.areas] == [
        ("1", D("100.00"), D("75.00"), D("25.00")),
        ("2", D("50.00"), D("75.00"), D("-25.00")),
    ]


def claimed_world():
    period = make_period(2022)
    unit = make_unit("A")
    assess(
        period,
        unit,
        {
            "1.1": {"self_points": 20, "appraised_points": 10},
            "1.2.1": {"self_points": 30},
            "1.2.2": {"self_points": 8, "appraised_points": 10},
            "2.1": {"survey_points": 30},
        },
    )
    finalise_period(period)
    publish_results(period)
    return unit


def test_weakest_criteria_and_claims_are_for_the_unit_and_province_staff_only():
    unit = claimed_world()
    other = make_unit("B")
    for user, visible in [
        (None, False),
        (make_user("b", "officer", other), False),
        (make_user("a", "officer", unit), True),
        (make_user("l", "leader"), True),
    ]:
        profile = profile_reads.unit_profile(unit, user or AnonymousUser())
        assert profile.details_visible is visible
        assert bool(profile.weakest) is visible and bool(profile.claims) is visible


def test_claims_per_area_show_how_much_the_unit_over_claimed():
    unit = claimed_world()
    profile = profile_reads.unit_profile(unit, make_user("l", "leader"))
    (area,) = profile.claims  # only area 1 has self-assessed leaves
    assert (area.max_points, area.claimed, area.final, area.over) == (
        D("60"),
        D("58"),
        D("50"),
        D("8"),
    )
    # 1.1 and 2.1 both lost 10 points; 1.1 lost the larger share of its maximum.
    assert [(leaf.criterion.code, leaf.lost) for leaf in profile.weakest] == [
        ("1.1", D("10")),
        ("2.1", D("10")),
    ]


def test_trends_default_to_the_top_units_of_the_latest_period():
    published(2021, {f"U{n}": (50 - n, 30) for n in range(7)})
    published(2022, {f"U{n}": (40 + n, 30) for n in range(7)})
    trends = trend_reads.trends(AnonymousUser(), [])
    assert trends.defaulted
    assert [u.code for u in trends.units] == ["U6", "U5", "U4", "U3", "U2"]
    assert [p.year for p in trends.periods] == [2021, 2022]
    assert trends.results[trends.units[0].pk][2022].index == D("76.00")
    ((group, by_year),) = trends.groups
    assert by_year[2022] == (7, D("73.00"))


def test_trends_of_chosen_units_report_unknown_codes_and_keep_to_the_limit(monkeypatch):
    monkeypatch.setattr(trend_reads, "TREND_LIMIT", 2)
    published(2022, {"A": (60, 30), "B": (50, 30), "C": (40, 30)})
    trends = trend_reads.trends(AnonymousUser(), ["B", "XX", "A", "C", "B"])
    assert [u.code for u in trends.units] == ["B"]
    assert (trends.unknown, trends.dropped) == (["XX"], ["A", "C"])
    assert not trends.defaulted


def test_trends_hide_provisional_years_from_the_public():
    published(2021, {"A": (50, 30)})
    draft = make_period(2022)
    assess(draft, make_unit("A"), full_scores(60, 30))
    compute_results(draft)
    assert [p.year for p in trend_reads.trends(AnonymousUser(), ["A"]).periods] == [2021]
    staff = trend_reads.trends(make_user("u", "leader"), ["A"])
    assert [p.year for p in staff.periods] == [2021, 2022] and staff.has_provisional
