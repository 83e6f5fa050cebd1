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

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.bulk import db_datetime
from parindex.core.bulk_sql import temporary_table, write_with_history
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


def create_assessments(period, units: list[UnitChanges], unit_objects: dict, by) -> None:
    """Create, appraised, the assessments of the units the import adds to the period."""
    now = clock.now()
    created = [u for u in units if u.created]
    assessments = [
        Assessment(
            period=period,
            unit=unit_objects[u.code],
            status=AssessmentStatus.APPRAISED,
            appraised_at=now,
            appraised_by=by,
            unranked_reason=u.unranked[1] if u.unranked else "",
        )
        for u in created
    ]
    Assessment.objects.bulk_create(assessments, batch_size=1000)  # sets their ids
    for unit, assessment in zip(created, assessments, strict=True):
        unit.assessment = assessment


# The staged score rows: ScoreEntry's columns of these fields (the row's id: None for a new row).
STAGED = (
    "id",
    "assessment",
    "criterion",
    "self_points",
    "appraised_points",
    "survey_points",
    "not_applicable",
)
VALUES = STAGED[3:]  # what an import sets; the rest of a new row takes the model defaults


def write_leaves(units: list[UnitChanges], *, by, reason: str) -> int:
    """Write every changed leaf, new score rows and updated ones, with their history rows
    (``by``, ``reason``); return how many rows.

    The rows are staged in a temporary table, then written in a few statements whatever their
    number: the new rows inserted, the changed ones updated (revision + 1), each with the one
    history row ``bulk_create_with_history`` / ``bulk_update_with_history`` gave it ("+" for a
    new row, "~" for a changed one, holding the row's new values, the user and the reason).
    Building and preparing 300,000 model instances for the ORM took most of the time of a
    large import.
    """
    rows = [_staged(unit, change) for unit in units for change in unit.leaves]
    if not rows:
        return 0
    meta = ScoreEntry._meta
    quote = connection.ops.quote_name
    col = {f.name: quote(f.column) for f in meta.concrete_fields}
    table = quote(meta.db_table)
    user_id = by.pk if by is not None else None
    now = timezone.now()  # what auto_now and the history's own default would give
    history = {"when": now, "user_id": user_id, "reason": reason}
    values = [col[name] for name in VALUES]
    staged = [(meta.get_field(name).column, meta.get_field(name)) for name in STAGED]
    created = sum(1 for row in rows if row[0] is None)
    with temporary_table("import_scores", staged, rows) as stage:
        if created:
            keys = [col["assessment"], col["criterion"], *values]
            same_key = " AND ".join(f"s.{c} = x.{c}" for c in keys[:2])
            write_with_history(
                ScoreEntry,
                f"INSERT INTO {table} ({', '.join(keys)}, {col['self_note']}, "
                f"{col['appraisal_note']}, {col['explanation']}, {col['revision']}, "
                f"{col['updated_at']}, {col['updated_by']}) "
                f"SELECT {', '.join('s.' + c for c in keys)}, '', '', '', 0, %s, %s "
                f"FROM {stage} s WHERE s.{col['id']} IS NULL",
                [db_datetime(now), user_id],
                # From the staged keys to the new rows through the unique (assessment, leaf)
                # index, not a scan of every stored row.
                written=f"e.{col['id']} IN (SELECT x.{col['id']} FROM {stage} s "
                f"JOIN {table} x ON {same_key} WHERE s.{col['id']} IS NULL)",
                history_type="+",
                **history,
            )
        if created < len(rows):
            write_with_history(
                ScoreEntry,
                f"UPDATE {table} SET {', '.join(f'{c} = s.{c}' for c in values)}, "
                f"{col['revision']} = {table}.{col['revision']} + 1, "
                f"{col['updated_at']} = %s, {col['updated_by']} = %s "
                f"FROM {stage} s WHERE {table}.{col['id']} = s.{col['id']}",
                [db_datetime(now), user_id],
                written=f"e.{col['id']} IN (SELECT s.{col['id']} FROM {stage} s "
                f"WHERE s.{col['id']} IS NOT NULL)",
                history_type="~",
                **history,
            )
    return len(rows)


def _staged(unit: UnitChanges, change) -> tuple:
    """Return the staged row of one changed leaf: (row id or None, assessment id, leaf id,
    then the self, appraised and survey points and "not applicable" the row holds after the
    import). Which field the file's value goes to is the rule of this module's docstring."""
    entry, value = change.entry, change.new
    key = (entry.pk if entry is not None else None, unit.assessment.pk, change.leaf.pk)
    if entry is None:
        own, appraised, survey = None, None, None
    else:
        own, appraised, survey = entry.self_points, entry.appraised_points, entry.survey_points
    if value == NOT_APPLICABLE:
        return (*key, own, appraised, survey, True)
    if change.leaf.method == Method.SURVEY:
        survey = value
    elif unit.created:
        own = appraised = value
    elif unit.assessment.status != AssessmentStatus.DRAFT or appraised is not None:
        appraised = value
    else:
        own = value
    return (*key, own, appraised, survey, False)


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
    """Write the new "left out of the ranking" reasons: one UPDATE per distinct reason."""
    by_reason = {}
    for unit in units:
        if unit.unranked and not unit.created:
            by_reason.setdefault(unit.unranked[1], []).append(unit.assessment.pk)
    for reason, ids in by_reason.items():
        Assessment.objects.filter(pk__in=ids).update(unranked_reason=reason)


def record_units(period, units: list[UnitChanges], *, by, action: str) -> None:
    """Write one audit entry per changed unit, all at once: each value old → new, and what it
    replaced."""
    audit.record_many(
        action,
        (
            {
                "unit": unit.assessment.unit,
                "obj": unit.assessment,
                "changes": _unit_changes(unit),
                "message": _("Tạo bản đánh giá") if unit.created else "",
            }
            for unit in units
        ),
        actor=by,
        period=period,
    )


def _unit_changes(unit: UnitChanges) -> dict:
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
    return changes
