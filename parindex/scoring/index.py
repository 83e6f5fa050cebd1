"""The PAR Index formula of DOMAIN.md, applied to already-summed numbers.

    index = 100 × (Σ points of applicable leaves + bonus − deductions) / Σ max of applicable leaves

Inputs are totals the database has summed (per unit and content area); this module applies the
rules on top of them: caps, the floor at 0, the optional ceiling at the maximum, and rounding once.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def round_score(value: Decimal | None) -> Decimal | None:
    """Return ``value`` rounded half-up to 2 decimals, the one rounding the product does.

    Every stored and computed value keeps full precision; this is applied once, when a figure is
    shown or published ("97.57"). ``None`` (no figure) passes through.
    """
    if value is None:
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class AreaTotals(NamedTuple):
    """Summed points and maximum of the applicable leaves of one content area for one unit.

    A not-applicable leaf is already left out of both sums by whoever summed them. ``key`` is
    whatever identifies the area to the caller (the database passes the area's id); it is
    carried through to the ``AreaScore`` untouched. A named tuple, not a dataclass: a period
    of 10,000 units makes 90,000 of them, and a tuple is made several times faster.
    """

    key: Hashable
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class CategoryAmount:
    """The approved bonus or deduction amount of one category, and that category's cap."""

    code: str
    amount: Decimal
    cap: Decimal


@dataclass(frozen=True)
class Rules:
    """What a criteria set says about bonus, deductions and the ceiling."""

    bonus_cap: Decimal
    deduction_cap: Decimal
    allow_over_max: bool = False


class UnitTotals(NamedTuple):
    """Everything the formula needs about one unit in one period (a named tuple, as
    ``AreaTotals``: one per unit of every group computed)."""

    key: Hashable
    areas: tuple[AreaTotals, ...]
    bonus: tuple[CategoryAmount, ...] = ()
    deductions: tuple[CategoryAmount, ...] = ()


class AreaScore(NamedTuple):
    """A content area's points, maximum and component index (rounded, ``None`` if max is 0);
    a named tuple, as ``AreaTotals``."""

    key: Hashable
    points: Decimal
    max_points: Decimal
    index: Decimal | None


class UnitScore(NamedTuple):
    """One unit's result before ranking and grading (a named tuple, as ``AreaTotals``).

    ``points`` is the sum over applicable leaves; ``bonus`` and ``deduction`` are after caps;
    ``total`` is points + bonus − deduction after the floor and the optional ceiling.
    ``index`` is the published figure (rounded once); ``index_exact`` keeps full precision.
    """

    key: Hashable
    points: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    max_points: Decimal
    index_exact: Decimal | None
    index: Decimal | None
    areas: tuple[AreaScore, ...]


# ``new_tuple(AreaScore, (…))`` makes the same named tuple as ``AreaScore(…)`` without its
# generated ``__new__`` (a Python function, a third of the time to make one): for the records
# made once per area of every unit.
new_tuple = tuple.__new__


def ratio_index(points: Decimal, max_points: Decimal) -> Decimal | None:
    """Return 100 × points / max_points at full precision, or ``None`` when nothing applies.

    A unit (or area) whose every leaf is not applicable has a maximum of 0 and no index: it is
    neither 0 % nor 100 %.
    """
    if max_points <= ZERO:
        return None
    return HUNDRED * points / max_points


@functools.lru_cache(maxsize=8192)
def area_index(points: Decimal, max_points: Decimal) -> Decimal | None:
    """Return the rounded component index of an area (``ratio_index`` then ``round_score``).

    Kept for the last pairs seen: across a province the same (points, maximum) pairs recur
    (points go in steps of the leaves' maxima), and a division then a rounding per area of
    each of 10,000 units was most of the scoring's time. The kept result is the one computing
    it again gives, also for a pair written with another scale ("1.0" and "1.00" are one key):
    the result is rounded to 2 decimals, so equal inputs give the same digits.
    """
    return round_score(ratio_index(points, max_points))


def capped_sum(items: tuple[CategoryAmount, ...], overall_cap: Decimal) -> Decimal:
    """Return the sum of ``items``, each capped at its category cap, then at ``overall_cap``.

    Negative amounts are treated as 0: a bonus never lowers and a deduction never raises a total.
    """
    if not items:  # most units of a period: no bonus, no deduction
        return ZERO
    total = sum((min(max(item.amount, ZERO), item.cap) for item in items), ZERO)
    return min(total, max(overall_cap, ZERO))


def score_unit(totals: UnitTotals, rules: Rules) -> UnitScore:
    """Apply the formula to one unit's summed totals.

    Rules, each applied exactly here:
    - not-applicable leaves are already out of points and maximum (see ``AreaTotals``);
    - bonus and deductions are capped per category, then by the criteria set's caps;
    - the total never goes below 0, and never above the maximum unless ``allow_over_max``;
    - the index and component indices are rounded once, half-up, to 2 decimals.
    """
    points = max_points = ZERO
    areas = []
    for key, area_points, area_max in totals.areas:  # once per area of every unit: lean
        points += area_points
        max_points += area_max
        areas.append(
            new_tuple(AreaScore, (key, area_points, area_max, area_index(area_points, area_max)))
        )
    bonus = capped_sum(totals.bonus, rules.bonus_cap)
    deduction = capped_sum(totals.deductions, rules.deduction_cap)
    total = max(points + bonus - deduction, ZERO)
    if not rules.allow_over_max:
        total = min(total, max_points)
    index_exact = ratio_index(total, max_points)
    return UnitScore(
        key=totals.key,
        points=points,
        bonus=bonus,
        deduction=deduction,
        total=total,
        max_points=max_points,
        index_exact=index_exact,
        index=round_score(index_exact),
        areas=tuple(areas),
    )
