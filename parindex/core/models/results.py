"""Result snapshots: what the league tables and dashboards read.

Each group of a period has its own ``ResultSet`` versions: the current provisional one is
replaced on each recomputation while the group is unpublished; publishing the group freezes it
(its own decision number and date). A correction adds a new version of the group and keeps the
old one readable.

A row keeps the names its unit and group had when it was computed (``unit_name``,
``group_name``; refreshed once more when the group is published): a published table shows those
names, so renaming a unit or a group later never rewrites what was published. A provisional
row shows the current names (``shown_name``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Avg, Case, Count, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Floor
from django.utils.translation import gettext_lazy as _

from parindex.core import permissions
from parindex.core.models.choices import Comparison
from parindex.core.models.criteria import POINTS
from parindex.core.models.units import Unit, UnitGroup


def shown_name(snapshot: str, current: str):
    """The name a result row shows, as an SQL expression (sortable, filterable).

    A published row shows the name stored with it (the field ``snapshot``: ``unit_name`` or
    ``group_name``); a provisional row, or a published row stored without one, the current
    name (the lookup ``current``: ``unit__name`` or ``group__name``).
    """
    return Case(
        When(Q(result_set__published=True) & ~Q(**{snapshot: ""}), then=F(snapshot)),
        default=F(current),
    )


def shown_unit_name():
    return shown_name("unit_name", "unit__name")


def shown_group_name():
    return shown_name("group_name", "group__name")


def group_name_for(group, result_set) -> str:
    """Return the name a group's table is titled with: the name its rows were published under
    (a published ``result_set``), else the group's current name."""
    if result_set is not None and result_set.published:
        stored = (
            UnitResult.objects.filter(result_set=result_set)
            .exclude(group_name="")
            .values_list("group_name", flat=True)
            .first()
        )
        if stored:
            return stored
    return group.name


class PublishedResultError(Exception):
    """A published result changes only by a recorded correction (a new version)."""


FROZEN = "Kết quả đã công bố không sửa được; chỉ đính chính bằng quyết định (phiên bản mới)."


class ResultSetQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def update(self, **kwargs):
        # Retiring a published version (is_current → False) is the one change a correction makes.
        if set(kwargs) - {"is_current"} and self.filter(published=True).exists():
            raise PublishedResultError(FROZEN)
        return super().update(**kwargs)

    def delete(self):
        if self.filter(published=True).exists():
            raise PublishedResultError(FROZEN)
        return super().delete()


class ResultSet(models.Model):
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="result_sets")
    group = models.ForeignKey("core.UnitGroup", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    is_current = models.BooleanField(_("đang dùng"), default=True)
    published = models.BooleanField(_("đã công bố"), default=False)
    computed_at = models.DateTimeField(_("tính lúc"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    audit_mark = models.PositiveBigIntegerField(
        default=0,
        help_text=_("Nhật ký cuối cùng đã tính vào bộ kết quả; nhật ký mới hơn → tính lại."),
    )

    objects = ResultSetQuerySet.as_manager()

    class Meta:
        ordering = ["period", "group", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "group", "version"], name="result_set_group_version"
            ),
            models.UniqueConstraint(
                fields=["period", "group"],
                condition=Q(is_current=True),
                name="one_current_result_set_per_group",
            ),
        ]
        verbose_name = _("bộ kết quả")
        verbose_name_plural = _("bộ kết quả")

    def __str__(self):
        return f"{self.period} — {self.group} — v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = ResultSet.objects.filter(pk=self.pk).values().first()
            if stored and stored["published"]:
                changed = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if stored[f.attname] != getattr(self, f.attname)
                }
                if changed - {"is_current"}:
                    raise PublishedResultError(FROZEN)
        super().save(*args, **kwargs)


class FrozenWhenPublished(models.QuerySet):
    """Rows of a published result set can be read, never updated or deleted."""

    published_lookup = "result_set__published"

    def update(self, **kwargs):
        if self.filter(**{self.published_lookup: True}).exists():
            raise PublishedResultError(FROZEN)
        return super().update(**kwargs)

    def delete(self):
        if self.filter(**{self.published_lookup: True}).exists():
            raise PublishedResultError(FROZEN)
        return super().delete()


class AreaResultQuerySet(FrozenWhenPublished):
    published_lookup = "unit_result__result_set__published"


class UnitResultQuerySet(FrozenWhenPublished):
    def version_for(self, result_set):
        """The rows of one published version (a corrected result keeps its earlier versions)."""
        return self.filter(result_set=result_set, result_set__published=True)

    def current_for(self, period):
        return self.filter(result_set__period=period, result_set__is_current=True)

    def visible_to(self, user):
        """Restrict to the rows ``user`` may read: province staff every row, everyone else the
        rows of published result sets (groups publish one by one)."""
        return permissions.visible_results(user, self)

    def for_group(self, group):
        return self.filter(group=group)

    def with_area_points(self, areas):
        """Annotate ``area_<id>`` with the points of each given area: one query, sortable."""
        return self.annotate(
            **{
                f"area_{area.pk}": Sum("areas__points", filter=Q(areas__area_id=area.pk))
                for area in areas
            }
        )

    def with_changes(self):
        """Annotate the change in index and rank versus last year (positive = better)."""
        return self.annotate(
            index_change=F("index") - F("previous_index"),
            rank_change=F("previous_rank") - F("rank"),
        )

    def band_counts(self):
        """Count units per group and grade band (rows of group_id, label, colour, count)."""
        return (
            self.values("group_id", "grade_label", "grade_color")
            .annotate(count=Count("id"))
            .order_by("group_id", "-count")
        )

    def with_names(self):
        """Annotate ``shown_unit_name`` and ``shown_group_name``: the names each row shows
        (as published, or current on a provisional row; see ``shown_name``)."""
        return self.annotate(shown_unit_name=shown_unit_name(), shown_group_name=shown_group_name())

    def save_current_names(self):
        """Store the current unit and group names in these (unpublished) rows: the names the
        group is published under."""
        return self.update(
            unit_name=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]),
            group_name=Subquery(
                UnitGroup.objects.filter(pk=OuterRef("group_id")).values("name")[:1]
            ),
        )

    def league_order(self):
        """Rank first, then index, then name: the published order, unranked units last."""
        return self.order_by(
            F("rank").asc(nulls_last=True), F("index").desc(nulls_last=True), shown_unit_name()
        )

    # Dashboards (read-only aggregates over the snapshots; none of them loops over units).

    def current_in(self, periods):
        """The current rows of every period of ``periods`` (a queryset or a list of periods)."""
        return self.filter(result_set__is_current=True, result_set__period__in=periods)

    def league_order_reversed(self):
        """The league order read from the bottom: the lowest-placed unit first."""
        return self.order_by(
            F("rank").desc(nulls_first=True),
            F("index").asc(nulls_first=True),
            shown_unit_name().desc(),
        )

    def by_change(self, *, rising):
        """Units compared with last year, the largest rise (``rising``) or fall first.

        Units without last year's index, and units whose index did not move that way, are left
        out.
        """
        moved = self.exclude(previous_index=None).exclude(index=None).with_changes()
        if rising:
            return moved.filter(index_change__gt=0).order_by("-index_change", shown_unit_name())
        return moved.filter(index_change__lt=0).order_by("index_change", shown_unit_name())

    def index_histogram(self, width):
        """Count units per bin of ``width`` index points (rows of ``bin`` = floor(index / width)
        and ``count``), lowest bin first, in one GROUP BY."""
        return (
            self.exclude(index=None)
            .annotate(bin=Floor(F("index") / width))
            .values("bin")
            .annotate(count=Count("id"))
            .order_by("bin")
        )

    def area_averages(self):
        """Average the component index of each content area over these rows (rows of
        ``area_id`` and ``average``)."""
        return (
            self.filter(areas__isnull=False)
            .values(area_id=F("areas__area_id"))
            .annotate(average=Avg("areas__index"))
            .order_by()
        )

    def yearly_averages(self):
        """Average index and number of units per year and group (rows of ``year``,
        ``group_id``, ``average``, ``units``)."""
        return (
            self.values("group_id", year=F("result_set__period__year"))
            .annotate(average=Avg("index"), units=Count("id"))
            .order_by("year", "group_id")
        )


class UnitResult(models.Model):
    """One unit's published (or provisional) result in one result set."""

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="results")
    group = models.ForeignKey("core.UnitGroup", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("tên đơn vị khi công bố"), max_length=255)
    group_name = models.CharField(_("tên khối khi công bố"), max_length=200)
    points = models.DecimalField(_("điểm các tiêu chí"), **POINTS)
    bonus = models.DecimalField(_("điểm thưởng"), **POINTS)
    deduction = models.DecimalField(_("điểm trừ"), **POINTS)
    total = models.DecimalField(_("tổng điểm"), **POINTS)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    index = models.DecimalField(
        _("chỉ số (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("hạng"), null=True, blank=True)
    grade_label = models.CharField(_("xếp loại"), max_length=50, blank=True)
    grade_color = models.CharField(max_length=7, blank=True)
    previous_index = models.DecimalField(
        _("chỉ số năm trước"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    previous_rank = models.PositiveIntegerField(_("hạng năm trước"), null=True, blank=True)
    comparison = models.CharField(
        _("so sánh với năm trước"),
        max_length=10,
        blank=True,
        choices=Comparison.choices,
        help_text=_(
            "Cùng đơn vị; tính từ các đơn vị tiền thân (sau sắp xếp); mới thành lập; "
            "để trống khi năm trước không có kết quả."
        ),
    )
    unranked_reason = models.TextField(_("không xếp hạng vì"), blank=True)
    standing = models.CharField(
        _("tình trạng"),
        max_length=50,
        blank=True,
        help_text=_("Trong bảng tạm tính: “Chưa nộp” hoặc “Không nộp đúng hạn” (không chỉ số)."),
    )
    # A fingerprint of the row's area rows as computed (``snapshots.areas_digest``): a
    # recomputation reads back only the area rows of the units whose fingerprint changed.
    areas_digest = models.BigIntegerField(null=True, blank=True, editable=False)

    objects = UnitResultQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result_set", "unit"], name="unit_result_unique")
        ]
        indexes = [models.Index(fields=["result_set", "group"])]
        verbose_name = _("kết quả đơn vị")
        verbose_name_plural = _("kết quả đơn vị")

    def __str__(self):
        return f"{self.unit} {self.index}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.result_set.published:
            raise PublishedResultError(FROZEN)
        super().save(*args, **kwargs)


class AreaResult(models.Model):
    """A unit's points, maximum and component index in one content area."""

    unit_result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey("core.Criterion", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), **POINTS)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    index = models.DecimalField(
        _("chỉ số thành phần (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    objects = AreaResultQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_result", "area"], name="area_result_unique")
        ]
        verbose_name = _("kết quả theo lĩnh vực")
        verbose_name_plural = _("kết quả theo lĩnh vực")

    def __str__(self):
        return f"{self.unit_result.unit} {self.area.code}: {self.points}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.unit_result.result_set.published:
            raise PublishedResultError(FROZEN)
        super().save(*args, **kwargs)
