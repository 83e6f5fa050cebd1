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
        assert len(served) <= 2  # the period and its published state: nothing rendered
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
