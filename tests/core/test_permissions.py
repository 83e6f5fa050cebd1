"""The permission predicates themselves, as a table: predicate × persona → allowed.

No database: the predicates read only the user's role and unit and the object's unit, status
and proposer, so unsaved instances are enough. The access table (tests/web/test_access.py)
checks the same rules through every URL.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from parindex.core import permissions as p
from parindex.core.models import (
    Adjustment,
    Assessment,
    AssessmentStatus,
    GroupStage,
    Period,
    PeriodGroup,
    PeriodStatus,
    Role,
    User,
)
from parindex.core.workflow import can_view_lost_points

UNIT_A, UNIT_B = 1, 2
PERSONAS = {
    "anonymous": AnonymousUser(),
    "officer_a": User(pk=11, role=Role.OFFICER, unit_id=UNIT_A),
    "officer_b": User(pk=12, role=Role.OFFICER, unit_id=UNIT_B),
    "head_a": User(pk=13, role=Role.UNIT_HEAD, unit_id=UNIT_A),
    "reviewer": User(pk=14, role=Role.REVIEWER),
    "approver": User(pk=15, role=Role.APPROVER),
    "leader": User(pk=16, role=Role.LEADER),
    "admin": User(pk=17, role=Role.ADMIN),
    "no_role": User(pk=18, role=""),
}
ORDER = list(PERSONAS)


def allowed(*names):
    return {name: name in names for name in ORDER}


STAFF = ("reviewer", "approver", "leader", "admin")
UNIT_A_STAFF = ("officer_a", "head_a")


def assessment(status=AssessmentStatus.DRAFT, period_status=PeriodStatus.OPEN):
    return Assessment(unit_id=UNIT_A, status=status, period=Period(year=2026, status=period_status))


# predicate name → (call, expected per persona)
TABLE = {
    "is_province_staff": (lambda u: p.is_province_staff(u), allowed(*STAFF)),
    "is_reviewer": (lambda u: p.is_reviewer(u), allowed("reviewer", "approver")),
    "is_approver": (lambda u: p.is_approver(u), allowed("approver")),
    "is_member_of unit A": (lambda u: p.is_member_of(u, UNIT_A), allowed(*UNIT_A_STAFF)),
    "can_view_results of an open period": (
        lambda u: p.can_view_results(u, Period(status=PeriodStatus.OPEN)),
        allowed(*STAFF),
    ),
    "can_view_results of a published period": (
        lambda u: p.can_view_results(u, Period(status=PeriodStatus.PUBLISHED)),
        allowed(*ORDER),
    ),
    "can_view_group_results of an unpublished group": (
        lambda u: p.can_view_group_results(u, PeriodGroup(stage=GroupStage.FINALISED)),
        allowed(*STAFF),
    ),
    "can_view_group_results of a published group": (
        lambda u: p.can_view_group_results(u, PeriodGroup(stage=GroupStage.PUBLISHED)),
        allowed(*ORDER),
    ),
    "can_view_assessment": (
        lambda u: p.can_view_assessment(u, assessment()),
        allowed(*STAFF, *UNIT_A_STAFF),
    ),
    "can_edit_assessment": (
        lambda u: p.can_edit_assessment(u, assessment()),
        allowed(*UNIT_A_STAFF),
    ),
    "can_submit_assessment": (
        lambda u: p.can_submit_assessment(u, assessment()),
        allowed("head_a"),
    ),
    "can_appraise": (lambda u: p.can_appraise(u, assessment()), allowed("reviewer", "approver")),
    "can_view_appraisal_page": (
        lambda u: p.can_view_appraisal_page(u, assessment()),
        allowed(*STAFF),
    ),
    "can_see_appraisal while appraising": (
        lambda u: p.can_see_appraisal(u, assessment(AssessmentStatus.APPRAISING)),
        allowed(*STAFF),
    ),
    "can_see_appraisal once returned": (
        lambda u: p.can_see_appraisal(u, assessment(AssessmentStatus.RETURNED)),
        allowed(*STAFF, *UNIT_A_STAFF),
    ),
    "can_explain": (lambda u: p.can_explain(u, assessment()), allowed(*UNIT_A_STAFF)),
    "can_propose_adjustment": (
        lambda u: p.can_propose_adjustment(u),
        allowed("reviewer", "approver"),
    ),
    "can_decide_adjustment proposed by the reviewer": (
        lambda u: p.can_decide_adjustment(u, Adjustment(proposed_by_id=14)),
        allowed("approver"),
    ),
    "can_decide_adjustment proposed by the approver": (
        lambda u: p.can_decide_adjustment(u, Adjustment(proposed_by_id=15)),
        allowed(),
    ),
    "can_finalise_period": (lambda u: p.can_finalise_period(u), allowed("approver")),
    "can_edit_remediation": (
        lambda u: p.can_edit_remediation(u, assessment()),
        allowed(*UNIT_A_STAFF),
    ),
    "can_import": (lambda u: p.can_import(u), allowed("admin")),
    "can_see_all_jobs": (lambda u: p.can_see_all_jobs(u), allowed("admin")),
    "can_manage_accounts": (lambda u: p.can_manage_accounts(u), allowed("admin")),
    "can_manage_team": (lambda u: p.can_manage_team(u), allowed("approver")),
    "can_comment_on_leaf": (
        lambda u: p.can_comment_on_leaf(u, assessment()),
        allowed(*STAFF, *UNIT_A_STAFF),
    ),
    "can_view_lost_points while appraising": (
        lambda u: can_view_lost_points(u, assessment(AssessmentStatus.APPRAISED)),
        allowed(*STAFF),
    ),
    "can_view_lost_points once published": (
        lambda u: can_view_lost_points(
            u, assessment(AssessmentStatus.APPRAISED, PeriodStatus.PUBLISHED)
        ),
        allowed(*STAFF, *UNIT_A_STAFF),
    ),
}


@pytest.mark.parametrize("persona", ORDER)
@pytest.mark.parametrize("name", list(TABLE))
def test_permission_predicate_table(name, persona):
    call, expected = TABLE[name]
    assert call(PERSONAS[persona]) is expected[persona], (name, persona)


def test_every_public_predicate_of_permissions_is_in_the_table():
    predicates = {n for n in dir(p) if n.startswith(("can_", "is_")) and callable(getattr(p, n))}
    covered = {name.split(" ")[0] for name in TABLE}
    assert predicates - covered == set()


def test_a_superuser_without_a_role_is_province_staff_and_may_import():
    root = User(pk=99, role="", is_superuser=True)
    assert p.is_province_staff(root) and p.can_import(root)
    assert not p.can_appraise(root, assessment())  # appraising is a role, not a privilege
