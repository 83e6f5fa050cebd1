"""Periods (kỳ đánh giá): a year, the criteria set of each group, grade bands and deadlines."""

from django.db import models
from django.db.models import Avg, Count, F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from parindex.core import permissions
from parindex.core.models.choices import TIE_RULE_NOTES, GroupStage, PeriodStatus, TieRule
from parindex.core.models.criteria import POINTS


class PeriodQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PeriodStatus.PUBLISHED)

    def with_results(self):
        """Periods with current results (each period once, whatever its number of groups)."""
        return self.filter(result_sets__is_current=True).distinct()

    def with_published_group(self):
        """Periods with at least one published group (their public tables exist)."""
        return self.filter(
            pk__in=PeriodGroup.objects.filter(stage=GroupStage.PUBLISHED).values("period_id")
        )

    def visible_to(self, user):
        """Restrict to the periods whose results ``user`` may read (core/permissions.py)."""
        return permissions.visible_periods(user, self)


class Period(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    name = models.CharField(_("tên kỳ đánh giá"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    self_assessment_deadline = models.DateField(_("hạn tự đánh giá"), null=True, blank=True)
    explanation_deadline = models.DateField(_("hạn giải trình"), null=True, blank=True)
    appraisal_deadline = models.DateField(_("hạn thẩm định"), null=True, blank=True)
    publication_decision = models.CharField(_("quyết định công bố"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    notes = models.TextField(
        _("ghi chú"), blank=True, help_text=_("Hiển thị cùng bảng xếp hạng (nguồn số liệu …).")
    )
    tie_rule = models.CharField(
        _("xếp hạng khi bằng điểm"),
        max_length=20,
        choices=TieRule.choices,
        default=TieRule.SHARED,
        help_text=_(
            "Đồng hạng: chỉ số công bố bằng nhau thì cùng hạng (1, 2, 2, 4). Theo điểm chưa làm "
            "tròn: so chỉ số đầy đủ, chỉ bằng nhau tuyệt đối mới cùng hạng."
        ),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")

    def __str__(self):
        return self.name

    @property
    def tie_rule_note(self) -> str:
        """The sentence of the methodology note that says how equal indices were ranked."""
        return str(TIE_RULE_NOTES[self.tie_rule])

    @property
    def is_published(self) -> bool:
        """True once every group of the period is published."""
        return self.status == PeriodStatus.PUBLISHED

    @cached_property
    def has_published_group(self) -> bool:
        """True once at least one group's results are public (groups publish one by one)."""
        if self.is_published or self.pk is None:
            return self.is_published
        return self.period_groups.filter(stage=GroupStage.PUBLISHED).exists()

    @cached_property
    def provisional_computed_at(self):
        """When the oldest provisional (unpublished) current result set was computed, or None."""
        return self.result_sets.filter(is_current=True, published=False).aggregate(
            at=Min("computed_at")
        )["at"]

    def self_assessment_open(self, now) -> bool:
        """Return True while units may enter, submit and withdraw self-assessments.

        The window is the OPEN status up to and including the deadline day, read in the
        project's time zone (Asia/Ho_Chi_Minh) from the server clock, never from the browser.
        A unit whose deadline was extended has its own window (``Assessment.entry_open``).
        """
        if self.status != PeriodStatus.OPEN:
            return False
        if self.self_assessment_deadline is None:
            return True
        return timezone.localdate(now) <= self.self_assessment_deadline


class PeriodGroupQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)

    def visible_to(self, user):
        """Restrict to the groups whose tables ``user`` may read (core/permissions.py)."""
        return permissions.visible_period_groups(user, self)

    def with_result_summary(self):
        """Annotate each group with its current results: count, average, highest and lowest,
        and ``shown_group_name``, the group's name as its current results show it.

        Names are those the results show (``results.shown_name``: as published). One query
        whatever the number of units: every figure is a subquery on the snapshots.
        """
        from parindex.core.models.results import UnitResult, shown_group_name, shown_unit_name

        results = UnitResult.objects.filter(
            result_set__period=OuterRef("period"),
            result_set__is_current=True,
            group=OuterRef("group"),
        )

        def aggregate(function, field):
            return Subquery(
                results.order_by()
                .values("group")
                .annotate(value=function(field))
                .values("value")[:1]
            )

        def unit_at(order):
            named = results.annotate(name=shown_unit_name()).order_by(order)
            return Subquery(named.values("name")[:1])

        return self.annotate(
            unit_count=aggregate(Count, "id"),
            average_index=aggregate(Avg, "index"),
            highest_index=aggregate(Max, "index"),
            lowest_index=aggregate(Min, "index"),
            highest_unit=unit_at(F("index").desc(nulls_last=True)),
            lowest_unit=unit_at(F("index").asc(nulls_last=True)),
            shown_group_name=Coalesce(
                Subquery(results.annotate(name=shown_group_name()).values("name")[:1]),
                F("group__name"),
            ),
        )


class PeriodGroup(models.Model):
    """Which criteria set a group uses in a period (each group may have its own)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="period_groups")
    group = models.ForeignKey("core.UnitGroup", on_delete=models.PROTECT, related_name="+")
    criteria_set = models.ForeignKey(
        "core.CriteriaSet", on_delete=models.PROTECT, related_name="period_groups"
    )
    stage = models.CharField(
        _("giai đoạn"), max_length=20, choices=GroupStage.choices, default=GroupStage.OPEN
    )
    ranked = models.BooleanField(
        _("xếp hạng trong kỳ này"),
        default=True,
        help_text=_("Bỏ chọn nếu năm nay khối chỉ xếp loại, không xếp hạng (ghi lý do)."),
    )
    unranked_reason = models.TextField(_("lý do không xếp hạng"), blank=True)

    objects = PeriodGroupQuerySet.as_manager()

    class Meta:
        ordering = ["period", "group__order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "group"], name="period_group_unique")
        ]
        verbose_name = _("khối trong kỳ đánh giá")
        verbose_name_plural = _("khối trong kỳ đánh giá")

    def __str__(self):
        return f"{self.period} — {self.group}"

    @property
    def is_published(self) -> bool:
        return self.stage == GroupStage.PUBLISHED

    @property
    def is_finalised(self) -> bool:
        """True once the group's results are final (finalised or already published)."""
        return self.stage in (GroupStage.FINALISED, GroupStage.PUBLISHED)


class GradeBand(models.Model):
    """A grade band of one group in one period: index ≥ lower bound gets the label."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="grade_bands")
    group = models.ForeignKey("core.UnitGroup", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("xếp loại"), max_length=50)
    lower_bound = models.DecimalField(_("từ (%)"), **POINTS)
    color = models.CharField(_("màu"), max_length=7, default="#777777")

    class Meta:
        ordering = ["period", "group__order", "-lower_bound"]
        constraints = [
            models.UniqueConstraint(fields=["period", "group", "label"], name="grade_band_unique")
        ]
        verbose_name = _("xếp loại")
        verbose_name_plural = _("xếp loại")

    def __str__(self):
        return f"{self.label} (≥ {self.lower_bound})"
