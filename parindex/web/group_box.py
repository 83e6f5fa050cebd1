"""What the queue shows of the groups of a period: each group's stage, the units that still
block its finalisation, its decision once published, and the forms of the approvers (finalise,
publish, ranked this period, tie rule). Three queries whatever the number of units."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from parindex.core.models import PeriodGroup, ResultSet
from parindex.core.workflow import can_set_tie_rule, group_flags
from parindex.web.forms import GroupRankingForm, PublishGroupForm, TieRuleForm


@dataclass
class GroupRow:
    """One group of the period in the queue's box."""

    period_group: PeriodGroup
    blockers: list
    published: ResultSet | None
    flags: dict
    publish_form: PublishGroupForm
    ranking_form: GroupRankingForm

    @property
    def group(self):
        return self.period_group.group


def ranking_form(period_group: PeriodGroup, data=None) -> GroupRankingForm:
    """Return the "ranked this period" form of one group, bound to ``data`` when posted."""
    return GroupRankingForm(
        data,
        initial={"ranked": period_group.ranked, "reason": period_group.unranked_reason},
        auto_id=f"id_ranking_{period_group.group.code}_%s",
    )


def publish_form(period_group: PeriodGroup, data=None) -> PublishGroupForm:
    return PublishGroupForm(data, auto_id=f"id_publish_{period_group.group.code}_%s")


def group_box(user, period, blockers, *, bound=None) -> dict:
    """Return the context of the queue's group box and period settings.

    ``blockers`` are the period's units not appraised yet (``finalisation_blockers``);
    ``bound`` maps ("publish" | "ranking", group_id) or "tie_rule" to a refused, bound form to
    show again with its errors.
    """
    bound = bound or {}
    period_groups = list(period.period_groups.select_related("group"))
    by_group = defaultdict(list)
    for assessment in blockers:
        by_group[assessment.unit.group_id].append(assessment)
    published = {
        rs.group_id: rs
        for rs in ResultSet.objects.filter(period=period, is_current=True, published=True)
    }
    rows = [
        GroupRow(
            period_group=pg,
            blockers=by_group[pg.group_id],
            published=published.get(pg.group_id),
            flags=group_flags(user, pg, blockers=len(by_group[pg.group_id])),
            publish_form=bound.get(("publish", pg.group_id)) or publish_form(pg),
            ranking_form=bound.get(("ranking", pg.group_id)) or ranking_form(pg),
        )
        for pg in period_groups
    ]
    return {
        "groups": rows,
        "can_set_tie_rule": can_set_tie_rule(user, period_groups),
        "tie_rule_form": bound.get("tie_rule") or TieRuleForm(initial={"rule": period.tie_rule}),
    }
