"""A synthetic published period with thousands of units, for measuring pages at scale.

``build_synthetic_period(2030, 3000)`` scores units SYN-00001 … SYN-03000 on the demo criteria
set with seeded random leaf values and runs the same services as any period (``finalise_period``
computes the results, ``publish_results`` freezes them). The units live in three groups of their
own, so the demo's groups, units and years are never touched; a unit keeps its group and its
name from one synthetic year to the next, so two synthetic years give "change versus last year".
Everything on screen says the figures are synthetic.
"""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.demo import CRITERIA_FILE, data
from parindex.core.demo.scores import insert_scores, new_score_row
from parindex.core.errors import WorkflowError
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    Criterion,
    GradeBand,
    Method,
    Period,
    PeriodGroup,
    PeriodStatus,
    Unit,
    UnitGroup,
)
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.results import finalise_period, publish_results

# code, name, ranked (like the demo: the centrally-managed agencies are graded, not ranked)
GROUPS = [
    ("SYN-SO", "Khối sở, ban, ngành (dữ liệu tổng hợp)", True),
    ("SYN-QH", "Khối quận, huyện (dữ liệu tổng hợp)", True),
    ("SYN-NGANHDOC", "Khối cơ quan ngành dọc (dữ liệu tổng hợp)", False),
]
GROUP_ORDER = 100  # after the demo's groups on every list
QUARTER = Decimal("0.25")
CENT = Decimal("0.01")
ZERO = Decimal("0")


def unit_code(number: int) -> str:
    return f"SYN-{number:05d}"


def build_synthetic_period(
    year: int, units: int = 3000, *, seed: int = 0, publish: bool = True
) -> Period:
    """Create, compute and publish (or only finalise) a period of ``year`` with ``units``
    synthetic units.

    Deterministic for a given ``seed``. Refused when a period of ``year`` exists already.
    """
    if units < 1:
        raise WorkflowError(_("Cần ít nhất một đơn vị."))
    with transaction.atomic():
        if Period.objects.filter(year=year).exists():
            raise WorkflowError(
                _("Đã có kỳ đánh giá năm %(year)s; chọn một năm khác.") % {"year": year}
            )
        criteria_set, _changed = load_criteria_set(
            json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
        )
        groups = _groups()
        period = Period.objects.create(
            year=year,
            name=f"Chỉ số CCHC năm {year} (dữ liệu tổng hợp)",
            status=PeriodStatus.APPRAISING,
            self_assessment_deadline=date(year + 1, 1, 15),
            notes=(
                f"Dữ liệu tổng hợp: {units} đơn vị với điểm ngẫu nhiên (seed {seed}) để đo tốc "
                "độ các trang; không phải số liệu thật."
            ),
        )
        for group in groups:
            PeriodGroup.objects.create(
                period=period, group=group, criteria_set=criteria_set, ranked=group.ranked
            )
            GradeBand.objects.bulk_create(
                GradeBand(period=period, group=group, label=label, lower_bound=bound, color=color)
                for label, bound, color in data.BANDS
            )
        members = _units(units, groups)
        assessments = Assessment.objects.bulk_create(
            (
                Assessment(period=period, unit=unit, status=AssessmentStatus.APPRAISED)
                for unit in members
            ),
            batch_size=1000,
        )
        leaves = list(Criterion.objects.filter(criteria_set=criteria_set).leaves())
        now = clock.now()
        entries, adjustments = [], []
        for assessment, unit in zip(assessments, members, strict=True):
            unit_entries, unit_adjustments = _scores(assessment, unit.code, leaves, year, seed)
            entries += [new_score_row(row, now) for row in unit_entries]
            adjustments += unit_adjustments
        insert_scores(entries, period, now)
        Adjustment.objects.bulk_create(adjustments, batch_size=1000)
        finalise_period(period)
        if publish:
            publish_results(period, decision_number=f"TH-{year}")
    return Period.objects.get(pk=period.pk)


def _groups() -> list[UnitGroup]:
    groups = []
    for order, (code, name, ranked) in enumerate(GROUPS, start=GROUP_ORDER):
        group, _created = UnitGroup.objects.get_or_create(
            code=code, defaults={"name": name, "ranked": ranked, "order": order}
        )
        groups.append(group)
    return groups


def _units(count: int, groups: list[UnitGroup]) -> list[Unit]:
    """Return units SYN-00001 … in number order, creating those that do not exist yet.

    Unit n belongs to group (n − 1) mod 3, so a unit keeps its group whatever the count.
    """
    codes = [unit_code(n) for n in range(1, count + 1)]
    existing = Unit.objects.in_bulk(codes, field_name="code")
    Unit.objects.bulk_create(
        (
            Unit(
                code=code,
                name=f"Đơn vị tổng hợp {n:05d}",
                short_name=f"ĐV {n:05d}",
                group=groups[(n - 1) % len(groups)],
            )
            for n, code in enumerate(codes, start=1)
            if code not in existing
        ),
        batch_size=1000,
    )
    found = Unit.objects.in_bulk(codes, field_name="code")
    return [found[code] for code in codes]


def _scores(assessment, code: str, leaves, year: int, seed: int):
    """Return score rows (assessment id, leaf id, self, appraised, survey, not applicable) and
    adjustments for one unit in one year.

    A unit has a lasting level (seeded by its code) and one or two weak areas; each year moves
    it a little (seeded by the year), so consecutive synthetic years differ the way real ones do.
    Self-assessed leaves take one of their choices near that level, and a unit sometimes claims
    more than the reviewer grants.
    """
    lasting = random.Random(f"{seed}-{code}")
    level = 0.55 + 0.45 * lasting.betavariate(5, 1.5)
    areas = sorted({leaf.area_id for leaf in leaves if leaf.method in (Method.SELF, Method.SURVEY)})
    weak = set(lasting.sample(areas, k=lasting.choice([1, 2])))
    rng = random.Random(f"{seed}-{code}-{year}")
    level = min(1.0, max(0.3, level + rng.uniform(-0.04, 0.04)))
    entries, adjustments = [], []
    for leaf in leaves:
        share = level - (0.18 if leaf.area_id in weak else 0) + rng.uniform(-0.12, 0.12)
        share = min(1.0, max(0.0, share))
        if leaf.method == Method.SURVEY:
            points = (leaf.max_points * Decimal(share)).quantize(CENT, ROUND_HALF_UP)
            entries.append((assessment.pk, leaf.pk, None, None, points, False))
        elif leaf.method == Method.SELF:
            appraised = _self_value(leaf, share)
            claimed = leaf.max_points if rng.random() < 0.25 else appraised
            not_applicable = rng.random() < 0.01
            entries.append((assessment.pk, leaf.pk, claimed, appraised, None, not_applicable))
        elif leaf.method == Method.DEDUCTION and rng.random() < 0.06:
            adjustments.append(
                _adjustment(
                    assessment, AdjustmentKind.DEDUCTION, leaf, rng.choice(["0.25", "0.5", "1"])
                )
            )
        elif leaf.method == Method.BONUS and rng.random() < 0.05:
            adjustments.append(_adjustment(assessment, AdjustmentKind.BONUS, leaf, "0.5"))
    return entries, adjustments


def _self_value(leaf, share: float) -> Decimal:
    """Return the choice nearest to ``share`` of the maximum, or that share in quarter points."""
    target = leaf.max_points * Decimal(share)
    options = [points for _label, points in leaf.option_points()]
    if options:
        return min(options, key=lambda points: (abs(points - target), -points))
    return min(leaf.max_points, (target / QUARTER).quantize(Decimal("1")) * QUARTER)


def _adjustment(assessment, kind, category, amount: str) -> Adjustment:
    return Adjustment(
        assessment=assessment,
        kind=kind,
        category=category,
        amount=min(Decimal(amount), category.max_points),
        reason=_("Dữ liệu tổng hợp."),
        status=AdjustmentStatus.APPROVED,
        decision_note=_("Dữ liệu tổng hợp."),
    )
