"""Assessments (one unit in one period) and their score entries (one per leaf)."""

from django.db import models
from django.db.models import Case, DecimalField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from parindex.core.models.criteria import POINTS, Method


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa nộp")
    SUBMITTED = "submitted", _("Đã nộp")
    APPRAISING = "appraising", _("Đang thẩm định")
    RETURNED = "returned", _("Chờ giải trình")
    EXPLAINED = "explained", _("Đã giải trình")
    APPRAISED = "appraised", _("Đã thẩm định")


class AssessmentQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)


class Assessment(models.Model):
    period = models.ForeignKey("core.Period", on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["period", "unit"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique")]
        verbose_name = _("bản đánh giá")
        verbose_name_plural = _("bản đánh giá")

    def __str__(self):
        return f"{self.unit} — {self.period.year}"


ZERO = Value(0, output_field=DecimalField(**POINTS))


class ScoreEntryQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(assessment__period=period)

    def area_totals(self):
        """Sum, per assessment and content area, the points and the not-applicable maximum.

        The points of a leaf are its survey points for survey leaves, else the appraised value
        once appraisal happened, else the self value; a not-applicable leaf counts for nothing.
        One GROUP BY over the score rows; the scoring package applies the rules on top.
        """
        applicable_points = Case(
            When(not_applicable=True, then=ZERO),
            When(criterion__method=Method.SURVEY, then=Coalesce("survey_points", ZERO)),
            default=Coalesce("appraised_points", "self_points", ZERO),
            output_field=DecimalField(**POINTS),
        )
        return (
            self.filter(criterion__method__in=(Method.SELF, Method.SURVEY))
            .values("assessment_id", "criterion__area_id")
            .annotate(
                points=Sum(applicable_points),
                na_max=Coalesce(Sum("criterion__max_points", filter=Q(not_applicable=True)), ZERO),
                self_points_total=Coalesce(
                    Sum(
                        "self_points",
                        filter=Q(not_applicable=False, criterion__method=Method.SELF),
                    ),
                    ZERO,
                ),
            )
            .order_by()
        )


class ScoreEntry(models.Model):
    """The scores of one leaf for one assessment.

    ``self_points`` is the unit's claim, ``appraised_points`` the reviewer's value (it overrides
    the claim once set), ``survey_points`` the imported survey result of a survey leaf.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    criterion = models.ForeignKey("core.Criterion", on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **POINTS)
    appraised_points = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **POINTS)
    survey_points = models.DecimalField(_("điểm điều tra XHH"), null=True, blank=True, **POINTS)
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    self_note = models.TextField(_("giải thích của đơn vị"), blank=True)
    appraisal_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_entry_unique")
        ]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")

    def __str__(self):
        return f"{self.assessment} — {self.criterion.code}"

    @property
    def final_points(self):
        """Return the points that count (``None`` when not scored or not applicable)."""
        if self.not_applicable:
            return None
        if self.criterion.method == Method.SURVEY:
            return self.survey_points
        return self.appraised_points if self.appraised_points is not None else self.self_points
