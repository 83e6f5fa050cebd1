"""The interchange workbook format (README "Sổ điểm Excel"): parsing each kind of sheet.

Parsers only read and check; they return plain data (the JSON shape of criteria sets, lists of
dicts) and add every problem found, with its sheet and cell, to a ``Problems`` collector.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.criteria_rules import CODE_RE, validate_criteria_data
from parindex.core.excel.reading import Problems, Sheet, cell_ref, read_number
from parindex.core.numbers import parse_decimal, points_text

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

CRITERIA_COLUMNS = ("Mã", "Nội dung", "Điểm tối đa", "Phương thức")
UNIT_COLUMNS = ("Mã đơn vị", "Tên đơn vị", "Khối", "Tên khối", "Xếp hạng")
BAND_COLUMNS = ("Khối", "Xếp loại", "Từ")


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
    for number, values in enumerate(workbook[INFO].iter_rows(values_only=True), start=1):
        if not values or values[0] is None:
            continue
        key = str(values[0]).strip()
        value = values[1] if len(values) > 1 else None
        info[key] = (value.strip() if isinstance(value, str) else value, cell_ref(2, number))
    return info


def info_text(info, key) -> str:
    value = info.get(key, (None, ""))[0]
    return "" if value is None else str(value).strip()


def criteria_from_sheet(
    workbook, sheet_name: str, info: dict, set_key: str, problems: Problems
) -> dict | None:
    """Return the criteria set of ``sheet_name`` in the JSON shape ``load_criteria_set`` reads.

    Checks codes (well-formed, unique, parent present), numbers, methods and choices cell by
    cell, then every parent's maximum against the sum of its children's.
    """
    if sheet_name not in workbook.sheetnames:
        problems.add(sheet_name, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": sheet_name})
        return None
    before = len(problems.items)
    sheet = Sheet(workbook, sheet_name, problems)
    if not sheet.require(*CRITERIA_COLUMNS):
        return None
    nodes: dict[str, dict] = {}
    rows_of: dict[str, int] = {}
    for row, values in sheet.rows:
        code = sheet.text(row, values, "Mã", required=True)
        if not code:
            continue
        if not CODE_RE.match(code):
            problems.add(
                sheet.name,
                sheet.ref(row, "Mã"),
                _("Mã “%(code)s” không đúng dạng 1, 1.2, 1.2.3.") % {"code": code},
            )
            continue
        if code in nodes:
            problems.add(
                sheet.name,
                sheet.ref(row, "Mã"),
                _("Mã “%(code)s” bị trùng (dòng %(row)s).") % {"code": code, "row": rows_of[code]},
            )
            continue
        title = sheet.text(row, values, "Nội dung", required=True)
        maximum = sheet.number(row, values, "Điểm tối đa", required=True)
        if maximum is not None and maximum < 0:
            problems.add(sheet.name, sheet.ref(row, "Điểm tối đa"), _("Điểm tối đa không được âm."))
        method_label = sheet.text(row, values, "Phương thức")
        method = METHOD_LABELS.get(method_label, "") if method_label else ""
        if method_label and not method:
            problems.add(
                sheet.name,
                sheet.ref(row, "Phương thức"),
                _(
                    "Phương thức “%(m)s” không hợp lệ (Tự đánh giá, Điều tra XHH, "
                    "Điểm thưởng, Điểm trừ)."
                )
                % {"m": method_label},
            )
        node = {
            "code": code,
            "title": title,
            "max": maximum,
            "method": method,
            "guidance": sheet.text(row, values, "Hướng dẫn chấm"),
            "children": [],
        }
        choices_text = sheet.text(row, values, "Lựa chọn")
        if choices_text:
            node["choices"] = parse_choices(
                choices_text, maximum, sheet, sheet.ref(row, "Lựa chọn")
            )
        nodes[code] = node
        rows_of[code] = row
    roots = []
    for code, node in nodes.items():
        parent_code = code.rpartition(".")[0]
        if not parent_code:
            roots.append(node)
        elif parent_code in nodes:
            nodes[parent_code]["children"].append(node)
        else:
            problems.add(
                sheet.name,
                cell_ref(sheet.header["Mã"] + 1, rows_of[code]),
                _("Không có tiêu chí cha “%(p)s”.") % {"p": parent_code},
            )
    for code, node in nodes.items():
        ref = cell_ref(sheet.header["Điểm tối đa"] + 1, rows_of[code])
        if node["children"]:
            if node["method"]:
                problems.add(
                    sheet.name,
                    cell_ref(sheet.header["Phương thức"] + 1, rows_of[code]),
                    _("Tiêu chí có tiêu chí con thì để trống phương thức."),
                )
            total = sum((c["max"] or Decimal(0) for c in node["children"]), Decimal(0))
            if node["max"] is not None and total != node["max"]:
                problems.add(
                    sheet.name,
                    ref,
                    _("Điểm tối đa %(max)s khác tổng các tiêu chí con %(sum)s.")
                    % {"max": points_text(node["max"]), "sum": points_text(total)},
                )
        elif not node["method"] and node["max"] is not None:
            problems.add(
                sheet.name,
                cell_ref(sheet.header["Phương thức"] + 1, rows_of[code]),
                _("Tiêu chí lá cần phương thức chấm."),
            )
    if len(problems.items) > before:
        return None
    scored = sum(
        (
            n["max"]
            for n in nodes.values()
            if not n["children"] and n["method"] in ("self", "survey")
        ),
        Decimal(0),
    )
    bonus = sum((n["max"] for n in nodes.values() if n["method"] == "bonus"), Decimal(0))
    deduction = sum((n["max"] for n in nodes.values() if n["method"] == "deduction"), Decimal(0))
    year = info_number(info, "Năm")
    data = {
        "name": info_text(info, set_key) or info_text(info, "Bộ tiêu chí"),
        "decision_number": info_text(info, "Quyết định"),
        "decision_date": decision_date(info, problems),
        "valid_from": int(year) if year is not None else None,
        "valid_to": None,
        "scale": points_text(info_number(info, "Thang điểm") or scored),
        "bonus_cap": points_text(info_number(info, "Điểm thưởng tối đa") or bonus),
        "deduction_cap": points_text(info_number(info, "Điểm trừ tối đa") or deduction),
        "allow_over_max": info_text(info, "Cho phép vượt điểm tối đa") == YES,
        "description": info_text(info, "Mô tả"),
        "nodes": [plain(n) for n in roots],
    }
    for message in validate_criteria_data(data):
        problems.add(sheet.name, "", message)
    return data


def info_number(info, key) -> Decimal | None:
    value = info.get(key, (None, ""))[0]
    return parse_decimal(value) if value not in (None, "") else None


def decision_date(info, problems: Problems) -> str | None:
    value, ref = info.get("Ngày ban hành", (None, ""))
    if value in (None, ""):
        return None
    date = parse_date(value)
    if date is None:
        problems.add(INFO, ref, _("Ngày “%(v)s” không đúng dạng dd/mm/yyyy.") % {"v": value})
        return None
    return date.isoformat()


def plain(node: dict) -> dict:
    out = {"code": node["code"], "title": node["title"], "max": points_text(node["max"])}
    if node["children"]:
        out["children"] = [plain(c) for c in node["children"]]
    else:
        out["method"] = node["method"]
        out["guidance"] = node["guidance"]
        if node.get("choices"):
            out["choices"] = node["choices"]
    return out


def parse_choices(text: str, maximum, sheet: Sheet, ref: str) -> list[dict]:
    """Read "label: points; label: points" (points may use a decimal comma)."""
    choices = []
    for part in text.split(";"):
        if not part.strip():
            continue
        label, sep, typed = part.rpartition(":")
        points = parse_decimal(typed) if sep else None
        if not sep or not label.strip() or points is None:
            sheet.problems.add(
                sheet.name, ref, _("Lựa chọn “%(p)s” cần dạng “tên: điểm”.") % {"p": part.strip()}
            )
            continue
        if maximum is not None and (points < 0 or points > maximum):
            sheet.problems.add(
                sheet.name,
                ref,
                _("Lựa chọn “%(l)s” có điểm ngoài 0–%(max)s.")
                % {"l": label.strip(), "max": points_text(maximum)},
            )
        choices.append({"label": label.strip(), "points": points_text(points)})
    return choices


def choices_text(options: list[dict]) -> str:
    return "; ".join(f"{o['label']}: {o['points']}" for o in options)


def units_from_sheet(workbook, problems: Problems) -> tuple[list[dict], dict[str, dict]]:
    """Return the units and the groups of the `Đơn vị` sheet."""
    if UNITS not in workbook.sheetnames:
        problems.add(UNITS, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": UNITS})
        return [], {}
    sheet = Sheet(workbook, UNITS, problems)
    if not sheet.require(*UNIT_COLUMNS):
        return [], {}
    units, groups, seen = [], {}, {}
    for row, values in sheet.rows:
        code = sheet.text(row, values, "Mã đơn vị", required=True)
        name = sheet.text(row, values, "Tên đơn vị", required=True)
        group = sheet.text(row, values, "Khối", required=True)
        group_name = sheet.text(row, values, "Tên khối", required=True)
        ranked = sheet.text(row, values, "Xếp hạng", required=True)
        if ranked and ranked not in (YES, NO):
            problems.add(UNITS, sheet.ref(row, "Xếp hạng"), _("Ghi “Có” hoặc “Không”."))
        if code in seen:
            problems.add(
                UNITS, sheet.ref(row, "Mã đơn vị"), _("Mã đơn vị “%(c)s” bị trùng.") % {"c": code}
            )
            continue
        if group:
            known = groups.setdefault(
                group, {"code": group, "name": group_name, "ranked": ranked == YES, "row": row}
            )
            if known["ranked"] != (ranked == YES):
                problems.add(
                    UNITS,
                    sheet.ref(row, "Xếp hạng"),
                    _("Khối “%(g)s” ghi xếp hạng khác với dòng %(r)s.")
                    % {"g": group, "r": known["row"]},
                )
        predecessors = [
            p.strip() for p in sheet.text(row, values, "Kế thừa từ").split(",") if p.strip()
        ]
        seen[code] = row
        units.append(
            {
                "code": code,
                "name": name,
                "short_name": sheet.text(row, values, "Tên viết tắt"),
                "group": group,
                "predecessors": predecessors,
                "row": row,
                "ref": sheet.ref(row, "Kế thừa từ"),
            }
        )
    return units, groups


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
        label = sheet.text(row, values, "Xếp loại", required=True)
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
    """Return unit code → {leaf code: Decimal | "KAD"} from a scores sheet.

    ``leaves`` maps leaf code → {"max": Decimal, "method": str}; every column is checked
    against it, every cell against the leaf's maximum, every unit code against ``units``.
    """
    if sheet_name not in workbook.sheetnames:
        problems.add(sheet_name, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": sheet_name})
        return {}
    sheet = Sheet(workbook, sheet_name, problems)
    if not sheet.require(first_column):
        return {}
    columns = {}
    for header, index in sheet.header.items():
        if header == first_column:
            continue
        if header not in leaves:
            problems.add(
                sheet_name,
                cell_ref(index + 1, 1),
                _("Mã tiêu chí “%(c)s” không có trong bộ tiêu chí (hoặc không phải tiêu chí lá).")
                % {"c": header},
            )
            continue
        columns[header] = index
    scores = {}
    for row, values in sheet.rows:
        unit = sheet.text(row, values, first_column, required=True)
        if not unit:
            continue
        if unit not in units:
            problems.add(
                sheet_name,
                sheet.ref(row, first_column),
                _("Không có đơn vị mã “%(c)s”.") % {"c": unit},
            )
            continue
        if unit in scores:
            problems.add(
                sheet_name,
                sheet.ref(row, first_column),
                _("Đơn vị “%(c)s” có hai dòng.") % {"c": unit},
            )
            continue
        cells = {}
        for code, index in columns.items():
            value = values[index] if index < len(values) else None
            ref = cell_ref(index + 1, row)
            if isinstance(value, str) and value.strip().upper() == NOT_APPLICABLE:
                if leaves[code]["method"] not in ("self", "survey"):
                    problems.add(sheet_name, ref, _("Điểm thưởng/điểm trừ không ghi KAD."))
                else:
                    cells[code] = NOT_APPLICABLE
                continue
            number = read_number(sheet, row, value, ref)
            if number is None:
                continue
            if number < 0 or number > leaves[code]["max"]:
                problems.add(
                    sheet_name,
                    ref,
                    _("Điểm %(v)s ngoài khoảng 0–%(max)s của tiêu chí %(c)s.")
                    % {
                        "v": points_text(number),
                        "max": points_text(leaves[code]["max"]),
                        "c": code,
                    },
                )
                continue
            cells[code] = number
        scores[unit] = cells
    return scores
