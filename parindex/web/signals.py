"""Log every login, logout and failed login (refused access is logged by the 403 handler)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

security = logging.getLogger("parindex.security")


def address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    security.info("login user=%s ip=%s", user.get_username(), address(request))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    security.info("logout user=%s ip=%s", user.get_username() if user else "-", address(request))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    security.warning(
        "failed login user=%s ip=%s", credentials.get("username", "-"), address(request)
    )
