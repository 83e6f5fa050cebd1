"""The steps of an Excel import, for each kind of file: read and check, preview, write.

The import screens stage the uploaded file and start a job; the worker runs these steps
(``parindex.web.jobs``). ``params`` are what the screen chose: the survey's year and group, a
period workbook's code prefix (a merged province's, ``core/excel/prefix.py``), and on confirming
the options (replace, finalise, publish).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parindex.core.excel import workbooks
from parindex.core.excel.reading import ImportProblems, Problem
from parindex.core.models import Period, UnitGroup
from parindex.core.services import imports as services
from parindex.core.services import survey_imports

KINDS = {
    "period": gettext_lazy("Sổ điểm cả kỳ đánh giá"),
    "criteria": gettext_lazy("Bộ tiêu chí"),
    "units": gettext_lazy("Danh sách đơn vị"),
    "survey": gettext_lazy("Kết quả điều tra xã hội học"),
}

SUMMARY_LABELS = {
    "year": gettext_lazy("Năm"),
    "groups": gettext_lazy("Số khối"),
    "units": gettext_lazy("Số đơn vị"),
    "assessed": gettext_lazy("Số bản đánh giá"),
    "cells": gettext_lazy("Số ô điểm"),
    "sets": gettext_lazy("Bộ tiêu chí"),
    "name": gettext_lazy("Bộ tiêu chí"),
    "decision": gettext_lazy("Quyết định"),
    "leaves": gettext_lazy("Số tiêu chí lá"),
    "group": gettext_lazy("Khối"),
    "prefix": gettext_lazy("Tiền tố mã"),
}

NO_TARGET = gettext_lazy("Chọn năm và khối cho kết quả điều tra.")
OPTIONS = ("publish", "finalise", "replace")


def expired() -> Problem:
    return Problem("", "", _("Phiên nhập đã hết hạn; hãy tải tệp lên lại."))


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    return [
        (str(SUMMARY_LABELS[key]), ", ".join(value) if isinstance(value, list) else str(value))
        for key, value in summary.items()
        if key in SUMMARY_LABELS
    ]


def survey_target(data):
    """Return (period, group) named by ``data`` (the form's or the link's year and group) for
    a survey import; None for each that names nothing (``year=abc`` included)."""
    year = data.get("year", "")
    period = (
        Period.objects.filter(year=int(year)).first() if re.fullmatch(r"[0-9]{4}", year) else None
    )
    group = UnitGroup.objects.filter(code=data.get("group", "")).first()
    return period, group


def read(kind, file, params, progress=None):
    """Read and check ``file``; return (data, summary). ``progress`` hears how far a period
    workbook's reading has come."""
    if kind == "period":
        data = workbooks.read_period(file, progress, prefix=params.get("prefix", ""))
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
    period, group = survey_target(params)
    if period is None or group is None:
        raise ImportProblems([Problem("", "", str(NO_TARGET))])
    scores = workbooks.read_survey(file, period, group)
    return scores, {
        "year": period.year,
        "group": group.name,
        "units": len(scores),
        "cells": sum(len(c) for c in scores.values()),
    }


def preview(kind, data, params, progress=None):
    """Return what importing ``data`` would change (periods and surveys), or None.

    Raises WorkflowError when the import would be refused (a published period or group …).
    """
    if kind == "period":
        return services.preview_period_import(data, progress)
    if kind == "survey":
        return survey_imports.preview_survey_import(*survey_target(params), data)
    return None


def _leaves(nodes):
    for node in nodes:
        if node.get("children"):
            yield from _leaves(node["children"])
        else:
            yield node


def write(kind, data, params, *, by, seen, progress=None) -> str:
    """Import ``data``; only the entered values the preview showed (``seen``) may be replaced."""
    chosen = {option: bool(params.get(option)) for option in OPTIONS}
    if kind == "period":
        changes = services.import_period_changes(
            data, by=by, seen=seen, progress=progress, **chosen
        )
        period = changes.period
        return _("Năm %(year)s (%(status)s): %(summary)s") % {
            "year": period.year,
            "status": period.get_status_display(),
            "summary": changes.summary,
        }
    if kind == "criteria":
        criteria_set, changed = services.import_criteria(data, by=by)
        done = _("Đã nhập: %(set)s.") if changed else _("Không thay đổi: %(set)s.")
        return done % {"set": criteria_set}
    if kind == "units":
        count = services.import_units(*data, by=by)
        return ngettext("Đã nhập %(count)d đơn vị.", "Đã nhập %(count)d đơn vị.", count) % {
            "count": count
        }
    period, group = survey_target(params)
    changes = survey_imports.import_survey_changes(
        period, group, data, by=by, replace=chosen["replace"]
    )
    cells = sum(len(u.leaves) for u in changes.units)
    return _("Kết quả điều tra: %(summary)s (%(cells)d ô thay đổi)") % {
        "summary": changes.summary,
        "cells": cells,
    }
