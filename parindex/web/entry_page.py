"""What the self-assessment entry page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from parindex.core import clock
from parindex.core.history import leaf_histories
from parindex.core.models import (
    Criterion,
    Evidence,
    Method,
    PeriodGroup,
    ScoreEntry,
)
from parindex.core.progress import self_assessment_progress
from parindex.core.services.assessments import allowed_actions, submission_blockers
from parindex.web.templatetags.scores import score


def points_text(value: Decimal | None) -> str:
    """Show stored points the way they can be typed back ("0.5", "1")."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


@dataclass
class Row:
    """One node of the tree on the page; leaves carry their entry and form state."""

    node: Criterion
    entry: ScoreEntry | None = None
    evidence: list = field(default_factory=list)
    history: list = field(default_factory=list)
    points: str = ""
    note: str = ""
    revision: int = 0
    error: str = ""
    conflict: object = None

    @property
    def is_survey(self):
        return self.node.method == Method.SURVEY

    @property
    def options(self):
        return [(label, points_text(p)) for label, p in self.node.option_points()]


def days_left(deadline) -> int | None:
    """Return the whole days from today (server time) to the deadline day, inclusive of today."""
    if deadline is None:
        return None
    return (deadline - clock.today()).days


def criteria_set_id_of(assessment) -> int | None:
    return (
        PeriodGroup.objects.filter(
            period_id=assessment.period_id, group_id=assessment.unit.group_id
        )
        .values_list("criteria_set_id", flat=True)
        .first()
    )


def progress_json(assessment) -> dict:
    """The running totals the page's script updates after each save."""
    progress = self_assessment_progress(assessment, criteria_set_id_of(assessment))
    return {
        "self_points": score(progress.self_points),
        "scored": progress.scored,
        "leaves": progress.leaves,
        "areas": {
            a.code: {"self_points": score(a.self_points), "scored": a.scored, "leaves": a.leaves}
            for a in progress.areas
        },
    }


def entry_context(user, assessment, leaf_error: dict | None = None) -> dict:
    set_id = criteria_set_id_of(assessment)
    progress = self_assessment_progress(assessment, set_id)
    scored_areas = {a.area_id for a in progress.areas}
    nodes = Criterion.objects.filter(criteria_set_id=set_id).order_by("position")
    entries = {
        e.criterion_id: e
        for e in ScoreEntry.objects.filter(assessment=assessment).select_related("updated_by")
    }
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(entry__assessment=assessment).order_by("uploaded_at"):
        evidence[item.entry_id].append(item)
    histories = leaf_histories(assessment)
    areas = []
    for node in nodes:
        if node.area_id not in scored_areas:
            continue  # the bonus/deduction part is the reviewers' business
        entry = entries.get(node.pk)
        row = Row(
            node=node,
            entry=entry,
            evidence=evidence.get(entry.pk, []) if entry else [],
            history=histories.get(node.pk, []),
            points=points_text(entry.self_points) if entry else "",
            note=entry.self_note if entry else "",
            revision=entry.revision if entry else 0,
        )
        if leaf_error and leaf_error["criterion_id"] == node.pk:
            row.error = leaf_error["message"]
            row.conflict = leaf_error.get("conflict")
            if leaf_error.get("typed"):
                row.points, row.note = leaf_error["typed"]
        if node.parent_id is None:
            areas.append({"node": node, "rows": []})
        else:
            areas[-1]["rows"].append(row)
    actions = allowed_actions(user, assessment)
    return {
        "assessment": assessment,
        "period": assessment.period,
        "unit": assessment.unit,
        "areas": areas,
        "progress": progress,
        "area_progress": {a.area_id: a for a in progress.areas},
        "can_edit": "edit" in actions,
        "can_submit": "submit" in actions,
        "can_withdraw": "withdraw" in actions,
        "blockers": submission_blockers(assessment) if "submit" in actions else [],
        "window_open": assessment.period.self_assessment_open(clock.now()),
        "days_left": days_left(assessment.period.self_assessment_deadline),
    }
