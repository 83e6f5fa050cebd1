"""Excel imports (validate, preview, confirm) and downloads (templates, workbook, scorecard)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from parindex.core.excel import workbooks, writing
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import Criterion, Method, Period, PeriodGroup, UnitGroup
from parindex.core.permissions import can_import, can_see_appraisal, is_province_staff
from parindex.core.services import WorkflowError
from parindex.core.services import imports as services
from parindex.web.exports import xlsx_response
from parindex.web.views.assessments import get_assessment

KINDS = {
    "period": "Sổ điểm cả kỳ đánh giá",
    "criteria": "Bộ tiêu chí",
    "units": "Danh sách đơn vị",
    "survey": "Kết quả điều tra xã hội học",
}


SUMMARY_LABELS = {
    "year": "Năm",
    "groups": "Số khối",
    "units": "Số đơn vị",
    "assessed": "Số bản đánh giá",
    "cells": "Số ô điểm",
    "sets": "Bộ tiêu chí",
    "name": "Bộ tiêu chí",
    "decision": "Quyết định",
    "leaves": "Số tiêu chí lá",
    "group": "Khối",
}


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    return [
        (SUMMARY_LABELS[key], ", ".join(value) if isinstance(value, list) else str(value))
        for key, value in summary.items()
        if key in SUMMARY_LABELS
    ]


def admin_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def staging(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx"


def survey_target(request):
    """Return (period, group) named by the form for a survey import, or (None, None)."""
    period = Period.objects.filter(year=request.POST.get("year") or 0).first()
    group = UnitGroup.objects.filter(code=request.POST.get("group", "")).first()
    return period, group


def read(kind, file, request):
    if kind == "period":
        data = workbooks.read_period(file)
        exists = Period.objects.filter(year=data.year).first()
        return data, {**data.summary, "existing": exists}
    if kind == "criteria":
        data = workbooks.read_criteria(file)
        return data, {
            "name": data["name"],
            "decision": data["decision_number"],
            "leaves": sum(1 for _ in _leaves(data["nodes"])),
        }
    if kind == "units":
        units, groups = workbooks.read_units(file)
        return (units, groups), {"units": len(units), "groups": len(groups)}
    period, group = survey_target(request)
    if period is None or group is None:
        raise ImportProblems([])
    scores = workbooks.read_survey(file, period, group)
    return scores, {
        "year": period.year,
        "group": group.name,
        "units": len(scores),
        "cells": sum(len(c) for c in scores.values()),
    }


def _leaves(nodes):
    for node in nodes:
        if node.get("children"):
            yield from _leaves(node["children"])
        else:
            yield node


@admin_only
def index(request):
    return render(
        request,
        "excel/index.html",
        {
            "kinds": KINDS,
            "periods": Period.objects.order_by("-year"),
            "groups": UnitGroup.objects.all(),
        },
    )


@admin_only
@require_POST
def upload(request, kind):
    """Check the whole file; show every problem, or a preview to confirm."""
    if kind not in KINDS:
        raise Http404
    file = request.FILES.get("file")
    context = {
        "kind": kind,
        "title": KINDS[kind],
        "year": request.POST.get("year", ""),
        "group": request.POST.get("group", ""),
    }
    if file is None:
        context["problems"] = ["Chưa chọn tệp."]
        return render(request, "excel/result.html", context, status=400)
    try:
        _data, summary = read(kind, file, request)
    except ImportProblems as error:
        context["problems"] = error.problems or ["Chọn năm và khối cho kết quả điều tra."]
        return render(request, "excel/result.html", context, status=400)
    token = uuid.uuid4().hex
    path = staging(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    file.seek(0)
    path.write_bytes(file.read())
    request.session[f"import-{token}"] = {"kind": kind, "name": file.name}
    context.update(
        summary=summary_rows(summary), existing=summary.get("existing"), token=token, name=file.name
    )
    return render(request, "excel/result.html", context)


@admin_only
@require_POST
def confirm(request, kind):
    """Import a previewed file: the whole file in one transaction, or nothing."""
    token = request.POST.get("token", "")
    ticket = request.session.pop(f"import-{token}", None)
    if ticket is None or ticket["kind"] != kind or not staging(token).exists():
        messages.error(request, "Phiên nhập đã hết hạn; hãy tải tệp lên lại.")
        return redirect("web:imports")
    path = staging(token)
    try:
        with path.open("rb") as file:
            data, _summary = read(kind, file, request)
        done = write(kind, data, request)
    except ImportProblems as error:
        messages.error(request, "Tệp không nhập được: " + "; ".join(map(str, error.problems)))
        return redirect("web:imports")
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("web:imports")
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, done)
    return redirect("web:imports")


def write(kind, data, request) -> str:
    by = request.user
    if kind == "period":
        period = services.import_period(data, by=by, publish=request.POST.get("publish") == "1")
        return f"Đã nhập kỳ đánh giá năm {period.year} ({period.get_status_display()})."
    if kind == "criteria":
        criteria_set, changed = services.import_criteria(data, by=by)
        return f"{'Đã nhập' if changed else 'Không thay đổi'}: {criteria_set}."
    if kind == "units":
        return f"Đã nhập {services.import_units(*data, by=by)} đơn vị."
    period, group = survey_target(request)
    changed = services.import_survey(period, group, data, by=by)
    return f"Đã nhập kết quả điều tra: {changed} ô thay đổi."


@admin_only
def template(request, kind):
    """Download an empty workbook to fill in for ``kind``."""
    if kind not in KINDS:
        raise Http404
    codes = ()
    if kind == "survey":
        period_group = PeriodGroup.objects.filter(
            period__year=request.GET.get("year") or 0, group__code=request.GET.get("group", "")
        ).first()
        if period_group is None:
            raise Http404
        codes = (
            Criterion.objects.filter(
                criteria_set_id=period_group.criteria_set_id, method=Method.SURVEY
            )
            .order_by("position")
            .values_list("code", flat=True)
        )
    return xlsx_response(writing.write_template(kind, survey_codes=codes), f"mau-{kind}.xlsx")


@login_required
def period_workbook(request, year):
    """Download the whole period in the interchange format (province staff)."""
    if not is_province_staff(request.user):
        raise PermissionDenied
    period = get_object_or_404(Period, year=year)
    return xlsx_response(writing.write_period(period), f"so-diem-{year}.xlsx")


@login_required
def scorecard(request, year, unit_code):
    """Download one unit's scorecard (appraisal columns only for those who may see them)."""
    assessment = get_assessment(request, year, unit_code)
    content = writing.write_scorecard(
        assessment, with_appraisal=can_see_appraisal(request.user, assessment)
    )
    return xlsx_response(content, f"phieu-diem-{year}-{unit_code}.xlsx")
