"""Which pages read the replica, and the mark that keeps a browser that wrote on the primary
(``parindex/web/replica.py``; the router itself: ``tests/core/test_routing.py``)."""

import time

import pytest
from django.core import signing
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from parindex.core.models import UnitResult
from parindex.core.routing import REPLICA, ReplicaRouter
from parindex.web.replica import REPLICA_PAGES, WROTE_COOKIE, ReplicaReadsMiddleware
from tests.builders import PASSWORD, make_user
from tests.core.test_routing import fake_replica  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("fake_replica")
router = ReplicaRouter()
PUBLIC = [
    "/",
    "/rankings/2022/",
    "/rankings/2022/SO/?export=csv",
    "/dashboard/",
    "/dashboard/2022/?group=SO",
    "/units/STP/",
    "/trends/?units=STP",
]
JOB = "0b7c8a5e-4f1d-4c55-9a43-1f2a3b4c5d6e"
OTHERS = [
    "/assessments/",
    "/assessments/2022/STP/",
    "/review/2022/",
    "/jobs/",
    f"/jobs/{JOB}/file/",
    "/imports/",
    "/accounts/login/",
    "/admin/",
]


def serve(method, path, cookies=None, during=None):
    """Pass a request through the middleware as Django does (``process_view``, then the view);
    return where the view's reads of results went, and the response."""
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(request.path_info)
    reads = []

    def view(request):
        reads.append(router.db_for_read(UnitResult))
        if during is not None:
            during()
            reads.append(router.db_for_read(UnitResult))
        return HttpResponse()

    def handler(request):
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = ReplicaReadsMiddleware(handler)
    return reads, middleware(request)


def later(monkeypatch, seconds):
    """Move the clock signed cookies are judged by ``seconds`` ahead."""
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + seconds)


def mark_of(response) -> dict:
    return {WROTE_COOKIE: response.cookies[WROTE_COOKIE].value}


def test_the_replica_pages_are_exactly_the_public_pages_and_dashboards():
    assert {resolve(path.split("?")[0]).view_name for path in PUBLIC} == REPLICA_PAGES


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", PUBLIC)
def test_reading_a_public_page_reads_the_replica_and_marks_nothing(path, method):
    reads, response = serve(method, path)
    assert reads == [REPLICA]
    assert WROTE_COOKIE not in response.cookies  # such a page may still be stored for everyone


@pytest.mark.parametrize("path", OTHERS)
def test_every_other_page_reads_the_primary(path):
    reads, _ = serve("GET", path)
    assert reads == [DEFAULT_DB_ALIAS]


def test_a_post_reads_the_primary_and_marks_the_browser_for_the_lag(settings):
    settings.REPLICA_LAG_SECONDS = 7
    reads, response = serve("POST", "/rankings/2022/SO/")
    assert reads == [DEFAULT_DB_ALIAS]
    cookie = response.cookies[WROTE_COOKIE]
    assert cookie["max-age"] == 7 and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_browser_that_wrote_reads_the_primary_until_the_lag_is_over(settings, monkeypatch):
    settings.REPLICA_LAG_SECONDS = 10
    _, response = serve("POST", "/accounts/login/")
    assert serve("GET", "/rankings/2022/SO/", mark_of(response))[0] == [DEFAULT_DB_ALIAS]
    later(monkeypatch, 9)
    assert serve("GET", "/units/STP/", mark_of(response))[0] == [DEFAULT_DB_ALIAS]
    later(monkeypatch, 11)  # the cookie's signed time decides, whatever the browser keeps
    assert serve("GET", "/units/STP/", mark_of(response))[0] == [REPLICA]


def test_each_write_starts_the_lag_again(settings, monkeypatch):
    settings.REPLICA_LAG_SECONDS = 10
    with monkeypatch.context() as earlier:
        later(earlier, -8)
        _, first = serve("POST", "/accounts/login/")
    _, second = serve("POST", "/accounts/login/", mark_of(first))
    later(monkeypatch, 5)
    assert serve("GET", "/trends/", mark_of(first))[0] == [REPLICA]
    assert serve("GET", "/trends/", mark_of(second))[0] == [DEFAULT_DB_ALIAS]


@pytest.mark.parametrize(
    "value",
    ["1", signing.get_cookie_signer(salt=WROTE_COOKIE + "other").sign("1")],
    # Fixed names: the signed value holds the time, and each test process collects the same
    # names (pytest-xdist refuses to run otherwise).
    ids=["unsigned", "signed-for-another-cookie"],
)
def test_a_mark_not_signed_by_the_server_is_no_mark(value):
    assert serve("GET", "/trends/", {WROTE_COOKIE: value})[0] == [REPLICA]


def test_a_page_whose_building_writes_reads_the_primary_after_it_and_marks_the_browser():
    reads, response = serve("GET", "/rankings/2022/SO/", during=lambda: router.db_for_write(None))
    assert reads == [REPLICA, DEFAULT_DB_ALIAS]
    assert WROTE_COOKIE in response.cookies


@pytest.mark.parametrize("path", [f"/jobs/{JOB}/", f"/jobs/{JOB}/progress/"])
def test_following_a_job_of_the_worker_marks_the_browser(path):
    reads, response = serve("GET", path)
    assert reads == [DEFAULT_DB_ALIAS] and WROTE_COOKIE in response.cookies


class RecordingRouter(ReplicaRouter):
    """Note where each read would go, and read the test database (the primary) anyway."""

    seen: list = []

    def db_for_read(self, model, **hints):
        self.seen.append((model._meta.label, super().db_for_read(model, **hints)))
        return DEFAULT_DB_ALIAS


def routes() -> dict:
    """Return model label → where its reads would have gone since the last call."""
    seen = {}
    for label, alias in RecordingRouter.seen:
        seen.setdefault(label, set()).add(alias)
    RecordingRouter.seen.clear()
    return seen


def domain(seen) -> set:
    """Where the reads of the domain's data (core, the user model aside) went."""
    core = [s for label, s in seen.items() if label.startswith("core.") and label != "core.User"]
    return set().union(*core)


@pytest.fixture
def routed_site(settings):
    """The whole middleware stack as settings.py builds it with DATABASE_REPLICA_URL."""
    middleware = list(settings.MIDDLEWARE)
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    middleware.insert(auth + 1, "parindex.web.replica.ReplicaReadsMiddleware")
    settings.MIDDLEWARE = middleware
    settings.DATABASE_ROUTERS = [f"{__name__}.RecordingRouter"]
    RecordingRouter.seen[:] = []


def test_through_the_site_a_visitor_reads_the_replica_and_a_user_who_logged_in_the_primary(
    transactional_db, routed_site, client, settings, monkeypatch
):
    make_user("lanhdao", "leader")
    assert client.get("/trends/").status_code == 200
    assert domain(routes()) == {REPLICA}
    response = client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD})
    assert response.status_code == 302 and WROTE_COOKIE in response.cookies
    routes()
    assert client.get("/trends/").status_code == 200
    seen = routes()
    assert domain(seen) == {DEFAULT_DB_ALIAS} and seen["core.User"] == {DEFAULT_DB_ALIAS}
    later(monkeypatch, settings.REPLICA_LAG_SECONDS + 1)
    assert client.get("/trends/").status_code == 200
    seen = routes()
    assert domain(seen) == {REPLICA}
    assert seen["core.User"] == {DEFAULT_DB_ALIAS}
    # The session comes from the session cache; were it read from the database, the primary.
    assert seen.get("sessions.Session", {DEFAULT_DB_ALIAS}) == {DEFAULT_DB_ALIAS}
