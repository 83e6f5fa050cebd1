"""One unit through the whole review loop, in a real browser, up to the public league table."""

import pytest
from playwright.sync_api import expect

from parindex.core import clock
from parindex.core.models import Assessment, Criterion, Method, User
from parindex.core.services.appraisal import save_survey_points
from parindex.core.services.assessments import save_self_score, submit_assessment
from parindex.core.team import can_appraise_leaf
from tests.builders import PDF_BYTES, run_jobs
from tests.e2e.conftest import screenshot
from tests.e2e.test_self_assessment_browser import (
    login,
    logout,
    open_own_assessment,
    totals_settled,
)

pytestmark = pytest.mark.e2e
CUT_LEAF = "1.1.1"


def submitted_unit_with_survey(year):
    """Sở Tư pháp submitted everything at its maximum; survey results are in; the other units
    of the demo period are left out so that the period can be finalised."""
    period_units = Assessment.objects.filter(period__year=year)
    period_units.exclude(unit__code="STP").delete()
    assessment = period_units.get(unit__code="STP")
    officer = User.objects.get(username="canbo.tuphap")
    reviewer = User.objects.get(username="thamdinh")
    leaves = Criterion.objects.filter(
        criteria_set__period_groups__period=assessment.period,
        criteria_set__period_groups__group=assessment.unit.group,
    )
    for leaf in leaves.filter(method=Method.SELF):
        save_self_score(
            assessment,
            leaf,
            by=officer,
            points_text=str(leaf.max_points),
            note="Theo báo cáo CCHC năm",
            revision=0,
        )
    submit_assessment(assessment, by=User.objects.get(username="lanhdao.tuphap"))
    team = [reviewer, User.objects.get(username="thamdinh.tuphap")]  # the demo's team
    for leaf in leaves.filter(method=Method.SURVEY):
        by = next(r for r in team if can_appraise_leaf(r, assessment, leaf))
        save_survey_points(assessment, leaf, by=by, points_text=str(leaf.max_points), revision=0)
    return assessment


def saved(leaf):
    try:
        leaf.locator(".save-status").filter(has_text="Đã lưu").wait_for(timeout=5000)
    except Exception:
        raise AssertionError(leaf.inner_text()) from None


def test_submitted_appraised_returned_explained_finalised_deducted_published(
    demo_live, page, tmp_path
):
    year = clock.today().year
    submitted_unit_with_survey(year)
    base = demo_live.url

    # Round 1: the reviewer cuts one leaf, with a reason, and returns the assessment.
    login(page, base, "thamdinh")
    page.goto(f"{base}/review/")
    page.locator("table.league").get_by_role("link", name="Sở Tư pháp").click()
    assert page.locator("[data-index]").inner_text() == "100.00"
    leaf = page.locator(f'article[id="leaf-{CUT_LEAF}"]')
    leaf.locator('textarea[name="note"]').fill("Kế hoạch ban hành chậm 5 ngày so với quy định")
    leaf.locator('input[name="points"]').fill("0,5")
    leaf.get_by_role("button", name="Lưu").click()
    saved(leaf)
    totals_settled(page)
    assert page.locator("[data-index]").inner_text() == "99.50"
    screenshot(page, "appraise-round1", full_page=False)
    page.get_by_role("button", name="Trả đơn vị để giải trình").click()
    assert "Đã trả đơn vị để giải trình." in page.locator(".messages").inner_text()
    logout(page)

    # The unit explains the changed leaf and adds a new file; the head sends the explanation.
    login(page, base, "canbo.tuphap")
    open_own_assessment(page)
    leaf = page.locator(f'article[id="leaf-{CUT_LEAF}"]')
    assert "Kế hoạch ban hành chậm 5 ngày" in leaf.locator(".appraisal-box").inner_text()
    leaf.locator('textarea[name="text"]').fill(
        "Kế hoạch ban hành ngày 20/01 do chờ ý kiến Sở Nội vụ"
    )
    leaf.get_by_role("button", name="Lưu giải trình").click()
    saved(leaf)
    pdf = tmp_path / "cong-van-xin-y-kien.pdf"
    pdf.write_bytes(PDF_BYTES)
    leaf.locator('input[type="file"]').set_input_files(str(pdf))
    leaf.get_by_role("button", name="Tải lên").click()
    page.locator(
        f'article[id="leaf-{CUT_LEAF}"] .evidence a', has_text="cong-van-xin-y-kien.pdf"
    ).wait_for()
    screenshot(page, "explanation-unit", full_page=False)
    logout(page)
    login(page, base, "lanhdao.tuphap")
    open_own_assessment(page)
    page.get_by_role("button", name="Gửi giải trình").click()
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận gửi giải trình").click()
    assert "Đã gửi giải trình." in page.locator(".messages").inner_text()
    logout(page)

    # The demo's team: Sở Tư pháp's reviewer appraises content 2 and marks that part done.
    login(page, base, "thamdinh.tuphap")
    page.goto(f"{base}/assessments/{year}/STP/appraise/")
    assert "Phụ trách: Sở Nội vụ" in page.locator(f'article[id="leaf-{CUT_LEAF}"]').inner_text()
    page.get_by_role("button", name="Hoàn thành phần thẩm định").click()
    assert "Đã đánh dấu hoàn thành" in page.locator(".messages").inner_text()
    logout(page)

    # Round 2: the reviewer reads the explanation, keeps the cut, closes; proposes a deduction.
    login(page, base, "thamdinh")
    page.goto(f"{base}/assessments/{year}/STP/appraise/")
    assert "chờ ý kiến Sở Nội vụ" in page.locator(f'article[id="leaf-{CUT_LEAF}"]').inner_text()
    page.get_by_role("button", name="Kết thúc thẩm định").click()
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận kết thúc thẩm định").click()
    assert "Đã kết thúc thẩm định đơn vị." in page.locator(".messages").inner_text()
    page.goto(f"{base}/review/{year}/adjustments/")
    page.get_by_label("Mã đơn vị").fill("STP")
    page.get_by_label("Nhóm (mã tiêu chí)").fill("9.2.1")
    page.get_by_label("Số điểm").fill("0,25")
    page.get_by_label("Lý do").fill("Gửi chậm báo cáo CCHC quý III")
    page.get_by_role("button", name="Đề xuất").click()
    assert "chờ người khác phê duyệt" in page.locator(".messages").inner_text()
    logout(page)

    # Another person, an approver, approves the deduction, finalises and publishes.
    login(page, base, "pheduyet")
    page.goto(f"{base}/review/{year}/adjustments/")
    page.get_by_role("button", name="Phê duyệt").click()
    assert "Đã phê duyệt." in page.locator(".messages").inner_text()
    page.goto(f"{base}/review/{year}/")
    page.get_by_role("button", name="Chốt kết quả kỳ đánh giá").click()
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận chốt kết quả").click()
    expect(page.locator(".messages")).to_contain_text("Đã chốt kết quả")
    page.get_by_label("Số quyết định công bố").fill("999/QĐ-UBND")
    page.get_by_role("button", name="Công bố kết quả").click()
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận công bố").click()
    # Publishing runs in the worker: the job's page waits, then shows how it ended.
    expect(page.locator("progress")).to_be_visible()
    run_jobs()
    expect(page.locator(".success")).to_contain_text("Đã công bố kết quả năm")
    screenshot(page, "publish-job-done")
    logout(page)

    # The public sees the new index and rank; the unit sees where it lost points.
    page.goto(f"{base}/rankings/{year}/SO/")
    first = page.locator("table.league tbody tr").first
    assert first.locator("td").first.inner_text() == "1"
    assert "Sở Tư pháp" in first.inner_text() and "99.25" in first.inner_text()
    login(page, base, "canbo.tuphap")
    page.goto(f"{base}/assessments/{year}/STP/lost/")
    text = page.locator("main").inner_text()
    assert CUT_LEAF in text and "Kế hoạch ban hành chậm 5 ngày" in text
    assert "Gửi chậm báo cáo CCHC quý III" in text and "−0.25" in text
    screenshot(page, "lost-points")
    assert page.console_errors == []
