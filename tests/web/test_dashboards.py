"""Dashboard pages: figures, plotly charts, provisional marking, access and query counts."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core.models import Period, Unit, UnitResult
from parindex.core.services.results import compute_results, finalise_period, publish_results
from tests.builders import assess, full_scores, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db

PAGES = ["/dashboard/2022/", "/dashboard/2022/?group=NGANHDOC", "/units/STP/", "/trends/"]
TWO_DECIMALS = re.compile(r"^[+\u2212-]?\d+\.\d\d$")


def figures(response):
    """Return the plotly figures a page carries, by chart name (from its json_script tags)."""
    html = response.content.decode()
    found = re.findall(
        r'<script id="figure-([\w-]+)" type="application/json">(.*?)</script>', html, re.S
    )
    return {name: json.loads(body) for name, body in found}


def strings_of(trace):
    """Yield every text a trace shows: bar labels, cell texts and hover data."""
    for key in ("text", "customdata"):
        stack = [trace.get(key)]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                yield item


def login(client, role, unit=None):
    client.force_login(make_user(f"u-{role}", role, unit))


def test_dashboard_shows_each_group_with_its_published_extremes(demo, client):
    response = client.get("/dashboard/2022/")
    assert response.status_code == 200
    text = response.content.decode()
    for figure in ("97.57", "85.18", "95.17", "88.12", "96.53", "86.22"):
        assert figure in text
    assert "Khối cơ quan ngành dọc" in text and "Đã công bố" in text
    assert "minh họa" in text  # the period's note: which figures are illustrative


def test_ranking_chart_follows_the_league_table(demo, client):
    ranking = figures(client.get("/dashboard/2022/"))["ranking"]
    order = ranking["layout"]["yaxis"]["categoryarray"]
    assert len(order) == 26
    assert order[0] == "1. Sở Tư pháp" and order[-1] == "26. Trung tâm XTTM&amp;ĐT"
    (good,) = [t for t in ranking["data"] if t.get("name") == "Tốt"]
    first = good["y"].index("1. Sở Tư pháp")
    assert good["text"][first] == "97.57" and good["marker"]["color"] == "#4c9a2a"
    assert good["customdata"][first] == ["Sở Tư pháp", "1", "97.57", "Tốt"]


def test_unranked_group_has_no_rank_in_its_chart(demo, client):
    ranking = figures(client.get("/dashboard/2022/", {"group": "NGANHDOC"}))["ranking"]
    assert ranking["layout"]["yaxis"]["categoryarray"][0] == "Cục Hải quan"
    (good,) = [t for t in ranking["data"] if t.get("name") == "Tốt"]
    assert good["customdata"][0][1] == "không xếp hạng"


def test_heatmap_has_a_row_per_unit_and_the_group_average(demo, client):
    heatmap = figures(client.get("/dashboard/2022/"))["heatmap"]
    (cells,) = heatmap["data"]
    assert cells["type"] == "heatmap" and len(cells["x"]) == 8
    assert len(cells["y"]) == 27 and cells["y"][-1] == "<b>Trung bình khối</b>"
    assert len(heatmap["layout"]["shapes"]) >= 26  # each unit's weakest area outlined


@pytest.mark.parametrize("url", PAGES)
def test_every_figure_on_the_charts_is_written_with_two_decimals(demo, client, url):
    login(client, "leader")
    charts = figures(client.get(url))
    assert charts
    for chart in charts.values():
        assert chart["layout"]["separators"] == ".,"
        for name, axis in chart["layout"].items():
            title = (axis.get("title") or {}).get("text", "") if isinstance(axis, dict) else ""
            if name.startswith(("xaxis", "yaxis")) and ("Chỉ số" in title or "Điểm" in title):
                assert axis["tickformat"] == ".2f", (url, name)
        for trace in chart["data"]:
            for text in strings_of(trace):
                if re.fullmatch(r"[+\u2212-]?\d+[.,]\d+", text):
                    assert TWO_DECIMALS.match(text), (url, text)


@pytest.mark.parametrize("url", PAGES)
def test_charts_are_drawn_by_the_static_script_without_inline_code(demo, client, url):
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/vendor/plotly-" in html and "/static/js/charts.js" in html
    for chart in figures(client.get(url)).values():
        assert chart["config"]["displaylogo"] is False
        assert chart["config"]["responsive"] is True


def test_unknown_year_or_group_is_404(demo, client):
    assert client.get("/dashboard/1999/").status_code == 404
    assert client.get("/dashboard/2022/", {"group": "XYZ"}).status_code == 404


def unpublished_period(year=2023):
    period = make_period(year)
    assess(period, make_unit("A"), full_scores(60, 30))
    compute_results(period)
    return period


@pytest.mark.parametrize(
    "role, expected",
    [(None, 302), ("officer", 403), ("reviewer", 200), ("leader", 200), ("admin", 200)],
)
def test_provisional_dashboard_is_for_province_staff_and_marked(client, role, expected):
    unpublished_period()
    if role:
        login(client, role, make_unit("A") if role == "officer" else None)
    response = client.get("/dashboard/2023/")
    assert response.status_code == expected
    if expected == 200:
        assert "Kết quả tạm tính" in response.content.decode()
        annotations = figures(response)["ranking"]["layout"]["annotations"]
        assert any(a["text"] == "KẾT QUẢ TẠM TÍNH" for a in annotations)


def test_unit_profile_shows_index_rank_and_grade_per_year(demo, client):
    response = client.get("/units/STP/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "97.57" in text and "1/26" in text and "/rankings/2022/SO/" in text
    years = figures(response)["years"]
    (own,) = [t for t in years["data"] if t["name"] == "Sở Tư pháp"]
    assert own["x"] == ["2021", "2022", "2024", "2025"] and own["text"][1] == "97.57"
    assert "Tiêu chí mất nhiều điểm nhất" not in text  # criteria: unit and province only


def test_unit_profile_shows_criteria_and_claims_to_leaders(demo, client):
    login(client, "leader")
    response = client.get("/units/STP/", {"year": "2021"})
    text = response.content.decode()
    assert "Tiêu chí mất nhiều điểm nhất" in text and "Theo nội dung — năm 2021" in text
    assert {"years", "areas", "claims"} <= set(figures(response))


def test_unit_profile_labels_the_years_of_predecessor_units(client):
    old = make_period(2021)
    for code in ("P1", "P2"):
        assess(old, make_unit(code), full_scores(50, 30))
    finalise_period(old)
    publish_results(old)
    new = make_period(2022)
    assess(new, make_unit("S", name="Đơn vị sáp nhập"), full_scores(55, 30))
    finalise_period(new)
    publish_results(new)
    Unit.objects.get(code="S").predecessors.add(*Unit.objects.filter(code__in=["P1", "P2"]))
    response = client.get("/units/S/")
    text = response.content.decode()
    assert "Đơn vị P1 (đơn vị tiền thân)" in text and "Đơn vị P2 (đơn vị tiền thân)" in text
    names = [t["name"] for t in figures(response)["years"]["data"]]
    assert "Đơn vị P1 (đơn vị tiền thân)" in names
    assert "Toàn bộ đơn vị nhập vào" in client.get("/units/P1/").content.decode()


def test_unknown_unit_is_404(client):
    assert client.get("/units/NOPE/").status_code == 404


def test_trends_default_to_the_leading_departments(demo, client):
    response = client.get("/trends/")
    assert response.status_code == 200
    lines = figures(response)["units"]["data"]
    leaders = (
        UnitResult.objects.filter(result_set__period__year=2025, group__code="SO")
        .select_related("unit")
        .order_by("rank")[:2]
    )
    assert [t["name"] for t in lines][:2] == [r.unit.display_name for r in leaders]
    assert len(figures(response)["groups"]["data"]) == 5


def test_trends_of_a_department_show_its_years_before_and_after_the_reorganisation(demo, client):
    (line,) = figures(client.get("/trends/", {"units": ["STP"]}))["units"]["data"]
    assert line["x"] == ["2021", "2022", "2024", "2025"]
    assert line["customdata"][1][1] == "97.57"


def test_trends_of_chosen_units_say_which_codes_are_unknown(demo, client):
    response = client.get("/trends/", {"units": ["QBTAN", "XX"]})
    assert [t["name"] for t in figures(response)["units"]["data"]] == ["Bình Tân"]
    assert "XX" in response.content.decode()


def test_trends_mark_provisional_years_for_staff_and_hide_them_from_the_public(client):
    old = make_period(2022)
    assess(old, make_unit("A"), full_scores(50, 30))
    finalise_period(old)
    publish_results(old)
    unpublished_period(2023)
    public = figures(client.get("/trends/", {"units": "A"}))["units"]
    assert public["data"][0]["x"] == ["2022"]
    login(client, "leader")
    staff = figures(client.get("/trends/", {"units": "A"}))["units"]
    assert staff["data"][0]["x"] == ["2022", "2023 (tạm tính)"]


# --- Query counts: the same for 3 units as for 40 ---------------------------------------------


def two_published_years(first_year, units, prefix):
    for year in (first_year, first_year + 1):
        period = make_period(year)
        for n in range(units):
            assess(period, make_unit(f"{prefix}{n}"), full_scores(40 + (n * 7 + year) % 20, 30))
        finalise_period(period)
        publish_results(Period.objects.get(pk=period.pk))


def page_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("staff", [False, True])
def test_dashboard_queries_do_not_grow_with_the_number_of_units(client, staff):
    if staff:
        login(client, "leader")
    two_published_years(2020, 3, "S")
    small = [
        page_queries(client, "/dashboard/2021/"),
        page_queries(client, "/units/S0/"),
        page_queries(client, "/trends/"),
        page_queries(client, "/trends/?units=S0&units=S1"),
    ]
    two_published_years(2024, 40, "L")
    large = [
        page_queries(client, "/dashboard/2025/"),
        page_queries(client, "/units/L0/"),
        page_queries(client, "/trends/"),
        page_queries(client, "/trends/?units=L0&units=L1"),
    ]
    assert small == large
    assert max(large) <= (20 if staff else 14)


# --- Chart helpers ----------------------------------------------------------------------------


def test_names_are_shown_as_typed_never_as_plotly_markup():
    from parindex.web.charts.base import plain

    assert plain("Sở KH&ĐT <b>") == "Sở KH&amp;ĐT &lt;b&gt;"


def test_units_sharing_a_short_name_stay_apart_on_a_chart():
    from parindex.web.charts.base import unique_labels

    units = [
        Unit(code="A", name="Phòng A", short_name="Phòng"),
        Unit(code="B", name="Phòng B", short_name="Phòng"),
        Unit(code="C", name="Phòng C"),
    ]
    assert unique_labels(units) == ["Phòng (A)", "Phòng (B)", "Phòng C"]


@pytest.mark.parametrize(
    "highest, step", [(1, 1), (3, 1), (7, 2), (12, 5), (26, 10), (154, 50), (1000, 200)]
)
def test_count_axes_tick_whole_units(highest, step):
    from parindex.web.charts.overview import count_step

    assert count_step(highest) == step


def test_the_dashboard_without_a_year_shows_the_latest_period_one_may_see(client):
    old = make_period(2022)
    assess(old, make_unit("A"), full_scores(50, 30))
    finalise_period(old)
    publish_results(old)
    unpublished_period(2023)
    assert client.get("/dashboard/").context["period"].year == 2022
    login(client, "leader")
    response = client.get("/dashboard/")
    assert response.context["period"].year == 2023
    assert "Kết quả tạm tính" in response.content.decode()


def test_the_dashboard_without_any_result_says_nothing_is_published(client):
    unpublished_period(2023)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "Chưa có kết quả nào được công bố" in response.content.decode()
