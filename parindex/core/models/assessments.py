"""Assessments (one unit in one period) and their score entries (one per leaf)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parindex.core import permissions
from parindex.core.models.choices import AssessmentStatus, EvidenceStage, PeriodStatus
from parindex.core.models.criteria import POINTS, SCORED_METHODS, Method
from parindex.core.models.periods import PeriodGroup

ZERO = Value(0, output_field=DecimalField(**POINTS))


class AssessmentQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)

    def with_totals(self):
        """Annotate ``self_total`` (points claimed) and ``current_total`` (points that count
        so far: appraised where appraised, survey points, not-applicable left out)."""
        return self.annotate(
            self_total=Coalesce(
                Sum("entries__self_points", filter=Q(entries__criterion__method=Method.SELF)),
                ZERO,
            ),
            current_total=Coalesce(Sum(final_points("entries__")), ZERO),
        )

    def visible_to(self, user):
        """Restrict to the assessments ``user`` may see (core/permissions.py)."""
        return permissions.visible_assessments(user, self)

    def with_criteria_set(self):
        """Annotate ``criteria_set_id``: the set the unit's group uses in the period, the one
        ``Criterion.objects.for_assessment`` reads (None when the group is not in the period).

        A leaf is then found, and checked, by its set without joining the period's groups.
        """
        return self.annotate(
            criteria_set_id=Subquery(
                PeriodGroup.objects.filter(
                    period_id=OuterRef("period_id"), group_id=OuterRef("unit__group_id")
                )
                .order_by()
                .values("criteria_set_id")[:1]
            )
        )


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
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explanation_deadline = models.DateField(_("hạn giải trình"), null=True, blank=True)
    appraised_at = models.DateTimeField(_("thẩm định xong lúc"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline_extended_to = models.DateField(_("gia hạn tự đánh giá đến"), null=True, blank=True)
    extension_reason = models.TextField(_("lý do gia hạn"), blank=True)
    late_reason = models.TextField(
        _("lý do thẩm định khi đơn vị không nộp"),
        blank=True,
        help_text=_("Ghi khi Sở Nội vụ thẩm định một đơn vị không nộp đúng hạn."),
    )
    unranked_reason = models.TextField(
        _("lý do không xếp hạng"),
        blank=True,
        help_text=_("Đơn vị vẫn có chỉ số và xếp loại nhưng không tham gia xếp hạng kỳ này."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["period", "unit"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique")]
        verbose_name = _("bản đánh giá")
        verbose_name_plural = _("bản đánh giá")

    def __str__(self):
        return f"{self.unit} — {self.period.year}"

    def get_absolute_url(self):
        return reverse("web:assessment", args=[self.period.year, self.unit.code])

    @cached_property
    def period_group(self):
        """The unit's group in this period (its criteria set, stage and ranking)."""
        return (
            self.period.period_groups.select_related("group")
            .filter(group_id=self.unit.group_id)
            .first()
        )

    @property
    def entry_deadline(self):
        """The last day this unit may enter and submit: its extension, else the period's."""
        return self.deadline_extended_to or self.period.self_assessment_deadline

    def entry_open(self, now) -> bool:
        """Return True while this unit may enter, submit and withdraw its self-assessment.

        The period's window (OPEN status up to its deadline day), or, for a unit whose deadline
        an approver extended, up to the extension's day while appraisal has not closed.
        """
        if self.deadline_extended_to is None:
            return self.period.self_assessment_open(now)
        from_status = self.period.status in (PeriodStatus.OPEN, PeriodStatus.APPRAISING)
        return from_status and timezone.localdate(now) <= self.deadline_extended_to

    def is_late(self, now) -> bool:
        """True when the unit has not submitted and its deadline has passed ("không nộp đúng
        hạn"), or when Sở Nội vụ appraised it without a submission."""
        if self.late_reason:
            return True
        deadline = self.entry_deadline
        return (
            self.status == AssessmentStatus.DRAFT
            and deadline is not None
            and timezone.localdate(now) > deadline
        )


def final_points(prefix: str = ""):
    """Return the SQL expression of the points of a leaf that count: the one definition.

    Survey points for a survey leaf; for a self-assessed leaf the appraised value once appraisal
    happened, else the unit's own value; NULL when the leaf is not applicable, not scored, or
    not a scored leaf at all (bonus and deduction categories count as adjustment items).
    ``prefix`` reaches the score row through a relation (``"entries__"`` from an assessment).
    Sums wrap it in ``Coalesce(Sum(...), 0)``: a leaf without points counts 0.
    """
    return Case(
        When(**{f"{prefix}not_applicable": True}, then=None),
        When(
            **{f"{prefix}criterion__method": Method.SURVEY},
            then=F(f"{prefix}survey_points"),
        ),
        When(
            **{f"{prefix}criterion__method": Method.SELF},
            then=Coalesce(f"{prefix}appraised_points", f"{prefix}self_points"),
        ),
        default=None,
        output_field=DecimalField(**POINTS),
    )


class ScoreEntryQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(assessment__period=period)

    def contested(self):
        """Keep the leaves the reviewer changed (``ScoreEntry.is_contested`` in SQL): set not
        applicable, or given an appraised value other than the unit's own."""
        changed = Q(appraised_points__isnull=False) & (
            Q(self_points__isnull=True) | ~Q(appraised_points=F("self_points"))
        )
        return self.filter(Q(not_applicable=True) | changed)

    def with_final_points(self, *, counted: bool = False):
        """Annotate ``final``: the points that count (see ``final_points``).

        None for a leaf without points; with ``counted``, 0 instead, as the index counts it.
        """
        return self.annotate(final=Coalesce(final_points(), ZERO) if counted else final_points())

    def area_totals(self):
        """Sum, per assessment and content area, the points and the not-applicable maximum.

        The points of a leaf are its survey points for survey leaves, else the appraised value
        once appraisal happened, else the self value; a not-applicable leaf counts for nothing.
        One GROUP BY over the score rows; the scoring package applies the rules on top.
        """
        return (
            self.filter(criterion__method__in=SCORED_METHODS)
            .values("assessment_id", "criterion__area_id")
            .annotate(
                points=Coalesce(Sum(final_points()), ZERO),
                na_max=Coalesce(Sum("criterion__max_points", filter=Q(not_applicable=True)), ZERO),
                self_scored=Count(
                    "id",
                    filter=Q(criterion__method=Method.SELF, self_points__isnull=False),
                ),
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

    def result_sums(self):
        """Return, per assessment and content area, the tuples (assessment id, area id, points,
        not-applicable maximum) the results of a period are made of.

        One pass shaped like a plain ``SUM … GROUP BY``: the points are ``final_points`` summed
        (a not-applicable or unscored leaf adds nothing); the not-applicable maximum rides along
        as a ``FILTER`` sum. A sum over no row is NULL. The unit's own claims are not summed
        here: no result row keeps them, and the pages that show them (the review queue, the
        entry page, the unit profile) sum them for what they show. The scored methods are tested
        inside the sums, not in the WHERE clause: on fresh tables without statistics a WHERE on
        the criterion made PostgreSQL plan a nested loop per leaf, ten times slower.
        """
        return (
            self.values_list("assessment_id", "criterion__area_id")
            .annotate(
                points=Sum(final_points()),
                na_max=Sum(
                    "criterion__max_points",
                    filter=Q(not_applicable=True, criterion__method__in=SCORED_METHODS),
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
    explanation = models.TextField(_("giải trình của đơn vị"), blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text=_("Tăng mỗi lần lưu; phát hiện hai người cùng sửa một tiêu chí.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScoreEntryQuerySet.as_manager()
    # History rows are read by score row (``id``) and by assessment, never by leaf or by who
    # last saved the row: those two indexes (and the date's, SIMPLE_HISTORY_DATE_INDEX) only
    # slowed every history row written, an import's 300,000 most of all.
    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["criterion", "updated_by"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_entry_unique")
        ]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")

    def __str__(self):
        return f"{self.assessment} — {self.criterion.code}"

    @property
    def is_contested(self) -> bool:
        """True when the reviewer changed the unit's value or set the leaf not applicable."""
        if self.not_applicable:
            return True
        return self.appraised_points is not None and self.appraised_points != self.self_points


def evidence_path(instance, filename):
    """Store evidence under a generated name; the original name is kept in the row only."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A document proving a self-assessed score (tài liệu kiểm chứng)."""

    entry = models.ForeignKey(ScoreEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    citation = models.CharField(
        _("trích dẫn (mục, trang)"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Mục II.2, trang 5"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    stage = models.CharField(
        _("giai đoạn"), max_length=20, choices=EvidenceStage.choices, default=EvidenceStage.SELF
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "uploaded_at", "id"]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self):
        return self.original_name

    @property
    def is_explanation(self) -> bool:
        """Return True for a file added while the unit explained an appraisal."""
        return self.stage == EvidenceStage.EXPLANATION
