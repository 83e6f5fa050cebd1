"""The appraisal team: the rule (pool vs assigned), coverage gaps, parts done, comments."""

from datetime import timedelta

import pytest

from parindex.core import clock
from parindex.core.errors import InvalidScore
from parindex.core.models import (
    AppraisalPart,
    AssessmentStatus,
    AuditEntry,
    LeafComment,
    PeriodStatus,
)
from parindex.core.services import WorkflowError
from parindex.core.services.appraisal import (
    appraise_leaf,
    finalise_appraisal,
    return_for_explanation,
)
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.decisions import reopen_appraisal
from parindex.core.services.team import (
    add_assignment,
    mark_part_done,
    post_leaf_comment,
    remove_assignment,
)
from parindex.core.team import (
    assessment_team,
    assessments_assigned_to,
    assessments_to_do,
    can_appraise_leaf,
    open_parts,
    reviewers_of,
    uncovered,
)
from tests.builders import assess, leaf, leaf_of, make_period, make_unit, make_user, refused

pytestmark = pytest.mark.django_db


def three_contents():
    """Three contents of self-assessed leaves (2 has a sub-criterion), and a deduction part."""
    return {
        "name": "Bộ ba nội dung",
        "decision_number": "3/QĐ-TEST",
        "valid_from": 2020,
        "scale": "100",
        "bonus_cap": "0",
        "deduction_cap": "5",
        "nodes": [
            {"code": "1", "title": "Nội dung 1", "max": "30", "children": [leaf("1.1", 30)]},
            {
                "code": "2",
                "title": "Nội dung 2",
                "max": "40",
                "children": [
                    leaf("2.1", 20),
                    {"code": "2.2", "title": "2.2", "max": "20", "children": [leaf("2.2.1", 20)]},
                ],
            },
            {"code": "3", "title": "Nội dung 3", "max": "30", "children": [leaf("3.1", 30)]},
            {
                "code": "4",
                "title": "Điểm trừ",
                "max": "5",
                "children": [leaf("4.1", 5, "deduction")],
            },
        ],
    }


SCORES = {c: {"self_points": p} for c, p in [("1.1", 30), ("2.1", 20), ("2.2.1", 20), ("3.1", 30)]}


@pytest.fixture
def t():
    criteria_set, _ = load_criteria_set(three_contents())
    period = make_period(2024, criteria_set=criteria_set, status=PeriodStatus.OPEN)
    period.self_assessment_deadline = clock.today() - timedelta(days=1)
    period.save()
    a = assess(period, make_unit("A"), SCORES, status=AssessmentStatus.SUBMITTED)
    b = assess(period, make_unit("B"), SCORES, status=AssessmentStatus.SUBMITTED)
    people = {
        "tuphap": make_user("thamdinh.tuphap", "reviewer"),
        "taichinh": make_user("thamdinh.taichinh", "reviewer"),
        "pool": make_user("thamdinh", "reviewer"),
        "approver": make_user("pheduyet", "approver"),
        "officer": make_user("canbo.a", "officer", a.unit),
        "officer_b": make_user("canbo.b", "officer", b.unit),
        "leader": make_user("lanhdao", "leader"),
    }
    return {"period": period, "a": a, "b": b, **people}


def leaf_in(t, code):
    return leaf_of(t["period"], code)


def appraise(t, who, code, unit="a", points="10"):
    return appraise_leaf(
        t[unit], leaf_in(t, code), by=t[who], points_text=points, note="Thiếu tài liệu", revision=0
    )


def assign(t, who, code=None, unit=None):
    return add_assignment(
        t["period"],
        by=t["approver"],
        reviewer=t[who],
        unit=t[unit].unit if unit else None,
        criterion=leaf_in(t, code) if code else None,
    )


def test_without_assignments_every_reviewer_appraises_every_leaf(t):
    for who in ("tuphap", "pool", "approver"):
        for code in ("1.1", "2.1", "3.1"):
            assert can_appraise_leaf(t[who], t["a"], leaf_in(t, code))
    assert not can_appraise_leaf(t["leader"], t["a"], leaf_in(t, "1.1"))


def test_an_assigned_reviewer_edits_only_the_subtree_of_their_criterion(t):
    assign(t, "tuphap", "2")
    assert can_appraise_leaf(t["tuphap"], t["a"], leaf_in(t, "2.1"))
    assert can_appraise_leaf(t["tuphap"], t["b"], leaf_in(t, "2.2.1"))  # nested, every unit
    assert not can_appraise_leaf(t["tuphap"], t["a"], leaf_in(t, "3.1"))


def test_the_pool_edits_the_leaves_no_assignment_covers(t):
    assign(t, "tuphap", "2")
    assert can_appraise_leaf(t["pool"], t["a"], leaf_in(t, "3.1"))
    assert can_appraise_leaf(t["approver"], t["a"], leaf_in(t, "1.1"))
    assert not can_appraise_leaf(t["pool"], t["a"], leaf_in(t, "2.1"))


def test_a_unit_assignment_covers_every_leaf_of_that_unit_only(t):
    assign(t, "taichinh", unit="b")
    assert can_appraise_leaf(t["taichinh"], t["b"], leaf_in(t, "3.1"))
    assert not can_appraise_leaf(t["taichinh"], t["a"], leaf_in(t, "3.1"))
    assert can_appraise_leaf(t["pool"], t["a"], leaf_in(t, "3.1"))
    assert not can_appraise_leaf(t["pool"], t["b"], leaf_in(t, "3.1"))


def test_a_reviewer_assigned_to_content_2_cannot_change_a_content_3_leaf(t):
    assign(t, "tuphap", "2")
    with refused(WorkflowError, match="phân công cho thẩm định viên khác"):
        appraise(t, "tuphap", "3.1")
    appraise(t, "tuphap", "2.1")
    assert t["a"].entries.get(criterion__code="2.1").appraised_points == 10


def test_the_pool_cannot_change_an_assigned_leaf(t):
    assign(t, "tuphap", "2")
    with refused(WorkflowError):
        appraise(t, "pool", "2.2.1")


def test_an_assigned_reviewer_cannot_propose_a_deduction_outside_their_part(t):
    from parindex.core.services.adjustments import propose_adjustment

    assign(t, "tuphap", "2")
    with refused(WorkflowError):
        propose_adjustment(
            t["a"],
            by=t["tuphap"],
            kind="deduction",
            category=leaf_in(t, "4.1"),
            amount_text="1",
            reason="Báo cáo trễ",
        )


def test_reviewers_of_names_the_assigned_reviewers_and_the_pool_when_it_has_leaves(t):
    assert {u.username for u in reviewers_of(t["a"])} == {
        "thamdinh",
        "thamdinh.tuphap",
        "thamdinh.taichinh",
    }
    assign(t, "tuphap", "2")
    assert [u.username for u in reviewers_of(t["a"])] == [
        "thamdinh.tuphap",
        "thamdinh",
        "thamdinh.taichinh",
    ]
    assign(t, "taichinh", unit="a")
    assert [u.username for u in reviewers_of(t["a"])] == ["thamdinh.tuphap", "thamdinh.taichinh"]


def test_assessments_assigned_to_a_reviewer_are_the_units_with_leaves_of_theirs(t):
    assign(t, "taichinh", "3", unit="b")
    assert list(assessments_assigned_to(t["taichinh"], t["period"])) == [t["b"]]
    assert set(assessments_assigned_to(t["pool"], t["period"])) == {t["a"], t["b"]}
    assert set(assessments_assigned_to(t["tuphap"], t["period"])) == {t["a"], t["b"]}  # pool
    assert not assessments_assigned_to(t["officer"], t["period"]).exists()


def test_the_to_do_list_drops_a_unit_once_its_part_is_marked_done(t):
    assign(t, "tuphap", "2")
    assert set(assessments_to_do(t["tuphap"], t["period"])) == {t["a"], t["b"]}
    mark_part_done(t["a"], by=t["tuphap"])
    assert list(assessments_to_do(t["tuphap"], t["period"])) == [t["b"]]


def test_a_pool_reviewer_has_nothing_where_assignments_cover_every_leaf(t):
    assign(t, "tuphap", unit="a")
    assert list(assessments_assigned_to(t["pool"], t["period"])) == [t["b"]]


def test_coverage_gaps_are_the_contents_no_all_units_assignment_covers(t):
    assign(t, "tuphap", "2")
    assign(t, "taichinh", "2.1")
    assign(t, "taichinh", "3", unit="a")  # one unit only: still a gap
    [(_group, areas)] = uncovered(t["period"])
    assert [a.code for a in areas] == ["1", "3", "4"]


def test_an_assignment_to_a_criterion_of_another_set_is_refused(t):
    other, _ = load_criteria_set(three_contents() | {"decision_number": "9/QĐ-KHAC"})
    with refused(WorkflowError, match="không thuộc bộ tiêu chí nào"):
        add_assignment(
            t["period"],
            by=t["approver"],
            reviewer=t["tuphap"],
            criterion=other.criteria.get(code="2"),
        )


@pytest.mark.parametrize(
    ("who", "kwargs", "message"),
    [
        ("approver", {"reviewer": "officer", "unit": "a"}, "tài khoản thẩm định"),
        ("approver", {"reviewer": "tuphap"}, "Chọn đơn vị, tiêu chí"),
        ("pool", {"reviewer": "tuphap", "unit": "a"}, "Chỉ người phê duyệt"),
    ],
)
def test_an_assignment_is_refused_for_a_wrong_account_scope_or_author(t, who, kwargs, message):
    with refused(WorkflowError, match=message):
        add_assignment(
            t["period"],
            by=t[who],
            reviewer=t[kwargs["reviewer"]],
            unit=t[kwargs["unit"]].unit if "unit" in kwargs else None,
        )


def test_the_same_assignment_twice_is_refused_and_removing_it_writes_an_audit_entry(t):
    assignment = assign(t, "tuphap", "2")
    with refused(WorkflowError, match="đã có"):
        assign(t, "tuphap", "2")
    remove_assignment(assignment, by=t["approver"])
    assert AuditEntry.objects.filter(action="assignment.removed").count() == 1
    assert can_appraise_leaf(t["pool"], t["a"], leaf_in(t, "2.1"))


def test_closing_is_refused_naming_the_parts_still_open(t):
    assign(t, "tuphap", "2")
    appraise(t, "pool", "1.1")
    with refused(WorkflowError, match=r"thamdinh.tuphap \(2\)"):
        finalise_appraisal(t["a"], by=t["pool"])
    mark_part_done(t["a"], by=t["tuphap"])
    assert open_parts(t["a"]) == []
    finalise_appraisal(t["a"], by=t["pool"])
    t["a"].refresh_from_db()
    assert t["a"].status == AssessmentStatus.APPRAISED


def test_only_a_reviewer_with_a_part_marks_it_done(t):
    assign(t, "tuphap", "2", unit="b")
    with refused(WorkflowError, match="không được phân công"):
        mark_part_done(t["a"], by=t["tuphap"])
    with refused(WorkflowError, match="không được phân công"):
        mark_part_done(t["a"], by=t["pool"])


def test_reopening_and_returning_clear_the_parts_done(t):
    assign(t, "tuphap", "2")
    mark_part_done(t["a"], by=t["tuphap"])
    finalise_appraisal(t["a"], by=t["pool"])
    reopen_appraisal(t["a"], by=t["approver"], reason="Sai sót")
    assert not AppraisalPart.objects.exists()
    mark_part_done(t["a"], by=t["tuphap"])
    return_for_explanation(t["a"], by=t["pool"], deadline=clock.today())
    assert not AppraisalPart.objects.exists()


def test_the_team_applied_to_a_unit_lists_who_is_responsible_for_each_leaf(t):
    assign(t, "tuphap", "2")
    applied = assessment_team(t["a"])
    assert applied.responsible(leaf_in(t, "2.2.1").pk) == [t["tuphap"]]
    assert applied.responsible(leaf_in(t, "1.1").pk) == []


def test_the_unit_and_its_reviewers_post_in_the_thread_of_a_leaf(t):
    post_leaf_comment(t["a"], leaf_in(t, "2.1"), by=t["officer"], text="  Đã bổ sung  ")
    post_leaf_comment(t["a"], leaf_in(t, "2.1"), by=t["tuphap"], text="Đã xem")
    comments = list(LeafComment.objects.values_list("author__username", "author_role", "text"))
    assert comments == [
        ("canbo.a", "officer", "Đã bổ sung"),
        ("thamdinh.tuphap", "reviewer", "Đã xem"),
    ]
    assert AuditEntry.objects.filter(action="leaf_comment.posted").count() == 2


@pytest.mark.parametrize(
    ("who", "text", "error", "message"),
    [
        ("officer", "   ", InvalidScore, "Nhập nội dung"),
        ("officer", "x" * 2001, InvalidScore, "tối đa 2000"),
        ("officer_b", "Xin chào", WorkflowError, "không xem được"),
    ],
)
def test_a_comment_is_refused_when_empty_too_long_or_by_another_unit(t, who, text, error, message):
    with refused(error, match=message):
        post_leaf_comment(t["a"], leaf_in(t, "1.1"), by=t[who], text=text)


def test_the_last_appraisal_of_a_leaf_is_the_reviewers_change_not_the_units(t):
    from parindex.core.history import last_appraisal, leaf_histories
    from parindex.core.services.assessments import save_self_score
    from parindex.core.services.team import post_leaf_comment as post

    draft = assess(t["period"], make_unit("C"), status=AssessmentStatus.DRAFT)
    t["period"].self_assessment_deadline = clock.today() + timedelta(days=3)
    t["period"].save()
    officer = make_user("canbo.c", "officer", draft.unit)
    for code in ("1.1", "3.1"):
        save_self_score(draft, leaf_in(t, code), by=officer, points_text="20", note="", revision=0)
    draft.status = AssessmentStatus.SUBMITTED
    draft.save()
    appraise_leaf(
        draft, leaf_in(t, "1.1"), by=t["pool"], points_text="10", note="Thiếu", revision=1
    )
    post(draft, leaf_in(t, "1.1"), by=officer, text="Xin xem lại")
    histories = leaf_histories(draft)
    assert last_appraisal(histories[leaf_in(t, "1.1").pk]).who == str(t["pool"])
    assert last_appraisal(histories[leaf_in(t, "3.1").pk]) is None
    [comment] = [i for i in histories[leaf_in(t, "1.1").pk] if i.comment]
    assert (comment.who, comment.message) == ("canbo.c (Cán bộ đầu mối)", "Xin xem lại")
