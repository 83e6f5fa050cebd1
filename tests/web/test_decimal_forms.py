"""Numbers typed in the forms: what no points field can hold is a message on the page, never a
server error (PostgreSQL refused "1E-999999999" with a 500); the rest is stored as rounded."""

from decimal import Decimal as D

import pytest

from parindex.core.models import AssessmentStatus, ScoreEntry
from tests.builders import assess, full_scores, make_unit, make_user, open_period, written_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(client):
    period = open_period(2023)
    assess(period, make_unit("A"), full_scores(60, 35), status=AssessmentStatus.SUBMITTED)
    client.force_login(make_user("thamdinh", "reviewer"))
    return client


def propose(client, amount):
    data = {"unit": "A", "category": "3.2", "amount": amount, "reason": "Chậm báo cáo"}
    return client.post("/review/2023/adjustments/", data, follow=True)


@pytest.mark.parametrize(
    "amount, message",
    [
        ("1E-999999999", "hãy ghi số thập phân thông thường"),
        ("1E+999999999", "quá lớn"),
        ("0.00001", "Số điểm phải là số dương"),
        ("NaN", "không phải là số"),
    ],
)
def test_an_amount_no_field_can_hold_is_a_message_on_the_page(reviewer_client, amount, message):
    before = written_state()
    response = propose(reviewer_client, amount)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert written_state() == before


def test_a_survey_value_with_five_decimals_is_saved_and_shown_as_rounded(reviewer_client):
    entry = ScoreEntry.objects.get(assessment__unit__code="A", criterion__code="2.1")
    response = reviewer_client.post(
        "/assessments/2023/A/appraise/2.1/",
        {"points": "30,12345", "revision": entry.revision},
        follow=True,
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.survey_points == D("30.1235")
    assert 'value="30.1235"' in response.content.decode()
