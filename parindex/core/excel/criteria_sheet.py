"""The criteria sheet of the interchange format (`Tiêu chí`): parsing and checking cell by cell.

Returns the JSON shape ``load_criteria_set`` reads; every problem is added, with its cell, to a
``Problems`` collector. Nothing here writes.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.criteria_rules import CODE_RE, validate_criteria_data
from parindex.core.excel.reading import Problems, Sheet, cell_ref
from parindex.core.excel.sheets import (
    INFO,
    METHOD_LABELS,
    YES,
    field,
    info_number,
    info_text,
    parse_date,
)
from parindex.core.models import Criterion
from parindex.core.numbers import parse_decimal, points_text

CRITERIA_COLUMNS = ("Mã", "Nội dung", "Điểm tối đa", "Phương thức")
CODE = field(Criterion, "code")


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
    nodes, rows_of = _read_nodes(sheet)
    roots = _link_tree(sheet, nodes, rows_of)
    _check_parents(sheet, nodes, rows_of)
    if len(problems.items) > before:
        return None
    data = _criteria_data(info, set_key, nodes, roots, problems)
    for message in validate_criteria_data(data):
        problems.add(sheet.name, "", message)
    return data


def _read_nodes(sheet: Sheet) -> tuple[dict[str, dict], dict[str, int]]:
    """Read every row into a node (children still empty); report bad codes and duplicates."""
    nodes: dict[str, dict] = {}
    rows_of: dict[str, int] = {}
    for row, values in sheet.rows:
        code = sheet.text(row, values, "Mã", required=True, field=CODE)
        if not code:
            continue
        if not CODE_RE.match(code):
            sheet.problems.add(
                sheet.name,
                sheet.ref(row, "Mã"),
                _("Mã “%(code)s” không đúng dạng 1, 1.2, 1.2.3.") % {"code": code},
            )
            continue
        if code in nodes:
            sheet.problems.add(
                sheet.name,
                sheet.ref(row, "Mã"),
                _("Mã “%(code)s” bị trùng (dòng %(row)s).") % {"code": code, "row": rows_of[code]},
            )
            continue
        nodes[code] = _node(sheet, row, values, code)
        rows_of[code] = row
    return nodes, rows_of


def _node(sheet: Sheet, row: int, values: tuple, code: str) -> dict:
    title = sheet.text(row, values, "Nội dung", required=True)
    maximum = sheet.number(row, values, "Điểm tối đa", required=True)
    if maximum is not None and maximum < 0:
        sheet.problems.add(
            sheet.name, sheet.ref(row, "Điểm tối đa"), _("Điểm tối đa không được âm.")
        )
    method_label = sheet.text(row, values, "Phương thức")
    method = METHOD_LABELS.get(method_label, "") if method_label else ""
    if method_label and not method:
        sheet.problems.add(
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
    choices = sheet.text(row, values, "Lựa chọn")
    if choices:
        node["choices"] = parse_choices(choices, maximum, sheet, sheet.ref(row, "Lựa chọn"))
    return node


def _link_tree(sheet: Sheet, nodes: dict, rows_of: dict) -> list[dict]:
    """Attach every node to its parent (the code without its last part); return the roots."""
    roots = []
    for code, node in nodes.items():
        parent_code = code.rpartition(".")[0]
        if not parent_code:
            roots.append(node)
        elif parent_code in nodes:
            nodes[parent_code]["children"].append(node)
        else:
            sheet.problems.add(
                sheet.name,
                cell_ref(sheet.header["Mã"] + 1, rows_of[code]),
                _("Không có tiêu chí cha “%(p)s”.") % {"p": parent_code},
            )
    return roots


def _check_parents(sheet: Sheet, nodes: dict, rows_of: dict) -> None:
    """A parent has no method and the sum of its children's maxima; a leaf has a method."""
    for code, node in nodes.items():
        method_ref = cell_ref(sheet.header["Phương thức"] + 1, rows_of[code])
        if node["children"]:
            if node["method"]:
                sheet.problems.add(
                    sheet.name, method_ref, _("Tiêu chí có tiêu chí con thì để trống phương thức.")
                )
            total = sum((c["max"] or Decimal(0) for c in node["children"]), Decimal(0))
            if node["max"] is not None and total != node["max"]:
                sheet.problems.add(
                    sheet.name,
                    cell_ref(sheet.header["Điểm tối đa"] + 1, rows_of[code]),
                    _("Điểm tối đa %(max)s khác tổng các tiêu chí con %(sum)s.")
                    % {"max": points_text(node["max"]), "sum": points_text(total)},
                )
        elif not node["method"] and node["max"] is not None:
            sheet.problems.add(sheet.name, method_ref, _("Tiêu chí lá cần phương thức chấm."))


def _criteria_data(info, set_key, nodes: dict, roots: list, problems: Problems) -> dict:
    def total(methods):
        return sum(
            (n["max"] for n in nodes.values() if not n["children"] and n["method"] in methods),
            Decimal(0),
        )

    year = info_number(info, "Năm")
    # A group's own set may name its own decision ("Quyết định <khối>", even empty).
    decision_key = set_key.replace("Bộ tiêu chí", "Quyết định", 1)
    return {
        "name": info_text(info, set_key) or info_text(info, "Bộ tiêu chí"),
        "decision_number": info_text(info, decision_key if decision_key in info else "Quyết định"),
        "decision_date": decision_date(info, problems),
        "valid_from": int(year) if year is not None else None,
        "valid_to": None,
        "scale": points_text(
            info_number(info, "Thang điểm", problems) or total(("self", "survey"))
        ),
        "bonus_cap": points_text(
            info_number(info, "Điểm thưởng tối đa", problems) or total(("bonus",))
        ),
        "deduction_cap": points_text(
            info_number(info, "Điểm trừ tối đa", problems) or total(("deduction",))
        ),
        "allow_over_max": info_text(info, "Cho phép vượt điểm tối đa") == YES,
        "description": info_text(info, "Mô tả"),
        "nodes": [plain(n) for n in roots],
    }


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
