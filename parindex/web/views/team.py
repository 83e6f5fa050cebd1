"""The appraisal team of a period (approvers assign), a reviewer's "part done" mark, and the
comment thread of a leaf."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parindex.core.models import Assignment, Role, User
from parindex.core.permissions import can_comment_on_leaf, can_manage_team, is_reviewer
from parindex.core.services import WorkflowError
from parindex.core.services import team as services
from parindex.core.team import uncovered
from parindex.web.entry_page import appraise_context, entry_context
from parindex.web.forms import AssignmentForm, LeafCommentForm
from parindex.web.views.access import get_leaf, staff_period
from parindex.web.views.actions import assessment_transition, run


@staff_period
def team(request, period):
    """List the team of ``period`` with its coverage gaps; approvers add assignments here."""
    form = AssignmentForm(request.POST or None)
    if request.method == "POST":
        if not can_manage_team(request.user):
            raise PermissionDenied
        if form.is_valid() and _assign(request, period, form):
            return redirect("web:period-team", year=period.year)
    assignments = (
        Assignment.objects.for_period(period)
        .select_related("reviewer", "unit", "criterion__criteria_set")
        .order_by("reviewer__username", "unit__code", "criterion__position")
    )
    context = {
        "period": period,
        "assignments": assignments,
        "gaps": uncovered(period),
        "form": form,
        "can_manage": can_manage_team(request.user),
        "reviewers": User.objects.filter(
            role__in=(Role.REVIEWER, Role.APPROVER), is_active=True
        ).order_by("username"),
    }
    return render(request, "review/team.html", context, status=400 if form.errors else 200)


def _assign(request, period, form) -> bool:
    """Add the typed assignment; a refusal goes to its field (False)."""
    data = form.cleaned_data
    try:
        services.assign_by_codes(
            period,
            by=request.user,
            username=data["reviewer"],
            unit_code=data["unit"],
            criterion_code=data["criterion"],
        )
    except services.AssignmentError as error:
        form.add_error(error.field or None, str(error.message))
        return False
    except WorkflowError as error:
        form.add_error(None, str(error.message))
        return False
    messages.success(request, _("Đã thêm phân công."))
    return True


@staff_period
@require_POST
def remove_assignment(request, period, assignment_id):
    if not can_manage_team(request.user):
        raise PermissionDenied
    assignment = get_object_or_404(
        Assignment.objects.select_related("period", "unit", "criterion", "reviewer"),
        pk=assignment_id,
        period=period,
    )
    run(request, services.remove_assignment, _("Đã bỏ phân công."), assignment)
    return redirect("web:period-team", year=period.year)


mark_part_done = assessment_transition(
    services.mark_part_done,
    gettext_lazy("Đã đánh dấu hoàn thành phần thẩm định của bạn."),
    allowed=lambda user, assessment: is_reviewer(user),
    back=lambda assessment: f"{assessment.get_absolute_url()}appraise/",
)


@login_required
@require_POST
def comment(request, year, unit_code, code):
    """Post in the thread of one leaf, from the entry page or the appraisal page (``page``)."""
    assessment, leaf = get_leaf(request, year, unit_code, code, can_comment_on_leaf)
    on_appraisal = request.POST.get("page") == "appraise" and is_reviewer(request.user)
    back = f"{assessment.get_absolute_url()}{'appraise/' if on_appraisal else ''}#leaf-{code}"
    form = LeafCommentForm(request.POST)
    message = None
    if form.is_valid():
        try:
            services.post_leaf_comment(
                assessment, leaf, by=request.user, text=form.cleaned_data["comment"]
            )
        except WorkflowError as error:
            message = str(error.message)
    else:
        message = " ".join(form.errors.get("comment", []))
    if message is None:
        messages.success(request, _("Đã gửi trao đổi về tiêu chí %(code)s.") % {"code": leaf.code})
        return redirect(back)
    build = appraise_context if on_appraisal else entry_context
    error = {
        "criterion_id": None,
        "comment_for": leaf.pk,
        "comment_error": message,
        "comment_text": request.POST.get("comment", ""),
    }
    template = "assessments/appraise.html" if on_appraisal else "assessments/entry.html"
    return render(request, template, build(request.user, assessment, leaf_error=error), status=400)
