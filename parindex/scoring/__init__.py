"""The scoring engine: pure Python, standard library only, Decimal in and Decimal out.

Every rule of the PAR Index formula (DOMAIN.md) lives here exactly once. Nothing in this package
may import Django or ``parindex.core``; a test enforces it.
"""

from parindex.scoring.index import (
    AreaScore,
    AreaTotals,
    CategoryAmount,
    Rules,
    UnitScore,
    UnitTotals,
    capped_sum,
    ratio_index,
    round_score,
    score_unit,
)
from parindex.scoring.ranking import (
    Band,
    Earlier,
    LastYear,
    RankedScore,
    competition_ranks,
    grade_for,
    last_year,
    score_group,
)

__all__ = [
    "AreaScore",
    "AreaTotals",
    "Band",
    "CategoryAmount",
    "RankedScore",
    "Rules",
    "UnitScore",
    "UnitTotals",
    "capped_sum",
    "competition_ranks",
    "grade_for",
    "Earlier",
    "LastYear",
    "last_year",
    "ratio_index",
    "round_score",
    "score_group",
    "score_unit",
]
