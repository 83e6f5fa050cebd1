"""An officer fills in leaves, uploads evidence, the head submits; another unit sees 404."""

import re

import pytest

from parindex.core import clock
from parindex.core.models import Assessment, Criterion, Method, User
from parindex.core.services.assessments import save_self_score
from tests.builders import PDF_BYTES
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()


def open_own_assessment(page):
    """From the to-do page where login lands, open the unit's own entry page."""
    page.wait_for_url("**/todo/")
    page.get_by_role("link", name="Mở bản tự đánh giá").click()
    page.wait_for_url("**/assessments/**")


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()


def totals_settled(page):
    """Wait until the page's running totals are fetched again after the last save."""
    page.locator("[data-totals]:not([aria-busy])").wait_for(timeout=5000)


def prefill_all_but(assessment, keep):
    """Score every self-assessed leaf except ``keep`` (as the officer would have, earlier)."""
    officer = User.objects.get(username="canbo.tuphap")
    for leaf in Criterion.objects.filter(
        criteria_set__period_groups__period=assessment.period,
        criteria_set__period_groups__group=assessment.unit.group,
        method=Method.SELF,
    ).exclude(code__in=keep):
        save_self_score(
            assessment,
            leaf,
            by=officer,
            points_text=str(leaf.max_points),
            note="Theo báo cáo CCHC năm",
            revision=0,
        )


def test_officer_enters_scores_and_evidence_head_submits_and_entries_lock(
    demo_live, page, tmp_path
):
    year = clock.today().year
    assessment = Assessment.objects.get(period__year=year, unit__code="STP")
    number_leaf = "2.2.1"  # a free number from 0 to 1
    choice_leaf = "1.1.1"
    sets = Criterion.objects.filter(
        criteria_set__period_groups__period=assessment.period,
        criteria_set__period_groups__group=assessment.unit.group,
    )
    assert not sets.get(code=number_leaf).options and sets.get(code=choice_leaf).options
    prefill_all_but(assessment, {number_leaf, choice_leaf})
    base = demo_live.url

    login(page, base, "canbo.tuphap")
    open_own_assessment(page)
    assert page.url.endswith(f"/assessments/{year}/STP/")
    total = page.locator("[data-total]")
    before = total.inner_text()

    leaf = page.locator(f'article[id="leaf-{number_leaf}"]')
    leaf.locator('input[name="points"]').fill("0,5")
    leaf.locator('input[name="points"]').press("Tab")
    leaf.locator(".save-status").filter(has_text="Đã lưu").wait_for()
    totals_settled(page)
    after_number = total.inner_text()
    assert float(after_number) == pytest.approx(float(before) + 0.5)

    choice = page.locator(f'article[id="leaf-{choice_leaf}"]')
    choice.locator('input[type="radio"]').first.check()
    choice.locator(".save-status").filter(has_text="Đã lưu").wait_for()
    totals_settled(page)
    assert float(total.inner_text()) == pytest.approx(float(after_number) + 1)
    # The saved leaf's history says so without a reload.
    choice.locator("details.history summary", has_text="Lịch sử (1)").wait_for(timeout=5000)
    choice.locator('textarea[name="note"]').fill("Kế hoạch CCHC số 15/KH-STP ban hành đúng hạn")
    choice.locator('textarea[name="note"]').press("Tab")
    choice.locator(".save-status").filter(has_text="Đã lưu").wait_for()

    pdf = tmp_path / "bao-cao-cchc.pdf"
    pdf.write_bytes(PDF_BYTES)
    leaf.locator('input[type="file"]').set_input_files(str(pdf))
    leaf.locator('input[name="citation"]').fill("Mục II, trang 4")
    leaf.get_by_role("button", name="Tải lên").click()
    page.locator(
        f'article[id="leaf-{number_leaf}"] .evidence a', has_text="bao-cao-cchc.pdf"
    ).wait_for()
    assert "70 / 70" in page.locator("[data-progress]").inner_text().replace("\n", " ")
    leaf.scroll_into_view_if_needed()
    screenshot(page, "entry-officer-leaf", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "entry-officer-top", full_page=False)
    evidence_url = page.locator(".evidence a", has_text="bao-cao-cchc.pdf").get_attribute("href")
    assert page.console_errors == []
    logout(page)

    login(page, base, "lanhdao.tuphap")
    open_own_assessment(page)
    page.get_by_role("button", name="Nộp bản tự đánh giá").click()
    dialog = page.get_by_role("dialog")
    assert "Sở Nội vụ" in dialog.inner_text()
    screenshot(page, "entry-submit-confirm", full_page=False)
    dialog.get_by_role("button", name="Xác nhận nộp").click()
    assert "Đã nộp bản tự đánh giá." in page.locator(".messages").inner_text()
    assert page.locator("form.leaf-form").count() == 0
    assert page.locator(".status-chip").first.inner_text() == "Đã nộp"
    assert page.get_by_role("button", name="Rút lại để chỉnh sửa").is_visible()
    screenshot(page, "entry-submitted", full_page=False)
    logout(page)

    login(page, base, "canbo.binhtan")
    open_own_assessment(page)
    assert re.search(r"/assessments/\d+/BINHTAN/$", page.url)  # a ward since 1 July 2025
    response = page.goto(f"{base}/assessments/{year}/STP/")
    assert response.status == 404
    response = page.request.get(f"{base}{evidence_url}")
    assert response.status == 404
