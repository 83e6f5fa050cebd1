"""Loading and exporting criteria sets (the JSON shape of ``fixtures/criteria/*.json``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import rules_freeze
from parindex.core.criteria_rules import validate_criteria_data
from parindex.core.errors import WorkflowError
from parindex.core.models import CriteriaSet, Criterion, PeriodGroup
from parindex.core.numbers import parse_decimal, points_text
from parindex.core.services import audit


def _canonical_number(value) -> str:
    return points_text(parse_decimal(value))


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
    already uses is never rewritten: a new decision is a new set (one that published results
    use is frozen, ``core/rules_freeze.py``). A rewrite is audited with its fields old → new.
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
        rules_freeze.require_criteria_set_unfrozen(existing)
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
        changes = _field_changes(stored, wanted)
    else:
        criteria_set = CriteriaSet()
        changes = {}
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
        changes=changes,
        message=str(criteria_set),
    )
    return criteria_set, True


def _field_changes(stored: dict, wanted: dict) -> dict:
    """Return what a rewrite changes, as [old, new] texts: each of the set's own fields, and
    the tree as its number of criteria when it differs."""
    changes = {
        key: ["" if stored[key] is None else str(stored[key]), "" if new is None else str(new)]
        for key, new in wanted.items()
        if key != "nodes" and key in stored and stored[key] != new
    }
    if stored["nodes"] != wanted["nodes"]:
        changes["nodes"] = [_("%(n)s tiêu chí") % {"n": _count(n)} for n in (stored, wanted)]
    return changes


def _count(description: dict) -> int:
    def count(nodes):
        return sum(1 + count(n["children"]) for n in nodes)

    return count(description["nodes"])
