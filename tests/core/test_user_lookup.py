"""``UserBackend``: the signed-in user of each request read by one hand-written statement, with
the values the ORM would give it, and Django's rules for who may stay signed in."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core.models import Role, User
from parindex.core.user_lookup import UserBackend, find_user
from tests.builders import make_period, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _groups():
    make_period(2023)


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_comes_in_one_statement_with_the_orms_values_and_types():
    user = make_user("canbo-a", Role.OFFICER, make_unit("A"))
    user.last_login = user.date_joined
    user.save()
    with CaptureQueriesContext(connection) as captured:
        found = find_user(user.pk)
    assert len(captured) == 1
    orm = User.objects.get(pk=user.pk)
    assert values(found) == values(orm)  # the login time, the unit, the flags alike
    assert [type(v) for v in values(found).values()] == [type(v) for v in values(orm).values()]
    assert found.unit.code == "A"  # a model instance like any other: relations still load
    assert found.get_session_auth_hash() == orm.get_session_auth_hash()


def test_an_unknown_or_inactive_account_gives_no_user():
    user = make_user("canbo-b", Role.OFFICER, make_unit("B"))
    assert find_user(user.pk + 1000) is None
    assert UserBackend().get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert find_user(user.pk) is not None
    assert UserBackend().get_user(user.pk) is None


def test_a_signed_in_person_is_read_by_the_backend_on_every_request(client):
    assert settings.AUTHENTICATION_BACKENDS[-1] == "parindex.core.user_lookup.UserBackend"
    user = make_user("canbo-c", Role.OFFICER, make_unit("C"))
    client.force_login(user, backend="parindex.core.user_lookup.UserBackend")
    assert client.get("/").wsgi_request.user.pk == user.pk
    user.is_active = False
    user.save()
    assert not client.get("/").wsgi_request.user.is_authenticated
