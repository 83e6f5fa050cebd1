"""Unit groups (khối) and units (đơn vị) in time: the dates a unit exists, and its lineage
across mergers, splits and renamings (whole predecessors or shares of them)."""

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parindex.core import clock
from parindex.core.codes import CODE_MAX_LENGTH, validate_code
from parindex.core.text import day_text

WHOLE = Decimal("1")


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


class UnitQuerySet(models.QuerySet):
    def existing_on(self, day: date):
        """The units that exist on ``day`` (a unit without dates always does; ``Unit.exists``
        is the same rule for one unit)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


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
        through="Lineage",
        through_fields=("successor", "predecessor"),
        verbose_name=_("kế thừa từ"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text=_("Các đơn vị trước sáp nhập, chia tách hoặc đổi tên."),
    )
    valid_from = models.DateField(
        _("hoạt động từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: không rõ, đã có từ trước."),
    )
    valid_to = models.DateField(
        _("hoạt động đến hết ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày cuối cùng đơn vị tồn tại (trước sáp nhập, giải thể). Để trống: còn hoạt động."
        ),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["group__order", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="unit_dates_in_order",
                violation_error_message=_("Ngày bắt đầu phải trước ngày kết thúc."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def exists(self, first: date, last: date | None = None) -> bool:
        """Return whether the unit exists on at least one day from ``first`` to ``last``
        (``first`` alone: on that day)."""
        return (self.valid_from is None or self.valid_from <= (last or first)) and (
            self.valid_to is None or self.valid_to >= first
        )

    def exists_in(self, year: int) -> bool:
        """Return whether the unit exists on at least one day of ``year``."""
        return self.exists(date(year, 1, 1), date(year, 12, 31))

    @property
    def lifetime_text(self) -> str:
        """Say when the unit exists: "từ 01/07/2025", "đến 30/06/2025", "không giới hạn"."""
        parts = []
        if self.valid_from:
            parts.append(_("từ %(d)s") % {"d": day_text(self.valid_from)})
        if self.valid_to:
            parts.append(_("đến hết %(d)s") % {"d": day_text(self.valid_to)})
        return " ".join(str(p) for p in parts) or str(_("không giới hạn thời gian"))

    @property
    def active(self) -> bool:
        """Whether the unit still exists today (it has no end date, or one not yet past)."""
        return self.valid_to is None or self.valid_to >= clock.today()


class Lineage(models.Model):
    """One predecessor of a unit: the whole of it (share 1) or a part, from a date.

    A new ward formed from two whole wards and parts of two others has four rows; an old unit
    split between several new ones has one row per new unit, each with its share.
    """

    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị kế thừa"), on_delete=models.CASCADE, related_name="+"
    )
    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiền thân"), on_delete=models.PROTECT, related_name="+"
    )
    share = models.DecimalField(
        _("tỷ lệ kế thừa"),
        max_digits=5,
        decimal_places=4,
        default=WHOLE,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(WHOLE)],
        help_text=_("1 = toàn bộ đơn vị tiền thân; 0,5 = một nửa (0 < tỷ lệ ≤ 1)."),
    )
    since = models.DateField(
        _("từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày đơn vị kế thừa nhận phần này (thường là ngày sắp xếp có hiệu lực)."),
    )

    class Meta:
        ordering = ["successor", "-share", "predecessor__code"]
        verbose_name = _("kế thừa")
        verbose_name_plural = _("kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["successor", "predecessor"], name="lineage_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="lineage_share_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.successor_id} ← {self.predecessor_id} ({self.share})"

    @property
    def whole(self) -> bool:
        return self.share == WHOLE
