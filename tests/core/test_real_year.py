"""A real year: non-submitters in provisional tables, exclusions, per-period ranking, tie rule,
per-group publication and provisional results that follow every change."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from parindex.core import clock
from parindex.core.models import (
    AssessmentStatus,
    GroupStage,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    TieRule,
    UnitResult,
)
from parindex.core.services import WorkflowError, audit
from parindex.core.services.results import (
    compute_results,
    finalise_group,
    fresh_results,
    publish_group,
    stale_groups,
)
from tests.builders import (
    adjust,
    assess,
    full_scores,
    make_period,
    make_unit,
    open_period,
    refused,
)

pytestmark = pytest.mark.django_db


def rows(period):
    return {
        r.unit.code: (r.rank, r.index, r.grade_label, r.standing, r.unranked_reason)
        for r in UnitResult.objects.current_for(period).select_related("unit")
    }


def test_a_unit_that_has_not_submitted_shows_its_status_and_takes_no_rank():
    period = open_period()
    assess(period, make_unit("A"), full_scores(60, 30), status=AssessmentStatus.SUBMITTED)
    assess(period, make_unit("B"), {"1.1": {"self_points": 5}}, status=AssessmentStatus.DRAFT)
    compute_results(period)
    got = rows(period)
    assert got["A"][:2] == (1, D("90.00"))
    assert got["B"] == (None, None, "", "Chưa nộp", "")  # never a 0.00 "Yếu"


def test_after_the_deadline_a_non_submitter_is_shown_as_late():
    period = open_period(deadline_days=-1)
    assess(period, make_unit("B"), status=AssessmentStatus.DRAFT)
    compute_results(period)
    assert rows(period)["B"][3] == "Không nộp đúng hạn"


def test_an_excluded_unit_keeps_index_and_grade_and_the_others_rank_without_it():
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 35))
    new = assess(period, make_unit("NEW"), full_scores(60, 33))
    assess(period, make_unit("C"), full_scores(60, 30))
    new.unranked_reason = "Mới thành lập"
    new.save()
    compute_results(period)
    got = rows(period)
    assert got["NEW"] == (None, D("93.00"), "Tốt", "", "Mới thành lập")
    assert (got["A"][0], got["C"][0]) == (1, 2)


def test_whether_a_group_is_ranked_is_decided_per_period():
    ranked_then = make_period(2022)
    assess(ranked_then, make_unit("A"), full_scores(60, 30))
    compute_results(ranked_then)
    not_now = make_period(2023)
    PeriodGroup.objects.filter(period=not_now).update(
        ranked=False, unranked_reason="Đang sắp xếp tổ chức bộ máy"
    )
    assess(not_now, make_unit("A"), full_scores(60, 30))
    compute_results(not_now)
    assert rows(not_now)["A"][0] is None
    assert rows(ranked_then)["A"][0] == 1  # the other period's table is untouched


@pytest.mark.parametrize(
    "rule, expected",
    [(TieRule.SHARED, {"A": 1, "B": 1, "C": 3}), (TieRule.UNROUNDED, {"A": 1, "B": 2, "C": 3})],
)
def test_the_period_tie_rule_decides_how_equal_published_indices_rank(rule, expected):
    period = make_period()
    period.tie_rule = rule
    period.save()
    # 90.024 and 90.018 are both published as 90.02.
    assess(period, make_unit("A"), full_scores("60.024", 30))
    assess(period, make_unit("B"), full_scores("60.018", 30))
    assess(period, make_unit("C"), full_scores(50, 30))
    compute_results(period)
    got = rows(period)
    assert got["A"][1] == got["B"][1] == D("90.02")
    assert {code: row[0] for code, row in got.items()} == expected


def two_groups():
    period = make_period(groups=(("SO", True), ("XA", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("X", "XA"), full_scores(50, 30))
    return period


def test_one_group_is_finalised_and_published_while_the_other_stays_open():
    period = two_groups()
    finalise_group(period, period.period_groups.get(group__code="SO").group_id)
    published = publish_group(
        period, period.period_groups.get(group__code="SO").group_id, decision_number="7/QĐ-UBND"
    )
    period.refresh_from_db()
    stages = dict(period.period_groups.values_list("group__code", "stage"))
    assert stages == {"SO": GroupStage.PUBLISHED, "XA": GroupStage.OPEN}
    assert period.status == PeriodStatus.APPRAISING  # not every group is published
    assert (published.decision_number, published.decision_date) == ("7/QĐ-UBND", clock.today())
    compute_results(period)  # the open group is still recomputed; the published one is kept
    assert ResultSet.objects.get(pk=published.pk).is_current
    with refused(WorkflowError, match="đã công bố"):
        compute_results(period, group_ids=[published.group_id])


def test_the_period_is_published_when_its_last_group_is():
    period = two_groups()
    for group_id in period.period_groups.values_list("group_id", flat=True):
        finalise_group(period, group_id)
        publish_group(period, group_id, decision_number="8/QĐ-UBND")
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED


def test_provisional_results_follow_a_change_without_any_command():
    period = open_period()
    a = assess(period, make_unit("A"), full_scores(60, 30), status=AssessmentStatus.APPRAISING)
    fresh_results(period)
    assert rows(period)["A"][1] == D("90.00")
    assert stale_groups(period) == []
    adjust(a, "3.2", "deduction", "2")
    audit.record("deduction.approved", period=period, obj=a)  # as the approving service does
    assert stale_groups(period) == [a.unit.group_id]
    fresh_results(period)
    assert rows(period)["A"][1] == D("88.00")


def test_provisional_results_are_recomputed_the_day_after_a_deadline_passes(monkeypatch):
    period = open_period(deadline_days=0)
    assess(period, make_unit("B"), status=AssessmentStatus.DRAFT)
    fresh_results(period)
    assert rows(period)["B"][3] == "Chưa nộp"
    tomorrow = clock.now() + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    # Tomorrow in the project's time zone: between 17:00 and 24:00 UTC the UTC date is a day
    # behind Hồ Chí Minh's.
    monkeypatch.setattr(clock, "today", lambda: timezone.localdate(tomorrow))
    fresh_results(period)
    assert rows(period)["B"][3] == "Không nộp đúng hạn"


def test_a_change_to_the_criteria_set_of_an_open_group_makes_its_results_stale():
    period = open_period()
    assess(period, make_unit("A"), full_scores(60, 30), status=AssessmentStatus.APPRAISING)
    fresh_results(period)
    assert stale_groups(period) == []
    criteria_set = period.period_groups.get().criteria_set
    audit.record("criteria_set.changed", obj=criteria_set, changes={"bonus_cap": ["2", "1"]})
    assert stale_groups(period) == [criteria_set.period_groups.get().group_id]
    fresh_results(period)
    assert stale_groups(period) == []  # recomputed once, then current again
