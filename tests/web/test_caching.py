"""Pages cached for anonymous visitors never hold anything from the request that filled them."""

import gzip

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from parindex.core.models import Period
from parindex.core.services.results import finalise_period, publish_results
from parindex.web.caching import cache_public
from tests.builders import PASSWORD, assess, full_scores, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/units/A/",
    "/trends/?units=A",
    "/rankings/2023/",
    "/rankings/2023/SO/",
    "/dashboard/2023/",
]
PLANTED = "Tệp “<b>mời-xem-trang-gia-mao.example</b>” không tải lên được"


@pytest.fixture
def published(db):
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ")


def signed_messages(text):
    """The messages cookie the site itself signs, e.g. after a failed upload of a chosen name."""
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.ERROR, text)])


def carrying_message():
    client = Client()
    client.cookies[CookieStorage.cookie_name] = signed_messages(PLANTED)
    return client


def shows_planted(response):
    return "mời-xem-trang-gia-mao" in response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_replayed_message_cookie_never_reaches_the_page_others_are_served(published, url):
    own = carrying_message().get(url)
    assert own.status_code == 200 and shows_planted(own)  # the sender still sees their message
    assert not shows_planted(Client().get(url))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_visitor_with_a_message_gets_it_on_a_fresh_page_not_the_cached_copy(published, url):
    first = Client().get(url)
    assert shows_planted(carrying_message().get(url))
    assert Client().get(url).content == first.content


def anonymous_request(**cookies):
    request = RequestFactory().get("/khong-quan-trong/")
    request.COOKIES.update(cookies)
    request.META["CSRF_COOKIE"] = cookies.get("csrftoken", "")
    request.user = AnonymousUser()
    request.session = SessionStore(cookies.get("sessionid"))
    request._messages = FallbackStorage(request)
    return request


def test_a_page_built_for_everyone_reads_no_cookie_session_or_csrf_secret(published):
    seen = []

    @cache_public
    def page(request):
        seen.append((dict(request.COOKIES), request.session.session_key, request.META))
        return HttpResponse("trang")

    page(anonymous_request(sessionid="phien-cua-ai-do", csrftoken="b" * 32, khac="x"))
    cookies, session_key, meta = seen[0]
    assert cookies == {} and session_key is None
    assert "CSRF_COOKIE" not in meta and "HTTP_COOKIE" not in meta


def test_a_page_that_asks_for_a_csrf_token_is_never_stored(published):
    @cache_public
    def page(request):
        return HttpResponse(get_token(request))

    first = page(anonymous_request()).content
    assert page(anonymous_request()).content != first


GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/rankings/2023/SO/?export=csv"])
def test_a_page_built_for_everyone_is_sent_compressed_to_a_browser_that_accepts_gzip(
    published, url
):
    plain = Client().get(url)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    for _ in range(2):  # compressed from the stored page, then served compressed as stored
        with CaptureQueriesContext(connection) as served:
            compressed = Client().get(url, **GZIP)
        assert len(served) == 0  # nothing rendered, nothing read
        assert compressed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in compressed["Vary"]
        assert gzip.decompress(compressed.content) == plain.content
        assert len(compressed.content) < len(plain.content)


def test_a_downloaded_workbook_is_not_compressed_again(published):
    response = Client().get("/rankings/2023/SO/", {"export": "xlsx"}, **GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response


def test_a_page_with_a_csrf_token_or_a_users_name_is_never_compressed(published):
    login_form = Client().get("/accounts/login/", **GZIP)
    assert "csrfmiddlewaretoken" in login_form.content.decode()
    assert "Content-Encoding" not in login_form
    make_user("lanhdao", "leader")
    client = Client()
    client.login(username="lanhdao", password=PASSWORD)
    for url in PUBLIC_PAGES:
        page = client.get(url, **GZIP)
        assert "Content-Encoding" not in page, url
        assert "lanhdao" in page.content.decode() and "csrfmiddlewaretoken" in page.content.decode()


def test_a_page_with_a_message_is_never_compressed(published):
    page = carrying_message().get("/rankings/2023/SO/", **GZIP)
    assert shows_planted(page) and "Content-Encoding" not in page


def test_a_public_page_that_asks_for_a_csrf_token_is_never_compressed(published):
    @cache_public
    def page(request):
        return HttpResponse(get_token(request) * 20)

    request = anonymous_request()
    request.META.update(GZIP)
    assert "Content-Encoding" not in page(request)


def publish_behind_this_process(year, decision_number):
    """What the worker or another process without Redis does: a new current published set (a
    correction), written here without the signals this process would send."""
    from parindex.core.models import ResultSet, UnitResult

    old = ResultSet.objects.get(period__year=year, is_current=True)
    rows = list(UnitResult.objects.filter(result_set=old))
    ResultSet.objects.filter(pk=old.pk).update(is_current=False)
    old.pk, old.version, old.decision_number = None, old.version + 1, decision_number
    (new,) = ResultSet.objects.bulk_create([old])
    for row in rows:
        row.pk, row.result_set = None, new
    UnitResult.objects.bulk_create(rows)


def test_a_publication_made_by_another_process_shows_once_the_kept_fingerprint_expires(
    published, monkeypatch, settings
):
    from django.core.cache.backends import locmem

    url = "/rankings/2023/SO/"
    assert "1/QĐ" in Client().get(url).content.decode()
    publish_behind_this_process(2023, "7/QĐ")
    assert "7/QĐ" not in Client().get(url).content.decode()  # the kept fingerprint answers
    later = locmem.time.time() + settings.PUBLISHED_STATE_SECONDS + 0.5  # it has expired
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    page = Client().get(url).content.decode()
    assert "7/QĐ" in page


def test_a_year_with_nothing_published_asks_for_a_login_and_stores_nothing(db):
    from django.core.cache import cache

    make_period(2031)
    response = Client().get("/rankings/2031/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert cache.get("published-state:2031") == ""  # kept: nothing public to serve
