"""Reading whole workbooks of each kind into checked plain data (nothing is written here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.excel import sheets
from parindex.core.excel.criteria_sheet import criteria_from_sheet
from parindex.core.excel.prefix import with_prefix
from parindex.core.excel.reading import Problems, open_workbook
from parindex.core.excel.team_sheet import team_from_sheet
from parindex.core.models import Assessment, Criterion, Lineage, Method, PeriodGroup, Unit
from parindex.core.models.units import WHOLE
from parindex.core.numbers import points_text
from parindex.core.task_progress import Progress, ProgressCallback


@dataclass
class PeriodData:
    year: int
    groups: dict[str, dict]
    units: list[dict]
    bands: dict[str, list[dict]]
    sets: dict[str, dict]  # group code → criteria set (JSON shape)
    scores: dict[str, dict[str, dict]]  # group code → unit code → leaf code → value
    tie_rule: str | None = None  # TieRule value; None when the file does not say
    summary: dict = field(default_factory=dict)
    team: list[dict] | None = None  # `Phân công thẩm định`; None: no such sheet (team kept)


def leaves_of(criteria: dict) -> dict[str, dict]:
    """Return leaf code → {"max", "method"} of a criteria set in the JSON shape."""

    out = {}

    def walk(nodes):
        for node in nodes:
            if node.get("children"):
                walk(node["children"])
            else:
                out[node["code"]] = {"max": Decimal(node["max"]), "method": node["method"]}

    walk(criteria["nodes"])
    return out


def check_predecessors(units: list[dict], problems: Problems) -> None:
    """Report unknown predecessor codes, a unit named as its own predecessor, and an old unit
    handed out at more than its whole (its shares over every successor, stored ones of units
    the file does not list included, above 1)."""
    known = {u["code"] for u in units}
    wanted = {p for u in units for p in u["predecessors"]} - known
    known |= set(Unit.objects.filter(code__in=wanted).values_list("code", flat=True))
    given = defaultdict(Decimal)
    for unit in units:
        for code in unit["predecessors"]:
            if code not in known:
                problems.add(
                    sheets.UNITS, unit["ref"], _("Đơn vị kế thừa “%(c)s” không có.") % {"c": code}
                )
            elif code == unit["code"]:
                problems.add(sheets.UNITS, unit["ref"], _("Đơn vị không thể kế thừa từ chính nó."))
            given[code] += unit.get("shares", {}).get(code, WHOLE)
    listed = {u["code"] for u in units}
    for code, share in (
        Lineage.objects.filter(predecessor__code__in=given)
        .exclude(successor__code__in=listed)
        .values_list("predecessor__code", "share")
    ):
        given[code] += share
    for unit in units:
        over = [c for c in unit["predecessors"] if given[c] > WHOLE]
        for code in over:
            problems.add(
                sheets.UNITS,
                unit["ref"],
                _("Tổng tỷ lệ của “%(c)s” chia cho các đơn vị kế thừa là %(s)s, vượt quá 1.")
                % {"c": code, "s": points_text(given[code])},
            )


def check_units_exist(year: int, units: list[dict], scores: dict, problems: Problems) -> None:
    """Report each unit with scores in the file that does not exist in ``year``: its dates as
    the file gives them, else as stored."""
    scored = {code for by_unit in scores.values() for code in by_unit}
    stored = {
        u.code: u
        for u in Unit.objects.filter(code__in=[u["code"] for u in units if "valid_from" not in u])
    }
    for row in units:
        if row["code"] not in scored:
            continue
        unit = stored.get(row["code"]) or Unit(
            valid_from=row.get("valid_from"), valid_to=row.get("valid_to")
        )
        if not unit.exists_in(year):
            problems.add(
                sheets.UNITS,
                row["code_ref"],
                _(
                    "Đơn vị “%(c)s” không tồn tại trong năm %(y)s (%(d)s): kỳ đánh giá chỉ gồm "
                    "các đơn vị có trong năm đó."
                )
                % {"c": row["code"], "y": year, "d": unit.lifetime_text},
            )


def read_period(file, progress: ProgressCallback | None = None, *, prefix: str = "") -> PeriodData:
    """Read and check a whole period workbook; raise ImportProblems listing every problem.

    ``progress(done, total, label)``, when given, hears which sheet is being read
    (``core/task_progress.py``). With ``prefix``, every unit and group code is read under it
    (a merged province's workbook, ``core/excel/prefix.py``) before the codes are checked
    against the units stored.
    """
    steps = Progress(progress)
    steps.phase(0, 10, _("Đang mở tệp"))
    workbook = open_workbook(file)
    steps.phase(10, 20, _("Đang kiểm tra trang Thông tin, Đơn vị, Xếp loại"))
    problems = Problems()
    info = sheets.read_info(workbook, problems)
    year = sheets.info_number(info, "Năm")
    year_ok = year is not None and year == int(year) and 2000 <= year <= 2100
    if not year_ok:
        problems.add(
            sheets.INFO,
            info.get("Năm", (None, "B1"))[1] or "",
            _("Thiếu năm hoặc năm không hợp lệ."),
        )
    tie_rule = sheets.tie_rule_from_info(info, problems)
    units, groups = sheets.units_from_sheet(workbook, problems)
    bands = sheets.bands_from_sheet(workbook, set(groups), problems)
    sets, scores = _sets_and_scores(workbook, info, units, groups, problems, steps)
    team = team_from_sheet(workbook, units, sets, problems)
    summary = {
        "year": int(year) if year is not None else None,
        "groups": len(groups),
        "units": len(units),
        "assessed": sum(len(s) for s in scores.values()),
        "cells": sum(len(c) for s in scores.values() for c in s.values()),
        "sets": sorted({c["name"] for c in sets.values()}),
    }
    data = PeriodData(summary["year"], groups, units, bands, sets, scores, tie_rule, summary, team)
    if prefix:
        data = with_prefix(data, prefix)  # adds the prefix to the summary
    check_predecessors(data.units, problems)
    if year_ok:  # a year out of range is already a problem; units cannot be dated in it
        check_units_exist(int(year), data.units, data.scores, problems)
    problems.raise_if_any()
    steps.finish(_("Đã kiểm tra xong tệp"))
    return data


def _sets_and_scores(workbook, info, units, groups, problems: Problems, steps: Progress):
    """Return group code → criteria set and group code → scores: one `Tiêu chí` and `Điểm`
    for every group, or `Tiêu chí <khối>` and `Điểm <khối>` per group."""
    sets, scores = {}, {}
    group_of = {u["code"]: u["group"] for u in units}
    if sheets.CRITERIA in workbook.sheetnames:
        steps.phase(20, 100, _("Đang kiểm tra trang Tiêu chí, Điểm"))
        criteria = criteria_from_sheet(workbook, sheets.CRITERIA, info, "Bộ tiêu chí", problems)
        if criteria:
            all_scores = sheets.scores_from_sheet(
                workbook, sheets.SCORES, leaves_of(criteria), set(group_of), problems
            )
            for group in groups:
                sets[group] = criteria
                scores[group] = {u: v for u, v in all_scores.items() if group_of[u] == group}
        return sets, scores
    for number, group in enumerate(groups):
        start = 20 + 80 * number // len(groups)
        label = _("Đang kiểm tra trang Tiêu chí, Điểm của khối %(g)s") % {"g": group}
        steps.phase(start, 20 + 80 * (number + 1) // len(groups), label)
        criteria = criteria_from_sheet(
            workbook, f"{sheets.CRITERIA} {group}", info, f"Bộ tiêu chí {group}", problems
        )
        if criteria:
            sets[group] = criteria
            members = {u for u, g in group_of.items() if g == group}
            scores[group] = sheets.scores_from_sheet(
                workbook, f"{sheets.SCORES} {group}", leaves_of(criteria), members, problems
            )
    return sets, scores


def read_criteria(file) -> dict:
    """Read a criteria set alone (`Thông tin` + `Tiêu chí`)."""
    workbook = open_workbook(file)
    problems = Problems()
    info = sheets.read_info(workbook, problems)
    criteria = criteria_from_sheet(workbook, sheets.CRITERIA, info, "Bộ tiêu chí", problems)
    if criteria is not None and criteria["valid_from"] is None:
        problems.add(sheets.INFO, "", _("Thiếu dòng “Năm” (năm bắt đầu áp dụng)."))
    problems.raise_if_any()
    return criteria


def read_units(file) -> tuple[list[dict], dict[str, dict]]:
    """Read units alone (the `Đơn vị` sheet)."""
    workbook = open_workbook(file)
    problems = Problems()
    units, groups = sheets.units_from_sheet(workbook, problems)
    check_predecessors(units, problems)
    if not units and not problems.items:
        problems.add(sheets.UNITS, "", _("Trang không có đơn vị nào."))
    problems.raise_if_any()
    return units, groups


def read_survey(file, period, group) -> dict[str, dict]:
    """Read survey results for ``period`` and ``group``: unit code → leaf code → points."""
    workbook = open_workbook(file)
    problems = Problems()
    set_id = (
        PeriodGroup.objects.filter(period=period, group=group)
        .values_list("criteria_set_id", flat=True)
        .first()
    )
    leaves = {
        code: {"max": maximum, "method": "survey"}
        for code, maximum in Criterion.objects.filter(
            criteria_set_id=set_id, method=Method.SURVEY
        ).values_list("code", "max_points")
    }
    units = set(
        Assessment.objects.filter(period=period, unit__group=group).values_list(
            "unit__code", flat=True
        )
    )
    name = workbook.sheetnames[0] if workbook.sheetnames else sheets.SCORES
    scores = sheets.scores_from_sheet(workbook, name, leaves, units, problems)
    for unit, cells in scores.items():
        for code, value in cells.items():
            if value == sheets.NOT_APPLICABLE:
                problems.add(
                    name,
                    "",
                    _("%(u)s, %(c)s: kết quả điều tra không ghi KAD.") % {"u": unit, "c": code},
                )
    if not scores and not problems.items:
        problems.add(name, "", _("Trang không có dòng kết quả nào."))
    problems.raise_if_any()
    return scores
