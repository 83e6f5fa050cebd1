"""Writing what an import changes for its units: assessments, score rows, adjustments, audit.

Only the changes ``import_changes`` found are written, in bulk, with history. Which field a
leaf's value goes to:

- an assessment the import creates (a past year brought in): self and appraised points both
  hold the file's value, the assessment is appraised;
- an existing assessment keeps its status and the unit's own claim: the value becomes the
  appraised points once appraisal started (or the row already has an appraised value), else,
  while the unit has not submitted, its self-assessed points; survey leaves take survey points.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from parindex.core import clock
from parindex.core.excel.sheets import NOT_APPLICABLE
from parindex.core.models import (
    Adjustment,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    Method,
    ScoreEntry,
)
from parindex.core.numbers import points_text
from parindex.core.services import audit
from parindex.core.services.import_changes import IMPORTED, UnitChanges

REPLACED = "Thay bằng số liệu nhập từ sổ điểm Excel"
ENTRY_FIELDS = [
    "self_points",
    "appraised_points",
    "survey_points",
    "not_applicable",
    "revision",
    "updated_by",
]


def create_assessments(period, units: list[UnitChanges], unit_objects: dict, by) -> None:
    """Create, appraised, the assessments of the units the import adds to the period."""
    now = clock.now()
    created = [u for u in units if u.created]
    Assessment.objects.bulk_create(
        Assessment(
            period=period,
            unit=unit_objects[u.code],
            status=AssessmentStatus.APPRAISED,
            appraised_at=now,
            appraised_by=by,
            unranked_reason=u.unranked[1] if u.unranked else "",
        )
        for u in created
    )
    saved = {
        a.unit.code: a
        for a in Assessment.objects.filter(
            period=period, unit__code__in=[u.code for u in created]
        ).select_related("unit")
    }
    for unit in created:
        unit.assessment = saved[unit.code]


def write_leaves(units: list[UnitChanges], *, by, reason: str) -> None:
    """Write every changed leaf: new score rows and updated ones, with history (``reason``)."""
    to_create, to_update = [], []
    for unit in units:
        for change in unit.leaves:
            fields = _fields(change.leaf, change.new, change.entry, unit)
            if change.entry is None:
                to_create.append(
                    ScoreEntry(
                        assessment=unit.assessment, criterion=change.leaf, updated_by=by, **fields
                    )
                )
                continue
            for key, value in fields.items():
                setattr(change.entry, key, value)
            change.entry.revision += 1
            change.entry.updated_by = by
            to_update.append(change.entry)
    bulk_create_with_history(
        to_create, ScoreEntry, batch_size=2000, default_user=by, default_change_reason=reason
    )
    if to_update:
        bulk_update_with_history(
            to_update,
            ScoreEntry,
            ENTRY_FIELDS,
            batch_size=2000,
            default_user=by,
            default_change_reason=reason,
        )


def _fields(leaf, value, entry, unit: UnitChanges) -> dict:
    if value == NOT_APPLICABLE:
        return {"not_applicable": True}
    if leaf.method == Method.SURVEY:
        return {"not_applicable": False, "survey_points": value}
    if unit.created:
        return {"not_applicable": False, "self_points": value, "appraised_points": value}
    appraising = unit.assessment.status != AssessmentStatus.DRAFT
    if appraising or (entry is not None and entry.appraised_points is not None):
        return {"not_applicable": False, "appraised_points": value}
    return {"not_applicable": False, "self_points": value}


def write_adjustments(units: list[UnitChanges], *, by) -> None:
    """Make each changed category's approved total the file's amount.

    The import's own earlier items are deleted; approved items entered in the application are
    marked rejected with a note saying the import replaced them (the audit entry keeps them).
    """
    now = clock.now()
    ours, replaced, new = [], [], []
    for unit in units:
        for change in unit.adjustments:
            ours += [a.pk for a in change.items if a.reason == IMPORTED]
            replaced += [a.pk for a in change.replaced]
            if change.new:
                new.append(_adjustment(unit.assessment, change.leaf, change.new, by, now))
    Adjustment.objects.filter(pk__in=ours).delete()
    Adjustment.objects.filter(pk__in=replaced).update(
        status=AdjustmentStatus.REJECTED, decided_by=by, decided_at=now, decision_note=REPLACED
    )
    Adjustment.objects.bulk_create(new, batch_size=2000)


def _adjustment(assessment, leaf, amount, by, now) -> Adjustment:
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


def write_unranked(units: list[UnitChanges]) -> None:
    for unit in units:
        if unit.unranked and not unit.created:
            Assessment.objects.filter(pk=unit.assessment.pk).update(
                unranked_reason=unit.unranked[1]
            )


def record_units(period, units: list[UnitChanges], *, by, action: str) -> None:
    """Write one audit entry per changed unit: each value old → new, and what it replaced."""
    for unit in units:
        changes = {
            "leaves": {c.code: [c.old_text, c.new_text] for c in unit.leaves},
            "adjustments": {c.code: [c.old_text, c.new_text] for c in unit.adjustments},
        }
        replaced = [
            f"{a.get_kind_display()} {points_text(a.amount)} — {a.reason}"
            for c in unit.adjustments
            for a in c.replaced
        ]
        if replaced:
            changes["replaced"] = replaced
        if unit.unranked:
            changes["unranked_reason"] = list(unit.unranked)
        if unit.entered:
            changes["entered_in_app"] = unit.entered
        audit.record(
            action,
            actor=by,
            period=period,
            unit=unit.assessment.unit,
            obj=unit.assessment,
            changes=changes,
            message=_("Tạo bản đánh giá") if unit.created else "",
        )
