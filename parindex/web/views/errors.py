"""Error pages in Vietnamese with the request's reference id; never a stack trace.

A database that cannot be reached surfaces as an OperationalError/InterfaceError in whatever
layer touched it; Django then calls ``server_error``, which answers 503 for those.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

security = logging.getLogger("parindex.security")
errors = logging.getLogger("parindex.errors")


def reference(request) -> str:
    return getattr(request, "request_id", "-")


def render_plain(template: str, request, status: int, **context) -> HttpResponse:
    """Render without context processors: they may need the database that just failed."""
    body = loader.get_template(template).render({"request_id": reference(request), **context})
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return render_plain("400.html", request, 400)


def permission_denied(request, exception=None):
    user = request.user.get_username() if request.user.is_authenticated else "-"
    security.warning("refused access user=%s path=%s", user, request.path)
    return render_plain("403.html", request, 403)


def csrf_failure(request, reason=""):
    """Refuse a form sent without a valid CSRF token (an old page, a cookie blocked, a forgery)."""
    user = getattr(request, "user", None)
    user = user.get_username() if user is not None and user.is_authenticated else "-"
    security.warning("csrf refused user=%s path=%s reason=%s", user, request.path, reason)
    return render_plain("403_csrf.html", request, 403)


def page_not_found(request, exception=None):
    return render_plain("404.html", request, 404)


def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        errors.error("database unavailable: %s", error)
        response = render_plain("503.html", request, 503)
        response["Retry-After"] = "30"
        return response
    return render_plain("500.html", request, 500)
