"""Groups published one by one: what the public and the staff see, and live standings."""

import pytest

from parindex.core.models import AssessmentStatus, ScoreEntry
from parindex.core.services.appraisal import appraise_leaf
from parindex.core.services.results import finalise_group, publish_group
from tests.builders import (
    PASSWORD,
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    open_period,
)

pytestmark = pytest.mark.django_db


def half_published():
    period = make_period(groups=(("SO", True), ("XA", True)))
    assess(period, make_unit("A", name="Sở Alpha"), full_scores(60, 30))
    assess(period, make_unit("X", "XA", name="Xã Xanh"), full_scores(50, 30))
    so = period.period_groups.get(group__code="SO").group_id
    finalise_group(period, so)
    publish_group(period, so, decision_number="15/QĐ-UBND")
    return period


def test_the_public_reads_a_published_group_but_not_the_one_still_open(client):
    half_published()
    assert client.get("/rankings/2022/SO/").status_code == 200
    assert client.get("/rankings/2022/XA/").status_code == 302  # to the login page
    page = client.get("/rankings/2022/").content.decode()
    assert "Sở Alpha" in page and "15/QĐ-UBND" in page
    assert "Xã Xanh" not in page and "Chưa công bố" in page


def test_the_public_dashboards_leave_out_an_unpublished_group(client):
    half_published()
    assert client.get("/dashboard/2022/?group=XA").status_code == 404
    assert "Xã Xanh" not in client.get("/trends/").content.decode()
    assert "2022" not in client.get("/units/X/").content.decode().split("<main", 1)[1]


def test_staff_read_the_open_group_as_provisional(client):
    half_published()
    make_user("ld", "leader")
    client.login(username="ld", password=PASSWORD)
    page = client.get("/rankings/2022/XA/").content.decode()
    assert "Xã Xanh" in page and "Kết quả tạm tính" in page
    assert "Kết quả chính thức" in client.get("/rankings/2022/SO/").content.decode()


def test_a_leader_sees_a_reviewers_change_at_once_without_any_command(client):
    period = open_period()
    a = assess(period, make_unit("A"), full_scores(60, 30), status=AssessmentStatus.SUBMITTED)
    assess(period, make_unit("B"), {"1.1": {"self_points": 5}}, status=AssessmentStatus.DRAFT)
    make_user("ld", "leader")
    reviewer = make_user("td", "reviewer")
    client.login(username="ld", password=PASSWORD)
    before = client.get("/rankings/2023/SO/").content.decode()
    assert "90.00" in before and "Chưa nộp" in before
    entry = ScoreEntry.objects.get(assessment=a, criterion__code="1.1")
    appraise_leaf(
        a,
        leaf_of(period, "1.1"),
        by=reviewer,
        points_text="10",
        note="Thiếu tài liệu",
        revision=entry.revision,
    )
    after = client.get("/rankings/2023/SO/").content.decode()
    assert "80.00" in after and "90.00" not in after
