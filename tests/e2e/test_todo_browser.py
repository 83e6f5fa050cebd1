"""The to-do page in a real browser: the head lands on it, submits from it, and the reviewer
finds the submitted unit at once."""

from parindex.core import clock
from parindex.core.models import Assessment
from tests.e2e.conftest import screenshot
from tests.e2e.test_self_assessment_browser import login, logout, prefill_all_but


def test_the_head_submits_from_the_todo_page_and_the_reviewer_finds_the_unit(demo_live, page):
    year = clock.today().year
    prefill_all_but(Assessment.objects.get(period__year=year, unit__code="STP"), set())
    base = demo_live.url

    login(page, base, "lanhdao.tuphap")
    page.wait_for_url("**/todo/")
    screenshot(page, "todo-head")
    page.get_by_role("button", name="Đã chấm đủ: nộp bản tự đánh giá").click()
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận nộp").click()
    page.wait_for_url(f"**/assessments/{year}/STP/")
    assert "Đã nộp bản tự đánh giá." in page.locator(".messages").inner_text()
    page.goto(f"{base}/todo/")
    assert "Không có việc nào đang chờ bạn" in page.locator("main").inner_text()
    logout(page)

    login(page, base, "thamdinh")
    page.wait_for_url("**/todo/")
    item = page.locator("#todo-submitted")
    assert "Đơn vị đã nộp, chờ thẩm định" in item.inner_text()
    screenshot(page, "todo-reviewer")
    item.get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_url(f"**/assessments/{year}/STP/appraise/")
    page.goto(f"{base}/review/{year}/progress/")
    board = page.locator("table.progress-board")
    board.locator('a[href*="status=submitted"]').first.click()
    queue = page.locator("table.league").first  # the queue's table, above the group box
    assert queue.locator("tbody tr").count() == 1
    assert "Sở Tư pháp" in queue.inner_text()
    assert page.console_errors == []
