"""Result rows keep their unit's and group's names; unit and group codes follow one rule.

Before the new rule (``parindex/core/codes.py``) applies, every stored code is checked: a code
outside it (``A/B`` was accepted before, and made every page linking to the unit fail) stops the
migration with the list of such codes, so that no page ever meets one. Rename them (the admin,
or ``manage.py shell``), then run ``migrate`` again.
"""

from django.core.management.base import CommandError
from django.db import migrations, models

import parindex.core.codes


def refuse_bad_codes(apps, schema_editor):
    bad = []
    for model, kind in (("UnitGroup", "Khối"), ("Unit", "Đơn vị")):
        for pk, code, name in apps.get_model("core", model).objects.values_list(
            "pk", "code", "name"
        ):
            if parindex.core.codes.code_problem(code):
                bad.append(f"{kind} “{name}” (id {pk}): mã “{code}”")
    if bad:
        raise CommandError(
            "Có mã không hợp lệ (chỉ gồm chữ cái không dấu, chữ số và các dấu - _ .); "
            "hãy đổi mã rồi chạy lại migrate:\n" + "\n".join(bad)
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_result_set_group_required")]

    operations = [
        migrations.RunPython(refuse_bad_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="unit",
            name="code",
            field=models.CharField(
                max_length=30,
                unique=True,
                validators=[parindex.core.codes.validate_code],
                verbose_name="mã đơn vị",
            ),
        ),
        migrations.AlterField(
            model_name="unitgroup",
            name="code",
            field=models.CharField(
                max_length=30,
                unique=True,
                validators=[parindex.core.codes.validate_code],
                verbose_name="mã khối",
            ),
        ),
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
