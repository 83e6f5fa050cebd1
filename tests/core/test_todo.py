"""The to-do list of each role (core/todo): what it holds, its counts, where each item leads."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parindex.core import clock
from parindex.core.models import (
    AdjustmentKind,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    GroupStage,
    Job,
    JobKind,
    JobStatus,
    ScoreEntry,
)
from parindex.core.services.adjustments import propose_adjustment
from parindex.core.services.appraisal import (
    appraise_leaf,
    return_for_explanation,
    save_explanation,
)
from parindex.core.services.assessments import add_evidence, save_self_score, submit_assessment
from parindex.core.todo import days_text, review_scope, shows_dashboard, todo_for
from parindex.core.todo.unit import self_assessment_gaps
from parindex.core.workflow import submission_blockers
from tests.builders import (
    PDF_BYTES,
    assess,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    open_period,
    upload,
)
from tests.todo_builders import deadline_passed, people, unit_at

pytestmark = pytest.mark.django_db


def items(user) -> dict:
    return {item.key: item for item in todo_for(user).items}


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (5, "Còn 5 ngày"),
        (1, "Còn 1 ngày"),
        (0, "Hôm nay là hạn cuối"),
        (-2, "Đã quá hạn 2 ngày"),
    ],
)
def test_a_deadline_reads_as_days_left_today_or_days_overdue(days, text):
    today = date(2026, 11, 21)
    assert days_text(today + timedelta(days=days), today) == text


# --- A unit's officer and head ------------------------------------------------------------------


@pytest.fixture
def draft():
    """Unit A of an open period (deadline in 5 days) with leaf 1.1 scored, 1.2.1 and 1.2.2
    empty."""
    period = open_period(2023, deadline_days=5)
    unit = make_unit("A")
    officer, head = people(unit)
    a = assess(period, unit, status=AssessmentStatus.DRAFT)
    save_self_score(a, leaf_of(period, "1.1"), by=officer, points_text="20", note="Có", revision=0)
    return a, officer, head


def test_an_officer_sees_the_empty_leaves_and_the_first_one_to_fill(draft):
    a, officer, _head = draft

    todo = items(officer)

    assert todo["empty"].count == 2 and not todo["empty"].done
    assert todo["empty"].url == "/assessments/2023/A/#leaf-1.2.1"
    assert todo["deadline"].detail == "Còn 5 ngày"
    assert "submit" not in todo  # only the head submits


def test_the_deadline_is_the_units_own_extension_when_it_has_one(draft):
    a, officer, _head = draft
    deadline_passed(a.period, days=3)
    Assessment.objects.filter(pk=a.pk).update(deadline_extended_to=clock.today())

    assert items(officer)["deadline"].detail == "Hôm nay là hạn cuối"
    Assessment.objects.filter(pk=a.pk).update(deadline_extended_to=None)
    todo = items(officer)
    assert todo["deadline"].detail.startswith("Đã quá hạn 3 ngày")
    assert "empty" not in todo  # the window is closed: nothing can be entered


def test_a_leaf_with_points_but_no_evidence_nor_note_is_an_item_of_its_own(draft):
    a, officer, head = draft
    save_self_score(a, leaf_of(a.period, "1.2.1"), by=officer, points_text="5", note="", revision=0)

    todo = items(head)

    assert todo["unevidenced"].count == 1
    assert todo["unevidenced"].url.endswith("#leaf-1.2.1")
    assert todo["submit"].action == ""  # not ready: a link to the entry page, no button
    assert todo["submit"].detail == "Còn 2 tiêu chí cần hoàn thiện trước khi nộp"


@pytest.mark.parametrize(
    "leaves",
    [
        {},
        {"1.1": ("20", "Có")},
        {"1.1": ("20", ""), "1.2.1": ("0", "")},
        {"1.1": ("20", "  "), "1.2.1": ("30", "Có"), "1.2.2": ("10", "")},
        {"1.1": ("20", "Có"), "1.2.1": ("30", "Có"), "1.2.2": ("10", "Có")},
        {"1.1": ("20", "evidence"), "1.2.1": ("na", ""), "1.2.2": ("0", "")},
    ],
)
def test_the_gaps_are_the_reasons_submission_blockers_gives(leaves):
    period = open_period(2023)
    unit = make_unit("A")
    officer, _head = people(unit)
    a = assess(period, unit, status=AssessmentStatus.DRAFT)
    for code, (points, note) in leaves.items():
        leaf = leaf_of(period, code)
        if points == "na":
            ScoreEntry.objects.create(assessment=a, criterion=leaf, not_applicable=True)
            continue
        save_self_score(a, leaf, by=officer, points_text=points, note=note.strip(), revision=0)
        if note == "evidence":
            add_evidence(a, leaf, by=officer, file=upload("bc.pdf", PDF_BYTES))
    if leaves.get("1.1", ("", ""))[1] == "  ":
        ScoreEntry.objects.filter(assessment=a, criterion__code="1.1").update(self_note="  ")

    gaps = self_assessment_gaps(a)

    assert gaps.empty + gaps.unevidenced == len(submission_blockers(a))
    assert gaps.empty == sum("chưa chấm điểm" in b for b in submission_blockers(a))


def test_the_head_of_a_complete_unit_gets_the_submit_action_and_then_sees_it_done():
    period = open_period(2023)
    reviewer = make_user("thamdinh", "reviewer")
    a = unit_at(period, "A", "scored", reviewer=reviewer)
    head = a.unit.members.get(role="unit_head")

    submit = items(head)["submit"]
    assert submit.action == "submit" and submit.url == "/assessments/2023/A/submit/"
    assert items(head)["empty"].done

    submit_assessment(a, by=head)
    todo = todo_for(head)
    assert [i.key for i in todo.pending] == []
    assert [i.key for i in todo.finished] == ["submitted"]


def test_a_returned_unit_explains_the_changed_leaves_and_the_head_sends():
    period = open_period(2023)
    reviewer = make_user("thamdinh", "reviewer")
    a = unit_at(period, "A", "appraising", reviewer=reviewer)
    appraise_leaf(
        a,
        leaf_of(period, "1.2.2"),
        by=reviewer,
        points_text="",
        note="Không có",
        not_applicable=True,
        revision=1,
    )
    return_for_explanation(a, by=reviewer, deadline=clock.today() + timedelta(days=2))
    officer = a.unit.members.get(role="officer")
    head = a.unit.members.get(role="unit_head")

    explain = items(officer)["explain"]
    assert explain.count == 2 and explain.url.endswith("#leaf-1.1")
    assert explain.detail.endswith("Còn 2 ngày")
    assert "send_explanation" not in items(officer)
    save_explanation(a, leaf_of(period, "1.1"), by=officer, text="Có báo cáo", revision=2)
    explain = items(head)["explain"]
    assert explain.count == 1 and explain.url.endswith("#leaf-1.2.2")
    send = items(head)["send_explanation"]
    assert send.action == "send_explanation"
    assert send.url == "/assessments/2023/A/send-explanation/"


def test_contested_in_sql_is_is_contested_in_python():
    period = make_period(2023)
    a = assess(
        period,
        make_unit("A"),
        {
            "1.1": {"self_points": 20, "appraised_points": 20},
            "1.2.1": {"self_points": 30, "appraised_points": 10},
            "1.2.2": {"not_applicable": True},
            "2.1": {"survey_points": 30},
        },
        status=AssessmentStatus.RETURNED,
    )
    ScoreEntry.objects.create(
        assessment=a, criterion=leaf_of(period, "3.1"), appraised_points=Decimal(1)
    )
    entries = ScoreEntry.objects.filter(assessment=a)
    assert set(entries.contested()) == {e for e in entries if e.is_contested}
    assert entries.contested().count() == 3


# --- Sở Nội vụ ----------------------------------------------------------------------------------


@pytest.fixture
def queue():
    """A period with one unit at each step, and one that missed its deadline."""
    period = open_period(2023)
    reviewer = make_user("thamdinh", "reviewer")
    for n, step in enumerate(("submitted", "submitted", "appraising", "explained", "returned")):
        unit_at(period, f"U{n}", step, reviewer=reviewer)
    unit_at(period, "LATE", "empty", reviewer=reviewer)
    unit_at(period, "DONE", "appraised", reviewer=reviewer)
    deadline_passed(period)
    return period, reviewer


def test_a_reviewer_sees_the_units_waiting_for_appraisal_with_counts_and_links(queue):
    period, reviewer = queue
    Assessment.objects.filter(unit__code="U4").update(
        explanation_deadline=clock.today() - timedelta(days=1)
    )

    todo = items(reviewer)

    assert {k: i.count for k, i in todo.items()} == {
        "submitted": 2,
        "appraising": 1,
        "explained": 1,
        "silent": 1,
    }
    assert todo["submitted"].url == "/review/2023/?status=submitted"
    assert todo["silent"].url == "/review/2023/?status=returned"
    assert todo["submitted"].units == (
        ("Đơn vị U0", "/assessments/2023/U0/appraise/"),
        ("Đơn vị U1", "/assessments/2023/U1/appraise/"),
    )


def test_the_reviewers_units_are_every_unit_of_the_period_for_now(queue):
    period, reviewer = queue
    other = make_period(2022)
    assess(other, make_unit("OLD"))
    assert set(review_scope(reviewer, period)) == set(Assessment.objects.filter(period=period))


def test_a_reviewer_with_nothing_waiting_has_an_empty_list():
    open_period(2023)
    assert todo_for(make_user("thamdinh", "reviewer")).items == ()


def test_an_approver_sees_decisions_waiting_for_them(queue):
    period, reviewer = queue
    approver = make_user("pheduyet", "approver")
    a = Assessment.objects.get(unit__code="DONE")
    for by in (reviewer, approver):
        propose_adjustment(
            a,
            by=by,
            kind=AdjustmentKind.DEDUCTION,
            category=leaf_of(period, "3.2"),
            amount_text="0.5",
            reason="Chậm",
        )

    todo = items(approver)

    assert todo["adjustments"].count == 1  # the approver's own proposal waits for another
    assert todo["adjustments"].url == "/review/2023/adjustments/"
    assert todo["late"].count == 1
    assert todo["late"].units == (("Đơn vị LATE", "/assessments/2023/LATE/appraise/"),)
    assert todo["late"].url == "/review/2023/?status=late"
    assert "finalise" not in todo  # SO still has units being appraised


def test_an_approver_is_told_which_groups_to_finalise_and_to_publish():
    period = open_period(2023, groups=(("SO", True), ("QH", True)))
    reviewer = make_user("thamdinh", "reviewer")
    unit_at(period, "A", "appraised", reviewer=reviewer)
    unit_at(period, "B", "appraised", reviewer=reviewer, group="QH")
    period.period_groups.filter(group__code="QH").update(stage=GroupStage.FINALISED)

    todo = items(make_user("pheduyet", "approver"))

    assert todo["finalise"].count == 1
    assert todo["finalise"].units == (("Khối SO", "/review/2023/#group-SO"),)
    assert todo["publish"].units == (("Khối QH", "/review/2023/#group-QH"),)
    assert todo["publish"].url == "/review/2023/#groups"


def test_an_adjustment_decided_leaves_the_approvers_list(queue):
    period, reviewer = queue
    approver = make_user("pheduyet", "approver")
    a = Assessment.objects.get(unit__code="DONE")
    item = propose_adjustment(
        a,
        by=reviewer,
        kind=AdjustmentKind.BONUS,
        category=leaf_of(period, "3.1"),
        amount_text="1",
        reason="Sáng kiến",
    )
    assert "adjustments" in items(approver)
    type(item).objects.filter(pk=item.pk).update(status=AdjustmentStatus.APPROVED)
    assert "adjustments" not in items(approver)


def test_an_administrator_sees_recent_failed_and_waiting_jobs_and_shortcuts():
    admin = make_user("quantri", "admin")
    now = clock.now()
    for status, age in [(JobStatus.FAILED, 1), (JobStatus.FAILED, 30), (JobStatus.QUEUED, 0)]:
        Job.objects.create(
            kind=JobKind.COMPUTE,
            title="x",
            status=status,
            started_by=admin,
            created_at=now - timedelta(days=age),
        )

    todo = todo_for(admin)

    assert {i.key: i.count for i in todo.items} == {"jobs_failed": 1, "jobs_waiting": 1}
    assert [url for _label, url in todo.links] == ["/imports/", "/jobs/", "/accounts/"]


def test_a_leaders_work_is_the_dashboard_and_nobody_elses():
    assert shows_dashboard(make_user("lanhdao", "leader"))
    assert not shows_dashboard(make_user("thamdinh", "reviewer"))
