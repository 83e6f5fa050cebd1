"""A leader reads the dashboards in a real browser: every chart is drawn, and its figures agree
with the league table."""

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_self_assessment_browser import login

pytestmark = pytest.mark.e2e
TABLET = {"width": 820, "height": 1180}


def charts_drawn(page):
    """Wait until plotly has drawn every chart of the page; return how many there are."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every(el => el.dataset.drawn === 'true')",
        timeout=15000,
    )
    charts = page.locator("[data-figure]")
    for number in range(charts.count()):
        assert charts.nth(number).locator("svg.main-svg").count() >= 1
    return charts.count()


def hover_text(page, chart, target):
    """Move the mouse onto ``target`` inside a chart and return plotly's hover label."""
    element = page.locator(f"#chart-{chart} {target}").first
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator(f"#chart-{chart} .hoverlayer .hovertext").first
    label.wait_for(timeout=5000)
    return label.text_content()


def league_index(page, base, year, group, unit):
    """Return the index the league table shows for ``unit``."""
    page.goto(f"{base}/rankings/{year}/{group}/")
    return (
        page.locator("table.league tbody tr").filter(has_text=unit).locator("td.index").inner_text()
    )


def fits_the_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_period_dashboard_draws_its_charts_with_the_league_figures(demo_live, page):
    base = demo_live.url
    expected = league_index(page, base, 2022, "SO", "Sở Tư pháp")
    assert expected == "97.57"

    page.goto(f"{base}/dashboard/2022/")
    assert charts_drawn(page) == 4
    bar_labels = page.locator("#chart-ranking text.bartext").all_text_contents()
    assert bar_labels[0] == expected
    hover = hover_text(page, "ranking", "text.bartext")
    assert "Sở Tư pháp" in hover and f"Chỉ số: {expected}" in hover and "Hạng: 1" in hover
    assert page.locator("#chart-heatmap svg.main-svg").count() >= 1
    screenshot(page, "dashboard-2022")

    page.get_by_role("link", name="Khối cơ quan ngành dọc").last.click()
    assert charts_drawn(page) == 4
    assert page.locator("#chart-ranking text.bartext").all_text_contents()[0] == "95.17"
    screenshot(page, "dashboard-2022-NGANHDOC")

    page.set_viewport_size(TABLET)
    page.goto(f"{base}/dashboard/2022/")
    assert charts_drawn(page) == 4
    assert fits_the_width(page)
    screenshot(page, "dashboard-2022-tablet")
    assert page.console_errors == []


def test_unit_profile_draws_its_charts_with_the_league_figures(demo_live, page):
    base = demo_live.url
    expected = league_index(page, base, 2022, "SO", "Sở Tư pháp")
    login(page, base, "lanhdao")

    page.goto(f"{base}/units/STP/")
    assert charts_drawn(page) == 3  # years, areas against the group, self-assessed vs final
    assert expected in page.locator("#chart-years text").all_text_contents()
    assert page.get_by_role("heading", name="Tiêu chí mất nhiều điểm nhất").is_visible()
    screenshot(page, "unit-STP")

    page.set_viewport_size(TABLET)
    page.goto(f"{base}/units/TDUC/")
    assert charts_drawn(page) == 3
    assert "UBND Quận 2" in page.locator(".lineage").inner_text()
    assert fits_the_width(page)
    screenshot(page, "unit-TDUC-tablet")
    assert page.console_errors == []


def test_trends_draw_the_chosen_units_with_the_league_figures(demo_live, page):
    base = demo_live.url
    expected = league_index(page, base, 2022, "SO", "Sở Tư pháp")

    page.goto(f"{base}/trends/?units=STP")
    assert charts_drawn(page) == 2
    # The line is Sở Tư pháp's; its second point is 2022.
    hover = hover_text(page, "units", ".scatterlayer .trace:first-child .points path:nth-child(2)")
    assert "Sở Tư pháp" in hover and f"Chỉ số: {expected}" in hover
    screenshot(page, "trends")

    # The picker: a search box folded like every unit search, over a list of checkboxes.
    page.locator("input[name=units][value=STP]").uncheck()
    page.get_by_label("Tìm đơn vị (tên hoặc mã)").fill("binh tan")
    assert page.locator("input[name=units][value=Q5]").is_hidden()
    page.locator("input[name=units][value=QBTAN]").check()
    page.get_by_label("Tìm đơn vị (tên hoặc mã)").fill("QUAN 5")
    page.locator("input[name=units][value=Q5]").check()
    page.get_by_role("button", name="Xem").click()
    assert charts_drawn(page) == 2
    names = page.locator("#chart-units .legendtext").all_text_contents()
    assert sorted(names) == ["Bình Tân", "Quận 5"]

    page.set_viewport_size(TABLET)
    page.reload()
    assert charts_drawn(page) == 2
    assert fits_the_width(page)
    screenshot(page, "trends-tablet")
    assert page.console_errors == []


def test_the_png_button_downloads_the_chart(demo_live, page):
    page.goto(f"{demo_live.url}/dashboard/2022/")
    charts_drawn(page)
    page.locator("#chart-distribution").hover()
    button = page.locator("#chart-distribution .modebar-btn").first
    assert button.get_attribute("data-title") == "Tải biểu đồ (PNG)"
    with page.expect_download(timeout=10000) as download:
        button.click()
    assert download.value.suggested_filename == "chi-so-cchc-2022-SO-phan-bo.png"
    assert page.console_errors == []
