"""What every page's header needs to know about the visitor, decided in core/permissions.py."""

from django.conf import settings

from parindex.core.permissions import can_import, is_province_staff


def navigation(request) -> dict:
    """Give templates the links the visitor may follow (``nav.review``, ``nav.imports``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"review": False, "imports": False}}
    return {"nav": {"review": is_province_staff(user), "imports": can_import(user)}}


def province(request) -> dict:
    """Give templates the province's name, short name and emblem (settings) for the header."""
    return {
        "province": {
            "name": settings.PROVINCE_NAME,
            "short_name": settings.PROVINCE_SHORT_NAME,
            "emblem": settings.PROVINCE_EMBLEM,
        }
    }
