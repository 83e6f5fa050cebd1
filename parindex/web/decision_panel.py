"""The "Quyết định về đơn vị" panel of the appraisal page: the unit's deadline, extension,
late appraisal and ranking, and the forms of what the person may decide there now."""

from __future__ import annotations

from parindex.core.workflow import decision_flags
from parindex.web.forms import ExtendDeadlineForm, LateAppraisalForm, ReopenForm, UnitRankingForm

# Context name → (form class, prefix of its fields).
PANEL_FORMS = {
    "extend_form": (ExtendDeadlineForm, "extend"),
    "late_form": (LateAppraisalForm, "late"),
    "reopen_form": (ReopenForm, "reopen"),
    "unit_ranking_form": (UnitRankingForm, "ranking"),
}


def panel_form(name: str, assessment, data=None):
    """Return the panel's form ``name`` for ``assessment``, bound to ``data`` when posted."""
    form_class, prefix = PANEL_FORMS[name]
    initial = {}
    if form_class is UnitRankingForm:
        initial = {
            "excluded": bool(assessment.unranked_reason),
            "reason": assessment.unranked_reason,
        }
    return form_class(data, prefix=prefix, initial=initial)


def decision_context(user, assessment, bound: dict | None = None) -> dict:
    """Return the panel's flags and forms; ``bound`` maps a form name to a refused, bound form
    to show again with its errors."""
    bound = bound or {}
    forms = {name: bound.get(name) or panel_form(name, assessment) for name in PANEL_FORMS}
    return decision_flags(user, assessment) | forms
