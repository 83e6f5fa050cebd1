"""Decisions on one unit, from its appraisal page: extend its deadline, appraise it although it
did not submit, reopen its closed appraisal, leave it out of the ranking. A refused form is shown
again on the page with the message at the field; nothing is saved."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.permissions import can_appraise, can_finalise_period
from parindex.core.services import decisions
from parindex.web.decision_panel import panel_form
from parindex.web.entry_page import appraise_context
from parindex.web.views.access import get_assessment
from parindex.web.views.actions import run
from parindex.web.views.appraisal import APPRAISE_PAGE, appraise_url


def is_approver_of(user, assessment) -> bool:
    """The approvers of Sở Nội vụ decide deadlines, reopening and ranking (for any unit)."""
    return can_finalise_period(user)


def decision_view(name, service, success, *, allowed):
    """Build the POST view of the panel's form ``name`` that runs ``service`` on one unit.

    ``success(cleaned_data)`` is the message shown once it is done.
    """

    @login_required
    @require_POST
    def view(request, year, unit_code):
        assessment = get_assessment(request, year, unit_code, allowed)
        form = panel_form(name, assessment, request.POST)
        if not form.is_valid():
            context = appraise_context(request.user, assessment, bound={name: form})
            return render(request, APPRAISE_PAGE[0], context, status=400)
        data = form.cleaned_data
        run(request, service, success(data), assessment, **data)
        return redirect(appraise_url(assessment) + "#decisions")

    return view


extend = decision_view(
    "extend_form",
    decisions.extend_deadline,
    lambda data: (
        _("Đã gia hạn tự đánh giá cho đơn vị đến %(date)s.")
        % {"date": data["until"].strftime("%d/%m/%Y")}
    ),
    allowed=is_approver_of,
)
appraise_late = decision_view(
    "late_form",
    decisions.appraise_without_submission,
    lambda data: _(
        "Đã chuyển sang thẩm định đơn vị không nộp đúng hạn: phần đơn vị đã nhập được tính là "
        "tự đánh giá, tiêu chí để trống tính 0 điểm."
    ),
    allowed=can_appraise,
)
reopen = decision_view(
    "reopen_form",
    decisions.reopen_appraisal,
    lambda data: _("Đã mở lại thẩm định đơn vị."),
    allowed=is_approver_of,
)
ranking = decision_view(
    "unit_ranking_form",
    decisions.set_unit_ranking,
    lambda data: (
        _("Đã để đơn vị ngoài bảng xếp hạng kỳ này.")
        if data["excluded"]
        else _("Đơn vị được xếp hạng trong kỳ này.")
    ),
    allowed=is_approver_of,
)
