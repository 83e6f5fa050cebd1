"""What an account may be: the one set of rules the accounts page, its services and the Excel
import of accounts all check (each message is shown at its field or cell).

- A username is letters without diacritics, digits and ``. _ - @`` (typed on any keyboard at
  the login page), at most 150 characters, and no other account has it — compared without case,
  so "NguyenAn" and "nguyenan" are never two people.
- A full name ("họ và tên") is required, at most ``FULL_NAME_MAX`` characters.
- An e-mail address is required and valid: the password is set through a link sent there.
- A role is given by its code (``officer``) or its Vietnamese label ("Cán bộ đầu mối";
  "Thẩm định viên" without the bracket too), compared without diacritics or case.
- A unit is given by its code; it must exist and still be active (``Unit.active``: not
  abolished by a merger), and the role decides whether there is one (``role_unit_problem``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from parindex.core.models import Role, Unit, User
from parindex.core.models.users import role_unit_problem
from parindex.core.text import day_text, fold

USERNAME_MAX = User._meta.get_field("username").max_length
EMAIL_MAX = User._meta.get_field("email").max_length
FULL_NAME_MAX = 150
_USERNAME = re.compile(r"[A-Za-z0-9._@-]+")


def username_problem(username: str) -> str | None:
    """Return why ``username`` cannot be a username (its form only), or None."""
    if not username:
        return _("Nhập tên đăng nhập.")
    if len(username) > USERNAME_MAX:
        return _("Tên đăng nhập dài quá %(max)s ký tự.") % {"max": USERNAME_MAX}
    if not _USERNAME.fullmatch(username):
        return _(
            "Tên đăng nhập “%(u)s” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số và các ký tự "
            ". _ - @, không có dấu cách."
        ) % {"u": username}
    return None


def taken_usernames(usernames, *, exclude_pk=None) -> set[str]:
    """Return which of ``usernames`` (in lower case) an account already has: one query."""
    wanted = {u.lower() for u in usernames}
    users = User.objects.annotate(lower=Lower("username")).filter(lower__in=wanted)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return set(users.values_list("lower", flat=True))


def username_taken(username: str) -> str:
    return _("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username}


def full_name_problem(full_name: str) -> str | None:
    if not full_name:
        return _("Nhập họ và tên.")
    if len(full_name) > FULL_NAME_MAX:
        return _("Họ và tên dài quá %(max)s ký tự.") % {"max": FULL_NAME_MAX}
    return None


def email_problem(email: str) -> str | None:
    """Return why ``email`` cannot receive the password link, or None."""
    if not email:
        return _("Nhập địa chỉ email: mật khẩu được đặt qua liên kết gửi tới đó.")
    try:
        if len(email) > EMAIL_MAX:
            raise ValidationError("")
        validate_email(email)
    except ValidationError:
        return _("Địa chỉ email “%(e)s” không hợp lệ.") % {"e": email}
    return None


def _role_names() -> dict[str, str]:
    names = {}
    for value, label in Role.choices:
        names[fold(value)] = value
        names[fold(str(label))] = value
        names[fold(re.sub(r"\(.*?\)", "", str(label)))] = value
    return names


def role_from_text(text: str) -> str | None:
    """Return the role a cell or a field names (its code or its label), or None."""
    return _role_names().get(fold(text or "")) if text else None


def role_problem(text: str) -> str:
    labels = ", ".join(f"“{label}”" for _value, label in Role.choices)
    if not text:
        return _("Nhập vai trò (%(labels)s).") % {"labels": labels}
    return _("Vai trò “%(r)s” không có; chọn một trong: %(labels)s.") % {
        "r": text,
        "labels": labels,
    }


def find_units(codes) -> dict[str, Unit]:
    """Return code → unit of the codes given: one query."""
    return {u.code: u for u in Unit.objects.filter(code__in={c for c in codes if c})}


def unit_problem(role: str, code: str, unit: Unit | None, *, kept_unit_id=None) -> str | None:
    """Return why the unit ``code`` (found: ``unit``) cannot be that of an account of ``role``.

    An account may keep the unit it has (``kept_unit_id``) after that unit was abolished, so
    that its name or e-mail can still be corrected; a new choice must be an active unit.
    """
    if code and unit is None:
        return _("Không có đơn vị mã “%(c)s”.") % {"c": code}
    if unit is not None and not unit.active and unit.pk != kept_unit_id:
        return _("Đơn vị “%(c)s” (%(n)s) đã thôi hoạt động từ sau %(d)s.") % {
            "c": unit.code,
            "n": unit.name,
            "d": day_text(unit.valid_to),
        }
    problem = role_unit_problem(role, unit is not None)
    return str(problem) if problem else None


@dataclass(frozen=True)
class AccountData:
    """One account as typed on the page or read from a row of the sheet (``row``: its number)."""

    username: str
    full_name: str
    email: str
    role: str  # a Role value, or the text typed when it names none
    unit_code: str = ""
    row: int = 0

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @classmethod
    def typed(cls, *, username="", full_name="", email="", role="", unit_code="", row=0):
        """Return the account with every text trimmed (a name's inner spaces made single)."""
        return cls(
            username=(username or "").strip(),
            full_name=" ".join((full_name or "").split()),
            email=(email or "").strip(),
            role=role_from_text(role or "") or (role or "").strip(),
            unit_code=(unit_code or "").strip(),
            row=row,
        )


def account_problems(data: AccountData, *, user=None) -> tuple[dict[str, str], Unit | None]:
    """Check one account (a new one, or ``user`` changed: its username is kept); return the
    problem of each field that has one, and the unit named."""
    problems = {}
    if user is None:
        problem = username_problem(data.username)
        if problem is None and taken_usernames([data.username]):
            problem = username_taken(data.username)
        if problem:
            problems["username"] = problem
    for field, problem in (
        ("full_name", full_name_problem(data.full_name)),
        ("email", email_problem(data.email)),
        ("role", None if data.role in Role.values else role_problem(data.role)),
    ):
        if problem:
            problems[field] = problem
    unit = find_units([data.unit_code]).get(data.unit_code)
    if "role" not in problems:
        kept = user.unit_id if user is not None else None
        problem = unit_problem(data.role, data.unit_code, unit, kept_unit_id=kept)
        if problem:
            problems["unit_code"] = problem
    return problems, unit
