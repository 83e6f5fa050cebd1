"""The appraisal team of a period (assignments), each reviewer's "part done" mark on a unit,
and the comment thread of a leaf. Atomic, checked, audited; the rule itself is ``core/team.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.errors import InvalidScore, WorkflowError
from parindex.core.models import (
    AppraisalPart,
    Assessment,
    Assignment,
    Criterion,
    LeafComment,
    Period,
    PeriodStatus,
    Role,
    Unit,
    User,
)
from parindex.core.models.team import COMMENT_MAX_LENGTH
from parindex.core.permissions import can_comment_on_leaf, can_manage_team
from parindex.core.services import audit
from parindex.core.services.entries import lock_assessment
from parindex.core.team import assessment_team
from parindex.core.workflow import APPRAISABLE, require_period_open

OPEN = (PeriodStatus.OPEN, PeriodStatus.APPRAISING)


class AssignmentError(WorkflowError):
    """A refused assignment; ``field`` names the input it is about ("reviewer", "unit",
    "criterion"; "" for the whole), where the page and the workbook show it."""

    def __init__(self, message, *, field=""):
        super().__init__(message)
        self.field = field


def resolve_assignment(period: Period, *, username: str, unit_code: str, criterion_code: str):
    """Return (reviewer, unit or None, criteria) from typed codes, or raise AssignmentError at
    the input that is wrong. A criterion code names that node in every set of the period that
    has it (in the unit's set only when a unit is given): one assignment per set."""
    reviewer = User.objects.filter(username=username.strip()).first() if username else None
    if reviewer is None:
        raise AssignmentError(_("Không có tài khoản “%(u)s”.") % {"u": username}, field="reviewer")
    unit = None
    if unit_code.strip():
        unit = Unit.objects.filter(code=unit_code.strip()).first()
        if unit is None or not period.assessments.filter(unit=unit).exists():
            raise AssignmentError(
                _("Không có đơn vị mã “%(c)s” trong kỳ đánh giá.") % {"c": unit_code}, field="unit"
            )
    criteria = [None]
    if criterion_code.strip():
        found = Criterion.objects.for_period(period).filter(code=criterion_code.strip())
        if unit is not None:
            found = found.filter(criteria_set__period_groups__group_id=unit.group_id)
        criteria = list(found.order_by("criteria_set_id"))
        if not criteria:
            raise AssignmentError(
                _("Không có tiêu chí mã “%(c)s” trong bộ tiêu chí của kỳ (hoặc của đơn vị).")
                % {"c": criterion_code},
                field="criterion",
            )
    return reviewer, unit, criteria


@transaction.atomic
def assign_by_codes(
    period: Period, *, by, username: str, unit_code: str = "", criterion_code: str = ""
) -> list[Assignment]:
    """Add the assignment typed as codes (the team page); see ``resolve_assignment``."""
    reviewer, unit, criteria = resolve_assignment(
        period, username=username, unit_code=unit_code, criterion_code=criterion_code
    )
    return [
        add_assignment(period, by=by, reviewer=reviewer, unit=unit, criterion=c) for c in criteria
    ]


def _require_team_open(period: Period, by) -> None:
    if not can_manage_team(by):
        raise WorkflowError(_("Chỉ người phê duyệt của Sở Nội vụ được phân công thẩm định."))
    if period.status not in OPEN:
        raise WorkflowError(
            _("Kỳ đánh giá đã “%(status)s”: không đổi phân công được nữa.")
            % {"status": period.get_status_display()}
        )


def check_assignment(period: Period, *, reviewer, unit, criterion) -> None:
    """Refuse an assignment the rule cannot read (shared by the page and the workbook)."""
    if reviewer is None or reviewer.role not in (Role.REVIEWER, Role.APPROVER):
        raise AssignmentError(
            _("Chỉ phân công được tài khoản thẩm định viên hoặc phê duyệt."), field="reviewer"
        )
    if unit is None and criterion is None:
        raise AssignmentError(_("Chọn đơn vị, tiêu chí hoặc cả hai."), field="unit")
    if criterion is not None:
        groups = period.period_groups.filter(criteria_set_id=criterion.criteria_set_id)
        if not groups.exists():
            raise WorkflowError(
                _("Tiêu chí %(code)s không thuộc bộ tiêu chí nào dùng trong kỳ này.")
                % {"code": criterion.code}
            )
        if unit is not None and not groups.filter(group_id=unit.group_id).exists():
            raise WorkflowError(
                _("Tiêu chí %(code)s không thuộc bộ tiêu chí của đơn vị %(unit)s.")
                % {"code": criterion.code, "unit": unit.code}
            )
    if unit is not None and not period.assessments.filter(unit=unit).exists():
        raise WorkflowError(_("Đơn vị %(unit)s không có trong kỳ này.") % {"unit": unit.code})


@transaction.atomic
def add_assignment(period: Period, *, by, reviewer, unit=None, criterion=None) -> Assignment:
    """Assign ``reviewer`` to ``unit`` (None: every unit) on ``criterion``'s subtree (None: the
    whole set). The same assignment twice is refused."""
    _require_team_open(period, by)
    check_assignment(period, reviewer=reviewer, unit=unit, criterion=criterion)
    same = Assignment.objects.filter(period=period, reviewer=reviewer, unit=unit)
    if same.filter(criterion=criterion).exists():
        raise WorkflowError(_("Phân công này đã có."))
    assignment = Assignment.objects.create(
        period=period, reviewer=reviewer, unit=unit, criterion=criterion
    )
    audit.record(
        "assignment.added",
        actor=by,
        period=period,
        unit=unit,
        obj=assignment,
        message=str(assignment),
    )
    return assignment


@transaction.atomic
def remove_assignment(assignment: Assignment, *, by) -> None:
    """Remove one assignment: its leaves go back to the pool (or to other assignments)."""
    _require_team_open(assignment.period, by)
    text = str(assignment)
    audit.record(
        "assignment.removed",
        actor=by,
        period=assignment.period,
        unit=assignment.unit,
        obj=assignment,
        message=text,
    )
    assignment.delete()


@transaction.atomic
def mark_part_done(assessment: Assessment, *, by) -> AppraisalPart:
    """Mark ``by``'s part of the unit's appraisal done ("Hoàn thành phần thẩm định")."""
    assessment = lock_assessment(assessment)
    require_period_open(assessment)
    if by.pk not in assessment_team(assessment).part_reviewers:
        raise WorkflowError(_("Bạn không được phân công thẩm định phần nào của đơn vị này."))
    if assessment.status not in APPRAISABLE:
        raise WorkflowError(
            _("Bản đánh giá đang “%(status)s”: chưa hoặc không còn thẩm định được.")
            % {"status": assessment.get_status_display()}
        )
    part, created = AppraisalPart.objects.get_or_create(
        assessment=assessment, reviewer=by, defaults={"done_at": clock.now()}
    )
    if created:
        audit.record(
            "appraisal_part.done",
            actor=by,
            period=assessment.period,
            unit=assessment.unit,
            obj=assessment,
        )
    return part


def clear_parts(assessment: Assessment) -> int:
    """Clear the "part done" marks of ``assessment`` (its appraisal opens again); return how
    many. Called inside the services that reopen or return it."""
    deleted, _rows = AppraisalPart.objects.filter(assessment=assessment).delete()
    return deleted


@transaction.atomic
def post_leaf_comment(assessment: Assessment, criterion: Criterion, *, by, text: str):
    """Post ``text`` in the thread of one leaf (the unit and its reviewers)."""
    if not can_comment_on_leaf(by, assessment):
        raise WorkflowError(_("Bạn không xem được bản đánh giá này."))
    if criterion.criteria_set_id != getattr(assessment, "criteria_set_id", None):
        leaves = Criterion.objects.for_assessment(assessment).filter(pk=criterion.pk)
        if not leaves.exists():
            raise WorkflowError(_("Tiêu chí không thuộc bộ tiêu chí của đơn vị."))
    text = (text or "").strip()
    if not text:
        raise InvalidScore(_("Nhập nội dung trao đổi."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise InvalidScore(
            _("Nội dung trao đổi dài tối đa %(n)s ký tự (đang có %(len)s).")
            % {"n": COMMENT_MAX_LENGTH, "len": len(text)}
        )
    comment = LeafComment.objects.create(
        assessment=assessment,
        criterion=criterion,
        author=by,
        author_role=by.role or "",
        text=text,
        created_at=clock.now(),
    )
    audit.record(
        "leaf_comment.posted",
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=comment,
        changes={"criterion": criterion.code},
    )
    return comment


@transaction.atomic
def replace_team(period: Period, rows: list[dict], *, by=None) -> bool:
    """Make the team of ``period`` the one of a workbook (rows of codes, checked at their cells
    by ``excel/team_sheet.py``); return True when it changed. A criterion code covers that node
    in every set of the period that has it (the unit's only, when a unit is given). Refused
    for a period no longer open when the team would change."""
    wanted = set()
    for row in rows:
        reviewer, unit, criteria = resolve_assignment(
            period, username=row["username"], unit_code=row["unit"], criterion_code=row["criterion"]
        )
        for criterion in criteria:
            check_assignment(period, reviewer=reviewer, unit=unit, criterion=criterion)
            wanted.add(
                (reviewer.pk, unit.pk if unit else None, criterion.pk if criterion else None)
            )
    current = Assignment.objects.for_period(period)
    if set(current.values_list("reviewer_id", "unit_id", "criterion_id")) == wanted:
        return False
    if period.status not in OPEN:
        raise WorkflowError(
            _("Kỳ đánh giá đã “%(status)s”: không đổi phân công được nữa.")
            % {"status": period.get_status_display()}
        )
    current.delete()
    Assignment.objects.bulk_create(
        Assignment(period=period, reviewer_id=r, unit_id=u, criterion_id=c)
        for r, u, c in sorted(wanted, key=str)
    )
    audit.record(
        "team.imported", actor=by, period=period, obj=period, changes={"assignments": len(wanted)}
    )
    return True
