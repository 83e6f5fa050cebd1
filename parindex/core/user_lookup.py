"""The signed-in person of a request, read by one hand-written statement.

Every request with a session reads its user. Through the ORM (``ModelBackend.get_user``)
building that one-row query cost the web server about a seventh of a leaf save on a deadline
day, several times what PostgreSQL took to run it; ``UserBackend`` reads the same row with a
statement written once per process and prepared once per connection (``core.instances``,
``core.kept_statements``) and keeps every other behaviour of
Django's backend: passwords, permissions, and refusing an inactive account.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from parindex.core.instances import Columns, column, table
from parindex.core.kept_statements import fetch_one


class UserBackend(ModelBackend):
    """Django's ``ModelBackend`` whose ``get_user`` is ``find_user``."""

    def get_user(self, user_id):
        user = find_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def find_user(user_id):
    """Return the user of primary key ``user_id`` as the ORM would, from the database the
    routers choose for reading users (the primary, with a read replica), or None."""
    db = router.db_for_read(get_user_model())
    statement, columns = _statement(connections[db].vendor)
    row = fetch_one(db, "parindex_find_user", statement, [user_id])
    return None if row is None else columns.instance(row, db)


@functools.cache
def _statement(vendor: str):
    """The SELECT of one user by primary key, and its ``Columns`` (per database kind)."""
    model = get_user_model()
    columns = Columns(model, "u")
    statement = (
        f"SELECT {', '.join(columns.sql)} FROM {table(model)} u "
        f"WHERE u.{column(model, model._meta.pk.name)} = %s"
    )
    return statement, columns
