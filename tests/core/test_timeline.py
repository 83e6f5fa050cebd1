"""The period's phases: dates from the period and the unit, states from where units stand."""

from datetime import timedelta

import pytest

from parindex.core import clock
from parindex.core.models import Assessment, AssessmentStatus, PeriodStatus, UnitGroup
from parindex.core.services.results import finalise_group, finalise_period, publish_results
from parindex.core.timeline import CURRENT, FUTURE, PAST, period_phases
from tests.builders import assess, full_scores, make_period, make_unit, make_user, open_period

pytestmark = pytest.mark.django_db
P, C, F = PAST, CURRENT, FUTURE


def days(n):
    return clock.today() + timedelta(days=n)


def dated_period(deadline_days=10, **kwargs):
    period = open_period(2023, deadline_days=deadline_days, **kwargs)
    period.explanation_deadline = days(deadline_days + 20)
    period.appraisal_deadline = days(deadline_days + 40)
    period.save()
    return period


def states(phases):
    return [phase.state for phase in phases]


def test_a_drafting_unit_is_in_self_assessment_with_the_periods_dates():
    period = dated_period()
    phases = period_phases(period, assess(period, make_unit("A"), status=AssessmentStatus.DRAFT))
    assert [str(p.label) for p in phases] == [
        "Tự đánh giá",
        "Thẩm định",
        "Giải trình",
        "Chốt kết quả",
        "Công bố",
    ]
    assert states(phases) == [C, F, F, F, F]
    assert (phases[0].end, phases[0].is_deadline) == (days(10), True)
    assert (phases[1].start, phases[1].end) == (days(11), days(50))
    assert phases[2].end == days(30)
    assert phases[4].notes == ("Chưa công bố",)


def test_an_extended_unit_keeps_entering_after_the_periods_deadline_and_says_why():
    period = dated_period(deadline_days=-3)
    a = assess(period, make_unit("A"), status=AssessmentStatus.DRAFT)
    a.deadline_extended_to = days(5)
    a.extension_reason = "Đơn vị mới sáp nhập"
    a.save()
    phases = period_phases(period, a)
    assert states(phases) == [C, F, F, F, F]
    assert phases[0].end == days(5)
    assert phases[0].notes == (f"Gia hạn đến {days(5):%d/%m/%Y} — Đơn vị mới sáp nhập",)
    assert phases[1].start == days(6)


@pytest.mark.parametrize(
    "status, expected",
    [
        (AssessmentStatus.DRAFT, [P, C, F, F, F]),  # late: Sở Nội vụ may appraise it anyway
        (AssessmentStatus.SUBMITTED, [P, C, F, F, F]),
        (AssessmentStatus.APPRAISING, [P, C, F, F, F]),
        (AssessmentStatus.RETURNED, [P, P, C, F, F]),
        (AssessmentStatus.EXPLAINED, [P, C, P, F, F]),  # round 2 of the appraisal
        (AssessmentStatus.APPRAISED, [P, P, P, C, F]),  # waits for its group to be finalised
    ],
)
def test_a_unit_stands_where_its_status_puts_it_after_the_deadline(status, expected):
    period = dated_period(deadline_days=-1)
    assert states(period_phases(period, assess(period, make_unit("A"), status=status))) == expected


def test_a_returned_unit_shows_its_own_explanation_deadline():
    period = dated_period(deadline_days=-1)
    a = assess(period, make_unit("A"), status=AssessmentStatus.RETURNED)
    a.explanation_deadline = days(4)
    a.save()
    assert period_phases(period, a)[2].end == days(4)


def test_a_unit_never_returned_says_it_did_not_have_to_explain():
    period = dated_period(deadline_days=-1)
    phases = period_phases(period, assess(period, make_unit("A")))
    assert phases[2].state == PAST
    assert phases[2].notes == ("Đơn vị không phải giải trình.",)


def test_finalised_then_published_groups_date_both_phases():
    period = make_period(2022)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    phases = period_phases(period, a)
    assert states(phases) == [P, P, P, P, C]
    assert (phases[3].end, phases[3].is_deadline) == (clock.today(), False)
    assert phases[4].end is None and phases[4].notes == ("Chưa công bố",)
    publish_results(period, decision_number="12/QĐ-UBND", decision_date=days(-2))
    phases = period_phases(period, Assessment.objects.get(pk=a.pk))  # as the next page reads it
    assert states(phases) == [P, P, P, P, P]
    assert phases[4].end == days(-2)
    assert phases[4].notes == ("Quyết định 12/QĐ-UBND",)


def test_a_correction_is_named_with_its_decision_beside_the_publication():
    from parindex.core.services.corrections import correct_results

    period = make_period(2022)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(period, decision_number="12/QĐ-UBND", decision_date=days(-9))
    approver = make_user("pheduyet", "approver")
    correct_results(period, by=approver, reason="Sai số liệu", decision_number="20/QĐ-UBND")
    phases = period_phases(period, a)
    assert phases[4].end == days(-9)  # published on the first decision's day
    assert phases[4].notes == (
        "Quyết định 12/QĐ-UBND",
        f"Đính chính: 20/QĐ-UBND ({clock.today():%d/%m/%Y})",
    )


def test_the_period_counts_units_per_phase_and_is_current_where_any_unit_is():
    period = dated_period(deadline_days=-1)
    for code, status in [("A", "draft"), ("B", "returned"), ("C", "returned"), ("D", "appraised")]:
        assess(period, make_unit(code), status=status)
    phases = period_phases(period)
    assert states(phases) == [P, C, C, C, F]
    assert phases[1].notes == ("1 đơn vị",)  # the late draft
    assert phases[2].notes == ("2 đơn vị",)
    assert phases[3].notes == ("1 đơn vị đã thẩm định xong",)
    assert phases[0].end == days(-1)


def test_the_period_names_each_groups_finalisation_and_publication():
    period = dated_period(deadline_days=-1, groups=(("SO", True), ("XA", True)))
    period.status = PeriodStatus.APPRAISING
    period.save()
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("X", group_code="XA"), status=AssessmentStatus.APPRAISING)
    departments = UnitGroup.objects.get(code="SO")
    finalise_group(period, departments)
    publish_results(period, decision_number="5/QĐ", decision_date=days(0), group=departments)
    phases = period_phases(period)
    assert states(phases) == [P, C, F, C, C]
    assert phases[3].notes == (f"Khối SO: {days(0):%d/%m/%Y}", "Khối XA: chưa chốt")
    assert phases[4].notes == (
        f"Khối SO: {days(0):%d/%m/%Y}, quyết định 5/QĐ",
        "Khối XA: chưa công bố",
    )
    assert phases[4].end is None


def test_a_period_without_units_is_where_its_dates_put_it():
    assert states(period_phases(dated_period())) == [C, F, F, F, F]
