"""Stored copies of pages built from published results only, for anonymous visitors (sent
gzip-compressed to browsers that accept it: they hold no secret)."""

import copy
import hashlib
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.base import BaseStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.http import QueryDict
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import translation
from django.utils.cache import patch_vary_headers

from parindex.core.models import Period, ResultSet

# What a request carries about its sender: never part of a page built for everyone.
PRIVATE_META = {"HTTP_COOKIE", "HTTP_AUTHORIZATION", "CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE"}


STATE_KEY = "published-state:{}"
EVERY_PERIOD = "*"


def published_state(year=None) -> str:
    """A fingerprint of what is published in the period of ``year`` (of every period when None),
    "" when nothing is: it changes with each publication of a group or correction, which add a
    current published set.

    A cache hit of a public page reads no database: the fingerprint itself is kept in the cache
    for ``PUBLISHED_STATE_SECONDS``. A publication forgets it at once in the cache of the process
    that made it (``forget_published_state``), so with Redis (shared) every server sees it on its
    next request; with the per-process cache of one machine, the other processes within
    ``PUBLISHED_STATE_SECONDS``.
    """
    key = STATE_KEY.format(EVERY_PERIOD if year is None else year)
    state = cache.get(key)
    if state is None:
        sets = ResultSet.objects.filter(published=True, is_current=True)
        if year is not None:
            sets = sets.filter(period__year=year)
        found = sets.aggregate(last=Max("pk"), count=Count("pk"))
        state = f"{found['last']}:{found['count']}" if found["count"] else ""
        cache.add(key, state, settings.PUBLISHED_STATE_SECONDS)
    return state


def forget_published_state(sender, instance, **kwargs):
    """Receiver of a result set saved or deleted: forget the fingerprints it may change, now
    (this process's own next page) and again once the transaction commits (a page read in
    between would have kept the old fingerprint). Provisional sets change nothing public."""
    if not instance.published:
        return
    year = Period.objects.filter(pk=instance.period_id).values_list("year", flat=True).first()
    keys = [STATE_KEY.format(EVERY_PERIOD)]
    if year is not None:
        keys.append(STATE_KEY.format(year))
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


class _NoMessages(BaseStorage):
    """The messages of a page built for everyone: none are read and none are kept."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def carries_messages(request) -> bool:
    """Tell whether the request brings messages (cookie or session) without using them up."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def read_query(request, names) -> QueryDict | None:
    """Return the parameters ``names`` of ``request``'s query string, in a fixed order (None
    when ``names`` is None: the whole query string counts)."""
    if names is None:
        return None
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        values = request.GET.getlist(name)
        if values:
            kept.setlist(name, values)
    return QueryDict(kept.urlencode())


def public_request(request, query=None):
    """Return a copy of an anonymous GET request without its cookies, session and messages.

    A stored page is built from this copy, so nothing the visitor who filled the cache sent
    along (a replayed messages cookie, a session, a CSRF secret) can be in what others are served.
    With ``query`` (``read_query``) the copy carries only those parameters, so the page cannot
    depend on, or link with, a parameter its key leaves out.
    """
    public = copy.copy(request)
    public.COOKIES = {}
    public.META = {key: value for key, value in request.META.items() if key not in PRIVATE_META}
    if query is not None:
        public.GET = query
        public.META["QUERY_STRING"] = query.urlencode()
    public.session = import_module(settings.SESSION_ENGINE).SessionStore()
    public.user = AnonymousUser()
    public._messages = _NoMessages(public)
    return public


def cached_response(request, key_part: str, render, query_names=None):
    """Serve the stored copy of the page, else build it with ``render(public_request)``.

    The copy is keyed on the path and the query string; with ``query_names``, on the parameters
    of those names only (in a fixed order), the ones the page reads: ``?page=2&q=x`` and
    ``?q=x&page=2`` are one page, a tracking parameter adds no copy. A visitor bringing a message
    gets a fresh page with it and nothing is stored; a page whose building asked for a CSRF token
    or set a cookie is not stored either. A browser that accepts gzip gets the stored page
    compressed (see ``_GZIP``), and that compressed copy is stored too.
    """
    if carries_messages(request):
        return render(request)
    query = read_query(request, query_names)
    address = request.get_full_path() if query is None else f"{request.path}?{query.urlencode()}"
    # One copy per language: the same address reads in Vietnamese or English (LocaleMiddleware).
    language = translation.get_language()
    key = "page:" + hashlib.sha256(f"{key_part}:{language}:{address}".encode()).hexdigest()
    accepts_gzip = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    if accepts_gzip and (response := cache.get(f"{key}:gzip")) is not None:
        return response
    response = cache.get(key)
    if response is None:
        public = public_request(request, query)
        response = render(public)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if not _storable(response, public):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        cache.set(key, response, settings.PUBLISHED_PAGE_SECONDS)
    if accepts_gzip and _compressible(response):
        response = _GZIP.process_response(request, response)  # the copy in hand, not the stored
        cache.set(f"{key}:gzip", response, settings.PUBLISHED_PAGE_SECONDS)
    return response


# Only pages built for everyone are compressed. BREACH guesses a secret of a page (a CSRF
# token, personal data) from the compressed size when the page also echoes what the attacker
# sends (a search): these pages hold no secret, as public_request and _storable make sure.
# Pages for logged-in users, forms with a CSRF token and pages with messages are never
# compressed. Django's GZipMiddleware compresses (with its length randomising, Vary and ETag
# handling); it is called here rather than installed, so nothing else passes through it.
_GZIP = GZipMiddleware(lambda request: None)


def _compressible(response) -> bool:
    """Tell whether a stored page is text worth compressing (not an xlsx, already a zip)."""
    return response.get("Content-Type", "").startswith("text/") and len(response.content) >= 200


def _storable(response, public) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "CSRF_COOKIE" not in public.META
    )


def cache_public(view):
    """Serve anonymous visitors a stored copy of a page built from published results only
    (unit profiles, trends); any publication or correction renews it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _stored_or_rendered(request, None, lambda r: view(r, *args, **kwargs))

    return wrapper


def cache_published(view=None, *, query=None):
    """Serve anonymous visitors a stored copy of the page of a period with published results.

    It wraps a view taking ``year`` (outside ``results_access``, so a stored copy is served
    without reading the period). Published results change only by a recorded correction, which
    makes a new current result set, and groups are published one by one: the key holds the
    period's ``published_state``, so a correction or a newly published group is visible at once.
    Logged-in pages (names in the header, provisional banners) are always rendered. ``query``
    names the parameters the page reads (``@cache_published(query=("page", "q"))``): the copy
    is keyed on them and built from them alone; without it, on the whole query string.
    """
    if view is None:
        return lambda view: cache_published(view, query=query)

    @wraps(view)
    def wrapper(request, year, *args, **kwargs):
        return _stored_or_rendered(request, year, lambda r: view(r, year, *args, **kwargs), query)

    return wrapper


def _stored_or_rendered(request, year, render, query=None):
    """The stored copy for an anonymous GET while something is published (in the period of
    ``year``, or anywhere when None), else ``render(request)`` as it is."""
    if request.method != "GET" or request.user.is_authenticated:
        return render(request)
    state = published_state(year)
    if not state:
        return render(request)
    return cached_response(request, state, render, query)
