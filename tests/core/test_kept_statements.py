"""``kept_statements``: the statements of every save, prepared once per PostgreSQL connection."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from parindex.core.kept_statements import _numbered, fetch_one

pytestmark = pytest.mark.django_db(transaction=True)

SQL = "SELECT CAST(%s AS integer) + CAST(%s AS integer), 'a %% b'"


def test_placeholders_are_numbered_in_order_and_a_doubled_percent_stays():
    assert _numbered(SQL) == "SELECT CAST($1 AS integer) + CAST($2 AS integer), 'a %% b'"


def test_a_statement_gives_what_running_it_gives_and_is_prepared_once_per_connection():
    with CaptureQueriesContext(connection) as captured:
        assert fetch_one("default", "parindex_test_sum", SQL, [2, 3]) == (5, "a % b")
        assert fetch_one("default", "parindex_test_sum", SQL, [4, 5]) == (9, "a % b")
    sent = [query["sql"] for query in captured]
    assert len(sent) == 2  # the first round trip prepares and executes at once
    if connection.vendor == "postgresql":
        assert sent[0].startswith("PREPARE parindex_test_sum AS SELECT CAST($1 AS integer)")
        assert sent[1] == "EXECUTE parindex_test_sum(4, 5)"
    else:
        assert not any("PREPARE" in sql for sql in sent)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statements are prepared on PostgreSQL only (set DATABASE_URL to run this)",
)
def test_a_new_connection_prepares_again_and_a_rollback_keeps_the_statement():
    with transaction.atomic():
        fetch_one("default", "parindex_test_kept", SQL, [1, 1])
        transaction.set_rollback(True)
    assert fetch_one("default", "parindex_test_kept", SQL, [1, 2]) == (3, "a % b")
    connection.close()
    with CaptureQueriesContext(connection) as captured:
        assert fetch_one("default", "parindex_test_kept", SQL, [2, 2]) == (4, "a % b")
    assert captured[0]["sql"].startswith("PREPARE parindex_test_kept")
