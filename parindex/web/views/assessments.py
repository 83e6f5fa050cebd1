"""Self-assessment screens: the entry page of one unit, saving a leaf, evidence, submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from parindex.core.models import Assessment, Period
from parindex.core.permissions import (
    can_edit_assessment,
    can_see_appraisal,
    can_submit_assessment,
)
from parindex.core.services import WorkflowError
from parindex.core.services import assessments as services
from parindex.web.entry_page import (
    EVIDENCE_FIELD,
    entry_context,
    leaf_history_html,
    progress_updates,
)
from parindex.web.exports import attachment
from parindex.web.forms import EvidenceForm, LeafScoreForm
from parindex.web.views.access import get_assessment, get_evidence, get_leaf
from parindex.web.views.actions import ask_first, assessment_transition
from parindex.web.views.leafsave import (
    asked_leaves,
    leaf_error,
    leaf_post,
    totals_answer,
    wants_json,
)


def leaf_url(assessment, code):
    return f"{assessment.get_absolute_url()}#leaf-{code}"


ENTRY_PAGE = ("assessments/entry.html", entry_context)


@login_required
def index(request):
    """Send a unit's staff to their current assessment; list the current period for others."""
    visible = Assessment.objects.visible_to(request.user).select_related("period", "unit__group")
    period = Period.objects.filter(assessments__in=visible).distinct().order_by("-year").first()
    if period is None:
        return render(request, "assessments/index.html", {"period": None, "assessments": []})
    assessments = visible.filter(period=period).order_by("unit__group__order", "unit__name")
    if request.user.unit_id and len(assessments) == 1:
        return redirect(assessments[0])
    return render(request, "assessments/index.html", {"period": period, "assessments": assessments})


@login_required
def entry(request, year, unit_code):
    assessment = get_assessment(request, year, unit_code)
    return render(request, "assessments/entry.html", entry_context(request.user, assessment))


@login_required
@require_POST
def save_leaf(request, year, unit_code, code):
    assessment, leaf = get_leaf(request, year, unit_code, code, can_edit_assessment)
    return leaf_post(
        request,
        assessment,
        leaf,
        LeafScoreForm,
        lambda data: services.save_self_score(
            assessment,
            leaf,
            by=request.user,
            points_text=data["points"],
            note=data["note"],
            revision=data["revision"],
        ),
        page=ENTRY_PAGE,
        back_url=(leaf_url, assessment, leaf.code),
        typed=lambda data: {"points": data["points"], "note": data["note"]},
    )


@login_required
@require_GET
def totals(request, year, unit_code):
    """The entry page's running totals, fetched by its script once saves settle, with the
    history of the leaves it saved."""
    assessment = get_assessment(request, year, unit_code)
    histories = leaf_history_html(
        assessment,
        asked_leaves(request),
        with_appraisal=can_see_appraisal(request.user, assessment),
    )
    return totals_answer(progress_updates(assessment), histories)


@login_required
@require_POST
def upload_evidence(request, year, unit_code, code):
    """Add a file to a leaf; a refusal is shown at the leaf's upload field, not atop the page."""
    assessment, leaf = get_leaf(request, year, unit_code, code, can_edit_assessment)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise WorkflowError(_("Chưa chọn tệp để tải lên."))
        services.add_evidence(assessment, leaf, by=request.user, **form.cleaned_data)
    except WorkflowError as error:
        return leaf_error(
            request,
            assessment,
            leaf,
            error.message,
            status=400,
            page=ENTRY_PAGE,
            kept={"field": EVIDENCE_FIELD},
        )
    messages.success(
        request, _("Đã tải lên tài liệu kiểm chứng cho tiêu chí %(code)s.") % {"code": leaf.code}
    )
    if wants_json(request):
        return JsonResponse({"ok": True, "url": leaf_url(assessment, leaf.code)})
    return redirect(leaf_url(assessment, leaf.code))


@login_required
@require_POST
def delete_evidence(request, year, unit_code, evidence_id):
    assessment = get_assessment(request, year, unit_code, can_edit_assessment)
    evidence = get_evidence(assessment, evidence_id)
    code = evidence.entry.criterion.code
    page = ask_first(
        request,
        "delete_evidence",
        back=leaf_url(assessment, code),
        subject=f"{evidence.original_name} — {code}",
    )
    if page:
        return page
    try:
        services.remove_evidence(evidence, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": evidence.original_name})
    return redirect(leaf_url(assessment, code))


@login_required
def download_evidence(request, year, unit_code, evidence_id):
    """Serve an evidence file to whoever may see the unit, always as a download."""
    evidence = get_evidence(get_assessment(request, year, unit_code), evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment(handle, evidence.original_name, evidence.content_type)


submit = assessment_transition(
    services.submit_assessment,
    gettext_lazy("Đã nộp bản tự đánh giá."),
    allowed=can_submit_assessment,
    confirm="submit",
)
withdraw = assessment_transition(
    services.withdraw_submission,
    gettext_lazy("Đã rút bản tự đánh giá để chỉnh sửa."),
    allowed=can_submit_assessment,
)
