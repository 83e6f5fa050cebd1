"""Accounts: one user model, a role, and at most one unit."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models.choices import PROVINCE_ROLES, UNIT_ROLES, Role


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
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError(
                {"unit": _("Cán bộ đầu mối và lãnh đạo đơn vị phải thuộc một đơn vị.")}
            )
        if self.role in PROVINCE_ROLES and self.unit_id is not None:
            raise ValidationError(
                {
                    "unit": _(
                        "Thẩm định viên, người phê duyệt, lãnh đạo và quản trị "
                        "không thuộc đơn vị nào."
                    )
                }
            )
