"""A leader opens the league tables in a real browser."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_leader_finds_so_tu_phap_first_and_agencies_unranked(demo_live, page):
    page.goto(f"{demo_live.url}/")
    assert page.url.endswith("/rankings/2022/")
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

    page.goto(f"{demo_live.url}/rankings/2022/NGANHDOC/")
    ranks = page.locator("table.league tbody tr td:first-child").all_inner_texts()
    assert ranks == ["—"] * 7
    assert "95.17" in page.locator("table.league tbody tr").first.inner_text()
    screenshot(page, "rankings-2022-NGANHDOC")
    assert page.console_errors == []
