import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_result_sets_per_group")]

    operations = [
        migrations.AlterField(
            model_name="resultset",
            name="group",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.unitgroup"
            ),
        ),
        migrations.AddConstraint(
            model_name="resultset",
            constraint=models.UniqueConstraint(
                fields=("period", "group", "version"), name="result_set_group_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="resultset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("period", "group"),
                name="one_current_result_set_per_group",
            ),
        ),
    ]
