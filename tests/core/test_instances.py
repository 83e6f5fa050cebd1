"""``core.instances``: a row of a hand-written SELECT becomes the instance ``from_db`` makes."""

import pytest
from django.db import connection
from django.db.models.signals import post_init

from parindex.core.instances import Columns
from parindex.core.models import Period, Unit
from tests.builders import make_period, make_unit

pytestmark = pytest.mark.django_db


def read(columns, pk):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns.sql)} FROM {columns.model._meta.db_table} x "
            "WHERE x.id = %s",
            [pk],
        )
        return columns.instance(cursor.fetchone())


def test_an_instance_is_the_one_from_db_makes_fields_state_and_all():
    period = make_period(2024)
    made = read(Columns(Period, "x"), period.pk)
    orm = Period.objects.get(pk=period.pk)
    fields = [f.attname for f in Period._meta.concrete_fields]
    assert [getattr(made, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert (made._state.adding, made._state.db) == (False, "default")
    made.name = "Kỳ đổi tên"
    made.save(update_fields=["name"])  # saved as an update of the same row
    assert Period.objects.get(pk=period.pk).name == "Kỳ đổi tên"


def test_a_model_someone_listens_to_the_creation_of_is_made_by_from_db():
    make_period(2024)
    unit = make_unit("A")
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Unit)
    try:
        columns = Columns(Unit, "x")
        made = read(columns, unit.pk)
    finally:
        post_init.disconnect(receiver, sender=Unit)
    assert not columns.plain and seen == [made] and made.code == "A"
    assert Columns(Unit, "x").plain
