"""The `Phân công thẩm định` sheet of the period workbook: the appraisal team, one assignment a
row (Tài khoản; Mã đơn vị, blank = every unit; Mã tiêu chí, blank = the whole set).

Read and checked like the other sheets: every problem at its cell, nothing written here. The
import replaces the period's team with the sheet's (``services/team.replace_team``); a
workbook without the sheet leaves the team as it is.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from parindex.core.excel.reading import Problems, Sheet
from parindex.core.models import Assignment, Role, User

TEAM = "Phân công thẩm định"
ACCOUNT, UNIT, CRITERION = "Tài khoản", "Mã đơn vị", "Mã tiêu chí"
TEAM_HEADER = [ACCOUNT, UNIT, CRITERION, "Thẩm định viên"]


def team_rows(period) -> list[list]:
    """The sheet's rows for ``period``: one per assignment; a code assigned in several criteria
    sets (one per group) is one row."""
    rows, seen = [list(TEAM_HEADER)], set()
    for a in (
        Assignment.objects.for_period(period)
        .select_related("reviewer", "unit", "criterion")
        .order_by(  # "every unit" and "the whole set" first, on every database
            "reviewer__username",
            F("unit__code").asc(nulls_first=True),
            F("criterion__code").asc(nulls_first=True),
        )
    ):
        unit = a.unit.code if a.unit_id else None
        key = (a.reviewer.username, unit, a.criterion.code if a.criterion_id else None)
        if key in seen:
            continue
        seen.add(key)
        rows.append([key[0], key[1], key[2] or None, str(a.reviewer)])
    return rows


def _node_codes(criteria: dict) -> set[str]:
    codes = set()

    def walk(nodes):
        for node in nodes:
            codes.add(node["code"])
            walk(node.get("children") or [])

    walk(criteria["nodes"])
    return codes


def team_from_sheet(workbook, units: list[dict], sets: dict[str, dict], problems: Problems):
    """Return the sheet's assignments as {username, unit, criterion} (codes; "" for blank), or
    None when the workbook has no such sheet. Unknown accounts (or not reviewers), units not in
    the `Đơn vị` sheet and criterion codes not in the unit's set (any set when the unit is
    blank) are problems at their cells."""
    if TEAM not in workbook.sheetnames:
        return None
    sheet = Sheet(workbook, TEAM, problems)
    if not sheet.require(ACCOUNT, UNIT, CRITERION):
        return []
    group_of = {u["code"]: u["group"] for u in units}
    codes = {group: _node_codes(criteria) for group, criteria in sets.items()}
    rows = [
        (row, values, sheet.text(row, values, ACCOUNT, required=True)) for row, values in sheet.rows
    ]
    reviewers = set(
        User.objects.filter(
            username__in=[name for *_r, name in rows], role__in=(Role.REVIEWER, Role.APPROVER)
        ).values_list("username", flat=True)
    )
    team = []
    for row, values, username in rows:
        unit = sheet.text(row, values, UNIT)
        criterion = sheet.text(row, values, CRITERION)
        if username and username not in reviewers:
            problems.add(
                TEAM,
                sheet.ref(row, ACCOUNT),
                _("Không có tài khoản thẩm định “%(u)s”.") % {"u": username},
            )
        if unit and unit not in group_of:
            problems.add(
                TEAM,
                sheet.ref(row, UNIT),
                _("Đơn vị “%(c)s” không có trong trang Đơn vị.") % {"c": unit},
            )
        in_sets = [codes.get(group_of[unit], set())] if unit in group_of else codes.values()
        if criterion and not any(criterion in c for c in in_sets):
            problems.add(
                TEAM,
                sheet.ref(row, CRITERION),
                _("Không có tiêu chí mã “%(c)s” trong bộ tiêu chí.") % {"c": criterion},
            )
        if not unit and not criterion:
            problems.add(TEAM, sheet.ref(row, UNIT), _("Ghi mã đơn vị, mã tiêu chí hoặc cả hai."))
        team.append({"username": username, "unit": unit, "criterion": criterion})
    return team
