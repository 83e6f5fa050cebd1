"""Requests carrying a NUL character are refused with 400 before any view or database sees them."""

import pytest
from django.test import Client

from tests.builders import make_period, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    make_period(2023)
    make_unit("STP")
    make_user("lanhdao", "leader")


@pytest.mark.parametrize(
    "url",
    [
        "/units/ST%00P/",
        "/trends/?units=%00",
        "/trends/?units%00=STP",
        "/rankings/2023/SO/?q=a%00b",
    ],
)
def test_a_nul_in_the_path_or_query_is_a_bad_request(site, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert response["X-Request-ID"] in response.content.decode()


@pytest.mark.parametrize(
    "form",
    [{"username": "lanh\x00dao", "password": "x"}, {"username": "lanhdao", "pass\x00word": "x"}],
)
def test_a_nul_in_a_posted_field_is_a_bad_request(site, form):
    response = Client(raise_request_exception=False).post("/accounts/login/", form)
    assert response.status_code == 400


def test_a_nul_in_a_session_cookie_is_a_bad_request(site):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/assessments/").status_code == 400


def test_a_nul_in_a_header_is_a_bad_request(site):
    client = Client(raise_request_exception=False)
    form = {"username": "lanhdao", "password": "sai"}
    response = client.post("/accounts/login/", form, HTTP_USER_AGENT="trinh\x00duyet")
    assert response.status_code == 400
