"""Fixtures of the whole suite.

The demo province is built once per session (``demo_province``) and every test using ``demo``
runs in a savepoint inside it; such tests are therefore put at the very end of the session
(``pytest_collection_modifyitems``), after every test that needs an empty or a transactional
database.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test.utils import override_settings
from django.utils import translation
from pytest_django.fixtures import validate_django_db

from tests.builders import (
    FAST_HASHERS,
    Persona,
    built_once,
    copies_demo,
    load_demo_copied,
    make_user,
)

DEMO_LOADED = pytest.StashKey[bool]()
ROOT = Path(__file__).resolve().parents[1]


def _database_use(item) -> str:
    """How a test uses the database: "transactional", "db" or "" (as pytest-django decides)."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = uses_db = False
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or reset_sequences
        uses_db = True
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(fixtures):
        transactional = True
    uses_db = uses_db or transactional or "db" in fixtures
    return "transactional" if transactional else "db" if uses_db else ""


def _uses_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Move the tests on the demo to the end, keeping every other order.

    pytest-django has already sorted the tests: plain database tests, then transactional ones,
    then those without a database. The demo's outer transaction (``demo_province``) opens with
    the first demo test and stays open until the session ends, so no other test may come after
    it: it would see the demo rows, or flush them out of the transaction.
    """
    items.sort(key=_uses_demo)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Refuse, before any fixture runs, the orders and combinations the shared demo cannot serve."""
    if _uses_demo(item):
        if _database_use(item) == "transactional":
            pytest.fail(
                f"{item.nodeid}: the demo fixture is built once and rolled back, it cannot be "
                "used with transactional_db or live_server; use demo_live (tests/e2e) instead.",
                pytrace=False,
            )
    elif _database_use(item) and item.config.stash.get(DEMO_LOADED, False):
        pytest.fail(
            f"{item.nodeid} runs after the demo was loaded for the session and would see it: "
            "a plugin or option (--ff, --nf…) changed the order tests/conftest.py sets.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def _empty_static_root(tmp_path_factory):
    return tmp_path_factory.mktemp("static-root")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, _empty_static_root):
    """Serve static files without the collectstatic manifest the production storage needs.

    STATIC_ROOT is an empty folder: WhiteNoise indexes it each time a test client starts, and
    the files `make run` collected there would cost every request of the suite (tests serve
    static files from the finders).
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = _empty_static_root


@pytest.fixture(autouse=True)
def _default_language():
    """Start and leave every test in Vietnamese: a request in English (Accept-Language, the
    language cookie) leaves English active in the thread that served it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):
    """django-axes needs the request on every login; tests log in directly. Its own test
    switches it back on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages of one test must never answer another (ids repeat across tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _jobs_progress_in_memory(settings):
    """Job progress notes and cached sessions of a test stay in the test's process, not in
    var/."""
    settings.CACHES = {
        **settings.CACHES,
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sessions",
        },
    }


@pytest.fixture(autouse=True)
def _published_state_kept_longer_than_a_slow_test(settings):
    """A test reads pages a few queries apart: on a loaded machine more than the production
    second can pass between two requests, and the kept fingerprint would expire in between."""
    settings.PUBLISHED_STATE_SECONDS = 300


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _media_in_tmp(request, settings, tmp_path):
    """Evidence files of a test go to its own temporary folder, except for tests on data built
    once for their module (``shared_media``): those files are in the module's folder."""
    if "shared_media" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def shared_media(tmp_path_factory):
    """One media folder for the tests of a module whose data, built once for the module (see
    ``built_once``), has files; new files of one test stay there but are in no other test's
    database."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session")
def demo_province(request, django_db_setup, django_db_blocker):
    """The demo province, loaded once per session: ~30,000 rows take far longer to write than
    any test on them takes to run. The demo writes no files and reads the clock only for the
    deadlines of the open period, computed from today as they would be in each test."""
    from parindex.core.demo import load_demo

    request.config.stash[DEMO_LOADED] = True
    build = load_demo
    if copies_demo():
        # In-memory SQLite: the copy is committed (outside the outer transaction, which SQLite's
        # backup API refuses) and lives until the database goes with the session.
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            load_demo_copied()
        build = _nothing
    yield from built_once(django_db_blocker, build)


def _nothing():
    return None


@pytest.fixture
def demo(demo_province, db):
    """The demo province (TP.HCM 2021 and 2022, published, and this year's open period), as
    loaded: what a test writes is rolled back with its savepoint."""


@pytest.fixture
def personas(db):
    """One user per role; officers belong to the units given by the tests that need them."""
    return {
        Persona.REVIEWER: make_user("thamdinh", "reviewer"),
        Persona.APPROVER: make_user("pheduyet", "approver"),
        Persona.LEADER: make_user("lanhdao", "leader"),
        Persona.ADMIN: make_user("quantri", "admin"),
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """With DATABASE_REPLICA_URL set, Django makes the replica a test mirror of the primary
    (TEST MIRROR) in the thread that set the databases up only; live servers answer from other
    threads. Give every thread the mirror, so the router reads the test database there too."""
    from django.db import connections

    from parindex.core.routing import REPLICA

    if REPLICA in connections.settings:
        connections.settings[REPLICA] = connections["default"].settings_dict


@pytest.fixture(scope="session")
def migrated_on_a_fresh_clone(tmp_path_factory):
    """``manage.py migrate`` run once as on a fresh clone: no DATABASE_URL (the SQLite file
    default), a data folder that is not there yet, the secret key from the environment. Return
    the finished process and the data folder. Migrating a file takes seconds: tests that need a
    migrated SQLite file copy this one (``builders.copy_sqlite``)."""
    data_dir = tmp_path_factory.mktemp("fresh-clone") / "var"
    env = {**os.environ, "DATA_DIR": str(data_dir), "SECRET_KEY": "x" * 50, "LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, data_dir


@pytest.fixture(scope="session")
def gunicorn_port(tmp_path_factory):
    """gunicorn started once from the project root as ``make run`` starts it (one worker,
    SQLite in a folder of its own), for the tests of the whole stack: each start and stop took
    seconds."""
    from tests.test_gunicorn_conf import gunicorn

    with gunicorn(tmp_path_factory.mktemp("gunicorn")) as port:
        yield port
