"""What the entry and appraisal pages show, gathered in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from parindex.core import clock
from parindex.core.calculation import score_assessment
from parindex.core.history import last_appraisal, leaf_histories
from parindex.core.models import Criterion, Evidence, Method, ScoreEntry
from parindex.core.numbers import points_text
from parindex.core.permissions import can_appraise, can_see_appraisal
from parindex.core.progress import self_assessment_progress
from parindex.core.team import AssessmentTeam, assessment_team, open_parts, part_text
from parindex.core.timeline import extension_text, period_phases
from parindex.core.workflow import appraisal_actions, entry_flags, submission_blockers
from parindex.web.decision_panel import decision_context
from parindex.web.templatetags.scores import score


@dataclass
class Row:
    """One node of the tree on the page; leaves carry their entry and form state."""

    node: Criterion
    entry: ScoreEntry | None = None
    evidence: list = field(default_factory=list)
    history: list = field(default_factory=list)
    points: str = ""
    note: str = ""
    explanation: str = ""
    not_applicable: bool = False
    revision: int = 0
    error: str = ""
    evidence_error: str = ""  # a refused upload, shown at the leaf's upload field
    conflict: object = None  # the ConflictBox of a save refused because of a colleague's
    editable: bool = True  # on the appraisal page: the team gives this leaf to the viewer
    responsible: list = field(default_factory=list)  # assigned reviewers; empty: the pool
    comment_error: str = ""
    comment_text: str = ""

    @property
    def comments(self):
        return [item for item in self.history if item.comment]

    @property
    def appraised(self):
        """The latest appraisal of the leaf (who, when), None before any."""
        return last_appraisal(self.history)

    @property
    def is_survey(self):
        return self.node.method == Method.SURVEY

    @property
    def options(self):
        return [(label, points_text(p)) for label, p in self.node.option_points()]

    @property
    def contested(self):
        return self.entry is not None and self.entry.is_contested


EVIDENCE_FIELD = "evidence"  # a leaf error of the upload form rather than of the points form


def build_tree(assessment, scored_areas, *, with_appraisal: bool, form_values, error):
    """Return the areas of the page, each with its rows in tree order.

    ``form_values(entry)`` gives the (points, note) the row's form starts with; ``error`` is
    the refused save to show again or None: {criterion_id, message, box (a conflict), typed
    (row attributes as typed), revision (the one the form was loaded with)}.
    """
    nodes = Criterion.objects.for_assessment(assessment).order_by("position")
    entries = {
        e.criterion_id: e
        for e in ScoreEntry.objects.filter(assessment=assessment).select_related(
            "updated_by", "criterion"
        )
    }
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(entry__assessment=assessment).order_by("uploaded_at"):
        evidence[item.entry_id].append(item)
    histories = leaf_histories(assessment, with_appraisal=with_appraisal)
    areas = []
    for node in nodes:
        if node.area_id not in scored_areas:
            continue  # the bonus/deduction part is handled as adjustment items
        entry = entries.get(node.pk)
        points, note = form_values(entry) if entry else ("", "")
        row = Row(
            node=node,
            entry=entry,
            evidence=evidence.get(entry.pk, []) if entry else [],
            history=histories.get(node.pk, []),
            points=points,
            note=note,
            explanation=entry.explanation if entry else "",
            not_applicable=entry.not_applicable if entry else False,
            revision=entry.revision if entry else 0,
        )
        if error and error["criterion_id"] == node.pk:
            show_refused(row, error)
        if error and error.get("comment_for") == node.pk:
            row.comment_error, row.comment_text = error["comment_error"], error["comment_text"]
        if node.parent_id is None:
            areas.append({"node": node, "rows": []})
        else:
            areas[-1]["rows"].append(row)
    return areas


def show_refused(row: Row, error: dict) -> None:
    """Show a refused save on its row: the message, what was typed and the form's revision.

    The revision stays the one the form was loaded with: after a conflict, saving the same
    form again is refused again; only the conflict box saves over the newer revision.
    """
    if error.get("field") == EVIDENCE_FIELD:
        row.evidence_error = error["message"]
        return
    row.error = error["message"]
    row.conflict = error.get("box")
    for name, value in (error.get("typed") or {}).items():
        setattr(row, name, value)
    if error.get("revision") is not None:
        row.revision = error["revision"]


def area_label(area) -> str:
    return f"{score(area.self_points)}/{score(area.self_max)} · {area.scored}/{area.leaves}"


def progress_updates(assessment) -> dict:
    """Selector → text of the running totals the entry page's script updates after a save."""
    progress = self_assessment_progress(assessment)
    updates = {"[data-total]": score(progress.self_points), "[data-scored]": str(progress.scored)}
    for area in progress.areas:
        updates[f'[data-area="{area.code}"]'] = area_label(area)
    return updates


# At most this many leaves get their history back with one totals request (a burst of saves).
MAX_HISTORIES = 100


def leaf_history_html(assessment, codes, *, with_appraisal: bool) -> dict[str, str]:
    """Return code → the history block (``includes/_leaf_history.html``) of each leaf of
    ``codes`` in the assessment's set: what the page's script puts in place of the blocks of the
    leaves it saved, the count and the list as a reload would show them. Codes of no leaf of the
    set are left out; the history is read as the page reads it (two queries)."""
    codes = [code for code in codes if code][:MAX_HISTORIES]
    if not codes:
        return {}
    leaves = Criterion.objects.for_assessment(assessment).filter(code__in=codes)
    histories = leaf_histories(assessment, with_appraisal=with_appraisal)
    return {
        code: render_to_string("includes/_leaf_history.html", {"history": histories.get(pk, [])})
        for pk, code in leaves.values_list("pk", "code")
    }


def entry_context(user, assessment, leaf_error: dict | None = None) -> dict:
    progress = self_assessment_progress(assessment)
    sees_appraisal = can_see_appraisal(user, assessment)
    areas = build_tree(
        assessment,
        {a.area_id for a in progress.areas},
        with_appraisal=sees_appraisal,
        form_values=lambda e: (points_text(e.self_points), e.self_note),
        error=leaf_error,
    )
    flags = entry_flags(user, assessment)
    return flags | {
        "assessment": assessment,
        "period": assessment.period,
        "unit": assessment.unit,
        "areas": areas,
        "progress": progress,
        "area_labels": {a.area_id: area_label(a) for a in progress.areas},
        "can_appraise": can_appraise(user, assessment),
        "sees_appraisal": sees_appraisal,
        "blockers": submission_blockers(assessment) if flags["can_submit"] else [],
        "entry_deadline": assessment.entry_deadline,
        "extension": extension_text(assessment),
        "days_left": days_left(assessment.entry_deadline),
        "phases": period_phases(assessment.period, assessment),
    }


def score_updates(assessment) -> dict:
    """Selector → text of the provisional score the appraisal page updates after a save."""
    unit_score = score_assessment(assessment)
    codes = dict(
        Criterion.objects.filter(pk__in=[a.key for a in unit_score.areas]).values_list("pk", "code")
    )
    updates = {
        "[data-index]": score(unit_score.index),
        "[data-total]": score(unit_score.total),
        "[data-max]": score(unit_score.max_points),
    }
    for area in unit_score.areas:
        updates[f'[data-area-index="{codes[area.key]}"]'] = (
            f"{score(area.points)}/{score(area.max_points)} · {score(area.index)}%"
        )
    return updates


def appraise_context(
    user, assessment, leaf_error: dict | None = None, bound: dict | None = None
) -> dict:
    """Return what the appraisal page shows; ``bound`` holds refused forms of its decision
    panel to show again (``decision_panel.decision_context``)."""
    unit_score = score_assessment(assessment)
    scored_areas = {a.key for a in unit_score.areas}

    def form_values(entry):
        if entry.criterion.method == Method.SURVEY:
            return points_text(entry.survey_points), ""
        if entry.appraised_points is None and not entry.not_applicable:
            return points_text(entry.self_points), entry.appraisal_note
        return points_text(entry.appraised_points), entry.appraisal_note

    areas = build_tree(
        assessment,
        scored_areas,
        with_appraisal=True,
        form_values=form_values,
        error=leaf_error,
    )
    area_scores = {a.key: a for a in unit_score.areas}
    for area in areas:
        area["score"] = area_scores[area["node"].pk]
    actions = appraisal_actions(user, assessment)
    applied = assessment_team(assessment)
    apply_team(areas, applied, user, editing="appraise" in actions)
    return (
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "areas": areas,
            "unit_score": unit_score,
            "can_edit": "appraise" in actions,
            "can_return": "return" in actions,
            "can_finalise": "finalise" in actions,
            "default_explanation_deadline": assessment.period.explanation_deadline,
            "phases": period_phases(assessment.period, assessment),
        }
        | team_context(user, assessment, applied, actions)
        | decision_context(user, assessment, bound)
    )


def apply_team(areas, applied: AssessmentTeam, user, *, editing: bool) -> None:
    """Mark each leaf editable by ``user`` or not under the team's rule, with who is
    responsible for it."""
    for area in areas:
        for row in area["rows"]:
            if row.node.is_leaf:
                row.editable = editing and applied.may_edit(user, row.node.pk)
                row.responsible = applied.responsible(row.node.pk)


def team_context(user, assessment, applied: AssessmentTeam, actions) -> dict:
    """The appraisal page's team panel: the parts still open and the viewer's own part."""
    still_open = open_parts(assessment) if applied.team.active else []
    mine = user.pk in applied.part_reviewers
    return {
        "team_active": applied.team.active,
        "open_parts": [part_text(r, applied.team, assessment.unit_id) for r in still_open],
        "can_mark_done": mine and "appraise" in actions and user in still_open,
        "my_part_done": mine and user not in still_open,
    }


def days_left(deadline) -> int | None:
    """Return the whole days from today (server time) to the deadline day."""
    if deadline is None:
        return None
    return (deadline - clock.today()).days
