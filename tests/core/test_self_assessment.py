"""Self-assessment services: scores, conflicts, deadline, evidence, submission, history."""

from datetime import datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from parindex.core import clock
from parindex.core.errors import EditConflict, InvalidScore
from parindex.core.history import leaf_histories
from parindex.core.models import Assessment, AssessmentStatus, AuditEntry, Evidence, ScoreEntry
from parindex.core.services import WorkflowError
from parindex.core.services.assessments import (
    add_evidence,
    remove_evidence,
    save_self_score,
    submit_assessment,
    withdraw_submission,
)
from parindex.core.services.criteria import load_criteria_set
from parindex.core.workflow import submission_blockers
from tests.builders import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    assess,
    leaf_of,
    make_unit,
    make_user,
    office_bytes,
    open_period,
    refused,
    small_criteria_data,
    upload,
)

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def setup():
    period = open_period()
    unit = make_unit("A")
    assessment = assess(period, unit, status=AssessmentStatus.DRAFT)
    return {
        "period": period,
        "assessment": assessment,
        "officer": make_user("canbo", "officer", unit),
        "head": make_user("lanhdao.a", "unit_head", unit),
        "other": make_user("canbo.b", "officer", make_unit("B")),
        "reviewer": make_user("thamdinh", "reviewer"),
        "leader": make_user("lanhdao", "leader"),
    }


def save(s, code, points, note="", revision=0, by="officer"):
    return save_self_score(
        s["assessment"],
        leaf_of(s["period"], code),
        by=s[by],
        points_text=points,
        note=note,
        revision=revision,
    )


@pytest.mark.parametrize(
    "typed, stored",
    [("0,5", "0.5"), ("0.5", "0.5"), (" 12 ", "12"), ("", None), ("30", "30"), ("0", "0")],
)
def test_score_accepts_decimal_comma_and_point(setup, typed, stored):
    entry = save(setup, "1.2.1", typed)
    assert entry.self_points == (D(stored) if stored is not None else None)


@pytest.mark.parametrize(
    "code, typed, message",
    [
        ("1.2.1", "31", "Điểm tối đa của tiêu chí này là 30"),
        ("1.2.1", "-1", "không được âm"),
        ("1.2.1", "abc", "không phải là số"),
        ("1.2.1", "1,234", "tối đa 2 chữ số thập phân"),
        ("1.1", "15", "một trong các mức: 20; 10; 0"),
    ],
)
def test_invalid_scores_are_refused_with_a_reason_and_not_saved(setup, code, typed, message):
    with refused(InvalidScore, match=message):
        save(setup, code, typed)
    assert not ScoreEntry.objects.filter(self_points__isnull=False).exists()


def test_survey_leaves_cannot_be_self_scored(setup):
    with refused(WorkflowError, match="không do đơn vị tự chấm"):
        save(setup, "2.1", "10")


def test_a_later_save_from_an_old_form_is_refused_with_both_values(setup):
    save(setup, "1.2.1", "20", note="Theo báo cáo số 12")
    with refused(EditConflict) as caught:
        save(setup, "1.2.1", "25", note="Khác", revision=0, by="head")
    conflict = caught.value
    assert (conflict.their_points, conflict.their_note) == (D("20"), "Theo báo cáo số 12")
    assert (conflict.your_points, conflict.your_note, conflict.revision) == ("25", "Khác", 1)
    assert ScoreEntry.objects.get().self_points == D("20")
    entry = save(setup, "1.2.1", "25", revision=conflict.revision, by="head")
    assert (entry.self_points, entry.revision) == (D("25"), 2)


def test_saving_the_same_values_again_writes_nothing(setup):
    save(setup, "1.2.1", "20")
    entry = save(setup, "1.2.1", "20,00", revision=1)
    assert entry.revision == 1
    assert AuditEntry.objects.filter(action="score.changed").count() == 1


def test_saving_an_empty_leaf_as_it_is_writes_nothing(setup):
    entry = save(setup, "1.2.1", "", note="  ")
    assert (entry.pk, entry.revision) == (None, 0)
    assert not ScoreEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="score.changed").exists()


def test_the_first_save_of_a_leaf_is_one_row_one_history_row_and_one_audit_entry(setup):
    entry = save(setup, "1.2.1", "20", note="Báo cáo")
    stored = ScoreEntry.objects.get()
    assert (stored.pk, stored.self_points, stored.revision) == (entry.pk, D("20"), 1)
    assert [h.history_type for h in stored.history.all()] == ["+"]
    audit = AuditEntry.objects.get(action="score.changed")
    assert (audit.object_id, audit.changes) == (
        str(entry.pk),
        {"criterion": "1.2.1", "self_points": [None, "20"], "self_note": ["", "Báo cáo"]},
    )


def test_a_second_save_writes_its_audit_entry_with_the_row_and_its_history(setup):
    """On PostgreSQL the UPDATE, its history row and the audit entry are one statement: the
    entry must hold what ``audit.record`` writes."""
    first = save(setup, "1.2.1", "20", note="Báo cáo")
    entry = save(setup, "1.2.1", "25", note="Báo cáo", revision=1, by="head")
    audit = AuditEntry.objects.filter(action="score.changed").order_by("pk").last()
    assert audit.pk != AuditEntry.objects.filter(action="score.changed").order_by("pk").first().pk
    assert (audit.object_type, audit.object_id) == ("core.ScoreEntry", str(first.pk))
    assert audit.changes["criterion"] == "1.2.1"
    assert audit.changes["self_points"] == ["20", "25"]  # as typed, not "20.0000" → "25"
    assert (audit.actor, audit.period_id, audit.unit_id) == (
        setup["head"],
        setup["period"].pk,
        setup["assessment"].unit_id,
    )
    history = entry.history.order_by("history_id").last()
    assert (history.history_type, history.self_points, history.history_user) == (
        "~",
        D("25"),
        setup["head"],
    )
    assert abs(audit.created_at - history.history_date).total_seconds() < 5


def test_a_refused_first_save_leaves_no_row(setup):
    with refused(EditConflict):
        save(setup, "1.2.1", "20", revision=3)
    with refused(WorkflowError, match="không có quyền"):
        save(setup, "1.2.1", "20", by="other")
    assert not ScoreEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="score.changed").exists()


def test_a_leaf_of_another_groups_criteria_set_is_refused(setup):
    other_set, _ = load_criteria_set(small_criteria_data(name="Bộ tiêu chí khối khác"))
    foreign = other_set.criteria.get(code="1.2.1")
    with refused(WorkflowError, match="không do đơn vị tự chấm"):
        save_self_score(
            setup["assessment"],
            foreign,
            by=setup["officer"],
            points_text="20",
            note="",
            revision=0,
        )
    assert not ScoreEntry.objects.exists()


def test_a_save_locks_and_reads_the_leaf_in_one_statement_once_it_was_saved(
    setup, django_assert_num_queries
):
    save(setup, "1.2.1", "20")
    leaf = leaf_of(setup["period"], "1.2.1")
    # As the views pass it: with its period, unit and the id of its criteria set.
    assessment = (
        Assessment.objects.select_related("period", "unit")
        .with_criteria_set()
        .get(pk=setup["assessment"].pk)
    )
    # savepoint, the row with its assessment (locked), UPDATE with its history row and audit
    # entry (one statement on PostgreSQL, three elsewhere), release
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 6):
        entry = save_self_score(
            assessment, leaf, by=setup["officer"], points_text="25", note="", revision=1
        )
    assert (entry.self_points, entry.revision) == (D("25"), 2)


def test_a_leaf_saved_again_gets_a_history_row_like_the_first_one(setup):
    """The second save writes its row and history in SQL of its own: the history row must
    hold what django-simple-history writes for a change."""
    first = save(setup, "1.2.1", "20", note="a")
    save(setup, "1.2.1", "25", note="b", revision=1)
    save(setup, "1.2.1", "25", note="c", revision=2, by="head")
    rows = list(first.history.order_by("history_date", "history_id"))
    assert [
        (r.history_type, r.self_points, r.self_note, r.revision, r.history_user.username)
        for r in rows
    ] == [
        ("+", D("20"), "a", 1, "canbo"),
        ("~", D("25"), "b", 2, "canbo"),
        ("~", D("25"), "c", 3, "lanhdao.a"),
    ]
    assert rows[1].history_change_reason is None
    changed = {change.field for change in rows[2].diff_against(rows[1]).changes}
    assert changed == {"self_note", "revision", "updated_by"}
    entry = ScoreEntry.objects.get(pk=first.pk)
    assert (entry.self_note, entry.revision, entry.updated_by.username) == ("c", 3, "lanhdao.a")
    assert entry.updated_at >= rows[0].history_date


@pytest.mark.parametrize("who", ["other", "reviewer", "leader"])
def test_only_the_units_own_staff_may_enter_scores(setup, who):
    with refused(WorkflowError, match="không có quyền"):
        save(setup, "1.2.1", "20", by=who)


def at_local(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


@pytest.mark.parametrize(
    "days_after_deadline, hour, allowed",
    [(0, 23, True), (1, 0, False), (-3, 9, True), (10, 9, False)],
)
def test_deadline_is_the_end_of_the_deadline_day_in_vietnam(
    setup, monkeypatch, days_after_deadline, hour, allowed
):
    day = setup["period"].self_assessment_deadline + timedelta(days=days_after_deadline)
    monkeypatch.setattr(clock, "now", lambda: at_local(day, hour, 59))
    if allowed:
        assert save(setup, "1.2.1", "20").self_points == D("20")
    else:
        with refused(WorkflowError, match="hết thời hạn"):
            save(setup, "1.2.1", "20")


def complete(s):
    save(s, "1.1", "20", note="Kế hoạch số 1")
    save(s, "1.2.1", "30")
    save(s, "1.2.2", "0")
    add_evidence(
        s["assessment"],
        leaf_of(s["period"], "1.2.1"),
        by=s["officer"],
        file=upload("bao-cao.pdf", PDF_BYTES),
        citation="Mục II, tr. 3",
    )


def test_after_the_deadline_nothing_can_be_submitted_withdrawn_or_uploaded(setup, monkeypatch):
    complete(setup)
    submit_assessment(setup["assessment"], by=setup["head"])
    late = setup["period"].self_assessment_deadline + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: at_local(late, 8))
    with refused(WorkflowError, match="hết thời hạn"):
        withdraw_submission(setup["assessment"], by=setup["head"])
    with refused(WorkflowError, match="hết thời hạn"):
        add_evidence(
            setup["assessment"],
            leaf_of(setup["period"], "1.1"),
            by=setup["officer"],
            file=upload("x.pdf", PDF_BYTES),
        )


def test_submission_lists_unscored_leaves_and_points_without_evidence(setup):
    save(setup, "1.1", "20")  # points, no evidence, no note
    save(setup, "1.2.2", "0")  # zero needs no evidence
    with refused(WorkflowError) as caught:
        submit_assessment(setup["assessment"], by=setup["head"])
    assert caught.value.details == [
        "1.1 — có điểm nhưng chưa có tài liệu kiểm chứng hoặc giải thích",
        "1.2.1 — chưa chấm điểm",
    ]
    setup["assessment"].refresh_from_db()
    assert setup["assessment"].status == AssessmentStatus.DRAFT


def test_head_submits_then_entries_are_locked_until_withdrawn(setup):
    complete(setup)
    assert submission_blockers(setup["assessment"]) == []
    submit_assessment(setup["assessment"], by=setup["head"])
    setup["assessment"].refresh_from_db()
    assert setup["assessment"].status == AssessmentStatus.SUBMITTED
    assert setup["assessment"].submitted_by == setup["head"]
    with refused(WorkflowError, match="không sửa được nữa"):
        save(setup, "1.2.2", "5", revision=1)
    withdraw_submission(setup["assessment"], by=setup["head"])
    assert save(setup, "1.2.2", "5", note="Bổ sung", revision=1).self_points == D("5")
    actions = list(
        AuditEntry.objects.filter(action__startswith="assessment.")
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["assessment.submitted", "assessment.withdrawn"]


def test_officers_cannot_submit(setup):
    complete(setup)
    with refused(WorkflowError, match="Chỉ lãnh đạo đơn vị"):
        submit_assessment(setup["assessment"], by=setup["officer"])


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("bao-cao.pdf", PDF_BYTES, "application/pdf"),
        ("anh.PNG", PNG_BYTES, "image/png"),
        ("van-ban.docx", office_bytes("word"), "wordprocessingml"),
        ("bang.xlsx", office_bytes("xl"), "spreadsheetml"),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "msword"),
    ],
)
def test_accepted_evidence_types(setup, name, content, kind):
    evidence = add_evidence(
        setup["assessment"],
        leaf_of(setup["period"], "1.1"),
        by=setup["officer"],
        file=upload(name, content),
    )
    assert kind in evidence.content_type
    assert evidence.original_name == name
    assert name not in evidence.file.name  # stored under a generated name
    assert evidence.file.read() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bao-cao.pdf", EXE_BYTES, "không phải là tệp pdf hợp lệ"),
        ("virus.exe", EXE_BYTES, "chỉ nhận pdf"),
        ("bang.docx", office_bytes("xl"), "không phải là tệp docx hợp lệ"),
        ("anh.jpg", PNG_BYTES, "không phải là tệp jpg hợp lệ"),
        ("trong.pdf", b"", "rỗng"),
    ],
)
def test_rejected_evidence_files(setup, name, content, message):
    with refused(WorkflowError, match=message):
        add_evidence(
            setup["assessment"],
            leaf_of(setup["period"], "1.1"),
            by=setup["officer"],
            file=upload(name, content),
        )
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(setup, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with refused(WorkflowError, match="lớn hơn giới hạn 1 MB"):
        add_evidence(
            setup["assessment"],
            leaf_of(setup["period"], "1.1"),
            by=setup["officer"],
            file=upload("lon.pdf", big),
        )


def test_history_records_who_changed_what_including_evidence(setup):
    save(setup, "1.2.1", "20")
    save(setup, "1.2.1", "25", note="Đã bổ sung", revision=1, by="head")
    evidence = add_evidence(
        setup["assessment"],
        leaf_of(setup["period"], "1.2.1"),
        by=setup["officer"],
        file=upload("bc.pdf", PDF_BYTES),
    )
    remove_evidence(evidence, by=setup["head"])
    items = leaf_histories(setup["assessment"])[leaf_of(setup["period"], "1.2.1").pk]
    described = [
        (item.who, item.message or "; ".join(f"{c.label}: {c.old} → {c.new}" for c in item.changes))
        for item in items
    ]
    assert described == [
        ("canbo", "Điểm tự chấm: — → 20"),
        ("lanhdao.a", "Điểm tự chấm: 20 → 25; Giải thích: — → Đã bổ sung"),
        ("canbo", "Thêm tệp “bc.pdf”"),
        ("lanhdao.a", "Xóa tệp “bc.pdf”"),
    ]
    assert AuditEntry.objects.filter(action__in=["evidence.added", "evidence.removed"]).count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the row is read by hand-written SQL on PostgreSQL only; CI runs this on PostgreSQL",
)
def test_the_locked_row_read_by_hand_is_the_row_the_orm_reads(setup):
    from django.db import transaction

    from parindex.core.services.entries import saved_row_locked

    first = save(setup, "1.2.1", "20", note="ghi chú")
    Assessment.objects.filter(pk=setup["assessment"].pk).update(
        extension_reason="Lý do", deadline_extended_to=setup["period"].self_assessment_deadline
    )
    fields = [f.attname for f in ScoreEntry._meta.concrete_fields]
    assessment_fields = [f.attname for f in Assessment._meta.concrete_fields]
    with transaction.atomic():
        entry = saved_row_locked(setup["assessment"].pk, first.criterion_id)
    orm = ScoreEntry.objects.select_related("assessment").get(pk=first.pk)
    assert [getattr(entry, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert [getattr(entry.assessment, f) for f in assessment_fields] == [
        getattr(orm.assessment, f) for f in assessment_fields
    ]
    assert not entry._state.adding and entry._state.db == "default"
    with transaction.atomic():
        assert saved_row_locked(setup["assessment"].pk, 0) is None
