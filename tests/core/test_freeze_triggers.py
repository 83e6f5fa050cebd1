"""On PostgreSQL the database itself refuses to change audit rows, published results and the
rules of published results (migration 0009_freeze_triggers), whatever SQL is sent.

Issue 16: these were immutable only in the application; raw SQL could rewrite them.
"""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from parindex.core.models import (
    AreaResult,
    AuditEntry,
    GradeBand,
    PeriodGroup,
    ResultSet,
    UnitResult,
)
from parindex.core.services import audit
from parindex.core.services.corrections import correct_results
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.results import (
    compute_results,
    finalise_group,
    publish_group,
)
from tests.builders import (
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    small_criteria_data,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the freeze triggers exist on PostgreSQL only (set DATABASE_URL to run these)",
    ),
]


@pytest.fixture
def period():
    """2022 with the departments (SO) published and the districts (QH) open, computed."""
    period = make_period(2022, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("Q", "QH"), full_scores(50, 30))
    so = PeriodGroup.objects.get(period=period, group__code="SO").group_id
    finalise_group(period, so)
    publish_group(period, so, decision_number="12/QĐ-UBND")
    compute_results(period)
    return period


RESTRICT_VIOLATION = "23001"  # what the triggers raise, unlike a unique or foreign key error


def refused_in_sql(sql, params=()):
    """Run ``sql`` and expect a freeze trigger to refuse it (the transaction stays usable)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert caught.value.__cause__.pgcode == RESTRICT_VIOLATION, caught.value


def run_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def published_set(period):
    return ResultSet.objects.get(period=period, group__code="SO", published=True)


def test_audit_rows_refuse_update_and_delete_in_sql():
    entry_id = audit.record("test.recorded", message="gốc")
    refused_in_sql("UPDATE core_auditentry SET action = 'x'")
    refused_in_sql("UPDATE core_auditentry SET message = 'sửa' WHERE id = %s", [entry_id])
    refused_in_sql("DELETE FROM core_auditentry")
    stored = AuditEntry.objects.get(pk=entry_id)
    assert (stored.action, stored.message) == ("test.recorded", "gốc")


def test_published_unit_and_area_results_refuse_update_and_delete_in_sql(period):
    result_set = published_set(period)
    unit_row = UnitResult.objects.get(result_set=result_set)
    before = (unit_row.index, unit_row.grade_label, AreaResult.objects.count())
    refused_in_sql("UPDATE core_unitresult SET index = 99 WHERE id = %s", [unit_row.pk])
    refused_in_sql("UPDATE core_unitresult SET grade_label = 'Xuất sắc'")
    refused_in_sql("DELETE FROM core_unitresult WHERE result_set_id = %s", [result_set.pk])
    refused_in_sql("UPDATE core_arearesult SET points = 0")
    refused_in_sql("DELETE FROM core_arearesult WHERE unit_result_id = %s", [unit_row.pk])
    unit_row.refresh_from_db()
    assert (unit_row.index, unit_row.grade_label, AreaResult.objects.count()) == before


def test_unit_rows_cannot_be_moved_into_a_published_result_set_in_sql(period):
    provisional = ResultSet.objects.get(period=period, group__code="QH", is_current=True)
    refused_in_sql(
        "UPDATE core_unitresult SET result_set_id = %s WHERE result_set_id = %s",
        [published_set(period).pk, provisional.pk],
    )


def test_a_published_result_set_refuses_changes_and_delete_but_may_be_retired_in_sql(period):
    result_set = published_set(period)
    refused_in_sql("UPDATE core_resultset SET decision_number = 'khác' WHERE published")
    refused_in_sql("UPDATE core_resultset SET published = false WHERE id = %s", [result_set.pk])
    refused_in_sql("DELETE FROM core_resultset WHERE id = %s", [result_set.pk])
    assert run_sql("UPDATE core_resultset SET is_current = false WHERE id = %s", [result_set.pk])
    refused_in_sql("UPDATE core_resultset SET is_current = true WHERE id = %s", [result_set.pk])
    result_set.refresh_from_db()
    assert (result_set.decision_number, result_set.is_current) == ("12/QĐ-UBND", False)


def test_the_rules_of_published_results_refuse_changes_in_sql(period):
    so = PeriodGroup.objects.get(period=period, group__code="SO")
    other, _ = load_criteria_set(small_criteria_data(name="Bộ khác"))
    refused_in_sql("UPDATE core_criteriaset SET bonus_cap = 9 WHERE id = %s", [so.criteria_set_id])
    refused_in_sql("UPDATE core_criteriaset SET allow_over_max = true")
    refused_in_sql(
        "UPDATE core_criterion SET max_points = 1 WHERE criteria_set_id = %s", [so.criteria_set_id]
    )
    refused_in_sql("DELETE FROM core_criterion WHERE criteria_set_id = %s", [so.criteria_set_id])
    refused_in_sql(
        "UPDATE core_criterion SET criteria_set_id = %s WHERE criteria_set_id = %s",
        [so.criteria_set_id, other.pk],
    )
    bands = "WHERE period_id = %s AND group_id = %s"
    refused_in_sql(
        f"UPDATE core_gradeband SET label = 'Xuất sắc' {bands}", [period.pk, so.group_id]
    )
    refused_in_sql(f"UPDATE core_gradeband SET lower_bound = 95 {bands}", [period.pk, so.group_id])
    refused_in_sql(f"DELETE FROM core_gradeband {bands}", [period.pk, so.group_id])
    qh = PeriodGroup.objects.get(period=period, group__code="QH")
    refused_in_sql(  # moving an open group's band into the published group
        f"UPDATE core_gradeband SET group_id = %s, label = label || ' QH' {bands}",
        [so.group_id, period.pk, qh.group_id],
    )
    refused_in_sql("UPDATE core_period SET tie_rule = 'unrounded' WHERE id = %s", [period.pk])
    refused_in_sql(
        "UPDATE core_periodgroup SET criteria_set_id = %s WHERE id = %s", [other.pk, so.pk]
    )
    refused_in_sql("UPDATE core_periodgroup SET ranked = false WHERE id = %s", [so.pk])
    refused_in_sql("UPDATE core_periodgroup SET stage = 'open' WHERE id = %s", [so.pk])
    refused_in_sql("DELETE FROM core_periodgroup WHERE id = %s", [so.pk])
    so.refresh_from_db()
    assert (so.criteria_set.bonus_cap, so.stage, so.ranked) == (3, "published", True)
    assert GradeBand.objects.filter(period=period, group_id=so.group_id).count() == 2


def test_rules_and_results_not_yet_published_still_change_in_sql(period):
    qh = PeriodGroup.objects.get(period=period, group__code="QH")
    unused, _ = load_criteria_set(small_criteria_data(name="Bộ chưa dùng"))
    bands = "WHERE period_id = %s AND group_id = %s"
    sql = f"UPDATE core_gradeband SET lower_bound = lower_bound + 5 {bands}"
    assert run_sql(sql, [period.pk, qh.group_id]) == 2
    assert run_sql("UPDATE core_criteriaset SET bonus_cap = 9 WHERE id = %s", [unused.pk]) == 1
    assert run_sql("UPDATE core_periodgroup SET ranked = false WHERE id = %s", [qh.pk]) == 1
    provisional = ResultSet.objects.get(period=period, group__code="QH", is_current=True)
    rows = "WHERE result_set_id = %s"
    assert run_sql(f"UPDATE core_unitresult SET rank = NULL {rows}", [provisional.pk]) == 1
    assert run_sql(
        f"DELETE FROM core_arearesult WHERE unit_result_id IN "
        f"(SELECT id FROM core_unitresult {rows})",
        [provisional.pk],
    )
    assert run_sql(f"DELETE FROM core_unitresult {rows}", [provisional.pk]) == 1
    assert run_sql("DELETE FROM core_resultset WHERE id = %s", [provisional.pk]) == 1


def test_publishing_recomputing_and_correcting_still_work_on_postgresql(period):
    approver = make_user("pheduyet", "approver")
    qh = PeriodGroup.objects.get(period=period, group__code="QH").group_id
    compute_results(period, group_ids=[qh])  # replaces the provisional set
    finalise_group(period, qh, by=approver)
    publish_group(period, qh, by=approver, decision_number="13/QĐ-UBND")
    assessment = make_unit("A").assessments.get(period=period)
    correct_results(
        period,
        by=approver,
        reason="Sai sót",
        decision_number="14/QĐ-UBND",
        changes=[(assessment, leaf_of(period, "1.2.1"), "29", "Sai sót")],
    )
    so_sets = ResultSet.objects.filter(period=period, group__code="SO").order_by("version")
    assert [(s.version, s.published, s.is_current) for s in so_sets] == [
        (1, True, False),
        (2, True, True),
    ]
    old, new = (UnitResult.objects.get(result_set=s).index for s in so_sets)
    assert new == old - 1
    period.refresh_from_db()
    assert period.is_published


def test_the_reverse_migration_drops_every_trigger():
    migration = importlib.import_module("parindex.core.migrations.0009_freeze_triggers")
    entry_id = audit.record("test.recorded")
    with transaction.atomic():
        run_sql(migration.BACKWARD)
        assert run_sql("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry_id]) == 1
        assert not run_sql("SELECT 1 FROM pg_trigger WHERE tgname LIKE 'parindex_%%'")
        transaction.set_rollback(True)
    refused_in_sql("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry_id])
