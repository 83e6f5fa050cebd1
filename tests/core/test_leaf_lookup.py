"""``find_leaf``: the assessment, its period, unit and leaf of a URL read in one statement, with
the values the ORM would give them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core import permissions
from parindex.core.leaf_lookup import find_leaf
from parindex.core.models import Assessment, AssessmentStatus, Role
from tests.builders import assess, leaf_of, make_unit, make_user, open_period

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def assessment():
    period = open_period(2023)
    return assess(period, make_unit("A"), {"1.1": {"self_points": "7.5"}}, status="draft")


def test_the_leaf_and_its_assessment_come_in_one_statement_with_the_orms_values(assessment):
    with CaptureQueriesContext(connection) as captured:
        found, leaf = find_leaf(2023, "A", "1.2.1")
    assert len(captured) == 1
    orm = Assessment.objects.select_related("period", "unit").get(pk=assessment.pk)
    assert values(found) == values(orm)  # dates, times, decimals and choices alike
    assert values(found.period) == values(orm.period)
    assert values(found.unit) == values(orm.unit)
    assert values(leaf) == values(leaf_of(assessment.period, "1.2.1"))
    assert found.criteria_set_id == leaf.criteria_set_id
    assert [type(v) for v in values(found.period).values()] == [
        type(v) for v in values(orm.period).values()
    ]


def test_a_code_outside_the_set_gives_the_assessment_without_a_leaf(assessment):
    found, leaf = find_leaf(2023, "A", "9.9")
    assert found.pk == assessment.pk and leaf is None


def test_an_unknown_unit_or_year_gives_nothing(assessment):
    assert find_leaf(2023, "ZZ", "1.1") == (None, None)
    assert find_leaf(2031, "A", "1.1") == (None, None)


def test_the_leaf_is_the_one_of_the_set_the_units_group_uses(assessment):
    leaf = find_leaf(2023, "A", "1.1")[1]
    assert leaf.criteria_set_id == assessment.period_group.criteria_set_id


def test_the_predicate_get_leaf_asks_agrees_with_the_scope_of_every_list(assessment):
    other = assess(assessment.period, make_unit("B"), status=AssessmentStatus.DRAFT)
    users = [
        make_user("officer-a", Role.OFFICER, assessment.unit),
        make_user("head-b", Role.UNIT_HEAD, other.unit),
        make_user("reviewer", Role.REVIEWER),
        make_user("approver", Role.APPROVER),
        make_user("leader", Role.LEADER),
        make_user("admin-user", Role.ADMIN),
        make_user("no-role", ""),
    ]
    for user in users:
        in_scope = set(Assessment.objects.visible_to(user).values_list("pk", flat=True))
        for candidate in (assessment, other):
            assert permissions.can_view_assessment(user, candidate) == (candidate.pk in in_scope)
