"""Where a unit lost points: the list Sở Nội vụ sends to each unit for remediation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from parindex.core.models import (
    SCORED_METHODS,
    Adjustment,
    AdjustmentKind,
    Criterion,
    ScoreEntry,
)


@dataclass(frozen=True)
class LostLeaf:
    criterion: object
    final: Decimal
    lost: Decimal
    reason: str


@dataclass(frozen=True)
class LostPoints:
    leaves: list[LostLeaf]
    deductions: list  # approved deduction items

    @property
    def total(self) -> Decimal:
        return sum((e.lost for e in self.leaves), Decimal("0")) + sum(
            (d.amount for d in self.deductions), Decimal("0")
        )


def lost_points(assessment) -> LostPoints:
    """Return every applicable leaf whose final points are below its maximum, with the
    reviewer's reason, and every approved deduction (three queries).

    A leaf without any score row (never scored, no survey result) lost all its points.
    """
    scored = list(
        ScoreEntry.objects.filter(
            assessment=assessment, not_applicable=False, criterion__method__in=SCORED_METHODS
        )
        .with_final_points(counted=True)
        .annotate(lost=F("criterion__max_points") - F("final"))
        .filter(lost__gt=0)
        .select_related("criterion")
    )
    unscored = (
        Criterion.objects.for_assessment(assessment)
        .scored()
        .exclude(pk__in=ScoreEntry.objects.filter(assessment=assessment).values("criterion_id"))
    )
    leaves = [LostLeaf(e.criterion, e.final, e.lost, e.appraisal_note) for e in scored] + [
        LostLeaf(c, Decimal("0"), c.max_points, "") for c in unscored
    ]
    leaves.sort(key=lambda leaf: leaf.criterion.position)
    deductions = list(
        Adjustment.objects.filter(assessment=assessment, kind=AdjustmentKind.DEDUCTION)
        .approved()
        .select_related("category")
        .order_by("category__position", "proposed_at")
    )
    return LostPoints(leaves=leaves, deductions=deductions)
