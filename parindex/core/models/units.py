"""Unit groups (khối) and units (đơn vị), with lineage across mergers and renamings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.codes import CODE_MAX_LENGTH, validate_code


class UnitGroup(models.Model):
    code = models.CharField(
        _("mã khối"), max_length=CODE_MAX_LENGTH, unique=True, validators=[validate_code]
    )
    name = models.CharField(_("tên khối"), max_length=200)
    ranked = models.BooleanField(
        _("xếp hạng"), default=True, help_text=_("Bỏ chọn nếu khối chỉ xếp loại, không xếp hạng.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("khối")
        verbose_name_plural = _("khối")

    def __str__(self):
        return self.name


class Unit(models.Model):
    code = models.CharField(
        _("mã đơn vị"), max_length=CODE_MAX_LENGTH, unique=True, validators=[validate_code]
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("khối"), on_delete=models.PROTECT, related_name="units"
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("kế thừa từ"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text=_("Các đơn vị trước sáp nhập, chia tách hoặc đổi tên."),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["group__order", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
