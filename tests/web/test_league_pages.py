"""A large group's league page: a first page of rows, a pager, the whole table one click away,
a search that finds a unit's own row, and downloads that always hold every row."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from parindex.core.models import Period, PeriodGroup, ResultSet, Unit, UnitGroup, UnitResult
from parindex.web.tables import PAGE_ROWS
from tests.builders import built_once, make_period, read_csv

pytestmark = pytest.mark.django_db

UNITS = 230  # three pages of PAGE_ROWS
URL = "/rankings/2030/LON/"


def index_of(n: int) -> Decimal:
    """Unit n's index: falling by 0.1 per place, except that units 100 and 101 tie."""
    place = n - 1 if n > 100 else n
    return Decimal("99.90") - Decimal("0.10") * place


def rank_of(n: int) -> int:
    return 100 if n in (100, 101) else n


def name_of(n: int) -> str:
    return "Sở Tư pháp tỉnh thử" if n == 150 else f"Phường Đồng Xuân {n:03d}"


def build_large_group():
    """A published group of ``UNITS`` units, written directly as result rows: the page reads
    only the rows, and computing them is tested elsewhere."""
    period = make_period(2030, groups=(("LON", True),))
    group = UnitGroup.objects.get(code="LON")
    units = Unit.objects.bulk_create(
        Unit(code=f"LON-{n:03d}", name=name_of(n), group=group) for n in range(1, UNITS + 1)
    )
    result_set = ResultSet.objects.create(
        period=period, group=group, computed_at=timezone.now(), decision_number="9/QĐ"
    )
    UnitResult.objects.bulk_create(
        UnitResult(
            result_set=result_set,
            unit=unit,
            group=group,
            unit_name=unit.name,
            group_name=group.name,
            points=index_of(n),
            bonus=0,
            deduction=0,
            total=index_of(n),
            max_points=100,
            index=index_of(n),
            rank=rank_of(n),
            grade_label="Tốt" if index_of(n) >= 80 else "Khá",
        )
        for n, unit in enumerate(units, start=1)
    )
    ResultSet.objects.filter(pk=result_set.pk).update(published=True)
    PeriodGroup.objects.filter(period=period).update(stage="published")
    Period.objects.filter(pk=period.pk).update(status="published")


@pytest.fixture(scope="module")
def large_group(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_large_group)


def rows_of(html):
    """Return the cells of each table row, as text."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_first_screen_shows_one_page_of_rows_and_says_which_page(large_group, client):
    html = page(client)
    rows = rows_of(html)
    assert len(rows) == PAGE_ROWS == 100
    assert rows[0][0] == "1" and rows[-1][0] == "100"
    assert "Trang 1/3" in html
    assert "đơn vị thứ 1–100 trong tổng số 230" in html
    assert 'rel="next"' in html and "Trang sau" in html and 'rel="prev"' not in html


def test_a_later_page_keeps_the_published_ranks_and_ties(large_group, client):
    rows = rows_of(page(client, page=2))
    assert [row[0] for row in rows[:3]] == ["100", "102", "103"]  # unit 101 tied with 100
    assert "Phường Đồng Xuân 101" in rows[0][1]
    last = rows_of(page(client, page=3))
    assert len(last) == UNITS - 2 * PAGE_ROWS and last[-1][0] == str(UNITS)


def test_the_whole_table_is_one_click_away(large_group, client):
    html = page(client)
    link = re.search(r'<a class="whole" href="([^"]+)">Xem toàn bộ bảng \(230 đơn vị\)</a>', html)
    assert link and "per_page=all" in link[1]
    whole = page(client, per_page="all")
    assert len(rows_of(whole)) == UNITS
    assert "Đang xem toàn bộ bảng (230 đơn vị)" in whole and "Xem theo trang" in whole


def test_sorting_starts_again_at_page_one(large_group, client):
    html = page(client, page=3)
    header_links = re.findall(r'<th[^>]*><a href="([^"]+)"', html)
    assert header_links and all("page=" not in link for link in header_links)
    rows = rows_of(page(client, sort="index"))
    assert rows[0][0] == str(UNITS)  # the lowest index first, with its own rank


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"page": "0"}, {"page": "999"}, {"per_page": "0"}, {"per_page": "-5"}],
)
def test_odd_page_numbers_typed_into_the_address_still_show_a_page(large_group, client, query):
    assert 0 < len(rows_of(page(client, **query))) <= PAGE_ROWS


def test_search_without_diacritics_finds_the_units_own_row_with_its_rank(large_group, client):
    rows = rows_of(page(client, q="tu phap"))
    assert len(rows) == 1
    assert rows[0][0] == "150" and "Sở Tư pháp tỉnh thử" in rows[0][1]
    rows = rows_of(page(client, q="dong xuan 101"))
    assert [row[0] for row in rows] == ["100"]
    assert rows_of(page(client, q="LON-007"))[0][0] == "7"


def test_a_search_that_finds_nothing_says_so(large_group, client):
    html = page(client, q="Hoàn   Kiếm")
    assert "Không có đơn vị nào khớp với “Hoàn Kiếm”." in html
    assert "Chưa có kết quả cho khối này" not in html


def test_a_search_keeps_its_text_in_the_box_and_drops_the_page(large_group, client):
    html = page(client, q="đồng xuân", page=2)
    assert 'value="đồng xuân"' in html
    assert "Trang 2/3" in html
    export = re.search(r'href="(\?[^"]*export=csv[^"]*)"', html)[1]
    assert "page=" not in export and "q=" in export


@pytest.mark.parametrize("query", [{}, {"page": "2"}, {"per_page": "all"}])
def test_csv_export_always_holds_every_row(large_group, client, query):
    _titles, rows = read_csv(client.get(URL, {"export": "csv", **query}))
    assert len(rows) == UNITS
    assert [row["Hạng"] for row in rows[99:102]] == ["100", "100", "102"]


def test_annex_export_always_holds_every_row(large_group, client):
    response = client.get(URL, {"export": "xlsx", "page": "2"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert sum(1 for cell in cells if str(cell).startswith("Phường Đồng Xuân")) == UNITS - 1
    assert "Sở Tư pháp tỉnh thử" in cells


def test_page_queries_do_not_depend_on_the_page_or_the_search(large_group, client):
    client.get(URL, {"page": "2"})  # the published state is read once, then kept
    counts = []
    for query in ({}, {"page": "3"}, {"per_page": "all"}, {"q": "tu phap"}):
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, query)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 10  # a page costs one count of the rows
    assert counts[2] <= 10
    assert counts[3] == counts[0] + 1  # a search reads the names and codes once


def served_from_cache(client, query):
    """Return the page for ``query`` and whether it came from the stored copy."""
    with CaptureQueriesContext(connection) as captured:
        response = (
            client.get(f"{URL}?{query}") if isinstance(query, str) else client.get(URL, query)
        )
    assert response.status_code == 200
    return response.content, len(captured) == 0  # a stored copy reads no database


@pytest.mark.parametrize(
    "first, other",
    [
        ({"page": "2"}, {"page": "3"}),
        ({"q": "tu phap"}, {"q": "dong xuan 001"}),
        ({"sort": "index"}, {"sort": "-index"}),
        ({"per_page": "all"}, {}),
        ({"grade": "Khá"}, {"grade": "Tốt"}),
        ({"export": "csv"}, {}),
    ],
)
def test_each_page_search_and_sort_is_stored_apart(large_group, client, first, other):
    one, _ = served_from_cache(client, first)
    two, _ = served_from_cache(client, other)
    assert one != two
    again, cached = served_from_cache(client, first)
    assert cached and again == one


def test_the_order_of_the_parameters_makes_no_other_copy(large_group, client):
    one, _ = served_from_cache(client, "page=2&q=dong+xuan")
    two, cached = served_from_cache(client, "q=dong+xuan&page=2")
    assert cached and two == one


def test_a_parameter_the_page_does_not_read_neither_adds_a_copy_nor_reaches_its_links(
    large_group, client
):
    plain, _ = served_from_cache(client, {"page": "2"})
    tagged, cached = served_from_cache(client, {"page": "2", "utm_source": "zalo"})
    assert cached and tagged == plain
    client.get(URL, {"page": "3", "utm_source": "zalo"})  # a page first built from such a link
    third, cached = served_from_cache(client, {"page": "3"})
    assert cached and b"utm_source" not in third
