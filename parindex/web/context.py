"""What every page's header needs to know about the visitor, decided in core/permissions.py."""

from parindex.core.permissions import can_import, can_manage_accounts, is_province_staff


def navigation(request) -> dict:
    """Give templates the links the visitor may follow (``nav.review``, ``nav.imports``,
    ``nav.accounts``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"review": False, "imports": False, "accounts": False}}
    return {
        "nav": {
            "review": is_province_staff(user),
            "imports": can_import(user),
            "accounts": can_manage_accounts(user),
        }
    }
