"""A published result keeps the names its unit and group had when it was published: renaming
them later (admin or import) never rewrites a published table, its annex and CSV, the period
page, the dashboards or a unit's profile; provisional tables show the current names."""

import datetime
import io
import json
import re

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from parindex.core.models import Period, PeriodGroup
from parindex.core.services.imports import import_units
from parindex.core.services.results import compute_results, finalise_period, publish_results
from parindex.web.exports import export_arguments
from parindex.web.views.rankings import EXPORTS, league_context
from tests.builders import assess, full_scores, make_period, make_unit, make_user, read_csv

pytestmark = pytest.mark.django_db

OLD, NEW = "Đơn vị A", "Zeta mới"  # the new name sorts last, the old one first
OLD_GROUP, NEW_GROUP = "Khối SO", "Khối mới"


def three_units(period):
    """A 90, B 80, C 70."""
    for code, self_points in (("A", 50), ("B", 40), ("C", 30)):
        assess(period, make_unit(code), full_scores(self_points, 40))


def publish(period):
    finalise_period(period)
    publish_results(
        Period.objects.get(pk=period.pk),
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2023, 4, 15),
    )


def rename_by_import():
    """Rename unit A and group SO as an import of the unit register does."""
    import_units(
        [{"code": "A", "name": NEW, "short_name": "", "group": "SO", "predecessors": []}],
        {"SO": {"name": NEW_GROUP, "ranked": True}},
    )


@pytest.fixture
def renamed():
    """2022 published, 2023 provisional; then unit A and group SO were renamed."""
    published = make_period(2022)
    three_units(published)
    publish(published)
    provisional = make_period(2023)
    three_units(provisional)
    compute_results(provisional)
    rename_by_import()
    return Period.objects.get(year=2022), Period.objects.get(year=2023)


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def first_cells(html) -> list[str]:
    """The unit names of a league table, in the order shown."""
    return re.findall(r'<a href="/units/[^/]+/">([^<]+)</a>', html.split("<tbody", 1)[1])


def exported(kind, period, **params):
    period_group = PeriodGroup.objects.select_related("group").get(period=period)
    league = league_context(RequestFactory().get("/", params), period, period_group)
    return EXPORTS[kind](league["table"], **export_arguments(period, period_group, league))


def test_the_published_table_keeps_the_old_names_and_sorts_by_them(renamed, client):
    html = text_of(client.get("/rankings/2022/SO/"))
    assert first_cells(html) == [OLD, "Đơn vị B", "Đơn vị C"]
    assert f"<h1>{OLD_GROUP} — 2022</h1>" in html
    assert NEW not in html and NEW_GROUP not in html
    by_name = text_of(client.get("/rankings/2022/SO/", {"sort": "-unit"}))
    assert first_cells(by_name) == ["Đơn vị C", "Đơn vị B", OLD]
    found = text_of(client.get("/rankings/2022/SO/", {"q": OLD}))
    assert first_cells(found) == [OLD]


def test_the_published_csv_and_annex_keep_the_old_names(renamed):
    published, _provisional = renamed
    titles, rows = read_csv(exported("csv", published))
    assert OLD_GROUP.upper() in titles
    assert [row["Đơn vị"] for row in rows] == [OLD, "Đơn vị B", "Đơn vị C"]
    sheet = load_workbook(io.BytesIO(exported("xlsx", published).content)).active
    texts = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert OLD_GROUP.upper() in texts and OLD in texts
    assert NEW not in texts and NEW_GROUP.upper() not in texts


def test_the_period_page_dashboard_and_profile_keep_the_old_names(renamed, client):
    period_page = text_of(client.get("/rankings/2022/"))
    assert OLD_GROUP in period_page and OLD in period_page  # the highest unit
    assert NEW not in period_page and NEW_GROUP not in period_page
    dashboard = text_of(client.get("/dashboard/2022/", {"group": "SO"}))
    assert OLD_GROUP in dashboard and OLD in dashboard
    assert NEW not in dashboard and NEW_GROUP not in dashboard
    charts = re.findall(r'type="application/json">(.*?)</script>', dashboard, re.S)
    assert OLD in json.loads(charts[0])["data"][0]["y"][0]  # the ranking's first bar
    profile = text_of(client.get("/units/A/"))
    assert f"công bố với tên {OLD}" in profile


def test_provisional_tables_show_the_current_names(renamed, client):
    client.force_login(make_user("lanhdao", "leader"))
    html = text_of(client.get("/rankings/2023/SO/"))
    assert first_cells(html) == [NEW, "Đơn vị B", "Đơn vị C"]
    assert f"<h1>{NEW_GROUP} — 2023</h1>" in html and OLD not in html
    dashboard = text_of(client.get("/dashboard/2023/", {"group": "SO"}))
    assert NEW in dashboard and NEW_GROUP in dashboard and OLD not in dashboard
    _provisional, current = renamed
    titles, rows = read_csv(exported("csv", current))
    assert NEW_GROUP.upper() in titles and rows[0]["Đơn vị"] == NEW


def test_a_group_is_published_under_the_names_of_the_day_of_publication(client):
    period = make_period(2022)
    three_units(period)
    finalise_period(period)  # the results are computed here, under the old names
    rename_by_import()
    publish_results(Period.objects.get(pk=period.pk))
    html = text_of(client.get("/rankings/2022/SO/"))
    assert first_cells(html) == [NEW, "Đơn vị B", "Đơn vị C"]
    assert f"<h1>{NEW_GROUP} — 2022</h1>" in html
