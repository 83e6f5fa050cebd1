"""Stored copies of pages built from published results only, for anonymous visitors."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from parindex.core.models import ResultSet


def published_state() -> str:
    """A fingerprint of everything published: it changes with each publication or correction."""
    state = ResultSet.objects.filter(published=True, is_current=True).aggregate(
        last=Max("pk"), count=Count("pk")
    )
    return f"{state['last']}:{state['count']}"


def cached_response(request, key_part: str, render):
    key = "page:" + hashlib.sha256(f"{key_part}:{request.get_full_path()}".encode()).hexdigest()
    response = cache.get(key)
    if response is None:
        response = render()
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, settings.PUBLISHED_PAGE_SECONDS)
    return response


def cache_public(view):
    """Serve anonymous visitors a stored copy of a page built from published results only
    (unit profiles, trends); any publication or correction renews it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return cached_response(request, published_state(), lambda: view(request, *args, **kwargs))

    return wrapper


def cache_published(view):
    """Serve anonymous visitors a stored copy of a published period's page.

    Published results change only by a recorded correction, which makes a new current result
    set, and groups are published one by one: the key holds the ids of the period's current
    published sets, so a correction or a newly published group is visible at once. Logged-in
    pages (names in the header, provisional banners) are always rendered.
    """

    @wraps(view)
    def wrapper(request, period, *args, **kwargs):
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or not period.has_published_group
        ):
            return view(request, period, *args, **kwargs)
        current = ResultSet.objects.filter(
            period=period, is_current=True, published=True
        ).values_list("pk", flat=True)
        return cached_response(
            request,
            ",".join(str(pk) for pk in sorted(current)),
            lambda: view(request, period, *args, **kwargs),
        )

    return wrapper
