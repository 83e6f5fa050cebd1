"""Setting one's own password through a one-time e-mailed link: "Quên mật khẩu?" on the login
page and the links the accounts page sends (``core/services/accounts.py``) use these views.

Django's password reset, with two changes: an account that never had a password (made on the
accounts page, its first link lost or expired) can ask for a link too, and a locked account's
link does not work.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from parindex.core.models import User


class ResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")

    def get_users(self, email):
        """Every active account with this e-mail, whether it has set a password yet or not."""
        wanted = email.casefold()
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.email.casefold() == wanted:
                yield user


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    success_url = reverse_lazy("password_reset_done")


class ConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
