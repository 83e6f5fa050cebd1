"""Writing imported workbooks: each import is one transaction, after the whole file was checked.

The readers in parindex/core/excel/workbooks.py have already refused any file with a problem;
these functions only write, and refuse states that forbid it (a published period).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from parindex.core import clock
from parindex.core.errors import WorkflowError
from parindex.core.excel.sheets import NOT_APPLICABLE
from parindex.core.excel.workbooks import PeriodData
from parindex.core.models import (
    Adjustment,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    Criterion,
    GradeBand,
    Method,
    Period,
    PeriodGroup,
    PeriodStatus,
    ScoreEntry,
    Unit,
    UnitGroup,
)
from parindex.core.services import audit
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.results import compute_results, finalise_period, publish_results

IMPORTED = "Nhập từ sổ điểm Excel"


def _save_units(units: list[dict], groups: dict[str, dict]) -> dict[str, Unit]:
    group_objects = {}
    for order, (code, group) in enumerate(sorted(groups.items()), start=1):
        group_objects[code], _created = UnitGroup.objects.update_or_create(
            code=code,
            defaults={"name": group["name"], "ranked": group["ranked"]},
            create_defaults={"name": group["name"], "ranked": group["ranked"], "order": order},
        )
    saved = {}
    for unit in units:
        saved[unit["code"]], _created = Unit.objects.update_or_create(
            code=unit["code"],
            defaults={
                "name": unit["name"],
                "short_name": unit["short_name"],
                "group": group_objects[unit["group"]],
            },
        )
    known = {
        u.code: u
        for u in Unit.objects.filter(code__in={p for u in units for p in u["predecessors"]})
    } | saved
    for unit in units:
        saved[unit["code"]].predecessors.set([known[p] for p in unit["predecessors"]])
    return saved


@transaction.atomic
def import_units(units: list[dict], groups: dict[str, dict], *, by=None) -> int:
    """Create or update units and their groups and lineage; return how many units."""
    _save_units(units, groups)
    audit.record("units.imported", actor=by, changes={"units": len(units)})
    return len(units)


@transaction.atomic
def import_criteria(criteria: dict, *, by=None):
    """Load a criteria set read from Excel (same rules as ``loadcriteria``)."""
    return load_criteria_set(criteria, by=by)


@transaction.atomic
def import_period(data: PeriodData, *, by=None, publish: bool = False) -> Period:
    """Create or update a whole period from its workbook, then compute (and publish) results.

    Refused for a published period: published results change only by a recorded correction.
    """
    period = Period.objects.select_for_update().filter(year=data.year).first()
    if period is not None and period.status == PeriodStatus.PUBLISHED:
        raise WorkflowError(
            _("Kết quả năm %(y)s đã công bố: không nhập đè được.") % {"y": data.year}
        )
    sets = {}
    for group, criteria in data.sets.items():
        sets[group], _changed = load_criteria_set(criteria, by=by, tree_only=True)
    units = _save_units(data.units, data.groups)
    if period is None:
        period = Period.objects.create(
            year=data.year, name=f"Chỉ số CCHC năm {data.year}", status=PeriodStatus.APPRAISING
        )
    groups = {g.code: g for g in UnitGroup.objects.filter(code__in=data.groups)}
    PeriodGroup.objects.filter(period=period).exclude(group__code__in=data.groups).delete()
    for code, criteria_set in sets.items():
        PeriodGroup.objects.update_or_create(
            period=period, group=groups[code], defaults={"criteria_set": criteria_set}
        )
    GradeBand.objects.filter(period=period).delete()
    GradeBand.objects.bulk_create(
        GradeBand(
            period=period,
            group=groups[code],
            label=b["label"],
            lower_bound=b["lower_bound"],
            color=b["color"],
        )
        for code, bands in data.bands.items()
        for b in bands
    )
    _write_scores(period, data, sets, units, by)
    # The importing administrator acts for the system when finalising and publishing here;
    # the "period.imported" audit entry names them.
    if period.status == PeriodStatus.FINALISED:
        compute_results(period, by=by)
    else:
        period = finalise_period(period)
    if publish:
        publish_results(period)
    audit.record("period.imported", actor=by, period=period, obj=period, changes=data.summary)
    return period


def _write_scores(period, data: PeriodData, sets, units, by) -> None:
    """Write every score cell: updates only what changed, with history, in bulk."""
    now = clock.now()
    unit_codes = [u for scores in data.scores.values() for u in scores]
    existing = {
        a.unit.code: a for a in Assessment.objects.filter(period=period).select_related("unit")
    }
    new = [
        Assessment(
            period=period,
            unit=units[code],
            status=AssessmentStatus.APPRAISED,
            appraised_at=now,
            appraised_by=by,
        )
        for code in unit_codes
        if code not in existing
    ]
    Assessment.objects.bulk_create(new)
    Assessment.objects.filter(period=period, unit__code__in=unit_codes).update(
        status=AssessmentStatus.APPRAISED
    )
    assessments = {
        a.unit.code: a
        for a in Assessment.objects.filter(period=period, unit__code__in=unit_codes).select_related(
            "unit"
        )
    }
    leaves = {
        (c.criteria_set_id, c.code): c
        for c in Criterion.objects.filter(criteria_set__in=sets.values()).leaves()
    }
    entries = {
        (e.assessment_id, e.criterion_id): e
        for e in ScoreEntry.objects.filter(assessment__in=assessments.values())
    }
    to_create, to_update, adjustments = [], [], []
    touched_categories = set()
    for group, scores in data.scores.items():
        set_id = sets[group].pk
        for unit_code, cells in scores.items():
            assessment = assessments[unit_code]
            for code, value in cells.items():
                leaf = leaves[(set_id, code)]
                if leaf.adjustment_kind:
                    touched_categories.add((assessment.pk, leaf.pk))
                    if value:
                        adjustments.append(_adjustment(assessment, leaf, value, by, now))
                    continue
                fields = _entry_fields(leaf, value)
                entry = entries.get((assessment.pk, leaf.pk))
                if entry is None:
                    to_create.append(
                        ScoreEntry(assessment=assessment, criterion=leaf, updated_by=by, **fields)
                    )
                elif any(getattr(entry, k) != v for k, v in fields.items()):
                    for k, v in fields.items():
                        setattr(entry, k, v)
                    entry.revision += 1
                    entry.updated_by = by
                    to_update.append(entry)
    bulk_create_with_history(to_create, ScoreEntry, batch_size=2000, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update,
            ScoreEntry,
            [
                "self_points",
                "appraised_points",
                "survey_points",
                "not_applicable",
                "revision",
                "updated_by",
            ],
            batch_size=2000,
            default_user=by,
        )
    for assessment_id, category_id in touched_categories:
        Adjustment.objects.filter(assessment_id=assessment_id, category_id=category_id).delete()
    Adjustment.objects.bulk_create(adjustments, batch_size=2000)


def _entry_fields(leaf: Criterion, value) -> dict:
    if value == NOT_APPLICABLE:
        return {
            "not_applicable": True,
            "self_points": None,
            "appraised_points": None,
            "survey_points": None,
        }
    if leaf.method == Method.SURVEY:
        return {
            "not_applicable": False,
            "survey_points": value,
            "self_points": None,
            "appraised_points": None,
        }
    return {
        "not_applicable": False,
        "self_points": value,
        "appraised_points": value,
        "survey_points": None,
    }


def _adjustment(assessment, leaf, amount: Decimal, by, now) -> Adjustment:
    return Adjustment(
        assessment=assessment,
        kind=leaf.adjustment_kind,
        category=leaf,
        amount=amount,
        reason=IMPORTED,
        status=AdjustmentStatus.APPROVED,
        proposed_by=by,
        decided_by=by,
        decided_at=now,
        decision_note=IMPORTED,
    )


@transaction.atomic
def import_survey(period: Period, group: UnitGroup, scores: dict[str, dict], *, by=None) -> int:
    """Write a survey institute's results for one group; return how many cells changed."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status not in (PeriodStatus.OPEN, PeriodStatus.APPRAISING):
        raise WorkflowError(
            _("Kỳ đánh giá đã “%(s)s”: không nhập kết quả điều tra được nữa.")
            % {"s": period.get_status_display()}
        )
    assessments = {
        a.unit.code: a
        for a in Assessment.objects.filter(period=period, unit__group=group).select_related("unit")
    }
    set_id = PeriodGroup.objects.get(period=period, group=group).criteria_set_id
    leaves = {
        c.code: c for c in Criterion.objects.filter(criteria_set_id=set_id, method=Method.SURVEY)
    }
    entries = {
        (e.assessment_id, e.criterion_id): e
        for e in ScoreEntry.objects.filter(
            assessment__in=assessments.values(), criterion__in=leaves.values()
        )
    }
    to_create, to_update = [], []
    for unit_code, cells in scores.items():
        assessment = assessments[unit_code]
        for code, points in cells.items():
            entry = entries.get((assessment.pk, leaves[code].pk))
            if entry is None:
                to_create.append(
                    ScoreEntry(
                        assessment=assessment,
                        criterion=leaves[code],
                        survey_points=points,
                        updated_by=by,
                    )
                )
            elif entry.survey_points != points:
                entry.survey_points = points
                entry.revision += 1
                entry.updated_by = by
                to_update.append(entry)
    bulk_create_with_history(to_create, ScoreEntry, batch_size=2000, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update, ScoreEntry, ["survey_points", "revision", "updated_by"], default_user=by
        )
    changed = len(to_create) + len(to_update)
    audit.record(
        "survey.imported", actor=by, period=period, changes={"group": group.code, "cells": changed}
    )
    return changed
