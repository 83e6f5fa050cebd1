"""Request bodies larger than their URL accepts are refused by their Content-Length, unread."""

import inspect
import io
import json
import select
import socket
import time

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, get_resolver

from parindex.core.models import AssessmentStatus, Evidence
from parindex.web.middleware import UPLOAD_URLS, body_limit
from tests.builders import (
    PDF_BYTES,
    assess,
    make_unit,
    make_user,
    open_period,
    upload,
    written_state,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
FORM = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, the form around a file
EVIDENCE_URL = "/assessments/2023/STP/leaf/1.1/evidence/"


class Unreadable(io.RawIOBase):
    """A wsgi.input serving ``data``, that fails the test when read past it."""

    def __init__(self, data=b""):
        self.data = io.BytesIO(data)
        self.limit = len(data)

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.data.read(len(buffer))
        if not chunk and len(buffer):
            raise AssertionError(f"the body was read past its first {self.limit} bytes")
        buffer[: len(chunk)] = chunk
        return len(chunk)


def post_declaring(client, url, length, **headers):
    """POST to ``url`` a multipart body said to be ``length`` bytes long, none of it readable."""
    return client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=xYzZY",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
        **headers,
    )


@pytest.fixture
def officer(db):
    period = open_period(2023)
    unit = make_unit("STP")
    assess(period, unit, status=AssessmentStatus.DRAFT)
    return make_user("canbo", "officer", unit)


@pytest.fixture
def officer_client(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        (EVIDENCE_URL, 20 * MB + FORM),
        ("/review/2023/adjustments/", 20 * MB + FORM),
        ("/imports/units/", 50 * MB + FORM),
        ("/imports/units/confirm/", FORM),
        ("/accounts/login/", FORM),
        ("/assessments/2023/STP/leaf/1.1/", FORM),
        ("/khong-co-trang-nay/", FORM),
    ],
)
def test_each_url_accepts_its_file_and_the_form_around_it(path, limit):
    assert body_limit(RequestFactory().post(path)) == limit


def test_an_evidence_upload_over_the_limit_is_refused_unread(officer_client, caplog):
    before = written_state()
    response = post_declaring(officer_client, EVIDENCE_URL, 1024 * MB)
    html = response.content.decode()
    assert response.status_code == 413
    assert "Tệp quá lớn (413)" in html
    assert "vượt quá giới hạn 20 MB nên chưa được nhận" in html
    assert response["X-Request-ID"] in html
    assert written_state() == before
    assert "too large path=/assessments/2023/STP/leaf/1.1/evidence/" in caplog.text


def test_the_refusal_comes_before_login_and_the_view():
    response = post_declaring(Client(), EVIDENCE_URL, 1024 * MB)
    assert response.status_code == 413  # not the login redirect


def test_the_page_script_gets_the_refusal_as_json(officer_client):
    response = post_declaring(
        officer_client, EVIDENCE_URL, 1024 * MB, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 413
    payload = json.loads(response.content)
    assert payload["ok"] is False and "giới hạn 20 MB" in payload["error"]


def test_an_import_is_refused_above_its_own_limit(officer_client, settings):
    settings.IMPORT_MAX_BYTES = 5 * MB
    assert post_declaring(officer_client, "/imports/units/", 5 * MB + FORM + 1).status_code == 413
    response = post_declaring(officer_client, "/imports/units/", 100 * MB)
    assert "giới hạn 5 MB" in response.content.decode()


def test_a_large_body_on_a_form_url_is_refused(officer_client):
    response = post_declaring(officer_client, "/accounts/login/", FORM + 1)
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()


def test_a_body_within_the_form_limit_is_let_through_without_finding_its_url(
    officer_client, monkeypatch
):
    from parindex.web import middleware

    resolved, resolve = [], middleware.resolve
    monkeypatch.setattr(middleware, "resolve", lambda path: resolved.append(path) or resolve(path))
    officer_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert resolved == []
    assert post_declaring(officer_client, "/accounts/login/", FORM + 1).status_code == 413
    assert set(resolved) == {"/accounts/login/"}  # a refusal finds its URL


def test_a_body_without_content_length_is_refused_unread(officer_client):
    before = written_state()
    response = officer_client.generic(
        "POST",
        EVIDENCE_URL,
        content_type="multipart/form-data; boundary=xYzZY",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 411
    assert "không cho biết kích thước" in response.content.decode()
    assert written_state() == before


def test_an_upload_under_the_limit_is_read_and_kept(officer_client, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1 * MB
    content = PDF_BYTES + b"\n" * (MB - len(PDF_BYTES))  # exactly the limit
    response = officer_client.post(EVIDENCE_URL, {"file": upload("bao-cao.pdf", content)})
    assert response.status_code == 302
    assert Evidence.objects.get().size == MB


def test_a_real_upload_over_the_limit_is_refused_before_it_is_read(officer_client, settings):
    settings.EVIDENCE_MAX_BYTES = 1 * MB
    before = written_state()
    content = PDF_BYTES + b"\n" * (4 * MB)  # the file and its form exceed 1 MB + FORM
    response = officer_client.post(EVIDENCE_URL, {"file": upload("lon.pdf", content)})
    assert response.status_code == 413
    assert written_state() == before


def test_a_file_between_its_limit_and_the_body_limit_gets_the_evidence_message(
    officer_client, settings
):
    settings.EVIDENCE_MAX_BYTES = 1 * MB
    content = PDF_BYTES + b"\n" * MB  # a few bytes over: the body is under 1 MB + FORM
    response = officer_client.post(EVIDENCE_URL, {"file": upload("lon.pdf", content)})
    assert response.status_code == 400  # the entry page, the message at the leaf's upload field
    assert "“lon.pdf” lớn hơn giới hạn 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def views_reading_files():
    """Yield the name of every web URL whose view reads request.FILES."""
    for pattern in get_resolver("parindex.web.urls").url_patterns:
        if isinstance(pattern, URLPattern):
            view = inspect.unwrap(pattern.callback)
            if "request.FILES" in inspect.getsource(view):
                yield f"web:{pattern.name}"


def test_every_view_reading_files_has_its_upload_limit():
    reading = set(views_reading_files())
    assert reading == set(UPLOAD_URLS), "update UPLOAD_URLS in parindex/web/middleware.py"


def test_gunicorn_answers_a_1_gb_upload_at_once_reading_almost_none_of_it(gunicorn_port):
    """The whole stack: gunicorn, WSGI, the middleware. No database is set up: none is needed."""
    status, sent, seconds = post_a_gigabyte(gunicorn_port, EVIDENCE_URL)
    assert status == b"HTTP/1.1 413 Request Entity Too Large"
    # What went out fills the socket buffers and gunicorn's short drain after the answer.
    assert sent < 64 * MB and seconds < 10, (sent, seconds)


def post_a_gigabyte(port, path):
    """Send a 1 GB upload as fast as the server takes it, until it answers; return the answer's
    status line, the bytes sent and the seconds it took."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=xYzZY\r\n"
                f"Content-Length: {1024 * MB}\r\n\r\n"
            ).encode()
        )
        start, sent, block = time.monotonic(), 0, b"x" * (64 * 1024)
        try:
            while sent < 1024 * MB and not select.select([sock], [], [], 0)[0]:
                sock.sendall(block)
                sent += len(block)
        except OSError:
            pass  # the server closed the connection after answering
        answer = sock.recv(4096)
        return answer.split(b"\r\n")[0], sent, time.monotonic() - start
