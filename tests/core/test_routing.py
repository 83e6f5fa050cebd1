"""The database router of a configured read replica: which alias answers which query."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from parindex.core import routing
from parindex.core.models import Period, Unit, UnitResult, User
from parindex.core.routing import REPLICA, ReplicaRouter

router = ReplicaRouter()


@contextmanager
def replica_alias(settings_dict):
    """Give the "replica" alias ``settings_dict`` for a while; the router only names it, nothing
    connects to it. A replica alias the suite runs with (a test mirror) is put back after."""
    had = REPLICA in connections.settings
    kept = connections[REPLICA] if had else None
    saved = connections.settings.get(REPLICA)
    connections.settings[REPLICA] = settings_dict
    if had:
        del connections[REPLICA]
    try:
        yield
    finally:
        if hasattr(connections._connections, REPLICA):
            del connections[REPLICA]
        if had:
            connections.settings[REPLICA], connections[REPLICA] = saved, kept
        else:
            del connections.settings[REPLICA]


@pytest.fixture
def fake_replica():
    """A "replica" alias beside the primary (another database as far as the router knows)."""
    with replica_alias({**connections.settings[DEFAULT_DB_ALIAS]}):
        yield


@pytest.fixture
def on_public_page(fake_replica):
    """A request's routing state as the web layer opens it for a public page."""
    with routing.request_route():
        routing.allow_replica_reads()
        yield


def test_without_a_request_every_read_and_write_goes_to_the_primary(fake_replica):
    assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS
    assert router.db_for_write(UnitResult) == DEFAULT_DB_ALIAS


def test_a_request_not_marked_as_a_public_page_reads_the_primary(fake_replica):
    with routing.request_route():
        assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS


def test_a_public_page_reads_results_units_and_periods_from_the_replica(on_public_page):
    assert {router.db_for_read(model) for model in (UnitResult, Unit, Period)} == {REPLICA}


def test_a_public_page_reads_users_sessions_and_permissions_from_the_primary(on_public_page):
    for model in (User, Session, Permission):
        assert router.db_for_read(model) == DEFAULT_DB_ALIAS, model


def test_once_a_request_writes_its_later_reads_go_to_the_primary(on_public_page):
    assert router.db_for_read(UnitResult) == REPLICA
    assert router.db_for_write(UnitResult) == DEFAULT_DB_ALIAS
    assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Unit) == DEFAULT_DB_ALIAS


def test_a_raw_write_noted_by_its_service_sends_later_reads_to_the_primary(on_public_page):
    routing.note_write()
    assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS


def test_the_routing_state_ends_with_its_request(fake_replica):
    with routing.request_route():
        routing.allow_replica_reads()
        assert router.db_for_read(UnitResult) == REPLICA
    assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS


def test_marking_or_noting_outside_a_request_changes_nothing(fake_replica):
    routing.allow_replica_reads()
    routing.note_write()
    assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS


def test_reads_inside_a_transaction_on_the_primary_go_to_the_primary(
    transactional_db, on_public_page
):
    assert router.db_for_read(UnitResult) == REPLICA
    with transaction.atomic():
        assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(Unit) == DEFAULT_DB_ALIAS
    assert router.db_for_read(UnitResult) == REPLICA


def test_a_replica_that_is_the_primarys_test_mirror_is_read_through_the_primary():
    # What the test runner does with TEST MIRROR: the alias gets the primary's own settings.
    with replica_alias(connections[DEFAULT_DB_ALIAS].settings_dict), routing.request_route():
        routing.allow_replica_reads()
        assert router.db_for_read(UnitResult) == DEFAULT_DB_ALIAS


def test_rows_of_the_replica_and_of_the_primary_may_be_related():
    unit, period = Unit(), Period()
    unit._state.db, period._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert router.allow_relation(unit, period) is True
    period._state.db = "elsewhere"
    assert router.allow_relation(unit, period) is None


def test_nothing_is_migrated_on_the_replica():
    assert router.allow_migrate(REPLICA, "core") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "core") is None
