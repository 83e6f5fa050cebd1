"""Which database answers a query when a read replica is configured (``DATABASE_REPLICA_URL``).

The primary (``default``) takes every write and, unless the request says otherwise, every read.
The streaming replica (``replica``) answers only the reads of a request the web layer opened with
``request_route()`` and marked ``allow_replica_reads()`` (the public pages and dashboards of
``parindex/web/replica.py``), and even then not:

- inside a transaction on the primary (``in_atomic_block``): a service reads what it is about
  to change from the primary, never from a copy that may be seconds behind;
- once the request has written anything (the router is asked for a write alias: a save, an
  update, a delete, a ``select_for_update``; ``note_write()`` for raw SQL): the rest of the
  request reads what it just wrote;
- for the records of who is reading: the user model and everything outside ``core`` (sessions,
  permissions, login throttling, the task queue), so a login, a logout or a changed role is
  seen at once, whatever the replica's lag.

Outside a request (commands, the worker, tests' own code) everything is the primary.
The router is installed only when a replica is configured (``settings.py``); without it Django
reads and writes ``default`` as before.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
REPLICA_APPS = frozenset({"core"})


@dataclass
class RequestRoute:
    """How one request may read: the replica is allowed, and whether it has written since."""

    replica_allowed: bool = False
    wrote: bool = False


_ROUTE: contextvars.ContextVar[RequestRoute | None] = contextvars.ContextVar(
    "parindex_request_route", default=None
)


@contextmanager
def request_route() -> Iterator[RequestRoute]:
    """Open the routing state of one request (primary only until ``allow_replica_reads``)."""
    route = RequestRoute()
    token = _ROUTE.set(route)
    try:
        yield route
    finally:
        _ROUTE.reset(token)


def allow_replica_reads() -> None:
    """Let the current request read published data from the replica (a public page)."""
    route = _ROUTE.get()
    if route is not None:
        route.replica_allowed = True


def note_write() -> None:
    """Record that the current request writes: from now on it reads the primary only."""
    route = _ROUTE.get()
    if route is not None:
        route.wrote = True


def reads_replica(model) -> bool:
    """Tell whether a read of ``model`` made now goes to the replica."""
    route = _ROUTE.get()
    return (
        route is not None
        and route.replica_allowed
        and not route.wrote
        and model._meta.app_label in REPLICA_APPS
        and model._meta.label != settings.AUTH_USER_MODEL
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        and not _replica_is_primary()
    )


def _replica_is_primary() -> bool:
    # Under the test runner the replica is a test mirror (TEST MIRROR = default): Django gives it
    # the primary's very settings. Reading it through the primary's connection gives the same
    # rows and stays inside the databases a test may use.
    return connections[REPLICA].settings_dict is connections[DEFAULT_DB_ALIAS].settings_dict


class ReplicaRouter:
    """Send the reads ``reads_replica`` allows to the replica, everything else to the primary.

    Answers are explicit (never None): an object read from the replica is saved to, and its
    relations read from, the primary unless the rule above says otherwise.
    """

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if reads_replica(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        note_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Both aliases are one database: rows read from either may be related.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None
