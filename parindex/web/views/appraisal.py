"""Appraisal of one unit by Sở Nội vụ, and the unit's explanation of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from parindex.core.models import Method
from parindex.core.permissions import (
    can_appraise,
    can_explain,
    can_submit_assessment,
    can_view_appraisal_page,
)
from parindex.core.services import appraisal as services
from parindex.core.team import can_appraise_leaf
from parindex.web.entry_page import appraise_context, leaf_history_html, score_updates
from parindex.web.forms import AppraisalForm, ExplanationForm, ReturnForm
from parindex.web.views.access import get_assessment, get_leaf
from parindex.web.views.actions import assessment_transition, run
from parindex.web.views.assessments import ENTRY_PAGE, leaf_url
from parindex.web.views.leafsave import asked_leaves, leaf_post, totals_answer

APPRAISE_PAGE = ("assessments/appraise.html", appraise_context)


def appraise_url(assessment, code=None):
    url = f"{assessment.get_absolute_url()}appraise/"
    return f"{url}#leaf-{code}" if code else url


@login_required
def appraise(request, year, unit_code):
    assessment = get_assessment(request, year, unit_code, can_view_appraisal_page)
    return render(request, APPRAISE_PAGE[0], appraise_context(request.user, assessment))


def _appraisal_save(request, assessment, leaf):
    """Return the save of one leaf from the appraisal form: survey points or appraised points."""

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

    return save


@login_required
@require_POST
def appraise_leaf(request, year, unit_code, code):
    assessment, leaf = get_leaf(request, year, unit_code, code, can_appraise)
    if not can_appraise_leaf(request.user, assessment, leaf):
        raise PermissionDenied  # the team gives this leaf to another reviewer
    return leaf_post(
        request,
        assessment,
        leaf,
        AppraisalForm,
        _appraisal_save(request, assessment, leaf),
        page=APPRAISE_PAGE,
        back_url=(appraise_url, assessment, leaf.code),
        typed=lambda data: {
            "points": data["points"],
            "note": data["note"],
            "not_applicable": data["not_applicable"],
        },
    )


@login_required
@require_GET
def appraisal_totals(request, year, unit_code):
    """The appraisal page's provisional score, fetched by its script once saves settle."""
    assessment = get_assessment(request, year, unit_code, can_view_appraisal_page)
    histories = leaf_history_html(assessment, asked_leaves(request), with_appraisal=True)
    return totals_answer(score_updates(assessment), histories)


@login_required
@require_POST
def return_assessment(request, year, unit_code):
    assessment = get_assessment(request, year, unit_code, can_appraise)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nhập hạn giải trình (ngày/tháng/năm)."))
    else:
        run(
            request,
            services.return_for_explanation,
            _("Đã trả đơn vị để giải trình."),
            assessment,
            deadline=form.cleaned_data["deadline"],
        )
    return redirect(appraise_url(assessment))


finalise_assessment = assessment_transition(
    services.finalise_appraisal,
    gettext_lazy("Đã kết thúc thẩm định đơn vị."),
    allowed=can_appraise,
    back=appraise_url,
    confirm="close_appraisal",
)


@login_required
@require_POST
def explain_leaf(request, year, unit_code, code):
    assessment, leaf = get_leaf(request, year, unit_code, code, can_explain)
    return leaf_post(
        request,
        assessment,
        leaf,
        ExplanationForm,
        lambda data: services.save_explanation(
            assessment, leaf, by=request.user, text=data["text"], revision=data["revision"]
        ),
        page=ENTRY_PAGE,
        back_url=(leaf_url, assessment, leaf.code),
        typed=lambda data: {"explanation": data["text"]},
    )


send_explanation = assessment_transition(
    services.send_explanation,
    gettext_lazy("Đã gửi giải trình."),
    allowed=can_submit_assessment,
    confirm="send_explanation",
)
