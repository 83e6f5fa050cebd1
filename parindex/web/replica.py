"""The pages that read from the read replica, and the mark that keeps a user who just wrote on
the primary (installed with the router only when ``DATABASE_REPLICA_URL`` is set).

A replica is a few seconds behind the primary. The public pages and dashboards below may show
that slightly older copy; nothing else reads it. A user who has just written — any POST (a
save, a login), a page whose building wrote (``routing.note_write``: staff pages recompute
stale provisional results), or the page of a job the worker runs for them — must see the change
on the next page, even when another app server answers it: the response carries a signed,
timestamped cookie, and for ``REPLICA_LAG_SECONDS`` after it that browser reads the primary.
"""

from django.conf import settings

from parindex.core import routing

# The pages built from published (or, for staff, provisional) results only, by URL name. They
# only read; every other page, and any method but these, reads the primary.
REPLICA_PAGES = frozenset(
    {
        "web:home",
        "web:rankings",
        "web:ranking-group",
        "web:dashboard-latest",
        "web:dashboard",
        "web:unit-profile",
        "web:trends",
    }
)
# The pages that follow work the worker does for this user (an import, a publication): while
# the user watches it, and for the lag after, their reads stay on the primary, so the outcome
# the job page announces is what the next page shows.
FOLLOWS_WRITES = frozenset({"web:job", "web:job-progress"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WROTE_COOKIE = "parindex_wrote"
_SALT = "parindex.web.replica"


def wrote_recently(request) -> bool:
    """Tell whether the request's browser wrote less than ``REPLICA_LAG_SECONDS`` ago.

    The cookie's own signed timestamp decides, not its expiry: a forged, altered or old one
    counts as no mark.
    """
    mark = request.get_signed_cookie(
        WROTE_COOKIE, default=None, salt=_SALT, max_age=settings.REPLICA_LAG_SECONDS
    )
    return mark is not None


def mark_written(response) -> None:
    """Keep the browser that gets ``response`` on the primary for ``REPLICA_LAG_SECONDS``."""
    response.set_signed_cookie(
        WROTE_COOKIE,
        "1",
        salt=_SALT,
        max_age=settings.REPLICA_LAG_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def may_read_replica(request) -> bool:
    """Tell whether ``request`` (resolved) is a read of a public page by a browser that has not
    written lately."""
    match = request.resolver_match
    return (
        request.method in SAFE_METHODS
        and match is not None
        and match.view_name in REPLICA_PAGES
        and not wrote_recently(request)
    )


def wrote(request, route) -> bool:
    """Tell whether the browser of a request just served should now read the primary."""
    match = getattr(request, "resolver_match", None)
    return (
        request.method not in SAFE_METHODS
        or route.wrote
        or (match is not None and match.view_name in FOLLOWS_WRITES)
    )


class ReplicaReadsMiddleware:
    """Open each request's routing state; allow the replica to the pages of ``REPLICA_PAGES``;
    mark the browser after a request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with routing.request_route() as route:
            response = self.get_response(request)
            if wrote(request, route):
                mark_written(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if may_read_replica(request):
            routing.allow_replica_reads()
