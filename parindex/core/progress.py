"""How far a unit's self-assessment has come: points claimed and leaves scored, per area."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from parindex.core.models import Criterion, Method, ScoreEntry

ZERO = Decimal("0")


@dataclass(frozen=True)
class AreaProgress:
    area_id: int
    code: str
    title: str
    self_points: Decimal
    self_max: Decimal
    survey_max: Decimal
    scored: int
    leaves: int


@dataclass(frozen=True)
class Progress:
    areas: tuple[AreaProgress, ...]

    @property
    def self_points(self) -> Decimal:
        return sum((a.self_points for a in self.areas), ZERO)

    @property
    def self_max(self) -> Decimal:
        return sum((a.self_max for a in self.areas), ZERO)

    @property
    def survey_max(self) -> Decimal:
        return sum((a.survey_max for a in self.areas), ZERO)

    @property
    def scored(self) -> int:
        return sum(a.scored for a in self.areas)

    @property
    def leaves(self) -> int:
        return sum(a.leaves for a in self.areas)


def self_assessment_progress(assessment) -> Progress:
    """Return the claimed points and the number of scored leaves per area (two queries)."""
    maxima: dict[int, dict] = {}
    for row in (
        Criterion.objects.for_assessment(assessment)
        .scored()
        .values("area_id", "area__code", "area__title", "area__position", "method")
        .annotate(total=Sum("max_points"), leaves=Count("id"))
        .order_by("area__position")
    ):
        area = maxima.setdefault(
            row["area_id"],
            {
                "code": row["area__code"],
                "title": row["area__title"],
                Method.SELF: (ZERO, 0),
                Method.SURVEY: (ZERO, 0),
            },
        )
        area[row["method"]] = (row["total"], row["leaves"])
    claimed = {
        row["criterion__area_id"]: row
        for row in ScoreEntry.objects.filter(assessment=assessment).area_totals()
    }
    return Progress(
        areas=tuple(
            AreaProgress(
                area_id=area_id,
                code=area["code"],
                title=area["title"],
                self_points=claimed[area_id]["self_points_total"] if area_id in claimed else ZERO,
                self_max=area[Method.SELF][0],
                survey_max=area[Method.SURVEY][0],
                scored=claimed[area_id]["self_scored"] if area_id in claimed else 0,
                leaves=area[Method.SELF][1],
            )
            for area_id, area in maxima.items()
        )
    )
