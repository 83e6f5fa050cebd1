"""Loading and exporting criteria sets (the JSON shape of ``fixtures/criteria/*.json``)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.models import CriteriaSet, Criterion, Method, PeriodGroup
from parindex.core.numbers import parse_decimal
from parindex.core.services import audit
from parindex.core.services.errors import WorkflowError

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
        for option in node.get("choices") or []:
            points = parse_decimal(option.get("points"))
            if not str(option.get("label") or "").strip():
                errors.append(_("Tiêu chí %(code)s có lựa chọn thiếu tên.") % {"code": label})
            if points is None or points < 0 or points > max_points:
                errors.append(
                    _("Tiêu chí %(code)s: lựa chọn “%(label)s” có điểm ngoài 0–%(max)s.")
                    % {"code": label, "label": option.get("label"), "max": max_points}
                )
    scale = parse_decimal(data.get("scale", "100"))
    if nodes and scale is not None and scored_total != scale:
        errors.append(
            _("Tổng điểm tối đa các tiêu chí chấm điểm là %(total)s, khác thang điểm %(scale)s.")
            % {"total": scored_total, "scale": scale}
        )
    return errors


def _canonical_number(value) -> str:
    number = parse_decimal(value)
    return format(number.normalize(), "f") if number is not None else ""


def _canonical(data: dict) -> dict:
    """Return a comparable form of a criteria set description (numbers normalised)."""

    def node(n):
        return {
            "code": str(n.get("code")),
            "title": str(n.get("title", "")).strip(),
            "max": _canonical_number(n.get("max")),
            "method": n.get("method") or "",
            "guidance": str(n.get("guidance") or "").strip(),
            "choices": [
                {"label": str(o["label"]).strip(), "points": _canonical_number(o["points"])}
                for o in n.get("choices") or []
            ],
            "children": [node(c) for c in n.get("children") or []],
        }

    return {
        "name": str(data.get("name", "")).strip(),
        "decision_number": str(data.get("decision_number") or "").strip(),
        "decision_date": data.get("decision_date") or None,
        "valid_from": data.get("valid_from"),
        "valid_to": data.get("valid_to"),
        "description": str(data.get("description") or "").strip(),
        "scale": _canonical_number(data.get("scale", "100")),
        "bonus_cap": _canonical_number(data.get("bonus_cap", "0")),
        "deduction_cap": _canonical_number(data.get("deduction_cap", "0")),
        "allow_over_max": bool(data.get("allow_over_max", False)),
        "nodes": [node(n) for n in data.get("nodes") or []],
    }


def export_criteria_set(criteria_set: CriteriaSet) -> dict:
    """Return the JSON description of a criteria set, the same shape ``load`` reads."""
    nodes = list(criteria_set.criteria.order_by("position"))
    children: dict[int | None, list[Criterion]] = {}
    for c in nodes:
        children.setdefault(c.parent_id, []).append(c)

    def node(c: Criterion) -> dict:
        out: dict[str, Any] = {"code": c.code, "title": c.title, "max": str(c.max_points)}
        kids = children.get(c.pk, [])
        if kids:
            out["children"] = [node(k) for k in kids]
        else:
            out["method"] = c.method
            out["guidance"] = c.guidance
            if c.options:
                out["choices"] = c.options
        return out

    return {
        "name": criteria_set.name,
        "decision_number": criteria_set.decision_number,
        "decision_date": criteria_set.decision_date.isoformat()
        if criteria_set.decision_date
        else None,
        "valid_from": criteria_set.valid_from,
        "valid_to": criteria_set.valid_to,
        "scale": str(criteria_set.scale),
        "bonus_cap": str(criteria_set.bonus_cap),
        "deduction_cap": str(criteria_set.deduction_cap),
        "allow_over_max": criteria_set.allow_over_max,
        "description": criteria_set.description,
        "nodes": [node(c) for c in children.get(None, [])],
    }


def _create_nodes(criteria_set: CriteriaSet, nodes: list[dict]) -> None:
    position = 0

    def create(node, parent, area, depth):
        nonlocal position
        position += 1
        children = node.get("children") or []
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            area=area,
            code=str(node["code"]).strip(),
            title=str(node["title"]).strip(),
            max_points=parse_decimal(node["max"]),
            method="" if children else node["method"],
            guidance=str(node.get("guidance") or "").strip(),
            options=[
                {"label": str(o["label"]).strip(), "points": _canonical_number(o["points"])}
                for o in node.get("choices") or []
            ],
            depth=depth,
            position=position,
        )
        if area is None:
            criterion.area = criterion
            criterion.save(update_fields=["area"])
        for child in children:
            create(child, criterion, area or criterion, depth + 1)

    for node in nodes:
        create(node, None, None, 1)


@transaction.atomic
def load_criteria_set(data: dict, *, by=None, tree_only=False) -> tuple[CriteriaSet, bool]:
    """Create or update a criteria set from its JSON description; return it and whether it changed.

    A set is identified by its name and decision number. Loading the same description again
    changes nothing. With ``tree_only`` (Excel imports, which carry no validity years), an
    existing set with the same tree, scale and caps is taken as it is. A set that a period
    already uses is never rewritten: a new decision is a new set.
    """
    errors = validate_criteria_data(data)
    if errors:
        raise WorkflowError(_("Bộ tiêu chí không hợp lệ."), details=errors)
    wanted = _canonical(data)
    existing = CriteriaSet.objects.filter(
        name=wanted["name"], decision_number=wanted["decision_number"]
    ).first()
    if existing is not None:
        stored = _canonical(export_criteria_set(existing))
        if tree_only:
            for key in ("valid_from", "valid_to", "description", "decision_date"):
                stored.pop(key)
            if stored == {k: v for k, v in wanted.items() if k in stored}:
                return existing, False
        elif stored == wanted:
            return existing, False
        if PeriodGroup.objects.filter(criteria_set=existing).exists():
            raise WorkflowError(
                _(
                    "Bộ tiêu chí “%(name)s” đã được dùng trong kỳ đánh giá nên không sửa được; "
                    "hãy tạo phiên bản mới."
                )
                % {"name": existing}
            )
        existing.criteria.all().delete()
        criteria_set = existing
    else:
        criteria_set = CriteriaSet()
    criteria_set.name = wanted["name"]
    criteria_set.decision_number = wanted["decision_number"]
    criteria_set.decision_date = wanted["decision_date"]
    criteria_set.valid_from = wanted["valid_from"]
    criteria_set.valid_to = wanted["valid_to"]
    criteria_set.description = wanted["description"]
    criteria_set.scale = Decimal(wanted["scale"])
    criteria_set.bonus_cap = Decimal(wanted["bonus_cap"])
    criteria_set.deduction_cap = Decimal(wanted["deduction_cap"])
    criteria_set.allow_over_max = wanted["allow_over_max"]
    criteria_set.save()
    _create_nodes(criteria_set, data["nodes"])
    audit.record(
        "criteria_set.updated" if existing else "criteria_set.created",
        actor=by,
        obj=criteria_set,
        message=str(criteria_set),
    )
    return criteria_set, True
