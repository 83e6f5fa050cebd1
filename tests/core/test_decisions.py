"""The decisions that let a real year close, against the database: deadline extensions, units
appraised without a submission, reopening, units and groups left out of the ranking, the tie
rule, and groups finalised and published one by one."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser

from parindex.core import clock
from parindex.core.models import (
    AssessmentStatus,
    AuditEntry,
    GroupStage,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    ScoreEntry,
    TieRule,
    UnitResult,
)
from parindex.core.permissions import can_view_group_results
from parindex.core.services import WorkflowError
from parindex.core.services.appraisal import finalise_appraisal
from parindex.core.services.assessments import save_self_score
from parindex.core.services.decisions import (
    appraise_without_submission,
    extend_deadline,
    reopen_appraisal,
    set_group_ranking,
    set_tie_rule,
    set_unit_ranking,
)
from parindex.core.services.results import (
    compute_results,
    finalise_group,
    fresh_results,
    publish_group,
)
from tests.builders import (
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    open_period,
    refused,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver():
    return make_user("pheduyet", "approver")


@pytest.fixture
def reviewer():
    return make_user("thamdinh", "reviewer")


def group_id(period, code="SO"):
    return PeriodGroup.objects.get(period=period, group__code=code).group_id


def stage_of(period, code="SO"):
    return PeriodGroup.objects.get(period=period, group__code=code).stage


def result_of(period, code):
    return UnitResult.objects.current_for(period).get(unit__code=code)


def late_draft(unit_code="A", scores=()):
    """A unit that has not submitted, its period's deadline yesterday."""
    period = open_period(deadline_days=-1)
    unit = make_unit(unit_code)
    return assess(period, unit, scores, status=AssessmentStatus.DRAFT), unit


# --- Extensions ---------------------------------------------------------------------------------


def test_an_extension_reopens_entry_until_its_day_and_refuses_after(monkeypatch, approver):
    a, unit = late_draft()
    officer = make_user("canbo", "officer", unit)
    leaf = leaf_of(a.period, "1.1")
    with refused(WorkflowError, match="hết thời hạn"):
        save_self_score(a, leaf, by=officer, points_text="20", note="", revision=0)
    until = clock.today() + timedelta(days=3)

    extend_deadline(a, by=approver, until=until, reason="Đơn vị mới sáp nhập")

    a.refresh_from_db()
    assert (a.deadline_extended_to, a.extension_reason) == (until, "Đơn vị mới sáp nhập")
    assert a.entry_deadline == until and not a.is_late(clock.now())
    assert AuditEntry.objects.filter(action="assessment.extended", unit=unit).count() == 1
    save_self_score(a, leaf, by=officer, points_text="20", note="", revision=0)
    after = clock.now() + timedelta(days=4)
    monkeypatch.setattr(clock, "now", lambda: after)
    with refused(WorkflowError, match="hết thời hạn"):
        save_self_score(a, leaf, by=officer, points_text="10", note="", revision=1)
    assert a.is_late(after)


@pytest.mark.parametrize(
    ("days", "reason", "match"),
    [(-1, "Lý do", "từ hôm nay"), (3, "  ", "lý do gia hạn")],
)
def test_an_extension_needs_a_day_from_today_and_a_reason(approver, days, reason, match):
    a, _unit = late_draft()
    with refused(WorkflowError, match=match):
        extend_deadline(a, by=approver, until=clock.today() + timedelta(days=days), reason=reason)
    a.refresh_from_db()
    assert a.deadline_extended_to is None


def test_only_an_approver_extends_a_deadline(reviewer):
    a, _unit = late_draft()
    until = clock.today() + timedelta(days=3)
    with refused(WorkflowError, match="người phê duyệt"):
        extend_deadline(a, by=reviewer, until=until, reason="Lý do")


# --- Appraisal of a unit that did not submit ----------------------------------------------------


def test_late_appraisal_counts_what_was_entered_empty_leaves_zero_and_records_the_reason(
    reviewer,
):
    a, unit = late_draft(scores={"1.1": {"self_points": 20}, "2.1": {"survey_points": 30}})

    appraise_without_submission(a, by=reviewer, reason="Đơn vị không nộp đúng hạn")

    a.refresh_from_db()
    assert a.status == AssessmentStatus.APPRAISING
    assert a.late_reason == "Đơn vị không nộp đúng hạn"
    assert a.is_late(clock.now())
    assert AuditEntry.objects.filter(
        action="assessment.appraised_without_submission", unit=unit
    ).exists()
    finalise_appraisal(a, by=reviewer)
    assert ScoreEntry.objects.get(assessment=a, criterion__code="1.1").appraised_points == 20
    compute_results(a.period)
    r = result_of(a.period, "A")
    # 20 entered + 30 survey points; 1.2.1 and 1.2.2 left empty count 0 of their 40.
    assert (r.points, r.max_points, r.index, r.standing) == (D("50"), D("100"), D("50.00"), "")


def test_late_appraisal_is_refused_before_the_deadline_and_without_a_reason(reviewer):
    period = open_period(deadline_days=5)
    on_time = assess(period, make_unit("A"), status=AssessmentStatus.DRAFT)
    with refused(WorkflowError, match="quá hạn"):
        appraise_without_submission(on_time, by=reviewer, reason="Không nộp")
    late = assess(
        open_period(2024, deadline_days=-1), make_unit("A"), status=AssessmentStatus.DRAFT
    )
    with refused(WorkflowError, match="lý do"):
        appraise_without_submission(late, by=reviewer, reason="")


def test_a_late_unit_blocks_only_its_own_group(reviewer, approver):
    period = open_period(deadline_days=-1, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), status=AssessmentStatus.DRAFT)
    assess(period, make_unit("Q1", "QH"), full_scores(50, 30))
    finalise_group(period, group_id(period, "QH"), by=approver)
    assert stage_of(period, "QH") == GroupStage.FINALISED
    assert stage_of(period, "SO") == GroupStage.OPEN


# --- Reopening ----------------------------------------------------------------------------------


def test_reopening_a_closed_appraisal_unfinalises_its_group(approver):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_group(period, group_id(period), by=approver)
    period.refresh_from_db()
    assert period.status == PeriodStatus.FINALISED

    reopen_appraisal(a, by=approver, reason="Sai sót ở tiêu chí 1.1")

    a.refresh_from_db()
    period.refresh_from_db()
    assert a.status == AssessmentStatus.APPRAISING
    assert stage_of(period) == GroupStage.OPEN
    assert period.status == PeriodStatus.APPRAISING
    assert AuditEntry.objects.filter(action="group.reopened").count() == 1
    reason = AuditEntry.objects.get(action="assessment.reopen_reason")
    assert reason.message == "Sai sót ở tiêu chí 1.1"


def test_reopening_is_refused_once_the_group_is_published(approver):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_group(period, group_id(period), by=approver)
    publish_group(period, group_id(period), by=approver, decision_number="1/QĐ")
    with refused(WorkflowError, match="đã công bố"):
        reopen_appraisal(a, by=approver, reason="Sai sót")
    assert stage_of(period) == GroupStage.PUBLISHED


def test_reopening_needs_a_reason(approver):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_group(period, group_id(period), by=approver)
    with refused(WorkflowError, match="lý do"):
        reopen_appraisal(a, by=approver, reason=" ")
    assert stage_of(period) == GroupStage.FINALISED


# --- Ranking ------------------------------------------------------------------------------------


def test_a_unit_left_out_of_the_ranking_keeps_its_index_and_grade_and_others_rank_without_it(
    approver,
):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))  # 90
    assess(period, make_unit("B"), full_scores(50, 30))  # 80
    assess(period, make_unit("C"), full_scores(45, 30))  # 75

    set_unit_ranking(a, by=approver, excluded=True, reason="Đơn vị mới thành lập")
    compute_results(period)

    left_out = result_of(period, "A")
    assert (left_out.index, left_out.grade_label, left_out.rank) == (D("90.00"), "Tốt", None)
    assert left_out.unranked_reason == "Đơn vị mới thành lập"
    assert [result_of(period, code).rank for code in "BC"] == [1, 2]


def test_leaving_a_unit_out_of_the_ranking_needs_a_reason_and_can_be_undone(approver):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    with refused(WorkflowError, match="lý do"):
        set_unit_ranking(a, by=approver, excluded=True, reason="")
    set_unit_ranking(a, by=approver, excluded=True, reason="Mới thành lập")
    set_unit_ranking(a, by=approver, excluded=False)
    a.refresh_from_db()
    assert a.unranked_reason == ""


def test_a_group_left_unranked_in_one_period_stays_ranked_in_the_others(approver):
    earlier, period = make_period(2022), make_period(2023)
    for p in (earlier, period):
        assess(p, make_unit("A"), full_scores(60, 30))
        assess(p, make_unit("B"), full_scores(50, 30))

    set_group_ranking(period, group_id(period), by=approver, ranked=False, reason="Sắp xếp lại")
    compute_results(earlier)
    compute_results(period)

    this_year = PeriodGroup.objects.get(period=period)
    assert (this_year.ranked, this_year.unranked_reason) == (False, "Sắp xếp lại")
    assert PeriodGroup.objects.get(period=earlier).ranked is True
    assert [result_of(period, c).rank for c in "AB"] == [None, None]
    assert [result_of(period, c).grade_label for c in "AB"] == ["Tốt", "Tốt"]
    assert [result_of(earlier, c).rank for c in "AB"] == [1, 2]


def test_a_group_left_unranked_needs_a_reason(approver):
    period = make_period(2023)
    with refused(WorkflowError, match="lý do"):
        set_group_ranking(period, group_id(period), by=approver, ranked=False, reason="")


def test_the_tie_rule_is_set_per_period_and_frozen_once_a_group_is_finalised(approver):
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    set_tie_rule(period, by=approver, rule=TieRule.UNROUNDED)
    period.refresh_from_db()
    assert period.tie_rule == TieRule.UNROUNDED
    finalise_group(period, group_id(period), by=approver)
    with refused(WorkflowError, match="quy tắc"):
        set_tie_rule(period, by=approver, rule=TieRule.SHARED)


# --- Groups finalised and published one by one --------------------------------------------------


def test_publishing_one_group_leaves_the_other_provisional_and_not_public(approver):
    period = make_period(2023, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("Q1", "QH"), full_scores(50, 30))
    so = group_id(period, "SO")

    finalise_group(period, so, by=approver)
    publish_group(
        period, so, by=approver, decision_number="12/QĐ-UBND", decision_date=date(2024, 3, 1)
    )
    fresh_results(period)

    period.refresh_from_db()
    assert (stage_of(period, "SO"), stage_of(period, "QH")) == (
        GroupStage.PUBLISHED,
        GroupStage.OPEN,
    )
    assert period.status == PeriodStatus.APPRAISING and period.has_published_group
    published = ResultSet.objects.get(period=period, group_id=so, is_current=True)
    assert (published.published, published.decision_number, published.decision_date) == (
        True,
        "12/QĐ-UBND",
        date(2024, 3, 1),
    )
    provisional = ResultSet.objects.get(period=period, group__code="QH", is_current=True)
    assert provisional.published is False
    public = UnitResult.objects.current_for(period).visible_to(AnonymousUser())
    assert list(public.values_list("unit__code", flat=True)) == ["A"]
    anonymous = AnonymousUser()
    assert can_view_group_results(anonymous, PeriodGroup.objects.get(period=period, group_id=so))
    assert not can_view_group_results(
        anonymous, PeriodGroup.objects.get(period=period, group__code="QH")
    )
