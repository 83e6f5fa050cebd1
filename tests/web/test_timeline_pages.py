"""The period's timeline on the unit's pages and on the queue, and the unit's extension."""

from datetime import timedelta

import pytest

from parindex.core import clock
from parindex.core.models import AssessmentStatus
from tests.builders import assess, make_unit, make_user, open_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def extended(client):
    """Unit A's deadline passed with the period's and was extended by five days."""
    period = open_period(2023, deadline_days=-2)
    unit = make_unit("A")
    a = assess(period, unit, status=AssessmentStatus.DRAFT)
    a.deadline_extended_to = clock.today() + timedelta(days=5)
    a.extension_reason = "Đơn vị mới sáp nhập"
    a.save()
    return a


def test_the_entry_page_shows_the_units_extension_and_its_phases(client, extended):
    client.force_login(make_user("canbo", "officer", extended.unit))
    html = client.get("/assessments/2023/A/").content.decode()
    day = f"{extended.deadline_extended_to:%d/%m/%Y}"
    assert f"Hạn tự đánh giá: <strong>{day}</strong> (còn 5 ngày)" in html
    assert f"Gia hạn đến {day} — Đơn vị mới sáp nhập" in html
    assert '<ol class="timeline"' in html
    assert '<li class="phase current" aria-current="step">' in html
    assert "Chưa công bố" in html


def test_the_appraisal_page_and_the_queue_show_the_timeline(client, extended):
    client.force_login(make_user("thamdinh", "reviewer"))
    html = client.get("/assessments/2023/A/appraise/").content.decode()
    assert '<ol class="timeline"' in html
    html = client.get("/review/2023/").content.decode()
    assert '<ol class="timeline"' in html
    assert "1 đơn vị được gia hạn" in html
