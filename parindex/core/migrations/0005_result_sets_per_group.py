"""Data: one result set per group (see split_result_sets); a separate migration so that the
schema changes around it run in their own transactions on PostgreSQL."""

from django.db import migrations


def split_result_sets(apps, schema_editor):
    """Give every result set one group: a period-wide set becomes one set per group it held,
    with the same version, flags and decision; the groups' stages follow the period's status."""
    ResultSet = apps.get_model("core", "ResultSet")
    UnitResult = apps.get_model("core", "UnitResult")
    PeriodGroup = apps.get_model("core", "PeriodGroup")
    for pg in PeriodGroup.objects.select_related("group", "period"):
        status = pg.period.status
        stage = status if status in ("finalised", "published") else "open"
        PeriodGroup.objects.filter(pk=pg.pk).update(ranked=pg.group.ranked, stage=stage)
    for rs in list(ResultSet.objects.filter(group__isnull=True).select_related("period")):
        group_ids = sorted(
            set(UnitResult.objects.filter(result_set=rs).values_list("group_id", flat=True))
        )
        published_at = rs.period.published_at if rs.published else None
        decision_date = published_at.date() if published_at else None
        if not group_ids:
            first = PeriodGroup.objects.filter(period=rs.period).order_by("group_id").first()
            group_ids = [first.group_id] if first else []
        if not group_ids:
            ResultSet.objects.filter(pk=rs.pk).delete()
            continue
        ResultSet.objects.filter(pk=rs.pk).update(
            group_id=group_ids[0], published_at=published_at, decision_date=decision_date
        )
        for group_id in group_ids[1:]:
            copy = ResultSet.objects.create(
                period_id=rs.period_id,
                group_id=group_id,
                version=rs.version,
                is_current=rs.is_current,
                published=rs.published,
                computed_at=rs.computed_at,
                computed_by_id=rs.computed_by_id,
                decision_number=rs.decision_number,
                decision_date=decision_date,
                published_at=published_at,
                reason=rs.reason,
            )
            UnitResult.objects.filter(result_set=rs, group_id=group_id).update(result_set=copy)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_real_year")]

    operations = [
        migrations.RunPython(split_result_sets, migrations.RunPython.noop),
    ]
