"""Migrations 0007 and 0008 on a database that already holds data: result rows get the names
their units and groups have, and a stored code outside ``core/codes.py`` stops the migration
before it changes anything."""

from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.builders import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0006_result_set_group_required")]
FILLED = [("core", "0008_fill_result_names")]


@pytest.fixture
def at_0006():
    """The database as it was at 0006; put back to the latest migrations afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def published_row(apps, unit_code="STP"):
    """A published result of one unit, written with the models of 0006."""
    group = apps.get_model("core", "UnitGroup").objects.create(code="SO", name="Khối sở")
    unit = apps.get_model("core", "Unit").objects.create(
        code=unit_code, name="Sở Tư pháp", group=group
    )
    period = apps.get_model("core", "Period").objects.create(year=2022, name="Kỳ 2022")
    result_set = apps.get_model("core", "ResultSet").objects.create(
        period=period, group=group, computed_at=timezone.now(), published=True
    )
    points = {
        name: Decimal("90")
        for name in ("points", "bonus", "deduction", "total", "max_points", "self_points")
    }
    apps.get_model("core", "UnitResult").objects.create(
        result_set=result_set, unit=unit, group=group, **points
    )
    return unit


def test_result_rows_stored_before_get_the_names_their_unit_and_group_have(at_0006):
    published_row(at_0006)
    apps = migrate(FILLED)
    row = apps.get_model("core", "UnitResult").objects.get()
    assert (row.unit_name, row.group_name) == ("Sở Tư pháp", "Khối sở")


def test_a_stored_code_with_a_slash_stops_the_migration_until_it_is_renamed(at_0006):
    unit = published_row(at_0006, unit_code="A/B")
    with pytest.raises(CommandError, match="“A/B”"):
        migrate(FILLED)
    recorder = MigrationExecutor(connection).loader.applied_migrations
    assert ("core", "0007_result_names") not in recorder  # nothing of 0007 was applied
    at_0006.get_model("core", "Unit").objects.filter(pk=unit.pk).update(code="A-B")
    apps = migrate(FILLED)
    assert apps.get_model("core", "UnitResult").objects.get().unit_name == "Sở Tư pháp"
