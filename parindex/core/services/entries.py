"""What every writing service shares: the assessment lock, status moves, and saving one leaf.

The one revision check (two people saving the same leaf) and the one way a score row is saved
with its history and audit entry live here; the self-assessment, appraisal, explanation and
correction services call them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField
from django.utils.translation import gettext as _

from parindex.core.errors import EditConflict, WorkflowError
from parindex.core.models import Assessment, Criterion, ScoreEntry
from parindex.core.numbers import points_text
from parindex.core.services import audit


def lock_assessment(assessment: Assessment) -> Assessment:
    """Return ``assessment`` re-read with its row locked (select_for_update on PostgreSQL)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=assessment.pk)
    )


def set_status(assessment: Assessment, status, *, by, action: str, fields=()) -> Assessment:
    """Move a locked, checked assessment to ``status`` and record it (old → new)."""
    old = assessment.status
    assessment.status = status
    assessment.save(update_fields=["status", "updated_at", *fields])
    audit.record(
        action,
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=assessment,
        changes={"status": [old, status]},
    )
    return assessment


def lock_entry(assessment: Assessment, criterion) -> ScoreEntry:
    """Return the score row of ``criterion`` for a locked assessment, created when missing."""
    entry, _created = ScoreEntry.objects.select_for_update().get_or_create(
        assessment=assessment, criterion=criterion
    )
    entry.criterion = criterion  # the caller's instance: no query to read its code again
    return entry


def check_revision(
    entry: ScoreEntry,
    revision: int,
    *,
    field: str,
    note_field: str | None,
    your_points: str = "",
    your_note: str = "",
) -> None:
    """Refuse with EditConflict if the leaf was saved since the form was loaded at ``revision``.

    ``field`` and ``note_field`` name what the person edits (the unit's points and note, the
    reviewer's, the survey points, the explanation); the conflict carries the stored values of
    those fields next to what was typed, and says who saved them.
    """
    if entry.revision == revision:
        return
    stored = getattr(entry, field)
    is_points = isinstance(ScoreEntry._meta.get_field(field), DecimalField)
    what = ScoreEntry._meta.get_field(field).verbose_name
    if is_points:
        what = f"{what} {points_text(stored, empty='—')}"
    raise EditConflict(
        _("%(author)s vừa lưu tiêu chí %(code)s (%(what)s). Giá trị của bạn chưa được lưu.")
        % {
            "author": entry.updated_by or _("Người khác"),
            "code": entry.criterion.code,
            "what": what,
        },
        entry=entry,
        your_points=your_points,
        your_note=your_note,
        their_points=stored if is_points else None,
        their_note=getattr(entry, note_field) if note_field else "",
    )


def diff(entry: ScoreEntry, **new) -> dict:
    """Return field → [old, new] of the values that change (JSON-ready, for the audit entry)."""
    return {
        field: [_jsonable(getattr(entry, field)), _jsonable(value)]
        for field, value in new.items()
        if getattr(entry, field) != value
    }


def _jsonable(value):
    return str(value) if isinstance(value, Decimal) else value


def save_entry(entry: ScoreEntry, *, by, action: str, assessment, changes: dict) -> ScoreEntry:
    """Save a changed score row: next revision, who changed it, its history and audit entry."""
    entry.revision += 1
    entry.updated_by = by
    entry._history_user = by
    entry.save()
    audit.record(
        action,
        actor=by,
        period=assessment.period,
        unit=assessment.unit,
        obj=entry,
        changes={"criterion": entry.criterion.code, **changes},
    )
    return entry


def require_leaf(assessment: Assessment, criterion, methods, message) -> None:
    """Refuse ``criterion`` unless it is a leaf of one of ``methods`` in the assessment's set."""
    in_set = (
        Criterion.objects.for_assessment(assessment)
        .filter(pk=criterion.pk, method__in=methods)
        .exists()
    )
    if not in_set:
        raise WorkflowError(message)
