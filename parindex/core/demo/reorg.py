"""The demo province in time: which units exist when, and what each new one was formed from.

TP.HCM before and after its 2025 reorganisation (names and lineage in ``hcm2025.py`` and
``hcm2025_communes.py``): the departments merged on 1 March 2025 and again on 18 April 2025, the
districts abolished on 1 July 2025, the wards and communes formed that day from whole old wards
and parts of others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from parindex.core.demo.data import FORMER_UNITS, LINEAGE, UNITS
from parindex.core.demo.hcm2025 import DEPARTMENTS_2025, DEPARTMENTS_2025_STEP2, OLD_WARDS
from parindex.core.demo.hcm2025_communes import NEW_UNITS

DAY = timedelta(days=1)
THU_DUC_FORMED = date(2021, 1, 1)
FOOD_SAFETY_DEPARTMENT = date(2024, 1, 1)  # Ban Quản lý An toàn thực phẩm → Sở ATTP
DEPARTMENTS_MERGED = date(2025, 3, 1)
# The HĐND session of 18 April 2025; its effective date was not found: the demo uses this day.
DEPARTMENTS_MERGED_AGAIN = date(2025, 4, 18)
COMMUNES_FORMED = date(2025, 7, 1)

KIND_GROUP = {"phuong": "PHUONG", "xa": "XA", "dac_khu": "XA"}


@dataclass
class DemoUnit:
    code: str
    name: str
    short_name: str
    group: str
    valid_from: date | None = None
    valid_to: date | None = None
    parts: list[tuple[str, Decimal]] = field(default_factory=list)  # predecessor code, share


def _district_name(code: str) -> str:
    """Return "quận Bình Tân" for "UBND quận Bình Tân"."""
    names = {c: name for units in UNITS.values() for c, name, *_ in units}
    return names[code].removeprefix("UBND ")


def demo_units() -> list[DemoUnit]:
    """Every unit of the demo province, 2021 to now, with its dates and predecessors."""
    units = {}
    for group, rows in UNITS.items():
        for code, name, short_name, _index, _published in rows:
            units[code] = DemoUnit(code, name, short_name, group)
    for code, name, short_name, group in FORMER_UNITS:
        units[code] = DemoUnit(code, name, short_name, group, valid_to=THU_DUC_FORMED - DAY)
    for code, parts in LINEAGE.items():
        units[code].valid_from = THU_DUC_FORMED
        units[code].parts = [(p, Decimal("1")) for p in parts]
    for unit in units.values():
        if unit.group == "QH":  # the districts end with the district level
            unit.valid_to = unit.valid_to or COMMUNES_FORMED - DAY
    second = {code for code, *_ in DEPARTMENTS_2025_STEP2}
    for code, name, short_name, parts, _real in [
        *DEPARTMENTS_2025,
        *DEPARTMENTS_2025_STEP2,
    ]:
        if not parts:
            continue  # continued unchanged: the unit above
        formed = DEPARTMENTS_MERGED_AGAIN if code in second else DEPARTMENTS_MERGED
        if code == "SATTP":
            formed = FOOD_SAFETY_DEPARTMENT
        units[code] = DemoUnit(
            code, name, short_name, "SO", formed, parts=[(p, Decimal(s)) for p, s in parts]
        )
        for predecessor, _share in parts:
            units[predecessor].valid_to = formed - DAY
    for code, name, district in OLD_WARDS:
        group = "PHUONG" if name.startswith("Phường") else "XA"
        full = f"{name}, {_district_name(district)}"
        units[code] = DemoUnit(code, full, name, group, valid_to=COMMUNES_FORMED - DAY)
    for code, name, kind, parts, _real in NEW_UNITS:
        units[code] = DemoUnit(
            code,
            name,
            name.split(" ", 1)[1] if kind != "dac_khu" else name,
            KIND_GROUP[kind],
            COMMUNES_FORMED,
            parts=[(p, Decimal(s)) for p, s in parts],
        )
    return list(units.values())
