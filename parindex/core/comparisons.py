"""Comparing a unit's result with last year, across mergers, splits and renamings.

The rule is ``scoring.last_year``; this module reads what it needs for a whole period in two
queries: last year's published results and the lineage of the period's units (and of the units
formed during the year, which the period's units may have been formed from in turn).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q

from parindex import scoring
from parindex.core.bulk_sql import fetch
from parindex.core.models import Assessment, Comparison, Lineage, Period, UnitResult
from parindex.core.models.units import WHOLE


class Previous(NamedTuple):
    """What a unit's result row stores about last year."""

    index: Decimal | None
    rank: int | None
    comparison: str


NOTHING = Previous(None, None, "")


def previous_results(period: Period, members: list[tuple]) -> dict[int, Previous]:
    """Return unit id → ``Previous`` for the units ``members`` ((unit id, group id, the date
    the unit was formed) triples).

    A link of the unit's lineage dated in the period's year (``Lineage.since``) means the unit
    was reorganised since last year: its comparison is derived from its parts. A unit with no
    comparable history that was formed or reorganised this year is "Mới thành lập".
    """
    last = {
        unit_id: (index, rank, group_id)
        for unit_id, index, rank, group_id in fetch(
            UnitResult.objects.filter(
                result_set__period__year=period.year - 1,
                result_set__is_current=True,
                result_set__published=True,
            ).values_list("unit_id", "index", "rank", "group_id")
        )
    }
    in_period = Assessment.objects.for_period(period).values("unit_id")
    links = defaultdict(list)
    for successor, predecessor, share, since in Lineage.objects.filter(
        Q(successor_id__in=in_period) | Q(since__year=period.year)
    ).values_list("successor_id", "predecessor_id", "share", "since"):
        links[successor].append((predecessor, share, since))
    out = {}
    for unit_id, group_id, formed in members:
        own = last.get(unit_id)
        parts = _parts(unit_id, links, last, period.year)
        reorganised = any(since and since.year == period.year for _p, _s, since in parts)
        found = scoring.last_year(
            _earlier(own, group_id) if own is not None else None,
            [_earlier(last.get(p), group_id, share) for p, share, _since in parts],
            reorganised=reorganised,
        )
        if found is not None:
            kind = Comparison.DERIVED if found.derived else Comparison.SAME
            out[unit_id] = Previous(found.index, found.rank, kind)
        elif reorganised or (formed and formed.year == period.year):
            out[unit_id] = Previous(None, None, Comparison.NEW)
        else:
            out[unit_id] = NOTHING
    return out


def _parts(unit_id: int, links: dict, last: dict, year: int, depth: int = 0) -> list[tuple]:
    """Return the unit's predecessors (id, share, since), a predecessor that was itself formed
    this year, so has no result last year, replaced by its own parts (shares multiplied): two
    reorganisations in one year compare with the units of the year before both."""
    parts = []
    for predecessor, share, since in links.get(unit_id, []):
        earlier = links.get(predecessor, [])
        formed_this_year = any(s and s.year == year for _p, _sh, s in earlier)
        if predecessor in last or not formed_this_year or depth > 5:
            parts.append((predecessor, share, since))
            continue
        for deeper, deeper_share, _s in _parts(predecessor, links, last, year, depth + 1):
            parts.append((deeper, share * deeper_share, since))
    return parts


def _earlier(result, group_id: int, share: Decimal = WHOLE) -> scoring.Earlier:
    """Return last year's ``result`` (index, rank, group id; None: no result) as the scoring
    package reads it."""
    index, rank, was_in = result if result is not None else (None, None, group_id)
    return scoring.Earlier(index, rank, share, same_group=was_in == group_id)
