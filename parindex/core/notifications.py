"""Who is told about what, and what they read: the recipients of each event and the
Vietnamese title, text and link of each kind of notification.

The services call ``parindex.core.services.notifications.notify`` with the people returned here;
``reviewers_for`` is the one answer to "who is responsible for this unit's appraisal".
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parindex.core.models import Adjustment, Assessment, NotificationKind, ResultSet, Role
from parindex.core.team import reviewers_of

Kind = NotificationKind


def _active():
    return get_user_model().objects.filter(is_active=True)


def unit_members(unit_ids):
    """Return the active officers and heads of the units ``unit_ids``."""
    return _active().filter(unit_id__in=list(unit_ids), role__in=(Role.OFFICER, Role.UNIT_HEAD))


def reviewers_for(assessment: Assessment):
    """Return the reviewers responsible for appraising ``assessment``, as the appraisal team
    decides (``team.reviewers_of``: its assigned reviewers and the pool for the rest; every
    reviewer when the period has no team)."""
    return _active().filter(pk__in=[reviewer.pk for reviewer in reviewers_of(assessment)])


def decision_recipients(adjustment: Adjustment):
    """Return who hears of a decided bonus or deduction item: its proposer and the unit."""
    unit = Q(unit_id=adjustment.assessment.unit_id, role__in=(Role.OFFICER, Role.UNIT_HEAD))
    return _active().filter(unit | Q(pk=adjustment.proposed_by_id))


def reopening_recipients(assessment: Assessment):
    """Return who hears that an appraisal is reopened: the unit and its reviewers."""
    return unit_members([assessment.unit_id]) | reviewers_for(assessment)


def publication_recipients(result_set: ResultSet):
    """Return who hears of a group's publication: the members of its units in that period,
    and the leaders."""
    units = Assessment.objects.filter(
        period_id=result_set.period_id, unit__group_id=result_set.group_id
    ).values("unit_id")
    members = Q(unit_id__in=units, role__in=(Role.OFFICER, Role.UNIT_HEAD))
    return _active().filter(members | Q(role=Role.LEADER))


def approvers():
    """Return the active approvers of Sở Nội vụ (they decide bonus and deduction items)."""
    return _active().filter(role=Role.APPROVER)


def leaders():
    """Return the active leaders (they follow published results)."""
    return _active().filter(role=Role.LEADER)


TITLES = {
    Kind.PERIOD_OPENED: _("Kỳ đánh giá năm %(year)s đã mở: %(unit)s tự đánh giá"),
    Kind.DEADLINE_7: _("Còn %(days)s ngày đến hạn tự đánh giá năm %(year)s"),
    Kind.DEADLINE_3: _("Còn %(days)s ngày đến hạn tự đánh giá năm %(year)s"),
    Kind.DEADLINE_1: _("Còn %(days)s ngày đến hạn tự đánh giá năm %(year)s"),
    Kind.SUBMITTED: _("%(unit)s đã nộp bản tự đánh giá năm %(year)s"),
    Kind.RETURNED: _(
        "Kết quả thẩm định năm %(year)s: giải trình trước ngày %(explanation_deadline)s"
    ),
    Kind.EXPLANATION_DUE: _(
        "Còn %(days)s ngày đến hạn giải trình năm %(year)s (%(explanation_deadline)s)"
    ),
    Kind.EXPLANATION_SENT: _("%(unit)s đã gửi giải trình năm %(year)s"),
    Kind.DEDUCTION_PROPOSED: _("%(item)s %(amount)s điểm của %(unit)s chờ phê duyệt"),
    Kind.DEDUCTION_DECIDED: _("%(item)s %(amount)s điểm của %(unit)s: %(status)s"),
    Kind.REOPENED: _("Mở lại thẩm định năm %(year)s của %(unit)s"),
    Kind.EXTENDED: _("%(unit)s được gia hạn tự đánh giá đến ngày %(deadline)s"),
    Kind.GROUP_PUBLISHED: _("Đã công bố kết quả năm %(year)s: %(group)s"),
}

BODIES = {
    Kind.PERIOD_OPENED: _(
        "Kỳ đánh giá Chỉ số CCHC năm %(year)s đã mở. Đơn vị %(unit)s tự chấm điểm, đính kèm tài "
        "liệu kiểm chứng và nộp trước ngày %(deadline)s."
    ),
    Kind.DEADLINE_7: _(
        "Đơn vị %(unit)s chưa nộp bản tự đánh giá năm %(year)s. Hạn nộp: ngày %(deadline)s."
    ),
    Kind.SUBMITTED: _(
        "Đơn vị %(unit)s đã nộp bản tự đánh giá năm %(year)s; bản này chờ thẩm định."
    ),
    Kind.RETURNED: _(
        "Sở Nội vụ đã gửi kết quả thẩm định vòng 1 năm %(year)s cho %(unit)s. Đơn vị giải trình "
        "các tiêu chí bị thay đổi và bổ sung tài liệu trước ngày %(explanation_deadline)s."
    ),
    Kind.EXPLANATION_DUE: _(
        "Đơn vị %(unit)s chưa gửi giải trình kết quả thẩm định năm %(year)s. Hạn giải trình: "
        "ngày %(explanation_deadline)s."
    ),
    Kind.EXPLANATION_SENT: _(
        "Đơn vị %(unit)s đã gửi giải trình năm %(year)s; có thể thẩm định vòng 2."
    ),
    Kind.DEDUCTION_PROPOSED: _(
        "%(proposer)s đề xuất %(item_lower)s %(amount)s điểm cho %(unit)s (năm %(year)s). "
        "Lý do: %(reason)s"
    ),
    Kind.DEDUCTION_DECIDED: _(
        "%(item)s %(amount)s điểm của %(unit)s (năm %(year)s): %(status)s. %(note)s"
    ),
    Kind.REOPENED: _(
        "Người phê duyệt đã mở lại thẩm định năm %(year)s của %(unit)s. Lý do: %(reason)s"
    ),
    Kind.EXTENDED: _(
        "Đơn vị %(unit)s được gia hạn tự đánh giá năm %(year)s đến hết ngày %(deadline)s. "
        "Lý do: %(reason)s"
    ),
    Kind.GROUP_PUBLISHED: _(
        "Kết quả Chỉ số CCHC năm %(year)s của %(group)s đã được công bố%(decision)s."
    ),
}
BODIES[Kind.DEADLINE_3] = BODIES[Kind.DEADLINE_1] = BODIES[Kind.DEADLINE_7]

# Where a notification of each kind leads (the rest: the unit's assessment page).
_APPRAISAL_KINDS = (Kind.SUBMITTED, Kind.EXPLANATION_SENT)


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def describe(subject) -> dict:
    """Return what the texts may name about ``subject`` (an assessment, a bonus or deduction
    item, a published result set)."""
    if isinstance(subject, Adjustment):
        context = describe(subject.assessment)
        return context | {
            "item": subject.get_kind_display(),
            "item_lower": str(subject.get_kind_display()).lower(),
            "amount": f"{subject.amount.normalize():f}",
            "status": str(subject.get_status_display()).lower(),
            "reason": subject.reason,
            "note": subject.decision_note,
            "proposer": str(subject.proposed_by) if subject.proposed_by_id else "",
        }
    if isinstance(subject, ResultSet):
        number = subject.decision_number
        return {
            "year": subject.period.year,
            "group": subject.group.name,
            "group_code": subject.group.code,
            "decision": gettext(" (quyết định số %(number)s)") % {"number": number}
            if number
            else "",
        }
    return {
        "year": subject.period.year,
        "unit": subject.unit.name,
        "unit_code": subject.unit.code,
        "deadline": _day(subject.entry_deadline),
        "explanation_deadline": _day(subject.explanation_deadline),
    }


def link(kind: str, subject) -> str:
    """Return the address a notification of ``kind`` about ``subject`` leads to."""
    if isinstance(subject, ResultSet):
        return reverse("web:ranking-group", args=[subject.period.year, subject.group.code])
    if kind == Kind.DEDUCTION_PROPOSED:
        return reverse("web:adjustments", args=[subject.assessment.period.year])
    assessment = subject.assessment if isinstance(subject, Adjustment) else subject
    args = [assessment.period.year, assessment.unit.code]
    return reverse("web:appraise" if kind in _APPRAISAL_KINDS else "web:assessment", args=args)


class _Blank(dict):
    def __missing__(self, key):
        return ""


def texts(kind: str, context: dict) -> tuple[str, str]:
    """Return the title and text of a notification of ``kind`` (missing names left empty)."""
    values = _Blank({k: "" if v is None else v for k, v in context.items()})
    return str(TITLES[kind]) % values, (str(BODIES[kind]) % values).strip()
