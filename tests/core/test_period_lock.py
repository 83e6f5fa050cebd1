"""A period locked by a computation, an import or a publication keeps out the other writers of
the whole period, not the saves that only refer to it (PostgreSQL: FOR NO KEY UPDATE)."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from parindex.core.services import audit
from parindex.core.services.results import lock_period
from tests.builders import make_period

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def period():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite locks the whole database)")
    return make_period(2023)


def in_another_connection(work):
    """Run ``work()`` in a thread, so on a connection of its own waiting at most 2 s for a
    lock; return what it returned, or the error of a lock not obtained."""
    outcome = []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
            outcome.append(work())
        except OperationalError as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome[0]


def test_a_save_recorded_against_a_locked_period_is_not_held_up(period):
    # The audit entry of every save refers to its period: its foreign-key check takes FOR KEY
    # SHARE on the period's row, which FOR UPDATE would block until the computation ends.
    with transaction.atomic():
        lock_period(period)
        entry_id = in_another_connection(
            lambda: audit.record("score.changed", period=period, changes={"leaf": "1.1"})
        )
    assert isinstance(entry_id, int), entry_id


def test_a_second_writer_of_the_whole_period_waits_for_the_first(period):
    def lock_again():
        with transaction.atomic():
            return lock_period(period)

    with transaction.atomic():
        lock_period(period)
        outcome = in_another_connection(lock_again)
    assert isinstance(outcome, OperationalError)  # waited past its lock_timeout
