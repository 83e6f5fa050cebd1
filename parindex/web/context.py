"""What every page's header needs to know about the visitor, decided in core/permissions.py."""

from functools import partial

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from parindex.core.models import Notification
from parindex.core.permissions import can_import, can_manage_accounts, is_province_staff


def navigation(request) -> dict:
    """Give templates the links the visitor may follow (``nav.review``, ``nav.imports``,
    ``nav.accounts``) and the number of their unread notifications (``nav.inbox_unread``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"review": False, "imports": False, "accounts": False, "inbox_unread": 0}}
    return {
        "nav": {
            "review": is_province_staff(user),
            "imports": can_import(user),
            "accounts": can_manage_accounts(user),
            "inbox_unread": SimpleLazyObject(partial(unread_count, request, user)),
        }
    }


def unread_count(request, user) -> int:
    """Return how many notifications ``user`` has not read: one COUNT on the (user, read_at)
    index, asked once per request and only by a template that shows it."""
    if not hasattr(request, "_inbox_unread"):
        request._inbox_unread = Notification.objects.for_user(user).unread().count()
    return request._inbox_unread


def province(request) -> dict:
    """Give templates the province's name, short name and emblem (settings) for the header."""
    return {
        "province": {
            "name": settings.PROVINCE_NAME,
            "short_name": settings.PROVINCE_SHORT_NAME,
            "emblem": settings.PROVINCE_EMBLEM,
        }
    }
