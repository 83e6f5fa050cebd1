"""League-table rules: competition ranking, grade bands, and the comparison with last year."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from parindex.scoring.index import Rules, UnitScore, UnitTotals, round_score, score_unit


@dataclass(frozen=True)
class Band:
    """A grade band: units whose index is at least ``lower_bound`` get ``label``."""

    label: str
    lower_bound: Decimal
    color: str = ""


class RankedScore(NamedTuple):
    """A unit's score with its rank (``None`` when unranked or without index) and grade."""

    score: UnitScore
    rank: int | None
    band: Band | None


def competition_ranks(
    indices: Iterable[tuple[Hashable, Decimal | None]], *, unrounded: bool = False
) -> dict[Hashable, int]:
    """Return the competition rank ("1, 2, 2, 4") of each key, by index descending.

    Equal indices share a rank and the next rank is skipped (Hà Nội 2023: 96.3, 95.7, 95.7,
    95.22 → 1, 2, 2, 4). By default units compare on the published, rounded index, so two units
    that show the same figure always share a rank (tie rule "Đồng hạng"). With ``unrounded``
    (tie rule "Theo điểm chưa làm tròn") they compare on the full index: two units shown at
    90.02 rank 2 and 3 unless their indices are exactly equal (Thanh Hóa 2024). Keys without an
    index get no rank.
    """
    ordered = sorted(
        (
            (key, index if unrounded else round_score(index))
            for key, index in indices
            if index is not None
        ),
        key=lambda pair: pair[1],
        reverse=True,
    )
    ranks: dict[str, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, index) in enumerate(ordered, start=1):
        if index != previous:
            rank = position
            previous = index
        ranks[key] = rank
    return ranks


def grade_for(index: Decimal | None, bands: Sequence[Band]) -> Band | None:
    """Return the band of ``index``: the one with the highest lower bound not above it.

    Bands are data (per period and group); the comparison uses the published, rounded index,
    so 89.995 (shown as 90.00) falls in a band that starts at 90. No index, or an index below
    every band, gets no band.
    """
    return _band_at(round_score(index), highest_first(bands))


def highest_first(bands: Sequence[Band]) -> list[Band]:
    """Return ``bands`` by lower bound, highest first (of equal bounds, the first given)."""
    return sorted(bands, key=lambda band: band.lower_bound, reverse=True)


def _band_at(published: Decimal | None, ordered: Sequence[Band]) -> Band | None:
    """``grade_for`` of an index already rounded (``published``) over bands already
    ``highest_first``: a group sorts them once, and its scores are rounded already."""
    if published is None:
        return None
    return next((band for band in ordered if published >= band.lower_bound), None)


def score_group(
    units: Sequence[UnitTotals],
    rules: Rules,
    bands: Sequence[Band],
    *,
    ranked: bool,
    unranked: frozenset = frozenset(),
    unrounded_ties: bool = False,
) -> tuple[RankedScore, ...]:
    """Score, rank (when the group is ranked) and grade every unit of one group.

    Groups not ranked get an index and a grade, never a rank. Units whose key is in
    ``unranked`` (left out of the ranking this period, or not submitted) are scored and graded
    but take no place: the others rank as if they were not there.
    """
    scores = [score_unit(unit, rules) for unit in units]
    # Each score holds its index both exact and rounded: ranks compare the one the tie rule
    # names, as given (``unrounded``: rounding the rounded index again changes nothing).
    ranks = (
        competition_ranks(
            (
                (s.key, s.index_exact if unrounded_ties else s.index)
                for s in scores
                if s.key not in unranked
            ),
            unrounded=True,
        )
        if ranked
        else {}
    )
    ordered = highest_first(bands)
    return tuple(
        RankedScore(score=s, rank=ranks.get(s.key), band=_band_at(s.index, ordered)) for s in scores
    )


@dataclass(frozen=True)
class Earlier:
    """A result of last year a unit may be compared with: its own, or a predecessor's
    (``share`` of it went into the unit: 1 whole, less for a part)."""

    index: Decimal | None
    rank: int | None = None
    share: Decimal = Decimal("1")
    same_group: bool = True


@dataclass(frozen=True)
class LastYear:
    """What a unit's result is compared with. ``derived``: computed from its predecessors
    ("so với các đơn vị tiền thân"), never like with like, so it carries no rank."""

    index: Decimal
    rank: int | None
    derived: bool


def last_year(
    own: Earlier | None, predecessors: Sequence[Earlier] = (), *, reorganised: bool = False
) -> LastYear | None:
    """Return what a unit is compared with last year, following lineage (None: nothing).

    - A unit not reorganised since last year compares with its own result: like with like,
      rank included (when it was ranked in the same group).
    - A unit renamed from exactly one whole predecessor compares with that one the same way.
    - Otherwise (a merger, a split, a unit that absorbed parts of others this year) the
      comparison is derived: the share-weighted mean of the indices of the parts that had one
      (its own last result counting whole, each predecessor by its share), rounded once, with
      no rank (product decision: the published arrangements give no rule; written in the
      methodology note).
    """
    if own is not None and own.index is not None and not reorganised:
        return LastYear(own.index, own.rank if own.same_group else None, derived=False)
    if own is None and len(predecessors) == 1 and predecessors[0].share == 1:
        only = predecessors[0]
        if only.index is None:
            return None
        return LastYear(only.index, only.rank if only.same_group else None, derived=False)
    parts = ([own] if own is not None else []) + list(predecessors)
    known = [p for p in parts if p.index is not None]
    weight = sum((p.share for p in known), Decimal("0"))
    if not known or weight <= 0:
        return None
    mean = sum((p.index * p.share for p in known), Decimal("0")) / weight
    return LastYear(round_score(mean), None, derived=True)
