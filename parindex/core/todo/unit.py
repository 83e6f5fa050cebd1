"""The to-do list ("Việc cần làm") of a unit's officer and head, and of an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Trim
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parindex.core import clock
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Evidence,
    Job,
    JobStatus,
    Method,
    ScoreEntry,
)
from parindex.core.permissions import is_member_of
from parindex.core.text import day_text
from parindex.core.todo.items import Item, Todo, days_text
from parindex.core.todo.scope import current_period
from parindex.core.workflow import entry_flags

# Failed jobs older than this are history, not work.
RECENT_DAYS = 7

# --- A unit's officer and head --------------------------------------------------------------


@dataclass(frozen=True)
class Gaps:
    """What a unit's self-assessment still lacks: leaves without a score, leaves with points
    but neither evidence nor a note (the two reasons ``workflow.submission_blockers`` gives),
    and the code of the first of each."""

    empty: int
    first_empty: str | None
    unevidenced: int
    first_unevidenced: str | None

    @property
    def ready(self) -> bool:
        return not self.empty and not self.unevidenced


def _count_and_first(queryset, code_field: str, position_field: str) -> tuple[int, str | None]:
    first = queryset.order_by(position_field).values_list(code_field, flat=True).first()
    return (queryset.count() if first is not None else 0), first


def self_assessment_gaps(assessment: Assessment) -> Gaps:
    """Return the ``Gaps`` of ``assessment`` (at most four queries)."""
    entries = ScoreEntry.objects.filter(assessment=assessment, criterion__method=Method.SELF)
    answered = entries.filter(Q(self_points__isnull=False) | Q(not_applicable=True))
    empty = (
        Criterion.objects.for_assessment(assessment)
        .filter(method=Method.SELF)
        .exclude(pk__in=answered.values("criterion_id"))
    )
    unevidenced = (
        entries.filter(not_applicable=False, self_points__gt=0)
        .annotate(
            note=Trim("self_note"),
            has_evidence=Exists(Evidence.objects.filter(entry=OuterRef("pk"))),
        )
        .filter(note="", has_evidence=False)
    )
    empty_count, first_empty = _count_and_first(empty, "code", "position")
    unevidenced_count, first_unevidenced = _count_and_first(
        unevidenced, "criterion__code", "criterion__position"
    )
    return Gaps(empty_count, first_empty, unevidenced_count, first_unevidenced)


@dataclass(frozen=True)
class Contested:
    """The leaves the reviewer changed, how many the unit has not explained, the first one."""

    total: int
    unexplained: int
    first_unexplained: str | None


def contested_leaves(assessment: Assessment) -> Contested:
    """Return the ``Contested`` leaves of ``assessment`` (two queries)."""
    contested = ScoreEntry.objects.filter(assessment=assessment).contested()
    counts = contested.aggregate(
        total=Count("id"), unexplained=Count("id", filter=Q(explanation=""))
    )
    first = (
        contested.filter(explanation="")
        .order_by("criterion__position")
        .values_list("criterion__code", flat=True)
        .first()
    )
    return Contested(counts["total"], counts["unexplained"], first)


def unit_todo(user) -> Todo:
    """Return the list of a unit's officer or head, about their unit's latest assessment."""
    assessment = (
        Assessment.objects.filter(unit_id=user.unit_id)
        .select_related("period", "unit__group")
        .order_by("-period__year")
        .first()
    )
    if assessment is None or not is_member_of(user, assessment.unit_id):
        return Todo(period=None)
    flags = entry_flags(user, assessment)
    items = _self_assessment_items(assessment, flags)
    if assessment.status in (AssessmentStatus.RETURNED, AssessmentStatus.EXPLAINED):
        items += _explanation_items(assessment, flags)
    return Todo(period=assessment.period, items=tuple(items), assessment=assessment)


def _leaf_url(assessment: Assessment, code: str | None) -> str:
    page = assessment.get_absolute_url()
    return f"{page}#leaf-{code}" if code else page


def _self_assessment_items(assessment: Assessment, flags: dict) -> list[Item]:
    page = assessment.get_absolute_url()
    if flags["is_submitted"]:
        when = assessment.submitted_at
        if when is None:  # appraised without a submission (``late_reason``)
            return [Item("submitted", _("Bản tự đánh giá đã chuyển thẩm định"), page, done=True)]
        when = formats.date_format(timezone.localtime(when), "H:i d/m/Y")
        detail = _("Nộp lúc %(when)s") % {"when": when}
        return [Item("submitted", _("Đã nộp bản tự đánh giá"), page, detail=detail, done=True)]
    items = []
    if flags["can_edit"]:
        gaps = self_assessment_gaps(assessment)
        items.append(
            Item(
                "empty",
                _("Tiêu chí chưa chấm điểm") if gaps.empty else _("Đã chấm đủ mọi tiêu chí"),
                _leaf_url(assessment, gaps.first_empty),
                count=gaps.empty,
                detail=_("Bắt đầu từ tiêu chí %(code)s") % {"code": gaps.first_empty}
                if gaps.empty
                else "",
                done=not gaps.empty,
            )
        )
        if gaps.unevidenced:
            items.append(
                Item(
                    "unevidenced",
                    _("Tiêu chí có điểm nhưng chưa có tài liệu kiểm chứng hoặc giải thích"),
                    _leaf_url(assessment, gaps.first_unevidenced),
                    count=gaps.unevidenced,
                )
            )
        if flags["can_submit"]:
            items.append(_submit_item(assessment, gaps))
    items.append(_deadline_item(assessment, flags))
    return items


def _submit_item(assessment: Assessment, gaps: Gaps) -> Item:
    year, code = assessment.period.year, assessment.unit.code
    if gaps.ready:
        return Item(
            "submit",
            _("Đã chấm đủ: nộp bản tự đánh giá"),
            reverse("web:assessment-submit", args=[year, code]),
            action="submit",
        )
    left = gaps.empty + gaps.unevidenced
    return Item(
        "submit",
        _("Nộp bản tự đánh giá"),
        assessment.get_absolute_url(),
        detail=ngettext(
            "Còn %(n)d tiêu chí cần hoàn thiện trước khi nộp",
            "Còn %(n)d tiêu chí cần hoàn thiện trước khi nộp",
            left,
        )
        % {"n": left},
    )


def _deadline_item(assessment: Assessment, flags: dict) -> Item:
    deadline = assessment.entry_deadline
    page = assessment.get_absolute_url()
    if deadline is None:
        return Item("deadline", _("Kỳ đánh giá chưa đặt hạn tự đánh giá"), page)
    detail = days_text(deadline, clock.today())
    if not flags["window_open"]:
        detail += " · " + _("Liên hệ Sở Nội vụ nếu cần gia hạn.")
    return Item(
        "deadline",
        _("Hạn tự đánh giá: %(date)s") % {"date": day_text(deadline)},
        page,
        detail=detail,
    )


def _explanation_items(assessment: Assessment, flags: dict) -> list[Item]:
    page = assessment.get_absolute_url()
    if assessment.status == AssessmentStatus.EXPLAINED:
        return [Item("explained", _("Đã gửi giải trình"), page, done=True)]
    contested = contested_leaves(assessment)
    deadline = assessment.explanation_deadline
    detail = (
        _("Hạn giải trình: %(date)s — %(left)s")
        % {
            "date": day_text(deadline),
            "left": days_text(deadline, clock.today()),
        }
        if deadline
        else ""
    )
    if not flags["explaining"]:
        closed = _("Đã hết thời gian giải trình; Sở Nội vụ kết thúc thẩm định")
        return [Item("explain", closed, page, detail=detail, done=True)]
    items = [
        Item(
            "explain",
            _("Tiêu chí bị thay đổi khi thẩm định cần giải trình")
            if contested.unexplained
            else _("Đã giải trình mọi tiêu chí bị thay đổi"),
            _leaf_url(assessment, contested.first_unexplained),
            count=contested.unexplained,
            detail=detail,
            done=not contested.unexplained,
        )
    ]
    if flags["can_send_explanation"]:
        year, code = assessment.period.year, assessment.unit.code
        items.append(
            Item(
                "send_explanation",
                _("Gửi giải trình cho Sở Nội vụ"),
                reverse("web:explanation-send", args=[year, code]),
                detail=ngettext(
                    "Còn %(n)d tiêu chí chưa giải trình",
                    "Còn %(n)d tiêu chí chưa giải trình",
                    contested.unexplained,
                )
                % {"n": contested.unexplained}
                if contested.unexplained
                else "",
                action="send_explanation",
            )
        )
    return items


# --- Administrators -------------------------------------------------------------------------


def admin_todo(user) -> Todo:
    """Return an administrator's list: the jobs that failed or still wait, and shortcuts."""
    recent = clock.now() - timedelta(days=RECENT_DAYS)
    counts = Job.objects.aggregate(
        waiting=Count("pk", filter=Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))),
        failed=Count("pk", filter=Q(status=JobStatus.FAILED, created_at__gte=recent)),
    )
    jobs = reverse("web:jobs")
    items = []
    if counts["failed"]:
        items.append(
            Item(
                "jobs_failed",
                _("Việc chạy nền không thành công trong 7 ngày qua"),
                jobs,
                counts["failed"],
            )
        )
    if counts["waiting"]:
        items.append(
            Item(
                "jobs_waiting", _("Việc chạy nền đang chờ hoặc đang chạy"), jobs, counts["waiting"]
            )
        )
    links = (
        (_("Nhập dữ liệu từ Excel"), reverse("web:imports")),
        (_("Việc chạy nền"), jobs),
        (_("Tài khoản người dùng"), reverse("web:accounts")),
    )
    return Todo(period=current_period(), items=tuple(items), links=links)
