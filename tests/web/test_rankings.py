"""League-table pages: content, CSV, access and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core.models import Period, PeriodGroup, ResultSet
from parindex.core.services.results import compute_results
from tests.builders import (
    PASSWORD,
    assess,
    full_scores,
    make_period,
    make_unit,
    make_user,
    read_csv,
)

pytestmark = pytest.mark.django_db


def rows_of(html):
    """Return the text of each table row (a crude parse, enough for assertions)."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def test_period_page_lists_the_three_groups_with_their_leaders(demo, client):
    response = client.get("/rankings/2022/")
    assert response.status_code == 200
    text = response.content.decode()
    for name in (
        "Khối sở, ban, ngành",
        "Khối cơ quan ngành dọc",
        "Khối UBND TP. Thủ Đức, quận, huyện",
    ):
        assert name in text
    assert "97.57" in text and "Sở Tư pháp" in text
    assert "minh họa" in text


def test_home_redirects_to_the_latest_published_period(demo, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/rankings/2025/"


def test_department_table_shows_rank_one_for_so_tu_phap(demo, client):
    response = client.get("/rankings/2022/SO/")
    assert response.status_code == 200
    rows = rows_of(response.content.decode())
    assert len(rows) == 26
    assert rows[0].startswith("1 Sở Tư pháp") and "97.57" in rows[0] and "Tốt" in rows[0]
    assert rows[-1].startswith("26 Trung tâm Xúc tiến Thương mại và Đầu tư")
    assert "85.18" in rows[-1]


def test_agencies_table_shows_grades_and_no_ranks(demo, client):
    response = client.get("/rankings/2022/NGANHDOC/")
    rows = rows_of(response.content.decode())
    assert len(rows) == 7
    assert all(row.startswith("—") for row in rows)
    assert "Cục Hải quan TP.HCM" in rows[0] and "95.17" in rows[0]
    assert "Bảo hiểm xã hội TP" in rows[-1] and "88.12" in rows[-1]
    assert "± Hạng" not in response.content.decode()


def test_filter_by_name_and_by_grade_band(demo, client):
    rows = rows_of(client.get("/rankings/2022/QH/", {"q": "quận 5"}).content.decode())
    assert len(rows) == 1 and "86.22" in rows[0]
    assert len(rows_of(client.get("/rankings/2022/QH/", {"grade": "Tốt"}).content.decode())) == 22
    none = client.get("/rankings/2022/QH/", {"grade": "Yếu"}).content.decode()
    assert "Không có đơn vị nào xếp loại “Yếu”." in none
    assert "Chưa có kết quả cho khối này" not in none  # the group has results, not in that band


def test_sorting_by_index_ascending_puts_the_lowest_first(demo, client):
    rows = rows_of(client.get("/rankings/2022/SO/", {"sort": "index"}).content.decode())
    assert "85.18" in rows[0] and "97.57" in rows[-1]


def test_csv_export_has_vietnamese_headers_and_published_figures(demo, client):
    response = client.get("/rankings/2022/SO/", {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    _titles, reader = read_csv(response)
    assert len(reader) == 26
    first = reader[0]
    assert (
        first["Hạng"],
        first["Mã đơn vị"],
        first["Đơn vị"],
        first["Chỉ số (%)"],
        first["Xếp loại"],
    ) == ("1", "STP", "Sở Tư pháp", "97.57", "Tốt")


def test_csv_export_leaves_the_rank_empty_for_unranked_groups(demo, client):
    response = client.get("/rankings/2022/NGANHDOC/", {"export": "csv"})
    _titles, reader = read_csv(response)
    assert [r["Hạng"] for r in reader] == [""] * 7
    assert reader[0]["Chỉ số (%)"] == "95.17"


def test_csv_export_keeps_the_filter(demo, client):
    response = client.get("/rankings/2022/QH/", {"export": "csv", "q": "Bình Tân"})
    _titles, reader = read_csv(response)
    assert [(r["Hạng"], r["Chỉ số (%)"]) for r in reader] == [("1", "96.53")]


def test_unknown_year_or_group_is_404(demo, client):
    assert client.get("/rankings/1999/").status_code == 404
    assert client.get("/rankings/2022/XYZ/").status_code == 404


def unpublished_period():
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    compute_results(period)
    return period


@pytest.mark.parametrize(
    "url", ["/rankings/2023/", "/rankings/2023/SO/", "/rankings/2023/SO/?export=csv"]
)
@pytest.mark.parametrize(
    "role, expected",
    [
        (None, 302),
        ("officer", 403),
        ("unit_head", 403),
        ("reviewer", 200),
        ("approver", 200),
        ("leader", 200),
        ("admin", 200),
    ],
)
def test_unpublished_results_need_a_login_and_a_province_role(client, url, role, expected):
    unpublished_period()
    if role:
        unit = make_unit("A") if role in ("officer", "unit_head") else None
        make_user("u", role, unit)
        client.login(username="u", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_provisional_results_are_marked_as_such(client):
    unpublished_period()
    make_user("u", "leader")
    client.login(username="u", password=PASSWORD)
    assert "Kết quả tạm tính" in client.get("/rankings/2023/SO/").content.decode()


def test_anonymous_home_ignores_unpublished_periods(client):
    unpublished_period()
    response = client.get("/")
    assert response.status_code == 200
    assert "Chưa có kết quả nào được công bố" in response.content.decode()


def league_queries(client, year, units):
    period = make_period(year)
    for n in range(units):
        assess(period, make_unit(f"U{year}-{n}"), full_scores(40 + n % 20, 30))
    compute_results(period)
    # Published without the appraisal steps: only the page's reading is measured here.
    ResultSet.objects.filter(period=period).update(published=True)
    PeriodGroup.objects.filter(period=period).update(stage="published")
    Period.objects.filter(pk=period.pk).update(status="published")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/rankings/{year}/SO/")
    assert response.status_code == 200
    return len(captured)


def test_league_page_queries_do_not_grow_with_the_number_of_units(client):
    small = league_queries(client, 2020, 3)
    large = league_queries(client, 2021, 40)
    assert small == large
    assert large <= 10  # the table, its areas and bands, the group, which sets are published


def test_period_page_queries_do_not_grow_with_the_number_of_units(demo, client):
    with CaptureQueriesContext(connection) as captured:
        client.get("/rankings/2022/")
    assert len(captured) <= 6


def test_a_corrected_result_keeps_its_earlier_version_readable(client):
    from parindex.core.services.corrections import correct_results
    from parindex.core.services.results import finalise_period, publish_results
    from tests.builders import leaf_of

    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ")
    approver = make_user("pd", "approver")
    correct_results(
        Period.objects.get(pk=period.pk),
        by=approver,
        reason="Sai số liệu điều tra",
        decision_number="2/QĐ",
        changes=[(a, leaf_of(period, "2.1"), "35", "Số liệu đúng")],
    )
    current = rows_of(client.get("/rankings/2023/SO/").content.decode())
    old_page = client.get("/rankings/2023/SO/", {"version": "1"}).content.decode()
    assert "95.00" in current[0]
    assert "90.00" in rows_of(old_page)[0]
    assert "đã được thay thế" in old_page and "Sai số liệu điều tra" in old_page
    assert client.get("/rankings/2023/SO/", {"version": "9"}).status_code == 404


def test_published_pages_are_served_from_the_cache_and_follow_corrections(client):
    from parindex.core.services.corrections import correct_results
    from parindex.core.services.results import finalise_period, publish_results
    from tests.builders import leaf_of

    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ")
    first = client.get("/rankings/2023/SO/").content
    with CaptureQueriesContext(connection) as cached:
        again = client.get("/rankings/2023/SO/").content
    assert again == first and len(cached) == 0  # a stored copy reads no database
    correct_results(
        Period.objects.get(pk=period.pk),
        by=make_user("pd", "approver"),
        reason="Sai",
        decision_number="2/QĐ",
        changes=[(a, leaf_of(period, "2.1"), "35", "Đúng")],
    )
    assert "95.00" in rows_of(client.get("/rankings/2023/SO/").content.decode())[0]
    make_user("lanhdao", "leader")
    client.login(username="lanhdao", password=PASSWORD)
    assert "lanhdao" in client.get("/rankings/2023/SO/").content.decode()  # never cached


def test_unit_profiles_are_cached_for_the_public_until_something_is_published(client):
    from parindex.core.services.corrections import correct_results
    from parindex.core.services.results import finalise_period, publish_results
    from tests.builders import leaf_of

    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ")
    first = client.get("/units/A/").content
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/units/A/").content == first
    assert len(cached) == 0  # the published-state fingerprint is kept in the cache too
    correct_results(
        Period.objects.get(pk=period.pk),
        by=make_user("pd", "approver"),
        reason="Sai",
        decision_number="2/QĐ",
        changes=[(a, leaf_of(period, "2.1"), "35", "Đúng")],
    )
    assert "95.00" in client.get("/units/A/").content.decode()
