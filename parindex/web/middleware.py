"""A reference id for every request, shown on error pages and written in every log line."""

import contextvars
import logging
import uuid

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
