"""The appraisal team of a period: who appraises which units and which parts of the criteria
(``Assignment``), each assigned reviewer's "part done" mark on a unit (``AppraisalPart``), and
the comment thread of a leaf between the unit and its reviewers (``LeafComment``).

The rule that reads them ("who may appraise this leaf") lives in ``core/team.py``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.models.choices import Role

COMMENT_MAX_LENGTH = 2000


class AssignmentQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)


class Assignment(models.Model):
    """One reviewer appraises ``unit`` (None: every unit) on the subtree of ``criterion``
    (None: the whole criteria set) in ``period``; at least one of the two is set."""

    period = models.ForeignKey("core.Period", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thẩm định viên"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    criterion = models.ForeignKey(
        "core.Criterion",
        verbose_name=_("tiêu chí"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["period", "reviewer", "unit", "criterion"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(criterion__isnull=False),
                name="assignment_unit_or_criterion",
            )
        ]
        verbose_name = _("phân công thẩm định")
        verbose_name_plural = _("phân công thẩm định")

    def __str__(self):
        return f"{self.reviewer} — {self.scope_text()}"

    def scope_text(self) -> str:
        """Return what the assignment covers, as people read it."""
        unit = self.unit.name if self.unit_id else _("mọi đơn vị")
        if self.criterion_id is None:
            return f"{unit}: {_('toàn bộ tiêu chí')}"
        return f"{unit}: {_('tiêu chí')} {self.criterion.code}"

    def clean(self):
        super().clean()
        if self.unit_id is None and self.criterion_id is None:
            raise ValidationError(_("Chọn đơn vị, tiêu chí hoặc cả hai."))
        if self.reviewer_id and self.reviewer.role not in (Role.REVIEWER, Role.APPROVER):
            raise ValidationError({"reviewer": _("Chỉ phân công được tài khoản thẩm định.")})
        if self.criterion_id and self.period_id:
            used = self.period.period_groups.filter(criteria_set_id=self.criterion.criteria_set_id)
            if not used.exists():
                raise ValidationError(
                    {"criterion": _("Tiêu chí không thuộc bộ tiêu chí nào dùng trong kỳ này.")}
                )


class AppraisalPart(models.Model):
    """An assigned reviewer marked their part of one unit's appraisal done."""

    assessment = models.ForeignKey(
        "core.Assessment", on_delete=models.CASCADE, related_name="parts_done"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "reviewer"], name="appraisal_part_unique")
        ]
        verbose_name = _("phần thẩm định đã hoàn thành")
        verbose_name_plural = _("phần thẩm định đã hoàn thành")

    def __str__(self):
        return f"{self.assessment} — {self.reviewer}"


class LeafComment(models.Model):
    """One message of the thread of a leaf between the unit and its reviewers."""

    assessment = models.ForeignKey(
        "core.Assessment", on_delete=models.CASCADE, related_name="comments"
    )
    criterion = models.ForeignKey("core.Criterion", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    text = models.TextField(_("nội dung trao đổi"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("lúc"))

    class Meta:
        ordering = ["assessment", "criterion", "created_at", "id"]
        verbose_name = _("trao đổi về tiêu chí")
        verbose_name_plural = _("trao đổi về tiêu chí")

    def __str__(self):
        return self.text[:60]
