"""Bonus and deduction items (điểm thưởng / điểm trừ): proposed, then approved or rejected."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models.assessments import evidence_path
from parindex.core.models.choices import AdjustmentKind, AdjustmentStatus, RemediationStatus
from parindex.core.models.criteria import POINTS


class AdjustmentQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(assessment__period=period)

    def approved(self):
        return self.filter(status=AdjustmentStatus.APPROVED)

    def category_totals(self):
        """Sum approved amounts per assessment, kind and category, with the category cap."""
        return (
            self.approved()
            .values("assessment_id", "kind", "category_id", "category__code")
            .annotate(amount=models.Sum("amount"), cap=models.Max("category__max_points"))
            .order_by()
        )


class Adjustment(models.Model):
    """One bonus or deduction line item against a unit, under a category leaf of the set."""

    assessment = models.ForeignKey(
        "core.Assessment", on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=AdjustmentKind.choices)
    category = models.ForeignKey(
        "core.Criterion", verbose_name=_("nhóm"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("số điểm"), validators=[MinValueValidator(0)], **POINTS)
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("đề xuất lúc"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến phê duyệt"), blank=True)
    evidence = models.FileField(
        _("tài liệu kèm theo"), upload_to=evidence_path, max_length=200, blank=True
    )
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "kind", "proposed_at"]
        verbose_name = _("điểm thưởng/điểm trừ")
        verbose_name_plural = _("điểm thưởng/điểm trừ")

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} — {self.assessment}"

    @property
    def is_pending(self) -> bool:
        """Return True while the item waits for an approver's decision."""
        return self.status == AdjustmentStatus.PROPOSED


class RemediationItem(models.Model):
    """One measure of a unit's remediation plan for points it lost (khắc phục)."""

    assessment = models.ForeignKey(
        "core.Assessment", on_delete=models.CASCADE, related_name="remediation"
    )
    criterion = models.ForeignKey(
        "core.Criterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tiêu chí"),
    )
    measure = models.TextField(_("biện pháp khắc phục"))
    owner = models.CharField(_("người/bộ phận chủ trì"), max_length=255)
    due_date = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=RemediationStatus.choices,
        default=RemediationStatus.PLANNED,
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "due_date", "id"]
        verbose_name = _("biện pháp khắc phục")
        verbose_name_plural = _("kế hoạch khắc phục")

    def __str__(self):
        return self.measure[:60]
