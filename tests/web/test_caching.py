"""Pages cached for anonymous visitors never hold anything from the request that filled them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from parindex.core.models import Period
from parindex.core.services.results import finalise_period, publish_results
from parindex.web.caching import cache_public
from tests.builders import assess, full_scores, make_period, make_unit

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
