"""Units of a period brought to each step of the cycle through the services, for the to-do
lists and the progress board (tests/core/test_todo.py, test_board.py, tests/web/test_todo_pages.py).
"""

from __future__ import annotations

from datetime import timedelta

from parindex.core import clock
from parindex.core.models import Assessment, AssessmentStatus, ScoreEntry
from parindex.core.services.appraisal import (
    appraise_leaf,
    finalise_appraisal,
    return_for_explanation,
    save_explanation,
    send_explanation,
)
from parindex.core.services.assessments import save_self_score, submit_assessment
from tests.builders import assess, leaf_of, make_unit, make_user

# The small criteria set's self-assessed leaves and the points a unit claims on them.
CLAIMS = (("1.1", "20"), ("1.2.1", "30"), ("1.2.2", "10"))
STEPS = ("empty", "scored", "submitted", "appraising", "returned", "explained", "appraised")


def people(unit, suffix=""):
    """The officer and the head of ``unit``."""
    code = unit.code.lower() + suffix
    return make_user(f"canbo.{code}", "officer", unit), make_user(
        f"lanhdao.{code}", "unit_head", unit
    )


def _revision(assessment, code) -> int:
    entry = ScoreEntry.objects.filter(assessment=assessment, criterion__code=code).first()
    return entry.revision if entry else 0


def unit_at(period, code, step, *, reviewer, group="SO", claims=CLAIMS) -> Assessment:
    """Create unit ``code`` and bring its assessment to ``step`` (one of ``STEPS``) the way
    people do: the officer scores, the head submits, ``reviewer`` cuts leaf 1.1 to 10 and
    returns it, the unit explains 1.1 and sends, or the reviewer closes the appraisal."""
    unit = make_unit(code, group)
    officer, head = people(unit)
    a = assess(period, unit, status=AssessmentStatus.DRAFT)
    index = STEPS.index(step)
    if index >= STEPS.index("scored"):
        for leaf, points in claims:
            save_self_score(
                a,
                leaf_of(period, leaf, group),
                by=officer,
                points_text=points,
                note="Báo cáo",
                revision=_revision(a, leaf),
            )
    if index >= STEPS.index("submitted"):
        submit_assessment(a, by=head)
    if step == "appraised":
        finalise_appraisal(a, by=reviewer)
        return Assessment.objects.get(pk=a.pk)
    if index >= STEPS.index("appraising"):
        appraise_leaf(
            a,
            leaf_of(period, "1.1", group),
            by=reviewer,
            points_text="10",
            note="Thiếu",
            revision=_revision(a, "1.1"),
        )
    if index >= STEPS.index("returned"):
        return_for_explanation(a, by=reviewer, deadline=clock.today() + timedelta(days=3))
    if index >= STEPS.index("explained"):
        save_explanation(
            a,
            leaf_of(period, "1.1", group),
            by=officer,
            text="Đã có báo cáo",
            revision=_revision(a, "1.1"),
        )
        send_explanation(a, by=head)
    return Assessment.objects.get(pk=a.pk)


def deadline_passed(period, days=2):
    """Move the period's self-assessment deadline ``days`` before today."""
    period.self_assessment_deadline = clock.today() - timedelta(days=days)
    period.save(update_fields=["self_assessment_deadline"])
    return period
