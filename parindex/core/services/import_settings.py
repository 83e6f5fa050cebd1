"""The period-level part of a period import: the unit register, groups, ranking, grade bands.

The unit register (units, groups, lineage) is shared by every period: the import writes only
what differs, and a group's ``UnitGroup.ranked`` is set only when the import creates the group
(it is the default for new periods). Whether a group is ranked *in this period* is
``PeriodGroup.ranked``: importing one period never changes another period's tables.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext as _

from parindex.core.codes import code_problem
from parindex.core.errors import WorkflowError
from parindex.core.excel.sheets import NO, TIE_RULE_NAMES, YES
from parindex.core.lineage import lineage_text
from parindex.core.models import GradeBand, Lineage, PeriodGroup, TieRule, Unit, UnitGroup
from parindex.core.models.units import WHOLE
from parindex.core.numbers import points_text
from parindex.core.services.import_changes import SettingChange, decided_in_app
from parindex.core.text import day_text

SHOWN_CODES = 20  # new units listed by code in one line of the preview


def save_units(units: list[dict], groups: dict[str, dict]) -> tuple[dict, list[SettingChange]]:
    """Create or update groups, units and lineage where the file differs; return unit code →
    Unit and what changed. A unit or group code outside ``core/codes.py`` refuses the lot."""
    bad = [p for p in map(code_problem, [*groups, *(u["code"] for u in units)]) if p]
    if bad:
        raise WorkflowError(_("Có mã đơn vị hoặc mã khối không hợp lệ:"), details=bad)
    changes = []
    group_objects = _save_groups(groups, changes)
    existing = {
        u.code: u
        for u in Unit.objects.filter(code__in=[u["code"] for u in units]).select_related("group")
    }
    saved, added = {}, []
    for row in units:
        wanted = {
            "name": row["name"],
            "short_name": row["short_name"],
            "group": group_objects[row["group"]],
        }
        if "valid_from" in row:  # the file has the date columns; else the dates stay
            wanted |= {"valid_from": row["valid_from"], "valid_to": row["valid_to"]}
        unit = existing.get(row["code"])
        if unit is None:
            saved[row["code"]] = Unit(code=row["code"], **wanted)
            added.append(row["code"])
            continue
        differs = [k for k, v in wanted.items() if getattr(unit, k) != v]
        if differs:
            old = ", ".join(_shown(getattr(unit, k)) for k in differs)
            for key in differs:
                setattr(unit, key, wanted[key])
            unit.save(update_fields=differs)
            new = ", ".join(_shown(wanted[k]) for k in differs)
            changes.append(SettingChange("units", f"Đơn vị {unit.code}", old, new))
        saved[row["code"]] = unit
    Unit.objects.bulk_create([saved[code] for code in added], batch_size=1000)
    if added:
        more = f" … (+{len(added) - SHOWN_CODES})" if len(added) > SHOWN_CODES else ""
        shown = ", ".join(added[:SHOWN_CODES]) + more
        changes.append(SettingChange("units", _("Đơn vị mới"), "—", shown))
    _save_lineage(units, saved, changes)
    return saved, changes


def _shown(value) -> str:
    if value is None:
        return "—"
    return day_text(value) if isinstance(value, date) else str(value)


def _save_groups(groups: dict[str, dict], changes: list) -> dict[str, UnitGroup]:
    objects = {g.code: g for g in UnitGroup.objects.filter(code__in=groups)}
    last = max(UnitGroup.objects.values_list("order", flat=True), default=0)
    for code, group in sorted(groups.items()):
        known = objects.get(code)
        if known is None:
            last += 1
            objects[code] = UnitGroup.objects.create(
                code=code, name=group["name"], ranked=group["ranked"], order=last
            )
            changes.append(SettingChange("units", _("Khối mới"), "—", f"{code} {group['name']}"))
        elif known.name != group["name"]:
            changes.append(SettingChange("units", f"Khối {code}", known.name, group["name"]))
            known.name = group["name"]
            known.save(update_fields=["name"])
    return objects


def _save_lineage(units: list[dict], saved: dict, changes: list) -> None:
    """Make each unit's predecessors and shares those of the file; a new link is dated from
    the unit's `Từ ngày` (the day the reorganisation took effect) when it has one."""
    wanted_codes = {p for u in units for p in u["predecessors"]}
    known = {u.code: u for u in Unit.objects.filter(code__in=wanted_codes)} | saved
    current = defaultdict(dict)
    for successor, predecessor, share in Lineage.objects.filter(
        successor_id__in=[u.pk for u in saved.values()]
    ).values_list("successor_id", "predecessor__code", "share"):
        current[successor][predecessor] = share
    changed = []
    for row in units:
        unit = saved[row["code"]]
        wanted = {code: row.get("shares", {}).get(code, WHOLE) for code in row["predecessors"]}
        old = current.get(unit.pk, {})
        if wanted != old:
            changed.append((unit, wanted))
            changes.append(
                SettingChange(
                    "units",
                    f"Đơn vị {unit.code}: kế thừa từ",
                    lineage_text(old.items()) or "—",
                    lineage_text(wanted.items()) or "—",
                )
            )
    # As ``unit.predecessors.set`` for each, in two statements.
    Lineage.objects.filter(successor_id__in=[unit.pk for unit, _wanted in changed]).delete()
    Lineage.objects.bulk_create(
        Lineage(
            successor_id=unit.pk,
            predecessor_id=known[code].pk,
            share=share,
            since=unit.valid_from,
        )
        for unit, wanted in changed
        for code, share in wanted.items()
    )


def bands_text(bands) -> str:
    """Write grade bands for people: "Tốt ≥ 80; Khá ≥ 70"."""
    return "; ".join(f"{b[0]} ≥ {points_text(b[1])} ({b[2]})" for b in bands) or "—"


def _file_bands(data, code) -> list[tuple]:
    return sorted(
        ((b["label"], b["lower_bound"], b["color"]) for b in data.bands.get(code, [])),
        key=lambda b: (-b[1], b[0]),
    )


def plan_settings(period, data, sets: dict) -> list[SettingChange]:
    """Return what the file changes in an existing period: tie rule, groups, ranking, bands.

    Groups of the period absent from the file are left as they are. A group must keep its
    criteria set: changing it would orphan the units' scores.
    """
    changes = []
    if data.tie_rule is not None and data.tie_rule != period.tie_rule:
        entered = bool(decided_in_app(period, "period.tie_rule_changed"))
        changes.append(
            SettingChange(
                "tie_rule",
                _("Xếp hạng khi bằng điểm"),
                TIE_RULE_NAMES[TieRule(period.tie_rule)],
                TIE_RULE_NAMES[TieRule(data.tie_rule)],
                entered=entered,
            )
        )
    existing = {
        pg.group.code: pg
        for pg in PeriodGroup.objects.filter(period=period).select_related("group", "criteria_set")
    }
    ranked_in_app = {
        e.changes.get("group") for e in decided_in_app(period, "group.ranking_changed")
    }
    stored_bands = {}
    for band in GradeBand.objects.filter(period=period).select_related("group"):
        stored_bands.setdefault(band.group.code, []).append(
            (band.label, band.lower_bound, band.color)
        )
    for code, group in sorted(data.groups.items()):
        if code not in sets:
            continue
        pg = existing.get(code)
        if pg is None:
            changes.append(SettingChange("group", f"Khối {code}", "—", sets[code].name, code))
            continue
        _require_same_set(period, pg, sets[code])
        if pg.ranked != group["ranked"]:
            old, new = (YES if pg.ranked else NO), (YES if group["ranked"] else NO)
            label = _("Khối %(g)s: xếp hạng trong kỳ") % {"g": code}
            changes.append(SettingChange("ranked", label, old, new, code, code in ranked_in_app))
        old_bands = sorted(stored_bands.get(code, []), key=lambda b: (-b[1], b[0]))
        if old_bands != _file_bands(data, code):
            label = _("Khối %(g)s: xếp loại") % {"g": code}
            new = bands_text(_file_bands(data, code))
            changes.append(SettingChange("bands", label, bands_text(old_bands), new, code))
    return changes


def _require_same_set(period, pg, criteria_set) -> None:
    if pg.criteria_set_id != criteria_set.pk:
        raise WorkflowError(
            _(
                "Khối %(g)s của kỳ năm %(y)s dùng bộ tiêu chí “%(old)s”, tệp ghi bộ “%(new)s”: "
                "không đổi bộ tiêu chí của kỳ đã có bằng nhập tệp."
            )
            % {"g": pg.group.code, "y": period.year, "old": pg.criteria_set, "new": criteria_set}
        )


def apply_settings(period, data, sets: dict, changes: list[SettingChange]) -> None:
    """Write the period-level changes planned by ``plan_settings`` (or, for a period the
    import creates, every group of the file)."""
    groups = {g.code: g for g in UnitGroup.objects.filter(code__in=data.groups)}
    for change in changes:
        if change.kind == "tie_rule":
            period.tie_rule = data.tie_rule
            period.save(update_fields=["tie_rule"])
        elif change.kind == "group":
            add_group(period, data, groups[change.group], sets[change.group])
        elif change.kind == "ranked":
            PeriodGroup.objects.filter(period=period, group=groups[change.group]).update(
                ranked=data.groups[change.group]["ranked"]
            )
        elif change.kind == "bands":
            GradeBand.objects.filter(period=period, group=groups[change.group]).delete()
            _create_bands(period, data, groups[change.group])


def add_group(period, data, group: UnitGroup, criteria_set) -> None:
    """Add a group of the file to the period: its criteria set, ranking and grade bands."""
    PeriodGroup.objects.create(
        period=period,
        group=group,
        criteria_set=criteria_set,
        ranked=data.groups[group.code]["ranked"],
    )
    _create_bands(period, data, group)


def _create_bands(period, data, group) -> None:
    GradeBand.objects.bulk_create(
        GradeBand(
            period=period,
            group=group,
            label=b["label"],
            lower_bound=b["lower_bound"],
            color=b["color"],
        )
        for b in data.bands.get(group.code, [])
    )
