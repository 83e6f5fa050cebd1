"""Excel imports (validate, preview, confirm) and downloads (templates, workbook, scorecard)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.excel import writing
from parindex.core.excel.prefix import prefix_problem
from parindex.core.models import Criterion, JobKind, Method, Period, PeriodGroup, UnitGroup
from parindex.core.permissions import can_see_appraisal
from parindex.core.services.jobs import start_job
from parindex.core.services.staging import stage_upload
from parindex.web.exports import xlsx_response
from parindex.web.import_steps import KINDS, NO_TARGET, OPTIONS, survey_target
from parindex.web.views.access import admin_only, get_assessment, staff_period

RESULT = "excel/result.html"
# Kept from the upload to the confirmation: the survey import's target, a period's code prefix.
FORM = ("year", "group", "prefix")


@admin_only
def index(request):
    return _index(request)


def _index(request, status=200, **extra):
    context = {
        "kinds": KINDS,
        "periods": Period.objects.order_by("-year"),
        "groups": UnitGroup.objects.all(),
        **extra,
    }
    return render(request, "excel/index.html", context, status=status)


def refuse(request, kind, problem):
    context = {"kind": kind, "title": KINDS[kind], "problems": [problem]}
    return render(request, RESULT, context, status=400)


@admin_only
@require_POST
def upload(request, kind):
    """Stage the file and start its check in the worker; its page shows the problems or the
    preview to confirm."""
    if kind not in KINDS:
        raise Http404
    file = request.FILES.get("file")
    if file is None:
        return refuse(request, kind, _("Chưa chọn tệp."))
    if kind == "survey" and None in survey_target(request.POST):
        return refuse(request, kind, NO_TARGET)
    prefix = request.POST.get("prefix", "").strip() if kind == "period" else ""
    if prefix and prefix_problem(prefix):
        return _index(request, 400, prefix=prefix, prefix_error=prefix_problem(prefix))
    token = stage_upload(kind, file, by=request.user)
    params = {"kind": kind, "token": token, "name": file.name}
    params |= {k: request.POST.get(k, "") for k in FORM} | {"prefix": prefix}
    title = _("Kiểm tra tệp “%(name)s” (%(kind)s)") % {"name": file.name, "kind": KINDS[kind]}
    job = start_job(JobKind.IMPORT_CHECK, title, by=request.user, params=params)
    return redirect(job)


@admin_only
@require_POST
def confirm(request, kind):
    """Start the import of a previewed file: the whole file in one transaction, or nothing."""
    if kind not in KINDS:
        raise Http404
    if kind == "survey" and None in survey_target(request.POST):
        return refuse(request, kind, NO_TARGET)
    params = {"kind": kind, "token": request.POST.get("token", "")}
    params |= {k: request.POST.get(k, "") for k in FORM}
    params |= {option: request.POST.get(option) == "1" for option in OPTIONS}
    title = _("Nhập %(kind)s") % {"kind": KINDS[kind].lower()}
    job = start_job(JobKind.IMPORT_WRITE, title, by=request.user, params=params)
    return redirect(job)


@admin_only
def template(request, kind):
    """Download an empty workbook to fill in for ``kind``."""
    if kind not in KINDS:
        raise Http404
    codes = ()
    if kind == "survey":
        period, group = survey_target(request.GET)
        period_group = PeriodGroup.objects.filter(period=period, group=group).first()
        if period is None or group is None or period_group is None:
            raise Http404
        codes = (
            Criterion.objects.filter(
                criteria_set_id=period_group.criteria_set_id, method=Method.SURVEY
            )
            .order_by("position")
            .values_list("code", flat=True)
        )
    return xlsx_response(writing.write_template(kind, survey_codes=codes), f"mau-{kind}.xlsx")


@staff_period
def period_workbook(request, period):
    """Download the whole period in the interchange format (province staff)."""
    year = period.year
    return xlsx_response(writing.write_period(period), f"so-diem-{year}.xlsx")


@login_required
def scorecard(request, year, unit_code):
    """Download one unit's scorecard (appraisal columns only for those who may see them)."""
    assessment = get_assessment(request, year, unit_code)
    content = writing.write_scorecard(
        assessment, with_appraisal=can_see_appraisal(request.user, assessment)
    )
    return xlsx_response(content, f"phieu-diem-{year}-{unit_code}.xlsx")
