"""Every status and role of the domain, as TextChoices, in a module that imports no model.

``core/permissions.py`` and the model QuerySets both read these; keeping them apart from the
models is what lets the models call the permissions without an import cycle.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ đầu mối")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    REVIEWER = "reviewer", _("Thẩm định viên (Sở Nội vụ)")
    APPROVER = "approver", _("Người phê duyệt (Sở Nội vụ)")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị hệ thống")


UNIT_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD})
PROVINCE_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.LEADER, Role.ADMIN})


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Đang tự đánh giá")
    APPRAISING = "appraising", _("Đang thẩm định")
    FINALISED = "finalised", _("Đã chốt kết quả")
    PUBLISHED = "published", _("Đã công bố")


class TieRule(models.TextChoices):
    """How equal indices rank (a setting of the period, DOMAIN.md "Ranking")."""

    SHARED = "shared", _("Đồng hạng")
    UNROUNDED = "unrounded", _("Theo điểm chưa làm tròn")


TIE_RULE_NOTES = {
    TieRule.SHARED: _(
        "Xếp hạng khi bằng điểm: đồng hạng — các đơn vị có cùng chỉ số công bố cùng hạng, hạng "
        "kế tiếp bị bỏ qua (1, 2, 2, 4)."
    ),
    TieRule.UNROUNDED: _(
        "Xếp hạng khi bằng điểm: theo chỉ số chưa làm tròn — hai đơn vị cùng hiện một chỉ số "
        "có thể khác hạng; chỉ bằng nhau tuyệt đối mới cùng hạng."
    ),
}


class GroupStage(models.TextChoices):
    """Where one group of a period stands: each group is finalised and published on its own."""

    OPEN = "open", _("Đang đánh giá")
    FINALISED = "finalised", _("Đã chốt kết quả")
    PUBLISHED = "published", _("Đã công bố")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa nộp")
    SUBMITTED = "submitted", _("Đã nộp")
    APPRAISING = "appraising", _("Đang thẩm định")
    RETURNED = "returned", _("Chờ giải trình")
    EXPLAINED = "explained", _("Đã giải trình")
    APPRAISED = "appraised", _("Đã thẩm định")


class EvidenceStage(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    EXPLANATION = "explanation", _("Giải trình")


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("Điểm thưởng")
    DEDUCTION = "deduction", _("Điểm trừ")


class AdjustmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Bị từ chối")


class RemediationStatus(models.TextChoices):
    PLANNED = "planned", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class Comparison(models.TextChoices):
    """What a result's change versus last year compares with (``calculation.previous_results``)."""

    SAME = "same", _("cùng đơn vị năm trước")
    DERIVED = "derived", _("so với các đơn vị tiền thân")
    NEW = "new", _("Mới thành lập")
