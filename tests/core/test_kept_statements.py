"""``kept_statements``: the statements of every save, prepared once per PostgreSQL connection."""

import pytest
from django.db import DatabaseError, DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from parindex.core.kept_statements import _numbered, fetch_one

pytestmark = pytest.mark.django_db(transaction=True)

SQL = "SELECT CAST(%s AS integer) + CAST(%s AS integer), 'a %% b'"


def test_placeholders_are_numbered_in_order_and_a_doubled_percent_is_one():
    assert _numbered(SQL) == "SELECT CAST($1 AS integer) + CAST($2 AS integer), 'a % b'"


def test_a_statement_gives_what_running_it_gives_and_is_prepared_once_per_connection():
    with CaptureQueriesContext(connection) as captured:
        assert fetch_one("default", "parindex_test_sum", SQL, [2, 3]) == (5, "a % b")
        assert fetch_one("default", "parindex_test_sum", SQL, [4, 5]) == (9, "a % b")
    sent = [query["sql"] for query in captured]
    if connection.vendor == "postgresql":
        # The PREPARE is the driver's, not one of the queries a request counts.
        assert sent == ["EXECUTE parindex_test_sum(2, 3)", "EXECUTE parindex_test_sum(4, 5)"]
        assert prepared() == ["parindex_test_sum"]
    else:
        assert len(sent) == 2 and not any("PREPARE" in sql for sql in sent)


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'parindex_test%%'")
        return sorted(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statements are prepared on PostgreSQL only (set DATABASE_URL to run this)",
)
def test_a_new_connection_prepares_again_and_a_refused_run_or_a_rollback_keeps_the_statement():
    with pytest.raises(DataError), transaction.atomic():
        fetch_one("default", "parindex_test_kept", "SELECT 1 / CAST(%s AS integer)", [0])
    assert fetch_one("default", "parindex_test_kept", "SELECT 1 / CAST(%s AS integer)", [1]) == (1,)
    with transaction.atomic():
        fetch_one("default", "parindex_test_sum", SQL, [1, 1])
        transaction.set_rollback(True)
    assert fetch_one("default", "parindex_test_sum", SQL, [1, 2]) == (3, "a % b")
    assert prepared() == ["parindex_test_kept", "parindex_test_sum"]
    connection.close()
    assert prepared() == []  # a new server session
    assert fetch_one("default", "parindex_test_sum", SQL, [2, 2]) == (4, "a % b")
    assert prepared() == ["parindex_test_sum"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statements are prepared on PostgreSQL only (set DATABASE_URL to run this)",
)
def test_a_first_use_in_a_broken_transaction_is_refused_as_any_query_is():
    connection.close()  # nothing prepared yet on the next connection
    with transaction.atomic():
        with pytest.raises(DataError):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")
        with pytest.raises(DatabaseError):  # Django's error, as for any query: not the driver's
            fetch_one("default", "parindex_test_sum", SQL, [1, 1])
        transaction.set_rollback(True)
    assert fetch_one("default", "parindex_test_sum", SQL, [1, 1]) == (2, "a % b")
