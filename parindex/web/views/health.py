"""Health endpoints for load balancers: /healthz (the process answers) and /readyz."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from parindex.core.readiness import readiness


@never_cache
def healthz(request):
    """Answer 200 while the process serves requests; touch nothing else (liveness)."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    """Answer 200 when the database, cache, storage and queue are reachable, else 503 naming
    the failing parts (and nothing about why: the reasons go to the log)."""
    checks = readiness()
    failing = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "fail" if failing else "ok",
        "checks": {name: "ok" if ok else "fail" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)
