"""Survey imports: a survey institute's results for one group, with the rules of every import.

Only values that differ are written; survey points typed in the application are overwritten
only with ``replace`` (the rule is in ``import_changes``); a group already finalised or
published is refused. ``preview_survey_import`` runs the import in a savepoint and rolls it
back, showing each survey leaf old → new and each unit's index before → after.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.errors import WorkflowError
from parindex.core.models import (
    Assessment,
    Criterion,
    GroupStage,
    Method,
    Period,
    PeriodGroup,
    UnitGroup,
)
from parindex.core.services import audit
from parindex.core.services.import_changes import (
    SURVEY_IMPORTED,
    ImportChanges,
    UnitChanges,
    compare_leaves,
    mark_entered,
    stored_rows,
)
from parindex.core.services.import_writes import record_units, write_leaves
from parindex.core.services.imports import NO_INDEX, detached, indices, refuse_entered
from parindex.core.services.results import lock_period
from parindex.core.workflow import OPEN_PERIOD


@transaction.atomic
def import_survey_changes(
    period: Period,
    group: UnitGroup,
    scores: dict[str, dict],
    *,
    by=None,
    replace: bool = False,
    seen=None,
    with_indices: bool = False,
) -> ImportChanges:
    """Write a survey institute's results for one group; return what changed.

    Refused once the group is finalised or published, and, without ``replace``, when it would
    change survey points entered in the application.
    """
    period = lock_period(period)
    pg = PeriodGroup.objects.filter(period=period, group=group).first()
    if period.status not in OPEN_PERIOD or pg is None or pg.stage != GroupStage.OPEN:
        status = pg.get_stage_display() if pg else period.get_status_display()
        raise WorkflowError(
            _("Khối “%(g)s” đã “%(s)s”: không nhập kết quả điều tra được nữa.")
            % {"g": group, "s": status}
        )
    changes = ImportChanges(year=period.year, period=period, group=group.code)
    changes.units = plan_survey(period, pg, group.code, scores)
    refuse_entered(changes, replace, seen)
    before = indices(period, [group.pk]) if with_indices and changes.has_changes else {}
    changed = changes.changed_units
    if changed:
        write_leaves(changed, by=by, reason=SURVEY_IMPORTED)
        record_units(period, changed, by=by, action="assessment.imported")
        audit.record(
            "survey.imported",
            actor=by,
            period=period,
            changes={
                "group": group.code,
                "cells": sum(len(u.leaves) for u in changed),
                "changed_units": len(changed),
                "replaced": changes.entered,
            },
        )
    if with_indices and changed:
        after = indices(period, [group.pk])
        for unit in changed:
            unit.before, unit.after = (
                before.get(unit.code, NO_INDEX),
                after.get(unit.code, NO_INDEX),
            )
    return changes


def plan_survey(period, pg: PeriodGroup, group: str, scores: dict) -> list[UnitChanges]:
    """Compare the survey points of the file with those the group's units store."""
    leaves = {
        c.code: c
        for c in Criterion.objects.filter(criteria_set_id=pg.criteria_set_id, method=Method.SURVEY)
    }
    assessments = {
        a.unit.code: a
        for a in Assessment.objects.filter(
            period=period, unit__group_id=pg.group_id
        ).select_related("unit")
    }
    entries, _approved = stored_rows(assessments.values(), [c.pk for c in leaves.values()])
    units = []
    for code, cells in scores.items():
        assessment = assessments[code]
        unit = UnitChanges(code=code, name=assessment.unit.name, group=group, assessment=assessment)
        compare_leaves(unit, cells, leaves, entries)
        units.append(unit)
    mark_entered(units)
    return units


def import_survey(period: Period, group: UnitGroup, scores: dict[str, dict], **options) -> int:
    """Write a survey institute's results for one group; return how many cells changed."""
    changes = import_survey_changes(period, group, scores, **options)
    return sum(len(u.leaves) for u in changes.units)


def preview_survey_import(period: Period, group: UnitGroup, scores: dict[str, dict]):
    """Return what a survey import would change, with indices before → after; write nothing."""
    with transaction.atomic():
        changes = import_survey_changes(period, group, scores, replace=True, with_indices=True)
        transaction.set_rollback(True)
    return detached(changes, Period.objects.filter(pk=period.pk).first())
