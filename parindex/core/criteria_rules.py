"""What makes a criteria set description valid: the rules the loader and the importers share.

``services/criteria.py`` (loading JSON and Excel descriptions) and ``excel/sheets.py`` (cell-level
checks of the criteria sheet) both read these; neither imports the other.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.models.criteria import Method
from parindex.core.numbers import parse_decimal

CODE_RE = re.compile(r"^\d+(\.\d+)*$")
METHODS = {m.value for m in Method}


def _walk(nodes, parent=None, depth=1):
    for node in nodes:
        yield node, parent, depth
        yield from _walk(node.get("children") or [], node, depth + 1)


def validate_criteria_data(data: dict) -> list[str]:
    """Return every problem of a criteria set description (empty when it can be loaded).

    Codes are unique and well-formed ("1", "1.2", "1.2.3"), a child's code extends its parent's,
    a parent's maximum equals the sum of its children's, leaves have a method and parents none,
    choices stay within 0..max, and the scored leaves add up to the set's scale.
    """
    errors: list[str] = []
    if not str(data.get("name") or "").strip():
        errors.append(_("Thiếu tên bộ tiêu chí."))
    if not isinstance(data.get("valid_from"), int):
        errors.append(_("Thiếu năm bắt đầu áp dụng (valid_from)."))
    for key in ("scale", "bonus_cap", "deduction_cap"):
        if key in data and (parse_decimal(data[key]) is None or parse_decimal(data[key]) < 0):
            errors.append(_("Giá trị %(key)s không hợp lệ.") % {"key": key})
    nodes = data.get("nodes") or []
    if not nodes:
        errors.append(_("Bộ tiêu chí không có tiêu chí nào."))
    seen: set[str] = set()
    scored_total = Decimal("0")
    for node, parent, _depth in _walk(nodes):
        code = str(node.get("code", "")).strip()
        label = code or "?"
        if not CODE_RE.match(code):
            errors.append(_("Mã “%(code)s” không đúng dạng 1, 1.2, 1.2.3.") % {"code": label})
        elif code in seen:
            errors.append(_("Mã “%(code)s” bị trùng.") % {"code": code})
        seen.add(code)
        if parent is not None and code.rpartition(".")[0] != str(parent.get("code")):
            errors.append(
                _("Mã “%(code)s” không thuộc tiêu chí cha “%(parent)s”.")
                % {"code": label, "parent": parent.get("code")}
            )
        if not str(node.get("title") or "").strip():
            errors.append(_("Tiêu chí %(code)s thiếu nội dung.") % {"code": label})
        max_points = parse_decimal(node.get("max"))
        if max_points is None or max_points < 0:
            errors.append(_("Tiêu chí %(code)s có điểm tối đa không hợp lệ.") % {"code": label})
            continue
        children = node.get("children") or []
        method = node.get("method") or ""
        if children:
            if method:
                errors.append(
                    _("Tiêu chí %(code)s có tiêu chí con nên không có phương thức chấm.")
                    % {"code": label}
                )
            child_sum = sum(
                (parse_decimal(c.get("max")) or Decimal("0") for c in children), Decimal("0")
            )
            if child_sum != max_points:
                errors.append(
                    _("Tiêu chí %(code)s: điểm tối đa %(max)s khác tổng các tiêu chí con %(sum)s.")
                    % {"code": label, "max": max_points, "sum": child_sum}
                )
            continue
        if method not in METHODS:
            errors.append(
                _("Tiêu chí %(code)s: phương thức chấm “%(method)s” không hợp lệ.")
                % {"code": label, "method": method}
            )
        if method in (Method.SELF, Method.SURVEY):
            scored_total += max_points
        errors += _choice_errors(node, label, max_points)
    scale = parse_decimal(data.get("scale", "100"))
    if nodes and scale is not None and scored_total != scale:
        errors.append(
            _("Tổng điểm tối đa các tiêu chí chấm điểm là %(total)s, khác thang điểm %(scale)s.")
            % {"total": scored_total, "scale": scale}
        )
    return errors


def _choice_errors(node: dict, label: str, max_points) -> list[str]:
    """Return the problems of a leaf's choices: a name is required and may not hold ";" (the
    workbook's `Lựa chọn` column separates choices with it); points stay within 0..max."""
    errors = []
    for option in node.get("choices") or []:
        points = parse_decimal(option.get("points"))
        name = str(option.get("label") or "").strip()
        if not name:
            errors.append(_("Tiêu chí %(code)s có lựa chọn thiếu tên.") % {"code": label})
        elif ";" in name:
            errors.append(
                _("Tiêu chí %(code)s: tên lựa chọn “%(label)s” không được chứa dấu “;”.")
                % {"code": label, "label": name}
            )
        if points is None or points < 0 or (max_points is not None and points > max_points):
            errors.append(
                _("Tiêu chí %(code)s: lựa chọn “%(label)s” có điểm ngoài 0–%(max)s.")
                % {"code": label, "label": option.get("label"), "max": max_points}
            )
    return errors
