"""A reference id for every request (error pages, every log line); NUL characters refused."""

import contextvars
import logging
import uuid

from django.core.exceptions import SuspiciousOperation

REQUEST_ID = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give each request a short reference id (header X-Request-ID, error pages, logs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex[:12]
        token = REQUEST_ID.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get()
        return True


class NulCharacter(SuspiciousOperation):
    """A request carries a NUL character (Django answers 400 and logs it as a security event)."""


def has_nul(request) -> bool:
    """Tell whether a NUL is in the path, a header, a cookie, or a query or form field's name
    or value (Django already drops it from uploaded files' names)."""
    texts = [request.path, *request.COOKIES.keys(), *request.COOKIES.values()]
    texts += [value for key, value in request.META.items() if key.startswith("HTTP_")]
    fields = [request.GET]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        fields.append(request.POST)
    for query in fields:
        for key, values in query.lists():
            texts += [key, *values]
    return any("\x00" in text for text in texts if isinstance(text, str))


class RefuseNulMiddleware:
    """Answer 400 to a request carrying a NUL character, before any view reads it.

    PostgreSQL cannot hold NUL in text, so such a value reaching a lookup or a save would be a
    server error there (SQLite just finds nothing); no honest form or link ever sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            raise NulCharacter("NUL character in the request")
        return self.get_response(request)
