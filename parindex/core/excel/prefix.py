"""A merged province's period workbook, its codes under a prefix (`importperiod --prefix BD-`).

After a merger of provinces, the results of the merged province (Bình Dương's 2024) are the
history of the predecessors of the new units. Importing its workbook as it is would clash with
this province's codes, so every unit and group code is read under a prefix (``BD-SO``,
``BD-P001``) and every group name says whose it is ("Khối sở, ban, ngành (BD)"). Nothing here
reads or writes the database.
"""

from __future__ import annotations

import re
from dataclasses import replace

from django.utils.translation import gettext as _

from parindex.core.codes import CODE_MAX_LENGTH, code_problem
from parindex.core.excel import sheets
from parindex.core.excel.reading import ImportProblems, Problem

PREFIX = re.compile(r"[A-Z0-9]+[-_]?")


def prefix_problem(prefix: str) -> str | None:
    """Return why ``prefix`` cannot prefix codes, or None when it can."""
    if not PREFIX.fullmatch(prefix or "") or code_problem(prefix):
        return _(
            "Tiền tố “%(p)s” không hợp lệ: chỉ gồm chữ in hoa không dấu và chữ số, có thể kết "
            "thúc bằng - hoặc _ (ví dụ BD-)."
        ) % {"p": prefix}
    return None


def with_prefix(data, prefix: str):
    """Return ``data`` (a PeriodData) with every unit and group code under ``prefix`` and the
    prefix (without its trailing - or _) after every group name.

    Raises ImportProblems for a bad prefix, or naming each code the prefix makes too long.
    """
    problem = prefix_problem(prefix)
    if problem:
        raise ImportProblems([Problem("", "", problem)])
    _refuse_too_long(data, prefix)

    def code(value: str) -> str:
        return prefix + value

    mark = prefix.rstrip("-_")
    units = [
        {
            **unit,
            "code": code(unit["code"]),
            "group": code(unit["group"]),
            "predecessors": [code(p) for p in unit["predecessors"]],
            "shares": {code(p): share for p, share in unit.get("shares", {}).items()},
        }
        for unit in data.units
    ]
    groups = {
        code(g): {**group, "code": code(g), "name": f"{group['name']} ({mark})"}
        for g, group in data.groups.items()
    }
    return replace(
        data,
        units=units,
        groups=groups,
        bands={code(g): bands for g, bands in data.bands.items()},
        sets={code(g): criteria for g, criteria in data.sets.items()},
        scores={
            code(g): {code(u): cells for u, cells in by_unit.items()}
            for g, by_unit in data.scores.items()
        },
        summary={**data.summary, "prefix": prefix} if data.summary else data.summary,
        team=None
        if data.team is None
        else [{**row, "unit": code(row["unit"]) if row["unit"] else ""} for row in data.team],
    )


def _refuse_too_long(data, prefix: str) -> None:
    room = CODE_MAX_LENGTH - len(prefix)
    problems = [
        Problem(sheets.UNITS, unit.get("code_ref", ""), _too_long(prefix + unit["code"]))
        for unit in data.units
        if len(unit["code"]) > room
    ]
    problems += [
        Problem(sheets.UNITS, "", _too_long(prefix + group))
        for group in data.groups
        if len(group) > room
    ]
    if problems:
        raise ImportProblems(problems)


def _too_long(code: str) -> str:
    return _("Thêm tiền tố thì mã “%(c)s” dài %(n)s ký tự, quá %(max)s ký tự cho phép.") % {
        "c": code,
        "n": len(code),
        "max": CODE_MAX_LENGTH,
    }
