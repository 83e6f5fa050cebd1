"""The phases of a period as a timeline: their dates, and where a unit or the period stands.

Read-only. One definition of where a unit stands (``unit_position``); the period's timeline is
the same question asked of all its units at once. The entry, appraisal and queue pages show it
(``templates/includes/_timeline.html``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core import clock
from parindex.core.models import Assessment, AssessmentStatus, GroupStage, ResultSet

PAST, CURRENT, FUTURE = "past", "current", "future"
STAGE_ORDER = (GroupStage.OPEN, GroupStage.FINALISED, GroupStage.PUBLISHED)
SELF, APPRAISAL, EXPLANATION, FINALISATION, PUBLICATION, DONE = range(6)
LABELS = (
    gettext_lazy("Tự đánh giá"),
    gettext_lazy("Thẩm định"),
    gettext_lazy("Giải trình"),
    gettext_lazy("Chốt kết quả"),
    gettext_lazy("Công bố"),
)
STATE_LABELS = {
    PAST: gettext_lazy("đã qua"),
    CURRENT: gettext_lazy("đang diễn ra"),
    FUTURE: gettext_lazy("sắp tới"),
}


@dataclass(frozen=True)
class Phase:
    """One phase: its dates (``end`` is a deadline when ``is_deadline``, else the day it
    happened), its state (past, current, future) and short notes."""

    label: str
    state: str
    start: date | None = None
    end: date | None = None
    is_deadline: bool = True
    notes: tuple[str, ...] = ()

    @property
    def is_current(self) -> bool:
        return self.state == CURRENT

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class GroupDates:
    """When one group of the period was finalised and published, under which decision."""

    name: str
    stage: str
    finalised_on: date | None = None
    published_on: date | None = None
    decision: str = ""
    corrections: tuple[str, ...] = ()


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def unit_position(status, *, entry_open: bool, stage) -> int:
    """Return the phase a unit stands in (DONE once its group is published).

    Round 2 of the appraisal, after the explanation was sent, is the appraisal again; a unit
    whose appraisal is closed waits for its group to be finalised.
    """
    if stage == GroupStage.PUBLISHED:
        return DONE
    if stage == GroupStage.FINALISED:
        return PUBLICATION
    if status == AssessmentStatus.APPRAISED:
        return FINALISATION
    if status == AssessmentStatus.RETURNED:
        return EXPLANATION
    if status == AssessmentStatus.DRAFT and entry_open:
        return SELF
    return APPRAISAL


def unit_states(status, *, entry_open: bool, stage) -> list[str]:
    """Return the state of each phase for one unit: before its position past, then current."""
    position = unit_position(status, entry_open=entry_open, stage=stage)
    states = [PAST if i < position else CURRENT if i == position else FUTURE for i in range(5)]
    if status == AssessmentStatus.EXPLAINED:
        states[EXPLANATION] = PAST
    return states


def group_dates(period, period_groups=None) -> dict[int, GroupDates]:
    """Return group id → its finalisation and publication dates, for ``period_groups`` (every
    group of the period by default). One query for the results, one for the groups if needed."""
    if period_groups is None:
        period_groups = period.period_groups.select_related("group").order_by("group__order")
    period_groups = list(period_groups)
    sets = defaultdict(list)
    for result_set in ResultSet.objects.filter(
        Q(published=True) | Q(is_current=True),
        period=period,
        group_id__in=[pg.group_id for pg in period_groups],
    ).order_by("version"):
        sets[result_set.group_id].append(result_set)
    return {pg.group_id: _dates_of(pg, sets[pg.group_id]) for pg in period_groups}


def _dates_of(period_group, result_sets) -> GroupDates:
    published = [rs for rs in result_sets if rs.published]
    current = next((rs for rs in result_sets if rs.is_current), None)
    first = published[0] if published else None
    finalised_by = first or current
    finalised_on = None
    if period_group.is_finalised and finalised_by is not None:
        finalised_on = timezone.localdate(finalised_by.computed_at)
    return GroupDates(
        name=period_group.group.name,
        stage=period_group.stage,
        finalised_on=finalised_on,
        published_on=_published_on(first) if first else None,
        decision=first.decision_number if first else "",
        corrections=tuple(
            _("Đính chính: %(decision)s (%(date)s)")
            % {"decision": rs.decision_number or "—", "date": _date(_published_on(rs))}
            for rs in published[1:]
        ),
    )


def _published_on(result_set) -> date:
    return result_set.decision_date or timezone.localdate(result_set.published_at)


def extension_text(assessment) -> str:
    """Return "Gia hạn đến dd/mm/yyyy — lý do" for a unit whose deadline was extended, else ""."""
    if assessment.deadline_extended_to is None:
        return ""
    text = _("Gia hạn đến %(date)s") % {"date": _date(assessment.deadline_extended_to)}
    reason = assessment.extension_reason.strip()
    return f"{text} — {reason}" if reason else text


def period_phases(period, assessment=None) -> list[Phase]:
    """Return the five phases of ``period`` (self-assessment, appraisal, explanation,
    finalisation, publication) with their dates and states.

    With ``assessment``: that unit's own deadlines (its extension, its explanation deadline)
    and its group's results. Without: the period's deadlines, every group's results, and how
    many units are in each phase now.
    """
    if assessment is not None:
        return _unit_phases(period, assessment)
    return _period_phases(period)


def _unit_phases(period, assessment) -> list[Phase]:
    own = assessment.period_group  # cached on the assessment: the pages ask it already
    group = group_dates(period, [own]).get(own.group_id) if own else None
    states = unit_states(
        assessment.status,
        entry_open=assessment.entry_open(clock.now()),
        stage=group.stage if group else GroupStage.OPEN,
    )
    deadline = assessment.entry_deadline
    extension = extension_text(assessment)
    explanation_notes = ()
    if states[EXPLANATION] == PAST and assessment.explanation_deadline is None:
        explanation_notes = (_("Đơn vị không phải giải trình."),)
    return [
        Phase(LABELS[SELF], states[SELF], end=deadline, notes=(extension,) if extension else ()),
        Phase(
            LABELS[APPRAISAL],
            states[APPRAISAL],
            start=_day_after(deadline),
            end=period.appraisal_deadline,
        ),
        Phase(
            LABELS[EXPLANATION],
            states[EXPLANATION],
            end=assessment.explanation_deadline or period.explanation_deadline,
            notes=explanation_notes,
        ),
        *_result_phases(states, [group] if group else []),
    ]


def _period_phases(period) -> list[Phase]:
    groups = group_dates(period)
    states, counts, extended = _period_states(period, groups)
    notes = [(_("%(count)s đơn vị") % {"count": counts[i]},) if counts[i] else () for i in range(3)]
    if extended:
        notes[SELF] += (_("%(count)s đơn vị được gia hạn") % {"count": extended},)
    deadline = period.self_assessment_deadline
    return [
        Phase(LABELS[SELF], states[SELF], end=deadline, notes=notes[SELF]),
        Phase(
            LABELS[APPRAISAL],
            states[APPRAISAL],
            start=_day_after(deadline),
            end=period.appraisal_deadline,
            notes=notes[APPRAISAL],
        ),
        Phase(
            LABELS[EXPLANATION],
            states[EXPLANATION],
            end=period.explanation_deadline,
            notes=notes[EXPLANATION],
        ),
        *_result_phases(states, list(groups.values()), counts=counts),
    ]


def _period_states(period, groups) -> tuple[list[str], Counter, int]:
    """Return the period's state of each phase, the units in each phase, the units extended.

    One query; see ``_combined`` for how the units' states make the period's.
    """
    now = clock.now()
    rows = (
        Assessment.objects.for_period(period)
        .values("status", "unit__group_id", "deadline_extended_to")
        .annotate(units=Count("id"))
        .order_by()
    )
    every, counts, extended = [], Counter(), 0
    for row in rows:
        probe = Assessment(
            period=period, status=row["status"], deadline_extended_to=row["deadline_extended_to"]
        )
        group = groups.get(row["unit__group_id"])
        states = unit_states(
            row["status"],
            entry_open=probe.entry_open(now),
            stage=group.stage if group else GroupStage.OPEN,
        )
        every.append(states)
        counts.update({i: row["units"] for i, state in enumerate(states) if state == CURRENT})
        extended += row["units"] if row["deadline_extended_to"] else 0
    if not every:  # no unit yet: where a unit would stand
        stages = {g.stage for g in groups.values()}
        stage = next((s for s in STAGE_ORDER if s in stages), GroupStage.OPEN)
        draft = AssessmentStatus.DRAFT
        every = [unit_states(draft, entry_open=period.self_assessment_open(now), stage=stage)]
    combined = [_combined([states[i] for states in every]) for i in range(5)]
    return _with_groups(combined, [g.stage for g in groups.values()]), counts, extended


def _with_groups(states, stages) -> list[str]:
    """Groups finalise and publish one by one: once any group has, so has the period in part."""
    finalised = [stage != GroupStage.OPEN for stage in stages]
    published = [stage == GroupStage.PUBLISHED for stage in stages]
    if any(finalised):
        states[FINALISATION] = PAST if all(finalised) else CURRENT
        states[PUBLICATION] = PAST if all(published) else CURRENT
    return states


def _combined(states) -> str:
    """Current while any unit is in the phase, past once every unit is past it, else future."""
    if CURRENT in states:
        return CURRENT
    return PAST if all(state == PAST for state in states) else FUTURE


def _result_phases(states, groups, *, counts=None) -> list[Phase]:
    """Return the finalisation and publication phases from the groups' dates.

    Groups finalise and publish one by one: where they differ, each group is named.
    """
    finalisation_notes = ()
    if len({g.finalised_on for g in groups}) > 1:
        finalisation_notes = tuple(
            f"{g.name}: {_date(g.finalised_on) if g.finalised_on else _('chưa chốt')}"
            for g in groups
        )
    if counts and counts[FINALISATION]:
        units = _("%(count)s đơn vị đã thẩm định xong") % {"count": counts[FINALISATION]}
        finalisation_notes = (units, *finalisation_notes)
    return [
        Phase(
            LABELS[FINALISATION],
            states[FINALISATION],
            end=_last([g.finalised_on for g in groups]),
            is_deadline=False,
            notes=finalisation_notes,
        ),
        Phase(
            LABELS[PUBLICATION],
            states[PUBLICATION],
            end=_last([g.published_on for g in groups]),
            is_deadline=False,
            notes=_publication_notes(groups),
        ),
    ]


def _publication_notes(groups) -> tuple[str, ...]:
    if not groups:
        return (_("Chưa công bố"),)
    named = len(groups) > 1
    if len({(g.published_on, g.decision) for g in groups}) > 1:
        notes = [f"{g.name}: {_publication(g)}" for g in groups]
    else:
        notes = [capfirst(_publication(groups[0], with_date=False))]
    for g in groups:
        notes += [f"{g.name}: {c}" if named else c for c in g.corrections]
    return tuple(note for note in notes if note)


def _publication(group: GroupDates, *, with_date: bool = True) -> str:
    """Return "dd/mm/yyyy, quyết định …", without the date when the phase shows it already."""
    if group.published_on is None:
        return _("chưa công bố")
    decision = _("quyết định %(number)s") % {"number": group.decision} if group.decision else ""
    parts = [_date(group.published_on)] if with_date else []
    return ", ".join([*parts, decision] if decision else parts)


def _last(dates) -> date | None:
    """The day the last group got there; None while any group has not."""
    return max(dates) if dates and all(dates) else None


def _day_after(day) -> date | None:
    return day + timedelta(days=1) if day else None
