"""The Sở Nội vụ workspace: the queue of a period, bonus/deduction items, finalise, publish,
correct."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    Assessment,
    Criterion,
    Method,
    Period,
)
from parindex.core.permissions import (
    can_decide_adjustment,
    can_finalise_period,
    can_propose_adjustment,
    is_province_staff,
)
from parindex.core.services import WorkflowError
from parindex.core.services import appraisal as appraisal_services
from parindex.core.services import results as result_services
from parindex.web.filters import QueueFilter
from parindex.web.forms import AdjustmentForm, CorrectionForm, DecisionForm, PublishForm
from parindex.web.tables import QueueTable
from parindex.web.views.appraisal import run


def staff_period(view):
    """Pass the period of ``year`` to ``view`` for province staff; 403 for everyone else."""

    @login_required
    @wraps(view)
    def wrapper(request, year, *args, **kwargs):
        if not is_province_staff(request.user):
            raise PermissionDenied
        period = get_object_or_404(Period, year=year)
        return view(request, period, *args, **kwargs)

    return wrapper


@login_required
def review_home(request):
    """Send Sở Nội vụ staff to the queue of the latest period."""
    if not is_province_staff(request.user):
        raise PermissionDenied
    latest = Period.objects.order_by("-year").first()
    if latest is None:
        raise Http404
    return redirect("web:review-queue", year=latest.year)


@staff_period
def queue(request, period):
    assessments = (
        Assessment.objects.for_period(period)
        .select_related("unit__group", "period")
        .with_totals()
        .order_by("unit__group__order", "unit__name")
    )
    filters = QueueFilter(request.GET, queryset=assessments)
    table = QueueTable(filters.qs)
    RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "review/queue.html",
        {
            "period": period,
            "table": table,
            "filter": filters,
            "blockers": result_services.finalisation_blockers(period),
            "can_manage": can_finalise_period(request.user),
            "publish_form": PublishForm(),
            "correction_form": CorrectionForm(),
            "result_sets": period.result_sets.order_by("-version"),
        },
    )


@staff_period
def adjustments(request, period):
    """List the bonus and deduction items of a period; reviewers propose new ones here."""
    if request.method == "POST":
        if not can_propose_adjustment(request.user):
            raise PermissionDenied
        form = AdjustmentForm(request.POST, request.FILES)
        if form.is_valid() and propose(request, period, form.cleaned_data):
            return redirect("web:adjustments", year=period.year)
    else:
        form = AdjustmentForm()
    items = (
        Adjustment.objects.for_period(period)
        .select_related("assessment__unit", "category", "proposed_by", "decided_by")
        .order_by("status", "-proposed_at")
    )
    categories = (
        Criterion.objects.filter(
            criteria_set__period_groups__period=period,
            method__in=(Method.BONUS, Method.DEDUCTION),
        )
        .distinct()
        .order_by("position")
    )
    return render(
        request,
        "review/adjustments.html",
        {
            "period": period,
            "items": [(item, can_decide_adjustment(request.user, item)) for item in items],
            "form": form,
            "categories": categories,
            "can_propose": can_propose_adjustment(request.user),
        },
    )


def propose(request, period, data) -> bool:
    assessment = Assessment.objects.filter(period=period, unit__code=data["unit"].strip()).first()
    if assessment is None:
        messages.error(request, f"Không có đơn vị mã “{data['unit']}” trong kỳ đánh giá.")
        return False
    category = Criterion.objects.filter(
        criteria_set__period_groups__period=period,
        criteria_set__period_groups__group_id=assessment.unit.group_id,
        code=data["category"].strip(),
    ).first()
    if category is None or category.method not in (Method.BONUS, Method.DEDUCTION):
        messages.error(request, f"“{data['category']}” không phải nhóm điểm thưởng/điểm trừ.")
        return False
    kind = AdjustmentKind.BONUS if category.method == Method.BONUS else AdjustmentKind.DEDUCTION
    return run(
        request,
        appraisal_services.propose_adjustment,
        "Đã đề xuất; chờ người khác phê duyệt.",
        assessment,
        kind=kind,
        category=category,
        amount_text=data["amount"],
        reason=data["reason"],
        file=data["file"],
    )


def get_adjustment(request, adjustment_id):
    """Return a bonus/deduction item to province staff; nobody else learns it exists."""
    if not is_province_staff(request.user):
        raise Http404
    return get_object_or_404(
        Adjustment.objects.select_related("assessment__period"), pk=adjustment_id
    )


@login_required
@require_POST
def decide(request, adjustment_id):
    adjustment = get_adjustment(request, adjustment_id)
    if not can_decide_adjustment(request.user, adjustment):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["decision"] == "approve":
            run(
                request,
                appraisal_services.approve_adjustment,
                "Đã phê duyệt.",
                adjustment,
                note=data["note"],
            )
        else:
            run(
                request,
                appraisal_services.reject_adjustment,
                "Đã từ chối.",
                adjustment,
                note=data["note"],
            )
    return redirect("web:adjustments", year=adjustment.assessment.period.year)


@login_required
def adjustment_file(request, adjustment_id):
    adjustment = get_adjustment(request, adjustment_id)
    if not adjustment.evidence:
        raise Http404
    response = FileResponse(
        adjustment.evidence.open("rb"),
        as_attachment=True,
        filename=adjustment.evidence_name,
        content_type=adjustment.evidence_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def approver_period(view):
    @staff_period
    @require_POST
    @wraps(view)
    def wrapper(request, period):
        if not can_finalise_period(request.user):
            raise PermissionDenied
        view(request, period)
        return redirect("web:review-queue", year=period.year)

    return wrapper


@approver_period
def finalise(request, period):
    run(request, result_services.finalise_period, "Đã chốt kết quả kỳ đánh giá.", period)


@approver_period
def publish(request, period):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nhập số quyết định công bố.")
        return
    run(
        request,
        result_services.publish_results,
        "Đã công bố kết quả.",
        period,
        decision_number=form.cleaned_data["decision_number"],
    )


@approver_period
def correct(request, period):
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Đính chính: " + form.errors.as_text())
        return
    data = form.cleaned_data
    assessment = Assessment.objects.filter(period=period, unit__code=data["unit"].strip()).first()
    leaf = (
        Criterion.objects.filter(
            criteria_set__period_groups__period=period,
            criteria_set__period_groups__group_id=assessment.unit.group_id,
            code=data["leaf"].strip(),
        ).first()
        if assessment
        else None
    )
    if leaf is None:
        messages.error(request, "Không tìm thấy đơn vị hoặc tiêu chí cần đính chính.")
        return
    try:
        result_services.correct_results(
            period,
            by=request.user,
            reason=data["reason"],
            decision_number=data["decision_number"],
            changes=[(assessment, leaf, data["points"], data["note"])],
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Đã đính chính kết quả: phiên bản mới đã được công bố.")
