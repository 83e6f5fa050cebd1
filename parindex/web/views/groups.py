"""The groups of a period, from the queue: finalise and publish each group on its own (its own
decision number and date), decide whether it is ranked this period, and set the period's tie
rule. Approvers only; a refused form is shown again in the queue with its errors."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from parindex.core.models import PeriodGroup
from parindex.core.services import decisions
from parindex.core.services import results as result_services
from parindex.web.forms import TieRuleForm
from parindex.web.group_box import publish_form, ranking_form
from parindex.web.views.actions import ask_first, run, start_publication
from parindex.web.views.review import approver_post, render_queue


def get_period_group(period, group_code) -> PeriodGroup:
    return get_object_or_404(
        PeriodGroup.objects.select_related("group"), period=period, group__code=group_code
    )


@approver_post("#groups")
def finalise(request, period, group_code):
    pg = get_period_group(period, group_code)
    page = ask_first(request, "finalise", subject=pg.group.name)
    if page is not None:
        return page
    success = _("Đã chốt kết quả khối “%(group)s”.") % {"group": pg.group.name}
    run(request, result_services.finalise_group, success, period, pg.group_id)


@approver_post("#groups")
def publish(request, period, group_code):
    pg = get_period_group(period, group_code)
    form = publish_form(pg, request.POST)
    if not form.is_valid():
        return render_queue(request, period, bound={("publish", pg.group_id): form}, status=400)
    number = form.cleaned_data["decision_number"]
    subject = _("%(group)s — quyết định %(number)s") % {"group": pg.group.name, "number": number}
    page = ask_first(request, "publish", subject=subject)
    if page is not None:
        return page
    return redirect(
        start_publication(request, period, subject, group=pg.group, **form.cleaned_data)
    )


@approver_post("#groups")
def ranking(request, period, group_code):
    pg = get_period_group(period, group_code)
    form = ranking_form(pg, request.POST)
    if not form.is_valid():
        return render_queue(request, period, bound={("ranking", pg.group_id): form}, status=400)
    if form.cleaned_data["ranked"]:
        success = _("Khối “%(group)s” được xếp hạng trong kỳ này.")
    else:
        success = _("Khối “%(group)s” chỉ xếp loại, không xếp hạng trong kỳ này.")
    run(
        request,
        decisions.set_group_ranking,
        success % {"group": pg.group.name},
        period,
        pg.group_id,
        **form.cleaned_data,
    )


@approver_post("#groups")
def settings(request, period):
    form = TieRuleForm(request.POST)
    if not form.is_valid():
        return render_queue(request, period, bound={"tie_rule": form}, status=400)
    run(
        request,
        decisions.set_tie_rule,
        _("Đã lưu quy tắc xếp hạng khi bằng điểm."),
        period,
        rule=form.cleaned_data["rule"],
    )
