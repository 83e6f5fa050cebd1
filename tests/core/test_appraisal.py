"""Appraisal services: rounds, explanation, adjustments, finalise/publish, corrections."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from parindex.core import clock
from parindex.core.errors import EditConflict, InvalidScore
from parindex.core.models import (
    AdjustmentKind,
    AdjustmentStatus,
    AssessmentStatus,
    AuditEntry,
    EvidenceStage,
    Period,
    PeriodStatus,
    ResultSet,
    ScoreEntry,
    UnitResult,
)
from parindex.core.services import WorkflowError
from parindex.core.services.adjustments import (
    approve_adjustment,
    propose_adjustment,
    reject_adjustment,
)
from parindex.core.services.appraisal import (
    appraise_leaf,
    finalise_appraisal,
    return_for_explanation,
    save_explanation,
    save_survey_points,
    send_explanation,
)
from parindex.core.services.assessments import add_evidence, save_self_score, submit_assessment
from parindex.core.services.corrections import correct_results
from parindex.core.services.remediation import save_remediation_item
from parindex.core.services.results import finalise_period, publish_results
from tests.builders import (
    PDF_BYTES,
    assess,
    leaf_of,
    make_unit,
    make_user,
    open_period,
    refused,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    """A unit A that submitted 20 + 30 + 10 self points, and the people around it."""
    period = open_period()
    unit = make_unit("A")
    a = assess(period, unit, status=AssessmentStatus.DRAFT)
    people = {
        "officer": make_user("canbo", "officer", unit),
        "head": make_user("lanhdao.a", "unit_head", unit),
        "other_officer": make_user("canbo.b", "officer", make_unit("B")),
        "reviewer": make_user("thamdinh", "reviewer"),
        "reviewer2": make_user("thamdinh2", "reviewer"),
        "approver": make_user("pheduyet", "approver"),
        "approver2": make_user("pheduyet2", "approver"),
        "leader": make_user("lanhdao", "leader"),
    }
    for code, points in [("1.1", "20"), ("1.2.1", "30"), ("1.2.2", "10")]:
        save_self_score(
            a,
            leaf_of(period, code),
            by=people["officer"],
            points_text=points,
            note="Báo cáo năm",
            revision=0,
        )
    submit_assessment(a, by=people["head"])
    return {"period": period, "a": a, **people}


def appraise(w, code, points, note="", by="reviewer", na=False, revision=None):
    entry = ScoreEntry.objects.get(assessment=w["a"], criterion__code=code)
    return appraise_leaf(
        w["a"],
        leaf_of(w["period"], code),
        by=w[by],
        points_text=points,
        note=note,
        not_applicable=na,
        revision=entry.revision if revision is None else revision,
    )


def status(w):
    w["a"].refresh_from_db()
    return w["a"].status


def test_first_appraisal_starts_round_one_and_a_cut_needs_a_reason(w):
    with refused(InvalidScore, match="cần ghi lý do"):
        appraise(w, "1.1", "10")
    assert status(w) == AssessmentStatus.SUBMITTED
    entry = appraise(w, "1.1", "10", note="Kế hoạch ban hành chậm")
    assert (entry.appraised_points, entry.appraisal_note) == (D("10"), "Kế hoạch ban hành chậm")
    assert status(w) == AssessmentStatus.APPRAISING
    assert appraise(w, "1.2.1", "30").appraised_points == D("30")  # same value: no reason needed


def test_not_applicable_needs_a_reason_and_moves_the_maximum(w):
    with refused(InvalidScore, match="không áp dụng"):
        appraise(w, "1.2.2", "", na=True)
    appraise(w, "1.2.2", "", note="Đơn vị không có nhiệm vụ này", na=True)
    from parindex.core.calculation import calculate_results

    unit_row, _areas = calculate_results(w["period"])[0]
    assert (unit_row.points, unit_row.max_points) == (D("50"), D("90"))


@pytest.mark.parametrize("who", ["officer", "head", "leader", "other_officer"])
def test_only_sở_nội_vụ_appraises(w, who):
    with refused(WorkflowError, match="Chỉ thẩm định viên"):
        appraise(w, "1.1", "10", note="x", by=who)


def test_two_reviewers_on_the_same_leaf_the_later_is_refused_with_both_values(w):
    revision = ScoreEntry.objects.get(assessment=w["a"], criterion__code="1.1").revision
    appraise(w, "1.1", "10", note="Chậm", revision=revision)
    with refused(EditConflict) as caught:
        appraise(w, "1.1", "0", note="Không có", by="reviewer2", revision=revision)
    assert (caught.value.their_points, caught.value.their_note) == (D("10"), "Chậm")
    assert (caught.value.your_points, caught.value.your_note) == ("0", "Không có")
    assert ScoreEntry.objects.get(assessment=w["a"], criterion__code="1.1").appraised_points == 10


def test_a_draft_assessment_cannot_be_appraised(w):
    period = w["period"]
    b = assess(period, make_unit("B"), status=AssessmentStatus.DRAFT)
    with refused(WorkflowError, match="chưa hoặc không còn thẩm định"):
        appraise_leaf(
            b, leaf_of(period, "1.1"), by=w["reviewer"], points_text="10", note="x", revision=0
        )


def full_loop_to_returned(w):
    appraise(w, "1.1", "10", note="Kế hoạch ban hành chậm")
    return_for_explanation(w["a"], by=w["reviewer"], deadline=clock.today() + timedelta(days=5))


def test_return_explain_and_round_two(w):
    with refused(WorkflowError, match="đang thẩm định"):
        return_for_explanation(w["a"], by=w["reviewer"], deadline=clock.today())
    full_loop_to_returned(w)
    assert status(w) == AssessmentStatus.RETURNED
    entry = ScoreEntry.objects.get(assessment=w["a"], criterion__code="1.1")
    save_explanation(
        w["a"],
        leaf_of(w["period"], "1.1"),
        by=w["officer"],
        text="Kế hoạch ban hành ngày 10/01, kèm văn bản",
        revision=entry.revision,
    )
    with refused(WorkflowError, match="không cần giải trình"):
        save_explanation(
            w["a"], leaf_of(w["period"], "1.2.1"), by=w["officer"], text="x", revision=0
        )
    evidence = add_evidence(
        w["a"], leaf_of(w["period"], "1.1"), by=w["officer"], file=upload("kh.pdf", PDF_BYTES)
    )
    assert evidence.stage == EvidenceStage.EXPLANATION
    with refused(WorkflowError, match="Chỉ lãnh đạo đơn vị"):
        send_explanation(w["a"], by=w["officer"])
    send_explanation(w["a"], by=w["head"])
    assert status(w) == AssessmentStatus.EXPLAINED
    appraise(w, "1.1", "20", note="Chấp nhận giải trình")
    finalise_appraisal(w["a"], by=w["reviewer"])
    assert status(w) == AssessmentStatus.APPRAISED
    finals = dict(
        ScoreEntry.objects.filter(assessment=w["a"]).values_list(
            "criterion__code", "appraised_points"
        )
    )
    assert finals == {"1.1": D("20"), "1.2.1": D("30"), "1.2.2": D("10")}
    history = ScoreEntry.history.filter(criterion__code="1.2.1").order_by("history_date")
    assert history.last().appraised_points == D("30")  # the accepted value is in the history


def test_explanation_after_its_deadline_is_refused_and_the_reviewer_may_close(w, monkeypatch):
    full_loop_to_returned(w)
    with refused(WorkflowError, match="Chưa kết thúc"):
        finalise_appraisal(w["a"], by=w["reviewer"])
    late = clock.today() + timedelta(days=6)
    monkeypatch.setattr(clock, "today", lambda: late)
    with refused(WorkflowError, match="Không trong thời gian giải trình"):
        send_explanation(w["a"], by=w["head"])
    finalise_appraisal(w["a"], by=w["reviewer"])
    assert status(w) == AssessmentStatus.APPRAISED


def propose(w, amount="0.5", by="reviewer", kind=AdjustmentKind.DEDUCTION, code="3.2"):
    return propose_adjustment(
        w["a"],
        by=w[by],
        kind=kind,
        category=leaf_of(w["period"], code),
        amount_text=amount,
        reason="Chậm gửi báo cáo quý III",
    )


def test_a_deduction_is_approved_by_another_person_only(w):
    deduction = propose(w)
    with refused(WorkflowError, match="người khác"):
        approve_adjustment(deduction, by=w["reviewer"])
    with refused(WorkflowError, match="người khác"):
        approve_adjustment(deduction, by=w["reviewer2"])  # not an approver
    own = propose(w, by="approver")
    with refused(WorkflowError, match="người khác"):
        approve_adjustment(own, by=w["approver"])
    approve_adjustment(own, by=w["approver2"])
    with refused(WorkflowError, match="đã được quyết định"):
        reject_adjustment(own, by=w["approver2"], note="Đổi ý")
    assert AuditEntry.objects.filter(action="deduction.approved").count() == 1


def test_a_rejection_needs_a_reason(w):
    deduction = propose(w)
    with refused(InvalidScore, match="lý do từ chối"):
        reject_adjustment(deduction, by=w["approver"], note=" ")
    reject_adjustment(deduction, by=w["approver"], note="Báo cáo gửi đúng hạn qua hệ thống")
    deduction.refresh_from_db()
    assert deduction.status == AdjustmentStatus.REJECTED


@pytest.mark.parametrize(
    "amount, code, kind, message",
    [
        ("0", "3.2", AdjustmentKind.DEDUCTION, "số dương"),
        ("6", "3.2", AdjustmentKind.DEDUCTION, "vượt mức tối đa 5"),
        ("0.5", "3.1", AdjustmentKind.DEDUCTION, "không thuộc loại này"),
        ("0.5", "1.1", AdjustmentKind.BONUS, "không thuộc loại này"),
    ],
)
def test_invalid_adjustments_are_refused(w, amount, code, kind, message):
    with refused(WorkflowError, match=message):
        propose(w, amount=amount, code=code, kind=kind)


def test_officers_cannot_propose_adjustments(w):
    with refused(WorkflowError, match="Chỉ thẩm định viên"):
        propose(w, by="officer")


def test_survey_points_are_entered_by_reviewers_within_the_maximum(w):
    survey = leaf_of(w["period"], "2.1")
    with refused(InvalidScore, match="0 – 40"):
        save_survey_points(w["a"], survey, by=w["reviewer"], points_text="41", revision=0)
    entry = save_survey_points(w["a"], survey, by=w["reviewer"], points_text="36,1234", revision=0)
    assert entry.survey_points == D("36.1234")
    with refused(WorkflowError, match="Chỉ thẩm định viên"):
        save_survey_points(w["a"], survey, by=w["officer"], points_text="40", revision=1)


def publish(w):
    appraise(w, "1.1", "10", note="Chậm")
    save_survey_points(
        w["a"], leaf_of(w["period"], "2.1"), by=w["reviewer"], points_text="30", revision=0
    )
    finalise_appraisal(w["a"], by=w["reviewer"])
    deduction = propose(w)
    with refused(WorkflowError, match="người phê duyệt"):
        finalise_period(w["period"], by=w["reviewer"])
    finalise_period(w["period"], by=w["approver"])
    approve_adjustment(deduction, by=w["approver"])  # after finalising: results follow
    result = UnitResult.objects.current_for(w["period"]).get()
    assert (result.total, result.index) == (D("79.5"), D("79.50"))
    with refused(WorkflowError, match="người phê duyệt"):
        publish_results(Period.objects.get(pk=w["period"].pk), by=w["reviewer"])
    (published,) = publish_results(
        Period.objects.get(pk=w["period"].pk), by=w["approver"], decision_number="123/QĐ-UBND"
    )
    return published


def test_after_publication_nothing_changes_except_by_a_recorded_correction(w):
    first = publish(w)
    with refused(WorkflowError, match="không sửa điểm"):
        appraise(w, "1.1", "20", note="x")
    with refused(WorkflowError, match="đã công bố"):
        propose(w)
    with refused(WorkflowError, match="lý do và số quyết định"):
        correct_results(w["period"], by=w["approver"], reason="", decision_number="")
    with refused(WorkflowError, match="người phê duyệt"):
        correct_results(w["period"], by=w["reviewer"], reason="x", decision_number="1")
    second = correct_results(
        w["period"],
        by=w["approver"],
        reason="Tiếp thu ý kiến Hội đồng",
        decision_number="130/QĐ-UBND",
        changes=[(w["a"], leaf_of(w["period"], "1.1"), "20", "Hội đồng chấp nhận")],
    )
    assert (first.version, second.version) == (1, 2)
    assert ResultSet.objects.get(pk=first.pk).is_current is False
    old = UnitResult.objects.get(result_set=first)
    new = UnitResult.objects.get(result_set=second)
    assert (old.index, new.index) == (D("79.50"), D("89.50"))
    assert (second.reason, second.decision_number, second.computed_by) == (
        "Tiếp thu ý kiến Hội đồng",
        "130/QĐ-UBND",
        w["approver"],
    )
    assert AuditEntry.objects.filter(action="results.corrected").exists()


def test_remediation_plan_is_the_units_after_results(w):
    with refused(WorkflowError, match="sau khi có kết quả"):
        save_remediation_item(
            w["a"], by=w["officer"], criterion=None, measure="x", owner="y", due_date=clock.today()
        )
    publish(w)
    item = save_remediation_item(
        w["a"],
        by=w["officer"],
        criterion=leaf_of(w["period"], "1.1"),
        measure="Ban hành kế hoạch CCHC trước 15/12",
        owner="Văn phòng Sở",
        due_date=clock.today() + timedelta(days=30),
    )
    with refused(WorkflowError, match="Chỉ đơn vị"):
        save_remediation_item(
            w["a"],
            by=w["reviewer"],
            item=item,
            criterion=None,
            measure="x",
            owner="y",
            due_date=clock.today(),
        )
    save_remediation_item(
        w["a"],
        by=w["head"],
        item=item,
        criterion=item.criterion,
        measure=item.measure,
        owner=item.owner,
        due_date=item.due_date,
        status="done",
    )
    item.refresh_from_db()
    assert item.status == "done"
    assert AuditEntry.objects.filter(action="remediation.updated").exists()


def test_status_after_publication_is_published(w):
    publish(w)
    assert Period.objects.get(pk=w["period"].pk).status == PeriodStatus.PUBLISHED


def test_appraisal_actions_follow_the_state_and_the_role(w):
    from parindex.core.workflow import appraisal_actions

    a = w["a"]
    a.refresh_from_db()
    assert appraisal_actions(w["reviewer"], a) == {"appraise", "finalise", "return"}
    assert appraisal_actions(w["leader"], a) == frozenset()
    assert appraisal_actions(w["officer"], a) == frozenset()
    full_loop_to_returned(w)
    a.refresh_from_db()
    assert appraisal_actions(w["reviewer"], a) == frozenset()  # the unit is explaining
    send_explanation(a, by=w["head"])
    a.refresh_from_db()
    assert appraisal_actions(w["reviewer"], a) == {"appraise", "finalise"}
