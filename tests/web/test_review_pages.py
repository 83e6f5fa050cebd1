"""The Sở Nội vụ pages: HTTP concerns and query counts that do not grow with the units."""

import json

import pytest

from parindex.core.models import AdjustmentKind, AssessmentStatus
from parindex.core.services.adjustments import propose_adjustment
from parindex.core.services.assessments import save_self_score, submit_assessment
from tests.builders import assess, leaf_of, make_unit, make_user, open_period
from tests.builders import page_queries as queries

pytestmark = pytest.mark.django_db


def period_with(units, year=2023):
    period = open_period(year)
    officer = reviewer = None
    for n in range(units):
        unit = make_unit(f"U{year}-{n}")
        a = assess(period, unit, status=AssessmentStatus.DRAFT)
        officer = make_user(f"o{year}-{n}", "officer", unit)
        head = make_user(f"h{year}-{n}", "unit_head", unit)
        for code, points in [("1.1", "20"), ("1.2.1", "30"), ("1.2.2", "0")]:
            save_self_score(
                a, leaf_of(period, code), by=officer, points_text=points, note="n", revision=0
            )
        submit_assessment(a, by=head)
        reviewer = reviewer or make_user(f"r{year}", "reviewer")
        propose_adjustment(
            a,
            by=reviewer,
            kind=AdjustmentKind.DEDUCTION,
            category=leaf_of(period, "3.2"),
            amount_text="0.5",
            reason="x",
        )
    return period, reviewer


@pytest.mark.parametrize("page", ["/review/{year}/", "/review/{year}/adjustments/"])
def test_review_pages_queries_do_not_grow_with_the_number_of_units(client, page):
    _p, reviewer = period_with(2, 2023)
    client.force_login(reviewer)
    small = queries(client, page.format(year=2023))
    period_with(12, 2024)
    large = queries(client, page.format(year=2024))
    assert small == large
    assert large <= 14  # 12, the header's unread count and the queue's status counts (GROUP BY)


def test_queue_shows_self_and_current_totals(client):
    _p, reviewer = period_with(1)
    client.force_login(reviewer)
    html = client.get("/review/2023/", {"status": "submitted"}).content.decode()
    assert "Đã nộp" in html and "50.00" in html


def test_after_a_json_appraisal_save_the_totals_url_gives_the_provisional_index(client):
    _p, reviewer = period_with(1)
    client.force_login(reviewer)
    url = "/assessments/2023/U2023-0/appraise/"
    assert queries(client, url) <= 17  # 16 with the team, and the header's unread count
    assert (
        'data-totals="/assessments/2023/U2023-0/appraisal-totals/"'
        in client.get(url).content.decode()
    )
    response = client.post(
        url + "1.1/", {"points": "10", "note": "Chậm", "revision": 1}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 200
    assert set(json.loads(response.content)) == {"ok", "revision", "saved_at"}
    totals = client.get("/assessments/2023/U2023-0/appraisal-totals/")
    updates = json.loads(totals.content)["updates"]
    # 10 + 30 + 0 of 60 self points, no survey yet, 0.5 deduction proposed but not approved.
    assert updates["[data-total]"] == "40.00"
    assert updates["[data-index]"] == "40.00"
    assert updates['[data-area-index="1"]'] == "40.00/60.00 · 66.67%"
    asked = client.get("/assessments/2023/U2023-0/appraisal-totals/", {"leaves": "1.1"})
    history = json.loads(asked.content)["histories"]["1.1"]
    assert "Chậm" in history  # the reviewer's note, as the page's history block shows it


def test_appraise_refusal_without_script_keeps_the_typed_value(client):
    _p, reviewer = period_with(1)
    client.force_login(reviewer)
    response = client.post(
        "/assessments/2023/U2023-0/appraise/1.1/", {"points": "10", "note": "", "revision": 1}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "cần ghi lý do" in html and 'value="10"' in html


def test_the_unit_never_sees_a_draft_appraisal_only_the_returned_one(client):
    from datetime import timedelta

    from parindex.core import clock
    from parindex.core.models import Assessment, User
    from parindex.core.services.appraisal import appraise_leaf, return_for_explanation

    period, reviewer = period_with(1)
    a = Assessment.objects.get(period=period)
    appraise_leaf(
        a,
        leaf_of(period, "1.1"),
        by=reviewer,
        points_text="10",
        note="Lý do nháp bí mật",
        revision=1,
    )
    client.force_login(User.objects.get(username="o2023-0"))
    url = "/assessments/2023/U2023-0/"
    assert "Lý do nháp bí mật" not in client.get(url).content.decode()
    assert client.get(url + "appraise/").status_code == 403
    return_for_explanation(a, by=reviewer, deadline=clock.today() + timedelta(days=3))
    html = client.get(url).content.decode()
    assert "Lý do nháp bí mật" in html and "Giải trình của đơn vị" in html
