from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from parindex.web.views import language, passwords

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
    # Setting one's password through an e-mailed one-time link ("Quên mật khẩu?", new accounts).
    path("accounts/password/reset/", passwords.ResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/set/<uidb64>/<token>/",
        passwords.ConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # The footer's language switch (Django's set_language view, POST only).
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("", include("parindex.web.urls")),
]

handler400 = "parindex.web.views.errors.bad_request"
handler403 = "parindex.web.views.errors.permission_denied"
handler404 = "parindex.web.views.errors.page_not_found"
handler500 = "parindex.web.views.errors.server_error"
