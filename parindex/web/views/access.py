"""Access helpers for views: fetch the object in scope, or answer 404 / 403 / login."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from parindex.core.models import Period
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
