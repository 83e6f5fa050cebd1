"""The appraisal team's rule, in one place: who appraises which leaf of which unit.

- A period without assignments: every reviewer appraises everything.
- A reviewer with assignments in the period edits only the leaves they cover (their units, the
  subtrees of their criteria) and reads the rest.
- A reviewer without assignment in the period (the Sở Nội vụ pool) edits the leaves no
  assignment covers.

The services (appraisal, adjustments, team), the pages and the queue filter all read this
module; it reads the period's assignments and the criteria trees in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from parindex.core.models import (
    AppraisalPart,
    Assessment,
    Assignment,
    Criterion,
    PeriodGroup,
    Role,
    User,
)
from parindex.core.permissions import can_appraise, is_reviewer
from parindex.core.workflow import APPRAISABLE


@dataclass
class Tree:
    """The leaves of one criteria set and, for each, its ancestors (itself included)."""

    leaves: dict[int, tuple[int, ...]] = field(default_factory=dict)


def trees_of(set_ids) -> dict[int, Tree]:
    """Return criteria set id → Tree, read in one query."""
    nodes = list(
        Criterion.objects.filter(criteria_set_id__in=set(set_ids))
        .order_by("depth", "position")
        .values_list("pk", "parent_id", "method", "criteria_set_id")
    )
    chains: dict[int, tuple[int, ...]] = {}
    trees: dict[int, Tree] = defaultdict(Tree)
    for pk, parent, method, set_id in nodes:  # parents come first (ordered by depth)
        chains[pk] = (pk, *chains.get(parent, ()))
        if method:
            trees[set_id].leaves[pk] = chains[pk]
    return trees


@dataclass
class Team:
    """The assignments of one period, and who among the reviewers is assigned."""

    assignments: list[Assignment]

    @property
    def active(self) -> bool:
        """True once the period has an assignment: before that, everyone appraises everything."""
        return bool(self.assignments)

    @property
    def assigned(self) -> set[int]:
        return {a.reviewer_id for a in self.assignments}

    def owners(self, unit_id: int, chain: tuple[int, ...]) -> set[int]:
        """Return the reviewers whose assignments cover the leaf of ``chain`` in ``unit_id``."""
        return {
            a.reviewer_id
            for a in self.assignments
            if a.unit_id in (None, unit_id) and (a.criterion_id is None or a.criterion_id in chain)
        }

    def coverage(self, unit_id: int, tree: Tree) -> dict[int, set[int]]:
        """Return leaf id → the reviewers assigned to it in ``unit_id`` (empty: the pool's)."""
        return {leaf: self.owners(unit_id, chain) for leaf, chain in tree.leaves.items()}


def team_of(period_id: int) -> Team:
    """Return the team of a period (one query)."""
    return Team(
        list(
            Assignment.objects.filter(period_id=period_id).select_related(
                "reviewer", "unit", "criterion"
            )
        )
    )


def _criteria_set_id(assessment: Assessment) -> int | None:
    set_id = getattr(assessment, "criteria_set_id", None)
    if set_id is None:
        pg = assessment.period_group
        set_id = pg.criteria_set_id if pg else None
    return set_id


@dataclass
class AssessmentTeam:
    """The team applied to one assessment: who is responsible for each of its leaves."""

    team: Team
    owners: dict[int, set[int]]  # leaf id → assigned reviewers (empty: the pool)

    def may_edit(self, user, leaf_id: int) -> bool:
        """Return True if ``user`` (a reviewer) edits leaf ``leaf_id`` under the rule."""
        if not self.team.active:
            return True
        owners = self.owners.get(leaf_id, set())
        if user.pk in self.team.assigned:
            return user.pk in owners
        return not owners

    @property
    def part_reviewers(self) -> set[int]:
        """The assigned reviewers with a part of this unit (who must mark it done)."""
        return set().union(*self.owners.values()) if self.owners else set()

    @property
    def pool_has_part(self) -> bool:
        return not self.team.active or any(not o for o in self.owners.values())

    def responsible(self, leaf_id: int) -> list:
        """Return the reviewers responsible for a leaf (empty list: the Sở Nội vụ pool)."""
        people = {a.reviewer_id: a.reviewer for a in self.team.assignments}
        return [people[pk] for pk in sorted(self.owners.get(leaf_id, ()))]


def assessment_team(assessment: Assessment, team: Team | None = None) -> AssessmentTeam:
    """Return the team applied to ``assessment`` (two queries, one if ``team`` is given)."""
    team = team if team is not None else team_of(assessment.period_id)
    if not team.active:
        return AssessmentTeam(team, {})
    set_id = _criteria_set_id(assessment)
    tree = trees_of([set_id]).get(set_id, Tree())
    return AssessmentTeam(team, team.coverage(assessment.unit_id, tree))


def can_appraise_leaf(user, assessment: Assessment, criterion: Criterion) -> bool:
    """Return True if ``user`` may appraise the leaf ``criterion`` of ``assessment`` now:
    a reviewer (``permissions.can_appraise``) whom the team's rule gives this leaf."""
    if not can_appraise(user, assessment):
        return False
    return assessment_team(assessment).may_edit(user, criterion.pk)


def reviewers_of(assessment: Assessment) -> list:
    """Return the reviewers responsible for ``assessment`` (for notifications): its assigned
    reviewers, and the pool's reviewers when some leaf is left to the pool (everyone with the
    reviewer role when the period has no team)."""
    applied = assessment_team(assessment)
    people = {a.reviewer_id: a.reviewer for a in applied.team.assignments}
    chosen = [people[pk] for pk in sorted(applied.part_reviewers)]
    if applied.pool_has_part:
        pool = User.objects.filter(role=Role.REVIEWER, is_active=True).exclude(
            pk__in=applied.team.assigned
        )
        chosen += list(pool.order_by("username"))
    return chosen


def _units_with_part(user, period) -> dict[int, set[int]]:
    """Return assessment id → reviewers with a part, for the assessments where ``user`` has one.

    Three queries whatever the number of units: the team, the assessments with their set, the
    criteria of the period's sets.
    """
    team = team_of(period.pk)
    rows = list(
        Assessment.objects.for_period(period)
        .with_criteria_set()
        .values_list("pk", "unit_id", "criteria_set_id")
    )
    if not team.active:
        return {pk: set() for pk, _unit, _set in rows}
    trees = trees_of({set_id for *_, set_id in rows if set_id})
    mine = {}
    for pk, unit_id, set_id in rows:
        applied = AssessmentTeam(team, team.coverage(unit_id, trees.get(set_id, Tree())))
        if any(applied.may_edit(user, leaf) for leaf in applied.owners):
            mine[pk] = applied.part_reviewers
    return mine


def assessments_assigned_to(user, period):
    """Return the assessments of ``period`` in which ``user`` has leaves to appraise (the
    to-do list and the queue's "Việc của tôi"). Nobody but reviewers has any."""
    if not is_reviewer(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(pk__in=list(_units_with_part(user, period)))


def assessments_to_do(user, period):
    """Return the assessments of ``period`` where ``user`` still has appraisal to do: assigned
    to them, in appraisal, and their part not marked done."""
    done = AppraisalPart.objects.filter(reviewer=user, assessment__period=period)
    return (
        assessments_assigned_to(user, period)
        .filter(status__in=APPRAISABLE)
        .exclude(pk__in=done.values("assessment_id"))
    )


def open_parts(assessment: Assessment) -> list:
    """Return the assigned reviewers whose part of ``assessment`` is not marked done."""
    applied = assessment_team(assessment)
    done = set(
        AppraisalPart.objects.filter(assessment=assessment).values_list("reviewer_id", flat=True)
    )
    people = {a.reviewer_id: a.reviewer for a in applied.team.assignments}
    return [people[pk] for pk in sorted(applied.part_reviewers - done)]


def part_text(reviewer, team: Team, unit_id: int) -> str:
    """Return "Họ tên (tiêu chí 2, 3)": a reviewer's part of one unit, as people read it."""
    codes = sorted(
        a.criterion.code if a.criterion_id else "*"
        for a in team.assignments
        if a.reviewer_id == reviewer.pk and a.unit_id in (None, unit_id)
    )
    what = ", ".join(_("toàn bộ") if c == "*" else c for c in codes)
    return f"{reviewer} ({what})"


def uncovered(period) -> list[tuple[PeriodGroup, list[Criterion]]]:
    """Return, per group of ``period``, the areas no all-units assignment covers at all (the
    team page's coverage gaps: what falls to the pool in every unit)."""
    team = team_of(period.pk)
    groups = list(period.period_groups.select_related("group").order_by("group__order"))
    trees = trees_of({pg.criteria_set_id for pg in groups})
    areas = defaultdict(list)
    for area in Criterion.objects.filter(
        criteria_set_id__in=[pg.criteria_set_id for pg in groups], parent__isnull=True
    ).order_by("position"):
        areas[area.criteria_set_id].append(area)
    gaps = []
    everywhere = Team([a for a in team.assignments if a.unit_id is None])
    for pg in groups:
        tree = trees.get(pg.criteria_set_id, Tree())
        open_areas = [
            area
            for area in areas[pg.criteria_set_id]
            if any(
                not everywhere.owners(0, chain)
                for chain in tree.leaves.values()
                if chain[-1] == area.pk
            )
        ]
        gaps.append((pg, open_areas))
    return gaps
