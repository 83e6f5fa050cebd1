"""What a load balancer asks before sending a server traffic: can it reach what it needs?

Each check answers yes or no and logs why not; the answer names the failing part and nothing
else (no host, no error text), because /readyz is open to whoever can reach it.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

log = logging.getLogger(__name__)


def _databases() -> None:
    primary = connections["default"].settings_dict
    for alias in settings.DATABASES:
        if alias != "default" and connections[alias].settings_dict is primary:
            continue  # a test mirror of the primary: the same database, asked once
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def _caches() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    for alias in settings.CACHES:
        cache = caches[alias]
        cache.set(key, "1", 10)
        if cache.get(key) != "1":
            raise RuntimeError(f"cache {alias} did not keep a value")
        cache.delete(key)


def _storage() -> None:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


def _queue() -> None:
    from django_tasks_db.models import DBTaskResult  # the queue is a table of the database

    DBTaskResult.objects.order_by().values_list("pk").first()


CHECKS = {"database": _databases, "cache": _caches, "storage": _storage, "queue": _queue}


def readiness() -> dict[str, bool]:
    """Return, per part (database, cache, storage, queue), whether this server reaches it."""
    answers = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            log.exception("readiness check failed: %s", name)
            answers[name] = False
        else:
            answers[name] = True
    return answers
