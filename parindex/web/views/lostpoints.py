"""Where a unit lost points, and its remediation plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.lostpoints import lost_points
from parindex.core.permissions import can_edit_remediation
from parindex.core.services.remediation import save_remediation_item
from parindex.core.workflow import can_view_lost_points
from parindex.web.forms import RemediationForm
from parindex.web.views.access import find_criterion, get_assessment
from parindex.web.views.actions import run


@login_required
def lost(request, year, unit_code):
    """Every leaf below its maximum with the reviewer's reason, every approved deduction, and
    the unit's remediation plan."""
    assessment = get_assessment(request, year, unit_code, can_view_lost_points)
    return render(
        request,
        "assessments/lost.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "lost": lost_points(assessment),
            "plan": assessment.remediation.select_related("criterion", "updated_by"),
            "can_plan": can_edit_remediation(request.user, assessment),
            "form": RemediationForm(),
        },
    )


@login_required
@require_POST
def save_remediation(request, year, unit_code):
    assessment = get_assessment(request, year, unit_code, can_edit_remediation)
    form = RemediationForm(request.POST)
    back = f"{assessment.get_absolute_url()}lost/#plan"
    if not form.is_valid():
        messages.error(
            request, _("Kế hoạch khắc phục: %(errors)s") % {"errors": form.errors.as_text()}
        )
        return redirect(back)
    data = form.cleaned_data
    criterion = find_criterion(assessment, data["criterion"]) if data["criterion"] else None
    if data["criterion"] and criterion is None:
        messages.error(request, _("Không có tiêu chí mã “%(code)s”.") % {"code": data["criterion"]})
        return redirect(back)
    item = assessment.remediation.filter(pk=data["item"]).first() if data["item"] else None
    fields = {k: data[k] for k in ("measure", "owner", "due_date", "status")}
    run(
        request,
        save_remediation_item,
        _("Đã lưu kế hoạch khắc phục."),
        assessment,
        item=item,
        criterion=criterion,
        **fields,
    )
    return redirect(back)
