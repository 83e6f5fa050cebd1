"""Excel imports (validate, preview, confirm) and downloads (templates, workbook, scorecard)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parindex.core.excel import workbooks, writing
from parindex.core.excel.reading import ImportProblems, Problem
from parindex.core.models import Criterion, Method, Period, PeriodGroup, UnitGroup
from parindex.core.permissions import can_see_appraisal
from parindex.core.services import WorkflowError, survey_imports
from parindex.core.services import imports as services
from parindex.core.services.staging import stage_upload, staged_file
from parindex.web.exports import xlsx_response
from parindex.web.views.access import admin_only, get_assessment, staff_period

KINDS = {
    "period": "Sổ điểm cả kỳ đánh giá",
    "criteria": "Bộ tiêu chí",
    "units": "Danh sách đơn vị",
    "survey": "Kết quả điều tra xã hội học",
}


RESULT = "excel/result.html"
FORM = ("year", "group")  # the survey import's target, kept on the result page

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


NO_TARGET = "Chọn năm và khối cho kết quả điều tra."


def survey_target(data):
    """Return (period, group) named by ``data`` (the form's or the link's year and group) for
    a survey import; None for each that names nothing (``year=abc`` included)."""
    year = data.get("year", "")
    period = (
        Period.objects.filter(year=int(year)).first() if re.fullmatch(r"[0-9]{4}", year) else None
    )
    group = UnitGroup.objects.filter(code=data.get("group", "")).first()
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
    period, group = survey_target(request.POST)
    if period is None or group is None:
        raise ImportProblems([Problem("", "", NO_TARGET)])
    scores = workbooks.read_survey(file, period, group)
    return scores, {
        "year": period.year,
        "group": group.name,
        "units": len(scores),
        "cells": sum(len(c) for c in scores.values()),
    }


def preview(kind, data, request):
    """Return what importing ``data`` would change (periods and surveys), or None.

    Raises WorkflowError when the import would be refused (a published period or group …).
    """
    if kind == "period":
        return services.preview_period_import(data)
    if kind == "survey":
        return survey_imports.preview_survey_import(*survey_target(request.POST), data)
    return None


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
    context = {"kind": kind, "title": KINDS[kind], **{k: request.POST.get(k, "") for k in FORM}}
    if file is None:
        return render(request, RESULT, context | {"problems": ["Chưa chọn tệp."]}, status=400)
    try:
        data, summary = read(kind, file, request)
        changes = preview(kind, data, request)
    except ImportProblems as error:
        return render(request, RESULT, context | {"problems": error.problems}, status=400)
    except WorkflowError as error:
        refused = {"message": str(error.message), "details": error.details}
        return render(request, RESULT, context | {"refused": refused}, status=400)
    context.update(
        summary=summary_rows(summary),
        existing=summary.get("existing"),
        changes=changes,
        token=stage_upload(kind, file, by=request.user, seen=changes.entered if changes else ()),
        name=file.name,
    )
    return render(request, RESULT, context)


@admin_only
@require_POST
def confirm(request, kind):
    """Import a previewed file: the whole file in one transaction, or nothing."""
    with staged_file(request.POST.get("token", ""), kind, by=request.user) as (file, ticket):
        if file is None:
            messages.error(request, "Phiên nhập đã hết hạn; hãy tải tệp lên lại.")
            return redirect("web:imports")
        try:
            data = read(kind, file, request)[0]
            messages.success(request, write(kind, data, request, ticket.get("seen", [])))
        except ImportProblems as error:
            messages.error(request, "Tệp không nhập được: " + "; ".join(map(str, error.problems)))
        except WorkflowError as error:
            messages.error(request, str(error))
    return redirect("web:imports")


def write(kind, data, request, seen) -> str:
    """Import ``data``; only the entered values the preview showed (``seen``) may be replaced."""
    by = request.user
    chosen = {
        option: request.POST.get(option) == "1" for option in ("publish", "finalise", "replace")
    }
    if kind == "period":
        changes = services.import_period_changes(data, by=by, seen=seen, **chosen)
        period = changes.period
        return f"Năm {period.year} ({period.get_status_display()}): {changes.summary}"
    if kind == "criteria":
        criteria_set, changed = services.import_criteria(data, by=by)
        return f"{'Đã nhập' if changed else 'Không thay đổi'}: {criteria_set}."
    if kind == "units":
        return f"Đã nhập {services.import_units(*data, by=by)} đơn vị."
    period, group = survey_target(request.POST)
    changes = survey_imports.import_survey_changes(
        period, group, data, by=by, replace=chosen["replace"]
    )
    cells = sum(len(u.leaves) for u in changes.units)
    return f"Kết quả điều tra: {changes.summary} ({cells} ô thay đổi)"


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
