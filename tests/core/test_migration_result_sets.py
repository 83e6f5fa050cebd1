"""Migration 0005 on a database that already holds data: a result set of the whole period
becomes one result set per group, with the same version, flags and decision, and each group's
stage follows the period's status."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.builders import migrate

pytestmark = pytest.mark.django_db(transaction=True)

PERIOD_WIDE = [("core", "0004_real_year")]
PER_GROUP = [("core", "0006_result_set_group_required")]
POINTS = {
    name: Decimal("90")
    for name in ("points", "bonus", "deduction", "total", "max_points", "self_points")
}


@pytest.fixture
def at_0004():
    """The database as it was at 0004; put back to the latest migrations afterwards."""
    apps = migrate(PERIOD_WIDE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def period_wide_results(apps):
    """A published period of two groups whose results were stored as one period-wide set."""
    model = apps.get_model
    criteria_set = model("core", "CriteriaSet").objects.create(name="Bộ tiêu chí", valid_from=2022)
    period = model("core", "Period").objects.create(
        year=2022, name="Kỳ 2022", status="published", published_at=timezone.now()
    )
    result_set = model("core", "ResultSet").objects.create(
        period=period,
        computed_at=timezone.now(),
        published=True,
        decision_number="12/QĐ-UBND",
    )
    for code, ranked in (("SO", True), ("NGANHDOC", False)):
        group = model("core", "UnitGroup").objects.create(code=code, name=code, ranked=ranked)
        model("core", "PeriodGroup").objects.create(
            period=period, group=group, criteria_set=criteria_set
        )
        for n in range(2):
            unit = model("core", "Unit").objects.create(code=f"{code}{n}", name=code, group=group)
            model("core", "UnitResult").objects.create(
                result_set=result_set, unit=unit, group=group, **POINTS
            )
    return result_set


def test_a_period_wide_result_set_becomes_one_set_per_group_with_its_rows(at_0004):
    period_wide_results(at_0004)
    apps = migrate(PER_GROUP)
    sets = {
        rs.group.code: rs
        for rs in apps.get_model("core", "ResultSet").objects.select_related("group")
    }
    assert set(sets) == {"SO", "NGANHDOC"}
    for code, result_set in sets.items():
        assert (result_set.version, result_set.published, result_set.is_current) == (1, True, True)
        assert result_set.decision_number == "12/QĐ-UBND"
        assert result_set.published_at is not None and result_set.decision_date is not None
        rows = apps.get_model("core", "UnitResult").objects.filter(result_set=result_set)
        assert {r.group.code for r in rows} == {code} and rows.count() == 2


def test_the_groups_of_a_published_period_are_published_and_keep_their_own_ranking(at_0004):
    period_wide_results(at_0004)
    apps = migrate(PER_GROUP)
    stages = {
        pg.group.code: (pg.stage, pg.ranked)
        for pg in apps.get_model("core", "PeriodGroup").objects.select_related("group")
    }
    assert stages == {"SO": ("published", True), "NGANHDOC": ("published", False)}
