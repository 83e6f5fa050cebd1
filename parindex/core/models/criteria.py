"""Criteria sets (bộ tiêu chí): a versioned tree of areas, criteria and sub-criteria."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 9, "decimal_places": 4}


class Method(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    SURVEY = "survey", _("Điều tra XHH")
    BONUS = "bonus", _("Điểm thưởng")
    DEDUCTION = "deduction", _("Điểm trừ")


SCORED_METHODS = (Method.SELF, Method.SURVEY)
ADJUSTMENT_METHODS = (Method.BONUS, Method.DEDUCTION)


class CriteriaSet(models.Model):
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    decision_number = models.CharField(_("số quyết định ban hành"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    valid_to = models.PositiveSmallIntegerField(_("áp dụng đến năm"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    scale = models.DecimalField(_("thang điểm"), default=Decimal("100"), **POINTS)
    bonus_cap = models.DecimalField(
        _("điểm thưởng tối đa"), default=Decimal("0"), validators=[MinValueValidator(0)], **POINTS
    )
    deduction_cap = models.DecimalField(
        _("điểm trừ tối đa"), default=Decimal("0"), validators=[MinValueValidator(0)], **POINTS
    )
    allow_over_max = models.BooleanField(
        _("cho phép tổng điểm vượt điểm tối đa"),
        default=False,
        help_text=_("Khi có điểm thưởng, tổng điểm có được vượt điểm tối đa hay không."),
    )

    class Meta:
        ordering = ["-valid_from", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "decision_number"], name="criteria_set_version")
        ]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self):
        if self.decision_number:
            return f"{self.name} ({self.decision_number})"
        return self.name


class CriterionQuerySet(models.QuerySet):
    def for_assessment(self, assessment):
        """The criteria of the set ``assessment``'s unit group uses in its period."""
        return self.for_group(assessment.period_id, assessment.unit.group_id)

    def for_group(self, period_id: int, group_id: int):
        """The criteria of the set a group uses in a period (each group may have its own)."""
        return self.filter(
            criteria_set__period_groups__period_id=period_id,
            criteria_set__period_groups__group_id=group_id,
        )

    def for_period(self, period):
        """The criteria of every set used in ``period`` (distinct: sets may be shared)."""
        return self.filter(criteria_set__period_groups__period=period).distinct()

    def leaves(self):
        return self.exclude(method="")

    def scored(self):
        """Leaves that carry points towards the maximum (self-assessed and survey)."""
        return self.filter(method__in=SCORED_METHODS)

    def areas(self):
        return self.filter(parent__isnull=True)

    def scored_areas(self):
        """Top-level areas that hold scored leaves (not the bonus/deduction part)."""
        return self.areas().filter(pk__in=Criterion.objects.scored().values("area_id"))


class Criterion(models.Model):
    """A node of the tree. Leaves have a ``method``; parents have none.

    ``area`` is the top-level ancestor (the content area; itself for an area), kept so that
    totals per area are one GROUP BY.
    """

    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("bộ tiêu chí"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    area = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("mã"), max_length=30)
    title = models.TextField(_("nội dung"))
    max_points = models.DecimalField(_("điểm tối đa"), validators=[MinValueValidator(0)], **POINTS)
    method = models.CharField(
        _("phương thức chấm"), max_length=20, choices=Method.choices, blank=True
    )
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    options = models.JSONField(
        _("lựa chọn"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"label": ..., "points": "..."}; để trống nếu nhập số.'),
    )
    depth = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique")
        ]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.method)

    @property
    def is_survey(self) -> bool:
        """Return True for a leaf scored by the sociological survey (điều tra XHH)."""
        return self.method == Method.SURVEY

    @property
    def adjustment_kind(self) -> str | None:
        """Return the kind of item a bonus or deduction category holds (None for other leaves).

        The category's method names it: a bonus category holds bonus items, a deduction
        category deductions.
        """
        return self.method if self.method in ADJUSTMENT_METHODS else None

    def option_points(self) -> list[tuple[str, Decimal]]:
        """Return the choices as (label, points) pairs with Decimal points."""
        return [(o["label"], Decimal(str(o["points"]))) for o in self.options]
