"""Result rows keep the names their unit and group had (``UnitResult.unit_name``, ``group_name``).

Filled for the rows stored before by 0008.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0006_result_set_group_required")]

    operations = [
        migrations.AddField(
            model_name="unitresult",
            name="unit_name",
            field=models.CharField(
                default="", max_length=255, verbose_name="tên đơn vị khi công bố"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="unitresult",
            name="group_name",
            field=models.CharField(default="", max_length=200, verbose_name="tên khối khi công bố"),
            preserve_default=False,
        ),
    ]
