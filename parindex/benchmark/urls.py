from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    """The reference: the smallest Django view, through the same middleware and gunicorn."""
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", ok), path("", include("parindex.urls"))]
handler400 = "parindex.web.views.errors.bad_request"
handler403 = "parindex.web.views.errors.permission_denied"
handler404 = "parindex.web.views.errors.page_not_found"
handler500 = "parindex.web.views.errors.server_error"
