"""The admin refuses a unit or group code outside ``core/codes.py``; pages of units whose codes
follow it always link (a code with "/" made the league table, dashboards, trends and the queue
answer 500)."""

import pytest

from parindex.core.models import Period, Unit, UnitGroup
from parindex.core.services.results import compute_results, finalise_period, publish_results
from tests.builders import assess, full_scores, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db

REFUSED = "không hợp lệ"


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    return client


def test_the_admin_refuses_a_unit_code_with_a_slash(admin):
    group = UnitGroup.objects.create(code="SO", name="Khối sở")
    response = admin.post(
        "/admin/core/unit/add/",
        {"code": "A/B", "name": "Sở A", "short_name": "", "group": group.pk, "active": "on"},
    )
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Unit.objects.exists()


def test_the_admin_refuses_a_group_code_with_a_slash(admin):
    response = admin.post(
        "/admin/core/unitgroup/add/", {"code": "S/O", "name": "Khối sở", "order": 0}
    )
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not UnitGroup.objects.exists()


def test_pages_link_units_with_dots_and_dashes_in_their_codes(client):
    period = make_period(2022, groups=(("SO-1", True),))
    for code in ("Q.1", "SYN-00001", "so_tu_phap"):
        assess(period, make_unit(code, "SO-1"), full_scores(50, 40))
    compute_results(period)
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk))
    for url in ("/rankings/2022/SO-1/", "/dashboard/2022/?group=SO-1", "/units/Q.1/", "/trends/"):
        assert client.get(url).status_code == 200, url
    client.force_login(make_user("thamdinh", "reviewer"))
    assert client.get("/review/2022/").status_code == 200
    assert client.get("/units/A%2FB/").status_code == 404
