"""Writing rows in bulk (COPY on PostgreSQL, multi-row INSERT elsewhere) keeps every value."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from parindex.core.bulk import copy_history, insert_rows
from parindex.core.models import AuditEntry, ScoreEntry
from tests.builders import assess, leaf_of, make_unit, make_user, open_period

pytestmark = pytest.mark.django_db

AWKWARD = 'tab\there, line\nbreak, cr\r, back\\slash \\N "quoted", Sở Tư pháp; ,;'


def test_inserted_rows_read_back_exactly_with_nulls_text_and_json():
    when = datetime(2026, 11, 21, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    changes = {"leaves": {"1.1": ["0,5", AWKWARD]}, "none": None, "n": [1, 2.5]}
    count = insert_rows(
        AuditEntry,
        ["created_at", "action", "object_type", "object_id", "changes", "message", "unit"],
        [
            (when, "bulk.tested", "", "", changes, AWKWARD, None),
            (when, "bulk.tested", "x", "7", {}, "", None),
        ],
    )
    assert count == 2
    first, second = AuditEntry.objects.filter(action="bulk.tested").order_by("pk")
    assert first.created_at == when
    assert first.changes == changes
    assert first.message == AWKWARD
    assert first.unit_id is None
    assert (second.object_type, second.object_id, second.changes, second.message) == (
        "x",
        "7",
        {},
        "",
    )


def test_inserted_score_rows_keep_decimals_booleans_and_foreign_keys():
    period = open_period()
    assessment = assess(period, make_unit("A"), status="draft")
    leaf = leaf_of(period, "1.1")
    user = make_user("bulk", "officer")
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("UTC"))
    insert_rows(
        ScoreEntry,
        [
            "assessment",
            "criterion",
            "self_points",
            "appraised_points",
            "not_applicable",
            "self_note",
            "revision",
            "updated_at",
            "updated_by",
        ],
        [(assessment.pk, leaf.pk, Decimal("0.25"), None, False, AWKWARD, 3, now, user.pk)],
    )
    entry = ScoreEntry.objects.get(assessment=assessment, criterion=leaf)
    assert (entry.self_points, entry.appraised_points, entry.not_applicable) == (
        Decimal("0.25"),
        None,
        False,
    )
    assert (entry.self_note, entry.revision, entry.updated_by, entry.updated_at) == (
        AWKWARD,
        3,
        user,
        now,
    )


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        insert_rows(AuditEntry, ["created_at", "action"], [(datetime.now(ZoneInfo("UTC")),)])


def test_copied_history_has_one_row_per_matching_row_with_its_values_user_and_reason():
    period = open_period()
    assessment = assess(period, make_unit("A"), status="draft")
    other = assess(period, make_unit("B"), status="draft")
    user = make_user("bulk", "officer")
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("UTC"))
    fields = ["assessment", "criterion", "self_points", "revision", "updated_at"]
    first, second = (leaf_of(period, code) for code in ("1.1", "1.2"))
    insert_rows(
        ScoreEntry,
        fields,
        [
            (assessment.pk, first.pk, Decimal("1"), 0, now),
            (assessment.pk, second.pk, Decimal("2"), 0, now),
            (other.pk, first.pk, Decimal("3"), 0, now),
        ],
    )
    copy_history(
        ScoreEntry,
        "e.assessment_id = %s",
        [assessment.pk],
        when=now,
        user_id=user.pk,
        reason="Nhập từ sổ điểm",
    )
    history = ScoreEntry.history.filter(assessment=assessment).order_by("self_points")
    assert [h.self_points for h in history] == [Decimal("1"), Decimal("2")]
    assert {(h.history_user_id, h.history_change_reason, h.history_type) for h in history} == {
        (user.pk, "Nhập từ sổ điểm", "+")
    }
    assert not ScoreEntry.history.filter(assessment=other).exists()


def test_inserted_times_sort_with_the_times_the_orm_wrote():
    from datetime import timedelta

    base = datetime(2026, 11, 21, 23, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    AuditEntry.objects.create(created_at=base + timedelta(minutes=1), action="orm.middle")
    insert_rows(
        AuditEntry,
        ["created_at", "action"],
        [(base, "bulk.first"), (base + timedelta(minutes=2), "bulk.last")],
    )
    order = list(AuditEntry.objects.order_by("created_at").values_list("action", flat=True))
    assert order == ["bulk.first", "orm.middle", "bulk.last"]
    later = AuditEntry.objects.filter(created_at__gt=base + timedelta(seconds=30))
    assert set(later.values_list("action", flat=True)) == {"orm.middle", "bulk.last"}
    assert AuditEntry.objects.get(created_at=base).action == "bulk.first"  # an exact lookup


def test_one_audit_row_written_by_its_kept_statement_holds_what_the_orm_would_store():
    from parindex.core.models import AuditEntry, Period
    from parindex.core.services import audit

    period = Period.objects.create(year=2031, name="Kỳ 2031")
    entry_id = audit.record(
        "score.saved",
        period=period,
        obj=period,
        changes={"self_points": ["1.50", "2"], "ghi_chú": "Đạt"},
        message="lưu",
    )
    stored = AuditEntry.objects.get(pk=entry_id)
    assert (stored.action, stored.period_id, stored.actor_id, stored.unit_id) == (
        "score.saved",
        period.pk,
        None,
        None,
    )
    assert (stored.object_type, stored.object_id) == ("core.Period", str(period.pk))
    assert stored.changes == {"self_points": ["1.50", "2"], "ghi_chú": "Đạt"}
    assert stored.message == "lưu"
    # Sorted with the rows the ORM writes: the time is stored as the ORM stores it.
    later_id = AuditEntry.objects.create(action="x.y", created_at=stored.created_at).pk
    assert list(
        AuditEntry.objects.filter(pk__in=[entry_id, later_id]).values_list("pk", flat=True)
    ) == [later_id, entry_id]
    assert AuditEntry.objects.filter(created_at=stored.created_at).count() == 2
