"""Accounts: one user model, a role, and at most one unit.

A Vietnamese name is written họ, tên đệm, tên ("Nguyễn Văn An") and people are called by the
last word. The one "họ và tên" typed is stored split at its last word: ``last_name`` holds họ
and tên đệm ("Nguyễn Văn"), ``first_name`` the tên ("An"), so Django's own fields keep working
(a name typed whole into ``first_name`` reads back the same) and ``get_full_name`` joins them
họ-first.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models.choices import PROVINCE_ROLES, UNIT_ROLES, Role

UNIT_NEEDED = _("Cán bộ đầu mối và lãnh đạo đơn vị phải thuộc một đơn vị.")
NO_UNIT = _("Thẩm định viên, người phê duyệt, lãnh đạo và quản trị không thuộc đơn vị nào.")


def role_unit_problem(role: str, has_unit: bool):
    """Return why ``role`` cannot go with (or without) a unit, or None: a unit's officer and
    head belong to one unit, the province's roles to none. The one rule of every caller."""
    if role in UNIT_ROLES and not has_unit:
        return UNIT_NEEDED
    if role in PROVINCE_ROLES and has_unit:
        return NO_UNIT
    return None


def split_full_name(full_name: str) -> tuple[str, str]:
    """Return (last_name, first_name) of a "họ và tên": "Nguyễn Văn An" → ("Nguyễn Văn", "An")."""
    words = full_name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        problem = role_unit_problem(self.role, self.unit_id is not None)
        if problem:
            raise ValidationError({"unit": problem})

    def get_full_name(self) -> str:
        """Return the name in Vietnamese order: họ, tên đệm, tên ("Nguyễn Văn An")."""
        return " ".join(f"{self.last_name} {self.first_name}".split())

    def get_short_name(self) -> str:
        """Return the tên, the word a Vietnamese is called by ("An")."""
        return self.first_name

    @property
    def full_name(self) -> str:
        return self.get_full_name()

    @full_name.setter
    def full_name(self, value: str) -> None:
        self.last_name, self.first_name = split_full_name(value)
