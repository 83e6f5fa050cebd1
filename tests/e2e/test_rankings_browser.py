"""A leader opens the league tables in a real browser."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_leader_finds_so_tu_phap_first_and_agencies_unranked(demo_live, page):
    page.goto(f"{demo_live.url}/")
    assert page.url.endswith("/rankings/2025/")  # the latest published year
    page.goto(f"{demo_live.url}/rankings/2022/")
    assert page.get_by_role("heading", name="Khối sở, ban, ngành").is_visible()
    screenshot(page, "rankings-2022")

    page.get_by_role("link", name="Khối sở, ban, ngành").click()
    first = page.locator("table.league tbody tr").first
    assert first.locator("td").first.inner_text() == "1"
    assert "Sở Tư pháp" in first.inner_text() and "97.57" in first.inner_text()
    assert page.locator("table.league tbody tr").count() == 26
    screenshot(page, "rankings-2022-SO")

    page.get_by_label("Tên hoặc mã đơn vị").fill("Xúc tiến")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("table.league tbody tr")
    assert rows.count() == 1 and "85.18" in rows.first.inner_text()

    # An officer types the unit's name without diacritics and finds its row and rank.
    page.get_by_label("Tên hoặc mã đơn vị").fill("tu phap")
    page.get_by_role("button", name="Lọc").click()
    assert rows.count() == 1 and rows.first.locator("td").first.inner_text() == "1"
    assert "Sở Tư pháp" in rows.first.inner_text()
    page.get_by_label("Tên hoặc mã đơn vị").fill("Hoàn Kiếm")
    page.get_by_role("button", name="Lọc").click()
    assert "Không có đơn vị nào khớp với “Hoàn Kiếm”." in rows.first.inner_text()

    # Pages of ten rows: the next page goes on with the published ranks, the whole table is
    # one click away.
    page.goto(f"{demo_live.url}/rankings/2022/SO/?per_page=10")
    pager = page.get_by_role("navigation", name="Các trang của bảng")
    assert "Trang 1/3" in pager.inner_text()
    pager.get_by_role("link", name="Trang sau").click()
    assert "Trang 2/3" in pager.inner_text()
    assert rows.first.locator("td").first.inner_text() == "11"
    screenshot(page, "rankings-2022-SO-page-2")
    pager.get_by_role("link", name="Xem toàn bộ bảng").click()
    assert rows.count() == 26 and "per_page=all" in page.url

    page.goto(f"{demo_live.url}/rankings/2022/NGANHDOC/")
    ranks = page.locator("table.league tbody tr td:first-child").all_inner_texts()
    assert ranks == ["—"] * 7
    assert "95.17" in page.locator("table.league tbody tr").first.inner_text()
    screenshot(page, "rankings-2022-NGANHDOC")
    assert page.console_errors == []
