from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include("parindex.web.urls")),
]

handler400 = "parindex.web.views.errors.bad_request"
handler403 = "parindex.web.views.errors.permission_denied"
handler404 = "parindex.web.views.errors.page_not_found"
handler500 = "parindex.web.views.errors.server_error"
