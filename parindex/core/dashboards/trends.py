"""What the trends page reads: the index of chosen units and each group's average by year.

A line follows one unit (or group) across the years and carries its current name; each year's
point names the unit as that year's results show it (as published: ``results.shown_name``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from parindex.core.models import Period, Unit, UnitGroup, UnitResult
from parindex.core.models.results import shown_unit_name

TREND_LIMIT = 10  # more lines than this make a trend chart unreadable
TREND_DEFAULT = 5


@dataclass
class Trends:
    """The lines of the trend charts and the units one may choose from."""

    periods: list[Period]  # oldest first: the visible periods that have results
    units: list[Unit]  # the units drawn, in the order asked
    results: dict[int, dict[int, UnitResult]]  # unit id → year → result
    groups: list[tuple[UnitGroup, dict[int, tuple[int, Decimal | None]]]]  # year → (n, avg)
    options: list[tuple[UnitGroup, list[Unit]]]  # the units one may choose, by group
    unknown: list[str] = field(default_factory=list)  # codes asked for that match no unit
    dropped: list[str] = field(default_factory=list)  # codes beyond TREND_LIMIT
    defaulted: bool = False  # True when nothing was asked and the default selection is shown

    @property
    def has_provisional(self) -> bool:
        return any(not p.is_published for p in self.periods)


def trends(user, codes) -> Trends:
    """Return the index of the units ``codes`` and each group's average across the years
    ``user`` may see; without codes, the top units of the latest period's first group."""
    periods = list(Period.objects.visible_to(user).with_results().order_by("year"))
    asked = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    dropped = asked[TREND_LIMIT:]
    asked = asked[:TREND_LIMIT]
    unknown: list[str] = []
    defaulted = False
    if asked:
        found = Unit.objects.select_related("group").in_bulk(asked, field_name="code")
        units = [found[code] for code in asked if code in found]
        unknown = [code for code in asked if code not in found]
    elif periods:
        defaulted = True
        units = [
            r.unit
            for r in UnitResult.objects.visible_to(user)
            .current_for(periods[-1])
            .select_related("unit__group")
            .order_by(
                "group__order",
                F("rank").asc(nulls_last=True),
                F("index").desc(nulls_last=True),
                shown_unit_name(),
            )[:TREND_DEFAULT]
        ]
    else:
        units = []
    by_unit: dict[int, dict[int, UnitResult]] = defaultdict(dict)
    if units:
        for r in (
            UnitResult.objects.visible_to(user)
            .current_in(periods)
            .filter(unit_id__in=[u.pk for u in units])
            .select_related("result_set__period")
            .with_names()
        ):
            by_unit[r.unit_id][r.result_set.period.year] = r
    averages: dict[int, dict[int, tuple[int, Decimal | None]]] = defaultdict(dict)
    for row in UnitResult.objects.visible_to(user).current_in(periods).yearly_averages():
        averages[row["group_id"]][row["year"]] = (row["units"], row["average"])
    groups = [(g, averages[g.pk]) for g in UnitGroup.objects.filter(pk__in=list(averages))]
    return Trends(
        periods=periods,
        units=units,
        results=dict(by_unit),
        groups=groups,
        options=_options(periods, user),
        unknown=unknown,
        dropped=dropped,
        defaulted=defaulted,
    )


def _options(periods: list[Period], user) -> list[tuple[UnitGroup, list[Unit]]]:
    """Return the units with a result in ``periods``, by group (one query)."""
    if not periods:
        return []
    units = (
        Unit.objects.filter(
            pk__in=UnitResult.objects.visible_to(user).current_in(periods).values("unit_id")
        )
        .select_related("group")
        .order_by("group__order", "group__code", "name")
    )
    options: dict[int, tuple[UnitGroup, list[Unit]]] = {}
    for unit in units:
        options.setdefault(unit.group_id, (unit.group, []))[1].append(unit)
    return list(options.values())
