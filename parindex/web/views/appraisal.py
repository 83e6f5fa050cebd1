"""Appraisal of one unit, the unit's explanation, and where the unit lost points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parindex.core.lostpoints import lost_points
from parindex.core.models import Criterion, Method, PeriodStatus
from parindex.core.permissions import (
    can_appraise,
    can_edit_remediation,
    can_explain,
    can_see_appraisal,
    can_submit_assessment,
    is_province_staff,
)
from parindex.core.services import WorkflowError
from parindex.core.services import appraisal as services
from parindex.web.entry_page import appraise_context, score_updates
from parindex.web.forms import AppraisalForm, ExplanationForm, RemediationForm, ReturnForm
from parindex.web.views.assessments import ENTRY_PAGE, get_assessment, get_leaf, leaf_url
from parindex.web.views.leafsave import leaf_post

APPRAISE_PAGE = ("assessments/appraise.html", appraise_context)


def appraise_url(assessment, code=None):
    url = f"{assessment.get_absolute_url()}appraise/"
    return f"{url}#leaf-{code}" if code else url


def get_for_staff(request, year, unit_code):
    """Return the assessment for Sở Nội vụ and leaders; 403 for the unit's own staff."""
    assessment = get_assessment(request, year, unit_code)
    if not is_province_staff(request.user):
        raise PermissionDenied
    return assessment


def get_for_reviewer(request, year, unit_code):
    assessment = get_assessment(request, year, unit_code)
    if not can_appraise(request.user, assessment):
        raise PermissionDenied
    return assessment


@login_required
def appraise(request, year, unit_code):
    assessment = get_for_staff(request, year, unit_code)
    return render(request, APPRAISE_PAGE[0], appraise_context(request.user, assessment))


@login_required
@require_POST
def appraise_leaf(request, year, unit_code, code):
    assessment = get_for_reviewer(request, year, unit_code)
    leaf = get_leaf(assessment, code)

    def save(data):
        if leaf.method == Method.SURVEY:
            return services.save_survey_points(
                assessment,
                leaf,
                by=request.user,
                points_text=data["points"],
                revision=data["revision"],
            )
        return services.appraise_leaf(
            assessment,
            leaf,
            by=request.user,
            points_text=data["points"],
            note=data["note"],
            not_applicable=data["not_applicable"],
            revision=data["revision"],
        )

    return leaf_post(
        request,
        assessment,
        leaf,
        AppraisalForm,
        save,
        page=APPRAISE_PAGE,
        updates=score_updates,
        back_url=appraise_url(assessment, leaf.code),
        typed=lambda data: (data["points"], data["note"]),
    )


def run(request, service, success, *args, **kwargs):
    """Run one transition and turn its refusal into a message."""
    try:
        service(*args, by=request.user, **kwargs)
    except WorkflowError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def return_assessment(request, year, unit_code):
    assessment = get_for_reviewer(request, year, unit_code)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nhập hạn giải trình (ngày/tháng/năm).")
    else:
        run(
            request,
            services.return_for_explanation,
            "Đã trả đơn vị để giải trình.",
            assessment,
            deadline=form.cleaned_data["deadline"],
        )
    return redirect(appraise_url(assessment))


@login_required
@require_POST
def finalise_assessment(request, year, unit_code):
    assessment = get_for_reviewer(request, year, unit_code)
    run(request, services.finalise_appraisal, "Đã kết thúc thẩm định đơn vị.", assessment)
    return redirect(appraise_url(assessment))


@login_required
@require_POST
def explain_leaf(request, year, unit_code, code):
    assessment = get_assessment(request, year, unit_code)
    if not can_explain(request.user, assessment):
        raise PermissionDenied
    leaf = get_leaf(assessment, code)
    return leaf_post(
        request,
        assessment,
        leaf,
        ExplanationForm,
        lambda data: services.save_explanation(
            assessment, leaf, by=request.user, text=data["text"], revision=data["revision"]
        ),
        page=ENTRY_PAGE,
        updates=lambda a: {},
        back_url=leaf_url(assessment, leaf.code),
        typed=lambda data: ("", data["text"]),
    )


@login_required
@require_POST
def send_explanation(request, year, unit_code):
    assessment = get_assessment(request, year, unit_code)
    if not can_submit_assessment(request.user, assessment):
        raise PermissionDenied
    run(request, services.send_explanation, "Đã gửi giải trình.", assessment)
    return redirect(assessment)


def may_see_lost_points(user, assessment) -> bool:
    """Staff always; the unit once its results are final (finalised or published)."""
    if is_province_staff(user):
        return True
    return can_see_appraisal(user, assessment) and assessment.period.status in (
        PeriodStatus.FINALISED,
        PeriodStatus.PUBLISHED,
    )


@login_required
def lost(request, year, unit_code):
    """Every leaf below its maximum with the reviewer's reason, every approved deduction, and
    the unit's remediation plan."""
    assessment = get_assessment(request, year, unit_code)
    if not may_see_lost_points(request.user, assessment):
        raise PermissionDenied
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
    assessment = get_assessment(request, year, unit_code)
    if not can_edit_remediation(request.user, assessment):
        raise PermissionDenied
    form = RemediationForm(request.POST)
    back = f"{assessment.get_absolute_url()}lost/#plan"
    if not form.is_valid():
        messages.error(request, "Kế hoạch khắc phục: " + form.errors.as_text())
        return redirect(back)
    data = form.cleaned_data
    criterion = None
    if data["criterion"]:
        criterion = Criterion.objects.filter(
            criteria_set__period_groups__period_id=assessment.period_id,
            criteria_set__period_groups__group_id=assessment.unit.group_id,
            code=data["criterion"].strip(),
        ).first()
        if criterion is None:
            messages.error(request, f"Không có tiêu chí mã “{data['criterion']}”.")
            return redirect(back)
    item = assessment.remediation.filter(pk=data["item"]).first() if data["item"] else None
    run(
        request,
        services.save_remediation_item,
        "Đã lưu kế hoạch khắc phục.",
        assessment,
        item=item,
        criterion=criterion,
        measure=data["measure"],
        owner=data["owner"],
        due_date=data["due_date"],
        status=data["status"],
    )
    return redirect(back)
