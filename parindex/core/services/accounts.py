"""The province's accounts, managed by its administrators (the accounts page, ``importusers``).

Nobody is given a password: a new account has none that works, and its owner sets one through
a one-time link e-mailed to them (Django's password reset token: it stops working once the
password is set, or after ``PASSWORD_RESET_TIMEOUT``). Each change is atomic and audited
(``user.created``, ``user.changed``, ``user.deactivated``, ``user.reactivated``,
``user.link_sent``). The link is e-mailed after the change is committed: a mail server that
refuses leaves the account made, and says so, so the administrator can send the link again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from parindex.core.account_rules import AccountData, account_problems, taken_usernames
from parindex.core.errors import WorkflowError
from parindex.core.models import Role, Unit, User
from parindex.core.permissions import can_manage_accounts
from parindex.core.services import audit

log = logging.getLogger(__name__)


class AccountError(WorkflowError):
    """The account cannot be saved as typed; ``fields`` maps each field to its problem."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(_("Chưa lưu: xem lỗi ở từng ô."), details=list(fields.values()))
        self.fields = fields


@dataclass(frozen=True)
class Saved:
    """An account created (or a link sent) and whether its password link went out."""

    user: User
    link_sent: bool


def _require_admin(by) -> None:
    """Let administrators through; ``by`` None is a command run on the server (``importusers``)."""
    if by is not None and not can_manage_accounts(by):
        raise WorkflowError(_("Chỉ quản trị hệ thống quản lý tài khoản."))


def _shown(user: User) -> dict[str, str]:
    """The fields of an account an audit entry compares (old → new)."""
    return {
        "full_name": user.get_full_name(),
        "email": user.email,
        "role": user.role,
        "unit": user.unit.code if user.unit_id else "",
        "is_active": "1" if user.is_active else "0",
    }


def _apply(user: User, data: AccountData, unit: Unit | None) -> None:
    """Give ``user`` the typed values; Django admin rights follow the administrator role."""
    user.full_name = data.full_name
    user.email = data.email
    user.role = data.role
    user.unit = unit
    user.is_staff = user.is_superuser = data.role == Role.ADMIN


def create_account(data: AccountData, *, by, base_url: str) -> Saved:
    """Create an account without a usable password and e-mail its owner the link to set one."""
    with transaction.atomic():
        _require_admin(by)
        problems, unit = account_problems(data)
        if problems:
            raise AccountError(problems)
        user = User(username=data.username)
        _apply(user, data, unit)
        user.set_unusable_password()
        user.save()
        audit.record("user.created", actor=by, obj=user, changes=_created(user))
    return Saved(user, _send_links([user], base_url, by=by) == 1)


def _created(user: User) -> dict:
    return {"username": ["", user.username]} | {
        key: ["", value] for key, value in _shown(user).items()
    }


def update_account(user: User, data: AccountData, *, by) -> User:
    """Change the name, e-mail, role and unit of ``user`` (the username stays)."""
    with transaction.atomic():
        _require_admin(by)
        user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
        problems, unit = account_problems(data, user=user)
        if user.pk == by.pk and data.role != user.role:
            problems["role"] = _("Không tự đổi vai trò của chính mình được.")
        if problems:
            raise AccountError(problems)
        before = _shown(user)
        _apply(user, data, unit)
        user.save()
        after = _shown(user)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            audit.record("user.changed", actor=by, obj=user, changes=changes)
    return user


def deactivate_account(user: User, *, by) -> User:
    """Lock ``user`` out: no login, no password link; nothing of theirs is deleted."""
    return _set_active(user, False, by=by)


def reactivate_account(user: User, *, by) -> User:
    """Let ``user`` log in again (with the password they had)."""
    return _set_active(user, True, by=by)


def _set_active(user: User, active: bool, *, by) -> User:
    with transaction.atomic():
        _require_admin(by)
        user = User.objects.select_for_update().get(pk=user.pk)
        if not active and user.pk == by.pk:
            raise WorkflowError(_("Không tự khóa tài khoản của chính mình được."))
        if user.is_active == active:
            raise WorkflowError(
                _("Tài khoản đang hoạt động.") if active else _("Tài khoản đã bị khóa.")
            )
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = "user.reactivated" if active else "user.deactivated"
        audit.record(action, actor=by, obj=user, changes={"is_active": [not active, active]})
    return user


def send_password_link(user: User, *, by, base_url: str) -> Saved:
    """E-mail ``user`` a new one-time link to set their password (the old one keeps working
    until they do)."""
    _require_admin(by)
    user = User.objects.get(pk=user.pk)
    if not user.is_active:
        raise WorkflowError(_("Tài khoản đang bị khóa: mở khóa trước khi gửi liên kết."))
    if not user.email:
        raise WorkflowError(_("Tài khoản chưa có email: nhập email trước khi gửi liên kết."))
    return Saved(user, _send_links([user], base_url, by=by) == 1)


def import_accounts(accounts: list[AccountData], units: dict[str, Unit], *, by) -> list[User]:
    """Create every account of a checked sheet (``excel/accounts.read_accounts``), or none.

    A username taken since the sheet was checked refuses the whole sheet.
    """
    with transaction.atomic():
        _require_admin(by)
        taken = taken_usernames([a.username for a in accounts])
        if taken:
            raise WorkflowError(
                _("Tên đăng nhập đã có người dùng từ khi kiểm tra tệp; chưa tạo tài khoản nào."),
                details=sorted(taken),
            )
        users = []
        for data in accounts:
            user = User(username=data.username)
            _apply(user, data, units.get(data.unit_code))
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users)
        users = list(User.objects.filter(username__in=[u.username for u in users]))
        audit.record_many(
            "user.created", [{"obj": u, "changes": _created(u)} for u in users], actor=by
        )
    return users


def send_links(users: list[User], *, by, base_url: str) -> int:
    """E-mail each of ``users`` (new accounts) their link; return how many went out."""
    _require_admin(by)
    return _send_links(users, base_url, by=by)


def password_link(user: User, base_url: str) -> str:
    """Return the one-time link at which ``user`` sets a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", args=[uid, token])
    return base_url.rstrip("/") + path


def _message(user: User, base_url: str) -> EmailMessage:
    context = {
        "user": user,
        "link": password_link(user, base_url),
        "site": base_url.rstrip("/"),
        "new_account": not user.has_usable_password(),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    # In the province's language, not the sender's: we do not know the recipient's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/account_link_subject.txt", context)
        body = render_to_string("registration/account_link_email.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _send_links(users: list[User], base_url: str, *, by) -> int:
    """Send the links in one connection; record each sent one; return how many went out."""
    users = [u for u in users if u.email and u.is_active]
    if not users:
        return 0
    try:
        sent = get_connection().send_messages([_message(u, base_url) for u in users]) or 0
    except Exception:  # the mail server refused or is unreachable: say so, keep the accounts
        log.exception("Không gửi được thư đặt mật khẩu tới %s tài khoản", len(users))
        return 0
    with transaction.atomic():
        audit.record_many(
            "user.link_sent",
            [{"obj": u, "message": u.email} for u in users[:sent]],
            actor=by,
        )
    return sent
