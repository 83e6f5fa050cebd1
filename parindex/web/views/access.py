"""Access helpers for views: fetch the object in scope, or answer 404 / 403 / login."""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404

from parindex.core.models import Period, ResultSet
from parindex.core.permissions import can_view_results


def results_access(view):
    """Pass the period of ``year`` to ``view`` if the user may read its results.

    Unknown year: 404. Unpublished and anonymous: the login page. Unpublished and logged in
    without the right: 403.
    """

    @wraps(view)
    def wrapper(request, year, *args, **kwargs):
        period = get_object_or_404(Period, year=year)
        if not can_view_results(request.user, period):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, period, *args, **kwargs)

    return wrapper


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
    set: the key holds that set's id, so a correction is visible at once. Logged-in pages (names
    in the header, provisional banners) are always rendered.
    """

    @wraps(view)
    def wrapper(request, period, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or not period.is_published:
            return view(request, period, *args, **kwargs)
        current = (
            ResultSet.objects.filter(period=period, is_current=True)
            .values_list("pk", flat=True)
            .first()
        )
        return cached_response(
            request, str(current), lambda: view(request, period, *args, **kwargs)
        )

    return wrapper
