"""Notifications: each event tells the right people and nobody else, once its transaction
commits; e-mails go out from the worker, once, and only for the kinds a person keeps on."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from parindex.core import clock
from parindex.core.models import (
    AdjustmentKind,
    AssessmentStatus,
    Notification,
    NotificationKind,
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
    send_explanation,
)
from parindex.core.services.assessments import save_self_score, submit_assessment
from parindex.core.services.decisions import extend_deadline, reopen_appraisal
from parindex.core.services.notifications import send_pending_emails, set_email_kinds
from parindex.core.services.results import finalise_group, publish_results
from tests.builders import (
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    open_period,
    run_jobs,
)

pytestmark = pytest.mark.django_db
Kind = NotificationKind


@pytest.fixture
def w():
    """Units A and B of an open period, A's self-assessment complete; everybody around them."""
    period = open_period()
    unit_a, unit_b = make_unit("A"), make_unit("B")
    a = assess(period, unit_a, status=AssessmentStatus.DRAFT)
    assess(period, unit_b, status=AssessmentStatus.DRAFT)
    people = {
        "officer_a": make_user("canbo.a", "officer", unit_a),
        "head_a": make_user("lanhdao.a", "unit_head", unit_a),
        "officer_b": make_user("canbo.b", "officer", unit_b),
        "reviewer": make_user("thamdinh", "reviewer"),
        "reviewer2": make_user("thamdinh2", "reviewer"),
        "approver": make_user("pheduyet", "approver"),
        "approver2": make_user("pheduyet2", "approver"),
        "leader": make_user("lanhdao", "leader"),
        "admin": make_user("quantri", "admin"),
    }
    gone = make_user("thamdinh.cu", "reviewer")
    gone.is_active = False
    gone.save()
    for person in people.values():
        person.email = f"{person.username}@example.gov.vn"
        person.save()
    for code, points in [("1.1", "20"), ("1.2.1", "30"), ("1.2.2", "10")]:
        save_self_score(
            a,
            leaf_of(period, code),
            by=people["officer_a"],
            points_text=points,
            note="BC",
            revision=0,
        )
    return {"period": period, "a": a, **people}


def told(kind=None) -> list[str]:
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return sorted(rows.values_list("user__username", flat=True))


def submitted(w):
    submit_assessment(w["a"], by=w["head_a"])


def returned(w):
    submitted(w)
    appraise_leaf(
        w["a"],
        leaf_of(w["period"], "1.1"),
        by=w["reviewer"],
        points_text="10",
        note="Chậm",
        revision=1,
    )
    return_for_explanation(w["a"], by=w["reviewer"], deadline=clock.today() + timedelta(days=5))


def proposed(w, by="reviewer"):
    return propose_adjustment(
        w["a"],
        by=w[by],
        kind=AdjustmentKind.DEDUCTION,
        category=leaf_of(w["period"], "3.2"),
        amount_text="0.5",
        reason="Chậm gửi báo cáo quý III",
    )


def test_a_submission_tells_every_active_reviewer_and_nobody_else(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(w)
    assert told() == ["thamdinh", "thamdinh2"]
    note = Notification.objects.get(user=w["reviewer"])
    assert note.kind == Kind.SUBMITTED
    assert note.title == "Đơn vị A đã nộp bản tự đánh giá năm 2023"
    assert note.url == "/assessments/2023/A/appraise/"
    assert note.read_at is None and note.email_pending


def test_returning_for_explanation_tells_the_unit_with_its_deadline(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        returned(w)
    assert told(Kind.RETURNED) == ["canbo.a", "lanhdao.a"]
    deadline = (clock.today() + timedelta(days=5)).strftime("%d/%m/%Y")
    note = Notification.objects.get(kind=Kind.RETURNED, user=w["officer_a"])
    assert note.title == f"Kết quả thẩm định năm 2023: giải trình trước ngày {deadline}"
    assert note.url == "/assessments/2023/A/"


def test_a_sent_explanation_tells_the_reviewers(w, django_capture_on_commit_callbacks):
    returned(w)
    with django_capture_on_commit_callbacks(execute=True):
        send_explanation(w["a"], by=w["head_a"])
    assert told() == ["thamdinh", "thamdinh2"]
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.EXPLANATION_SENT}


def test_a_proposed_deduction_tells_the_approvers_but_never_its_proposer(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposed(w)
    assert told(Kind.DEDUCTION_PROPOSED) == ["pheduyet", "pheduyet2"]
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        proposed(w, by="approver")
    assert told() == ["pheduyet2"]
    note = Notification.objects.get()
    assert note.title == "Điểm trừ 0.5 điểm của Đơn vị A chờ phê duyệt"
    assert note.url == "/review/2023/adjustments/"


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_a_decided_deduction_tells_its_proposer_and_the_unit(
    w, decide, django_capture_on_commit_callbacks
):
    deduction = proposed(w)
    with django_capture_on_commit_callbacks(execute=True):
        if decide == "approve":
            approve_adjustment(deduction, by=w["approver"])
        else:
            reject_adjustment(deduction, by=w["approver"], note="Đã gửi đúng hạn")
    assert told() == ["canbo.a", "lanhdao.a", "thamdinh"]
    status = "đã phê duyệt" if decide == "approve" else "bị từ chối"
    assert Notification.objects.filter(title__endswith=status).count() == 3


def test_an_extension_tells_the_unit(w, django_capture_on_commit_callbacks):
    until = clock.today() + timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        extend_deadline(w["a"], by=w["approver"], until=until, reason="Mới sáp nhập")
    assert told() == ["canbo.a", "lanhdao.a"]
    note = Notification.objects.filter(kind=Kind.EXTENDED).first()
    assert until.strftime("%d/%m/%Y") in note.title and "Mới sáp nhập" in note.body


def test_a_reopened_appraisal_tells_the_unit_and_its_reviewers(
    w, django_capture_on_commit_callbacks
):
    submitted(w)
    finalise_appraisal(w["a"], by=w["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        reopen_appraisal(w["a"], by=w["approver"], reason="Sai sót")
    assert told(Kind.REOPENED) == ["canbo.a", "lanhdao.a", "thamdinh", "thamdinh2"]
    assert told() == told(Kind.REOPENED)


def test_a_published_group_tells_its_units_and_the_leaders(django_capture_on_commit_callbacks):
    period = make_period(2022, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("Q1", "QH"), full_scores(50, 30))
    make_user("canbo.a", "officer", make_unit("A"))
    make_user("canbo.q1", "officer", make_unit("Q1", "QH"))
    make_user("canbo.x", "officer", make_unit("X"))  # no assessment in 2022
    make_user("lanhdao", "leader")
    make_user("thamdinh", "reviewer")
    approver = make_user("pheduyet", "approver")
    group = period.period_groups.get(group__code="SO").group_id
    finalise_group(period, group, by=approver)
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(period, by=approver, group=group, decision_number="12/QĐ-UBND")
    assert told() == ["canbo.a", "lanhdao"]
    note = Notification.objects.first()
    assert note.title == "Đã công bố kết quả năm 2022: Khối SO"
    assert note.url == "/rankings/2022/SO/"
    assert "quyết định số 12/QĐ-UBND" in note.body


def test_a_rolled_back_action_tells_nobody(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            submitted(w)
            raise RuntimeError("sự cố sau khi nộp")
    assert callbacks == [] and told() == []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(WorkflowError):
            send_explanation(w["a"], by=w["head_a"])  # refused: not returned
    assert told() == []
    w["a"].refresh_from_db()
    assert w["a"].status == AssessmentStatus.DRAFT


def test_the_worker_sends_each_email_once_with_the_link(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(w)
    assert mail.outbox == []  # not in the request
    with override_settings(SITE_URL="https://cchc.example.gov.vn"):
        run_jobs()
        run_jobs()
        assert send_pending_emails() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "thamdinh2@example.gov.vn",
        "thamdinh@example.gov.vn",
    ]
    message = mail.outbox[0]
    assert message.subject == "[Chỉ số CCHC] Đơn vị A đã nộp bản tự đánh giá năm 2023"
    assert "https://cchc.example.gov.vn/assessments/2023/A/appraise/" in message.body
    assert not Notification.objects.filter(email_pending=True).exists()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_email_turned_off_for_a_kind_still_writes_the_inbox_row(
    w, django_capture_on_commit_callbacks
):
    set_email_kinds(w["reviewer"], [k for k in Kind.values if k != Kind.SUBMITTED])
    with django_capture_on_commit_callbacks(execute=True):
        submitted(w)
    run_jobs()
    assert told() == ["thamdinh", "thamdinh2"]
    assert [m.to for m in mail.outbox] == [["thamdinh2@example.gov.vn"]]
    assert not Notification.objects.get(user=w["reviewer"]).email_pending


def test_a_person_without_an_address_gets_the_inbox_row_only(w, django_capture_on_commit_callbacks):
    w["reviewer2"].email = ""
    w["reviewer2"].save()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(w)
    assert send_pending_emails() == 1
    assert told() == ["thamdinh", "thamdinh2"]


def test_a_failed_send_waits_for_the_next_run(w, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(w)

    def broken(self, fail_silently=False):
        raise OSError("máy chủ thư không trả lời")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert send_pending_emails() == 0
    assert Notification.objects.filter(email_pending=True).count() == 2
    monkeypatch.undo()
    assert send_pending_emails() == 2
    assert len(mail.outbox) == 2
