"""A partner reads the league table and the to-do page in English after the footer's switch."""

import re

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def switch_to_english(page):
    page.locator('footer button[value="en"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_partner_reads_the_league_table_and_the_todo_page_in_english(demo_live, page):
    base = demo_live.url
    page.goto(f"{base}/rankings/2022/SO/")
    assert page.locator("html").get_attribute("lang") == "vi"
    switch_to_english(page)
    assert page.url.endswith("/rankings/2022/SO/")  # back on the same page
    nav = page.locator("#site-nav")
    assert nav.get_by_role("link", name="Rankings").is_visible()
    assert nav.get_by_role("link", name="Log in").is_visible()
    table = page.locator("table.league").first
    headers = table.locator("thead").inner_text()
    assert "Rank" in headers and "Index" in headers
    first = table.locator("tbody tr").first
    assert first.locator("td").first.inner_text() == "1"
    assert "Sở Tư pháp" in first.inner_text()  # names are data: they stay as published
    index_cells = table.locator("tbody td.num").all_inner_texts()
    assert "97.57" in index_cells  # scores keep the decimal point and two decimals
    assert [t for t in index_cells if "," in t] == []  # never a decimal comma
    screenshot(page, "rankings-2022-SO-en")

    page.goto(f"{base}/accounts/login/")  # the header's link would come back to the table
    page.get_by_label("Username").fill("lanhdao.tuphap")
    page.get_by_label("Password").fill("demo12345")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/todo/")
    assert page.locator("html").get_attribute("lang") == "en"
    main = page.locator("main").inner_text()
    assert "Self-assessment deadline:" in main or "Self-assessment submitted" in main
    assert re.search(r"\d{2}/\d{2}/\d{4}", main)  # dates stay day-first in English
    assert page.locator("#site-nav").get_by_role("link", name="To do").is_visible()
    screenshot(page, "todo-head-en")

    # Back to Vietnamese from the same footer.
    page.locator('footer button[value="vi"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("#site-nav").get_by_role("link", name="Việc cần làm").is_visible()
    assert page.console_errors == []
