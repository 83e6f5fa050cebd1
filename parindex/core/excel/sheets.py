"""The interchange workbook format (README "Sổ điểm Excel"): parsing each kind of sheet.

Parsers only read and check; they return plain data (lists of dicts, dicts of values) and add
every problem found, with its sheet and cell, to a ``Problems`` collector. The criteria sheet
has its own module, ``criteria_sheet.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.codes import code_problem
from parindex.core.excel.reading import (
    Problems,
    Sheet,
    cell_number,
    cell_ref,
    check_length,
    read_number,
    sheet_rows,
)
from parindex.core.lineage import parse_lineage
from parindex.core.models import CriteriaSet, GradeBand, Unit, UnitGroup
from parindex.core.models.choices import TieRule
from parindex.core.numbers import points_text

INFO = "Thông tin"
CRITERIA = "Tiêu chí"
UNITS = "Đơn vị"
BANDS = "Xếp loại"
SCORES = "Điểm"
NOT_APPLICABLE = "KAD"

METHOD_LABELS = {
    "Tự đánh giá": "self",
    "Điều tra XHH": "survey",
    "Điểm thưởng": "bonus",
    "Điểm trừ": "deduction",
}
METHOD_NAMES = {value: label for label, value in METHOD_LABELS.items()}
YES, NO = "Có", "Không"

UNIT_COLUMNS = ("Mã đơn vị", "Tên đơn vị", "Khối", "Tên khối", "Xếp hạng")
UNRANKED = "Không xếp hạng"  # optional column of `Đơn vị`: the reason, empty = ranked
LINEAGE = "Kế thừa từ"  # optional: predecessor codes, each with its share (``core/lineage.py``)
VALID_FROM, VALID_TO = "Từ ngày", "Đến ngày"  # optional: the dates a unit exists
BAND_COLUMNS = ("Khối", "Xếp loại", "Từ")
TIE_RULE = "Xếp hạng khi bằng điểm"  # optional key of `Thông tin`
TIE_RULES = {"Đồng hạng": TieRule.SHARED, "Theo điểm chưa làm tròn": TieRule.UNROUNDED}
TIE_RULE_NAMES = {value: label for label, value in TIE_RULES.items()}


def field(model, name: str):
    """The model field a text cell is written to (``check_length`` reads its max_length)."""
    return model._meta.get_field(name)


# key → (column, model field) of what `Đơn vị` writes: units, then the groups they name.
UNIT_TEXTS = {
    "code": ("Mã đơn vị", field(Unit, "code")),
    "name": ("Tên đơn vị", field(Unit, "name")),
    "short_name": ("Tên viết tắt", field(Unit, "short_name")),
}
GROUP_TEXTS = {
    "code": ("Khối", field(UnitGroup, "code")),
    "name": ("Tên khối", field(UnitGroup, "name")),
}
# `Thông tin` keys written to the criteria set ("Bộ tiêu chí <khối>" too).
INFO_TEXTS = {
    "Bộ tiêu chí": field(CriteriaSet, "name"),
    "Quyết định": field(CriteriaSet, "decision_number"),
}


def check_text_lengths(sheet: Sheet, items, texts: dict) -> None:
    """Report, at its cell, every text of ``items`` (dicts with their "row") longer than the
    model field it is written to."""
    for item in items:
        for key, (column, model_field) in texts.items():
            ref = sheet.ref(item["row"], column)
            check_length(sheet.problems, sheet.name, ref, column, item[key] or "", model_field)


def check_info_lengths(info: dict, problems: Problems) -> None:
    for key, (value, ref) in info.items():
        per_group = next(
            (k for k in ("Bộ tiêu chí", "Quyết định") if key.startswith(f"{k} ")), None
        )
        model_field = INFO_TEXTS.get(key) or (INFO_TEXTS[per_group] if per_group else None)
        if model_field is not None and value is not None:
            check_length(problems, INFO, ref, key, str(value).strip(), model_field)


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(value or ""))
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_info(workbook, problems: Problems) -> dict[str, tuple[object, str]]:
    """Return key → (value, cell) of the two-column `Thông tin` sheet."""
    if INFO not in workbook.sheetnames:
        problems.add(INFO, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": INFO})
        return {}
    info = {}
    for number, values in enumerate(sheet_rows(workbook, INFO), start=1):
        if not values or values[0] is None:
            continue
        key = str(values[0]).strip()
        value = values[1] if len(values) > 1 else None
        info[key] = (value.strip() if isinstance(value, str) else value, cell_ref(2, number))
    check_info_lengths(info, problems)
    return info


def info_text(info, key) -> str:
    value = info.get(key, (None, ""))[0]
    return "" if value is None else str(value).strip()


def info_number(info, key, problems: Problems | None = None) -> Decimal | None:
    """Return the number of ``key`` (None when absent), reporting a bad one to ``problems``."""
    value, ref = info.get(key, (None, ""))
    return cell_number(problems or Problems(), INFO, value, ref)


def tie_rule_from_info(info, problems: Problems) -> str | None:
    """Return the period's tie rule named in `Thông tin`, or None when the key is absent."""
    text = info_text(info, TIE_RULE)
    if not text:
        return None
    for label, rule in TIE_RULES.items():
        if text.casefold() == label.casefold():
            return rule
    problems.add(
        INFO,
        info[TIE_RULE][1],
        _("“%(v)s” không hợp lệ: ghi “Đồng hạng” hoặc “Theo điểm chưa làm tròn”.") % {"v": text},
    )
    return None


def units_from_sheet(workbook, problems: Problems) -> tuple[list[dict], dict[str, dict]]:
    """Return the units and the groups of the `Đơn vị` sheet.

    A unit's ``unranked_reason`` is the text of the optional `Không xếp hạng` column (empty:
    ranked), or None when the sheet has no such column (the period keeps what it has).
    """
    if UNITS not in workbook.sheetnames:
        problems.add(UNITS, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": UNITS})
        return [], {}
    sheet = Sheet(workbook, UNITS, problems)
    if not sheet.require(*UNIT_COLUMNS):
        return [], {}
    with_reasons = UNRANKED in sheet.header
    with_dates = VALID_FROM in sheet.header or VALID_TO in sheet.header
    units, groups, seen = [], {}, {}
    for row, values in sheet.rows:
        code = _code(sheet, row, values, "Mã đơn vị")
        name = sheet.text(row, values, "Tên đơn vị", required=True)
        group = _unit_group(sheet, row, values, groups)
        if code in seen:
            problems.add(
                UNITS, sheet.ref(row, "Mã đơn vị"), _("Mã đơn vị “%(c)s” bị trùng.") % {"c": code}
            )
            continue
        lineage, lineage_problems = parse_lineage(sheet.text(row, values, LINEAGE))
        for problem in lineage_problems:
            problems.add(UNITS, sheet.ref(row, LINEAGE), problem)
        seen[code] = row
        unit = {
            "code": code,
            "name": name,
            "short_name": sheet.text(row, values, "Tên viết tắt"),
            "group": group,
            "predecessors": [c for c, _share in lineage],
            "shares": dict(lineage),
            "unranked_reason": sheet.text(row, values, UNRANKED) if with_reasons else None,
            "row": row,
            "ref": sheet.ref(row, LINEAGE),
            "code_ref": sheet.ref(row, "Mã đơn vị"),
        }
        if with_dates:
            unit.update(_unit_dates(sheet, row, values))
        units.append(unit)
    check_text_lengths(sheet, units, UNIT_TEXTS)
    check_text_lengths(sheet, groups.values(), GROUP_TEXTS)
    return units, groups


def _unit_dates(sheet: Sheet, row: int, values: tuple) -> dict:
    """Read a unit's `Từ ngày` and `Đến ngày` (empty: no such date); report a date that does
    not read, or an end before the start, at its cell."""
    dates = {}
    for key, column in (("valid_from", VALID_FROM), ("valid_to", VALID_TO)):
        value = sheet.value(values, column)
        dates[key] = parse_date(value) if value not in (None, "") else None
        if value not in (None, "") and dates[key] is None:
            sheet.problems.add(
                UNITS,
                sheet.ref(row, column),
                _("“%(v)s” không phải là ngày (ghi dạng 01/07/2025).") % {"v": value},
            )
    if dates["valid_from"] and dates["valid_to"] and dates["valid_from"] > dates["valid_to"]:
        sheet.problems.add(UNITS, sheet.ref(row, VALID_TO), _("Ngày kết thúc trước ngày bắt đầu."))
    return dates


def _code(sheet: Sheet, row: int, values: tuple, column: str) -> str:
    """Read a unit or group code; report at its cell one that breaks ``core/codes.py``."""
    code = sheet.text(row, values, column, required=True)
    problem = code_problem(code) if code else None
    if problem:
        sheet.problems.add(sheet.name, sheet.ref(row, column), problem)
    return code


def _unit_group(sheet: Sheet, row: int, values: tuple, groups: dict) -> str:
    """Read a row's group; every row of a group must say the same about its ranking."""
    group = _code(sheet, row, values, "Khối")
    group_name = sheet.text(row, values, "Tên khối", required=True)
    ranked = sheet.text(row, values, "Xếp hạng", required=True)
    if ranked and ranked not in (YES, NO):
        sheet.problems.add(UNITS, sheet.ref(row, "Xếp hạng"), _("Ghi “Có” hoặc “Không”."))
    if group:
        known = groups.setdefault(
            group, {"code": group, "name": group_name, "ranked": ranked == YES, "row": row}
        )
        if known["ranked"] != (ranked == YES):
            sheet.problems.add(
                UNITS,
                sheet.ref(row, "Xếp hạng"),
                _("Khối “%(g)s” ghi xếp hạng khác với dòng %(r)s.")
                % {"g": group, "r": known["row"]},
            )
    return group


def bands_from_sheet(workbook, group_codes, problems: Problems) -> dict[str, list[dict]]:
    if BANDS not in workbook.sheetnames:
        problems.add(BANDS, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": BANDS})
        return {}
    sheet = Sheet(workbook, BANDS, problems)
    if not sheet.require(*BAND_COLUMNS):
        return {}
    bands = defaultdict(list)
    for row, values in sheet.rows:
        group = sheet.text(row, values, "Khối", required=True)
        label = sheet.text(row, values, "Xếp loại", required=True, field=field(GradeBand, "label"))
        bound = sheet.number(row, values, "Từ", required=True)
        color = sheet.text(row, values, "Màu") or "#777777"
        if group and group not in group_codes:
            problems.add(BANDS, sheet.ref(row, "Khối"), _("Không có khối “%(g)s”.") % {"g": group})
        if bound is not None and not (0 <= bound <= 100):
            problems.add(BANDS, sheet.ref(row, "Từ"), _("Ngưỡng phải trong khoảng 0–100."))
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
            problems.add(BANDS, sheet.ref(row, "Màu"), _("Màu dạng #RRGGBB."))
        bands[group].append({"label": label, "lower_bound": bound, "color": color})
    return dict(bands)


def scores_from_sheet(
    workbook,
    sheet_name: str,
    leaves: dict[str, dict],
    units: set[str],
    problems: Problems,
    *,
    first_column="Mã đơn vị",
) -> dict[str, dict]:
    """Return unit code → {leaf code: Decimal | "KAD"} from a scores sheet (empty cells left out).

    ``leaves`` maps leaf code → {"max": Decimal, "method": str}; every column is checked
    against it, every cell against the leaf's maximum, every unit code against ``units``.
    """
    if sheet_name not in workbook.sheetnames:
        problems.add(sheet_name, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": sheet_name})
        return {}
    sheet = Sheet(workbook, sheet_name, problems)
    if not sheet.require(first_column):
        return {}
    columns = _score_columns(sheet, leaves, first_column)
    scores = {}
    for row, values in sheet.rows:
        unit = sheet.text(row, values, first_column, required=True)
        if not unit:
            continue
        if unit not in units or unit in scores:
            message = (
                _("Đơn vị “%(c)s” có hai dòng.")
                if unit in scores
                else _("Không có đơn vị mã “%(c)s”.")
            )
            problems.add(sheet_name, sheet.ref(row, first_column), message % {"c": unit})
            continue
        cells = {}
        for code, index in columns.items():
            value = values[index] if index < len(values) else None
            value = _score_cell(sheet, row, value, cell_ref(index + 1, row), code, leaves[code])
            if value is not None:
                cells[code] = value
        scores[unit] = cells
    return scores


def _score_columns(sheet: Sheet, leaves: dict, first_column: str) -> dict[str, int]:
    """Return leaf code → column index; report every header that is not a leaf code."""
    columns = {}
    for header, index in sheet.header.items():
        if header == first_column:
            continue
        if header not in leaves:
            sheet.problems.add(
                sheet.name,
                cell_ref(index + 1, 1),
                _("Mã tiêu chí “%(c)s” không có trong bộ tiêu chí (hoặc không phải tiêu chí lá).")
                % {"c": header},
            )
            continue
        columns[header] = index
    return columns


def _score_cell(sheet: Sheet, row: int, value, ref: str, code: str, leaf: dict):
    """Return a cell's points, "KAD", or None (empty or reported)."""
    if isinstance(value, str) and value.strip().upper() == NOT_APPLICABLE:
        if leaf["method"] not in ("self", "survey"):
            sheet.problems.add(sheet.name, ref, _("Điểm thưởng/điểm trừ không ghi KAD."))
            return None
        return NOT_APPLICABLE
    number = read_number(sheet, row, value, ref)
    if number is not None and (number < 0 or number > leaf["max"]):
        sheet.problems.add(
            sheet.name,
            ref,
            _("Điểm %(v)s ngoài khoảng 0–%(max)s của tiêu chí %(c)s.")
            % {"v": points_text(number), "max": points_text(leaf["max"]), "c": code},
        )
        return None
    return number
