"""Fill the names of the result rows stored before 0007 with the current names: the only names
known (nothing recorded a unit's earlier names). From now on a row keeps the names it was
computed under, and a published row the names it was published under."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_names(apps, schema_editor):
    Unit = apps.get_model("core", "Unit")
    UnitGroup = apps.get_model("core", "UnitGroup")
    # The historical manager has none of the application's guards on published rows: filling
    # the new columns is no change of a published figure.
    apps.get_model("core", "UnitResult").objects.update(
        unit_name=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]),
        group_name=Subquery(UnitGroup.objects.filter(pk=OuterRef("group_id")).values("name")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_result_names")]

    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop, elidable=True)]
