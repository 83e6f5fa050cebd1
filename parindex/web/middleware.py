"""A reference id for every request (error pages, every log line); bodies larger than their URL
accepts and NUL characters refused."""

import contextvars
import logging
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

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


security = logging.getLogger("parindex.security")

# The URLs that receive a file, with the setting that holds its size limit. Every other URL takes
# form fields only. tests/web/test_body_limits.py fails when a view reading request.FILES is
# missing here.
UPLOAD_URLS = {
    "web:evidence-upload": "EVIDENCE_MAX_BYTES",
    "web:adjustments": "EVIDENCE_MAX_BYTES",  # a proposed bonus or deduction carries its evidence
    "web:import-upload": "IMPORT_MAX_BYTES",
    "web:accounts-import": "IMPORT_MAX_BYTES",  # a sheet of accounts (core/excel/accounts.py)
}


def file_limit(request) -> int:
    """Return the size limit of the file the request's URL receives (0: it receives none)."""
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return 0
    return getattr(settings, UPLOAD_URLS[name]) if name in UPLOAD_URLS else 0


def body_limit(request) -> int:
    """Return the largest body the request's URL accepts: its file and the form around it, whose
    fields Django bounds by DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return file_limit(request) + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def megabytes(size: int) -> str:
    """Return ``size`` in MB as people read it here: "20", "2,5"."""
    return f"{size / 2**20:.1f}".removesuffix(".0").replace(".", ",")


def refusal(request, status: int, title: str, message: str):
    """Answer a refused body: JSON for the page's script (as a refused save), else a page."""
    # Imported here: LOGGING loads this module (RequestIdFilter) before the apps are ready.
    from parindex.web.views.errors import render_plain
    from parindex.web.views.leafsave import wants_json

    if wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=status)
    return render_plain(
        "body_refused.html", request, status, code=status, title=title, message=message
    )


def too_large(request, limit: int):
    if limit:
        return refusal(
            request,
            413,
            _("Tệp quá lớn"),
            _(
                "Tệp gửi lên vượt quá giới hạn %(limit)s MB nên chưa được nhận; chưa có gì được "
                "lưu. Hãy giảm dung lượng tệp (nén, chia nhỏ, hoặc quét với độ phân giải thấp "
                "hơn) rồi tải lên lại."
            )
            % {"limit": megabytes(limit)},
        )
    return refusal(
        request,
        413,
        _("Dữ liệu gửi lên quá lớn"),
        _(
            "Yêu cầu mang nhiều dữ liệu hơn mức máy chủ nhận nên chưa được xử lý; chưa có gì "
            "được lưu. Hãy quay lại trang trước và thử lại."
        ),
    )


def length_required(request):
    return refusal(
        request,
        411,
        _("Thiếu kích thước dữ liệu"),
        _(
            "Dữ liệu được gửi mà không cho biết kích thước (Content-Length) nên máy chủ không "
            "nhận. Hãy gửi lại từ trang của hệ thống bằng trình duyệt."
        ),
    )


class RefuseLargeBodyMiddleware:
    """Refuse a request body larger than its URL accepts, by its Content-Length, before anything
    reads it (413): an evidence file up to EVIDENCE_MAX_BYTES, an import up to IMPORT_MAX_BYTES,
    each with the form around it; any other request, form fields only.

    Without it RefuseNulMiddleware and the CSRF check read the whole form first, files spooled
    to disk: two 1 GB uploads each held a worker for 24 s before the evidence check refused
    them. A body sent in chunks, without Content-Length, is refused too (411): Django reads a
    request's body only up to its Content-Length, so such a body would reach the view as an
    empty form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared.strip():
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                security.warning("body refused: no Content-Length path=%s", request.path)
                return length_required(request)
            return self.get_response(request)
        try:
            length = int(declared)
        except ValueError:
            return self.get_response(request)  # Django reads no body from it either
        if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # Within every URL's limit: no need to find which URL it is (resolving it again
            # was about 3% of a leaf save's time in process).
            return self.get_response(request)
        limit = body_limit(request)
        if length > limit:
            security.warning(
                "body refused: too large path=%s length=%s limit=%s", request.path, length, limit
            )
            return too_large(request, file_limit(request))
        return self.get_response(request)


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
