"""The Sở Nội vụ workspace: the queue of a period, bonus/deduction items, finalise, publish,
correct."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from parindex.core.board import status_counts
from parindex.core.models import ADJUSTMENT_METHODS, Adjustment, Assessment, Criterion, Period
from parindex.core.permissions import (
    can_decide_adjustment,
    can_finalise_period,
    can_propose_adjustment,
)
from parindex.core.services import adjustments as adjustment_services
from parindex.core.services import results as result_services
from parindex.core.services.corrections import correct_results
from parindex.core.team import can_appraise_leaf
from parindex.core.timeline import period_phases
from parindex.core.workflow import finalisation_blockers, period_flags
from parindex.web.exports import attachment
from parindex.web.filters import QueueFilter
from parindex.web.forms import AdjustmentForm, CorrectionForm, DecisionForm, PublishForm
from parindex.web.group_box import group_box
from parindex.web.tables import QueueTable
from parindex.web.views.access import (
    find_assessment,
    find_criterion,
    get_adjustment,
    staff_only,
    staff_period,
)
from parindex.web.views.actions import ask_first, confirm_first, run, start_publication


@staff_only
def review_home(request):
    """Send Sở Nội vụ staff to the queue of the latest period."""
    latest = Period.objects.order_by("-year").first()
    if latest is None:
        raise Http404
    return redirect("web:review-queue", year=latest.year)


@staff_period
def queue(request, period):
    return render_queue(request, period)


def render_queue(request, period, *, bound=None, status=200):
    """Render the queue of ``period``; ``bound`` holds refused forms of the group box to show
    again with their errors (see ``group_box``)."""
    assessments = Assessment.objects.for_period(period)
    filters = QueueFilter(request.GET, queryset=assessments, request=request, period=period)
    rows = filters.qs.select_related("unit__group", "period").with_totals()
    table = QueueTable(rows.order_by("unit__group__order", "unit__name"))
    RequestConfig(request, paginate=False).configure(table)
    blockers = finalisation_blockers(period)
    context = {
        "period": period,
        "table": table,
        "filter": filters,
        "blockers": blockers,
        "publish_form": PublishForm(),
        "correction_form": CorrectionForm(),
        "result_sets": period.result_sets.order_by("-version"),
        "phases": period_phases(period),
        "status_counts": status_counts(assessments),  # the progress board's totals
    }
    context |= group_box(request.user, period, blockers, bound=bound)
    return render(
        request, "review/queue.html", context | period_flags(request.user, period), status=status
    )


@staff_period
def adjustments(request, period):
    """List the bonus and deduction items of a period; reviewers propose new ones here."""
    form = AdjustmentForm()
    if request.method == "POST":
        form = AdjustmentForm(request.POST, request.FILES)
        if not can_propose_adjustment(request.user):
            raise PermissionDenied
        if form.is_valid() and propose(request, period, form.cleaned_data):
            return redirect("web:adjustments", year=period.year)
    items = (
        Adjustment.objects.for_period(period)
        .select_related("assessment__unit", "category", "proposed_by", "decided_by")
        .order_by("status", "-proposed_at")
    )
    context = {
        "period": period,
        "items": [(item, can_decide_adjustment(request.user, item)) for item in items],
        "form": form,
        "categories": Criterion.objects.for_period(period)
        .filter(method__in=ADJUSTMENT_METHODS)
        .order_by("position"),
        "can_propose": can_propose_adjustment(request.user),
    }
    return render(request, "review/adjustments.html", context)


def propose(request, period, data) -> bool:
    """Propose the item typed in the form (unit code, category code); False when refused."""
    assessment = find_assessment(period, data["unit"])
    if assessment is None:
        messages.error(
            request, _("Không có đơn vị mã “%(code)s” trong kỳ đánh giá.") % {"code": data["unit"]}
        )
        return False
    category = find_criterion(assessment, data["category"])
    if category is None or category.adjustment_kind is None:
        messages.error(
            request,
            _("“%(code)s” không phải nhóm điểm thưởng/điểm trừ.") % {"code": data["category"]},
        )
        return False
    if not can_appraise_leaf(request.user, assessment, category):
        raise PermissionDenied  # the appraisal team gives this part to another reviewer
    return run(
        request,
        adjustment_services.propose_adjustment,
        _("Đã đề xuất; chờ người khác phê duyệt."),
        assessment,
        kind=category.adjustment_kind,
        category=category,
        amount_text=data["amount"],
        reason=data["reason"],
        file=data["file"],
    )


DECISIONS = {
    "approve": (adjustment_services.approve_adjustment, gettext_lazy("Đã phê duyệt.")),
    "reject": (adjustment_services.reject_adjustment, gettext_lazy("Đã từ chối.")),
}


@login_required
@require_POST
def decide(request, adjustment_id):
    adjustment = get_adjustment(request, adjustment_id, can_decide_adjustment)
    form = DecisionForm(request.POST)
    if form.is_valid():
        service, success = DECISIONS[form.cleaned_data["decision"]]
        run(request, service, success, adjustment, note=form.cleaned_data["note"])
    return redirect("web:adjustments", year=adjustment.assessment.period.year)


@login_required
def adjustment_file(request, adjustment_id):
    adjustment = get_adjustment(request, adjustment_id)
    if not adjustment.evidence:
        raise Http404
    return attachment(
        adjustment.evidence.open("rb"), adjustment.evidence_name, adjustment.evidence_type
    )


def approver_post(anchor: str = ""):
    """Run a POST ``view(request, period, *args)`` for approvers (403 for other staff).

    The view answers itself (a confirmation page, a refused form) or acts and goes back to the
    queue, at ``anchor`` ("#groups").
    """

    def decorator(view):
        @staff_period
        @require_POST
        @wraps(view)
        def wrapper(request, period, *args, **kwargs):
            if not can_finalise_period(request.user):
                raise PermissionDenied
            response = view(request, period, *args, **kwargs)
            return response or redirect(queue_url(period) + anchor)

        return wrapper

    return decorator


approver_period = approver_post()


def queue_url(period):
    return reverse("web:review-queue", args=[period.year])


@approver_period
@confirm_first("finalise", back=queue_url, subject=str)
def finalise(request, period):
    run(request, result_services.finalise_period, _("Đã chốt kết quả kỳ đánh giá."), period)


@approver_period
def publish(request, period):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nhập số quyết định công bố."))
        return None
    number = form.cleaned_data["decision_number"]
    subject = _("%(period)s — quyết định số %(number)s") % {"period": period, "number": number}
    page = ask_first(request, "publish", back=queue_url(period), subject=subject)
    if page:
        return page
    return redirect(start_publication(request, period, subject, decision_number=number))


@approver_period
def correct(request, period):
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Đính chính: %(errors)s") % {"errors": form.errors.as_text()})
        return
    data = form.cleaned_data
    assessment = find_assessment(period, data["unit"])
    leaf = find_criterion(assessment, data["leaf"]) if assessment else None
    if leaf is None:
        messages.error(request, _("Không tìm thấy đơn vị hoặc tiêu chí cần đính chính."))
        return
    run(
        request,
        correct_results,
        _("Đã đính chính kết quả: phiên bản mới đã được công bố."),
        period,
        reason=data["reason"],
        decision_number=data["decision_number"],
        changes=[(assessment, leaf, data["points"], data["note"])],
    )
