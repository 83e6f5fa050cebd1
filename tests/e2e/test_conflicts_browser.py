"""A colleague saved the leaf while the page was open: the officer sees both values and
chooses; pressing "Lưu" again never overwrites."""

import pytest

from parindex.core import clock
from parindex.core.models import Assessment, Criterion, ScoreEntry, User
from parindex.core.services.assessments import save_self_score
from tests.e2e.conftest import screenshot
from tests.e2e.test_self_assessment_browser import login, open_own_assessment

pytestmark = pytest.mark.e2e
LEAF = "2.2.1"  # a free number from 0 to 1


def colleague_saves(assessment, points, note):
    leaf = Criterion.objects.get(
        criteria_set__period_groups__period=assessment.period,
        criteria_set__period_groups__group=assessment.unit.group,
        code=LEAF,
    )
    entry = ScoreEntry.objects.filter(assessment=assessment, criterion=leaf).first()
    save_self_score(
        assessment,
        leaf,
        by=User.objects.get(username="lanhdao.tuphap"),
        points_text=points,
        note=note,
        revision=entry.revision if entry else 0,
    )


def stored(assessment):
    return ScoreEntry.objects.get(assessment=assessment, criterion__code=LEAF)


def conflict_after_typing(page, assessment, typed):
    leaf = page.locator(f'article[id="leaf-{LEAF}"]')
    colleague_saves(assessment, "1", "Sở đã có báo cáo")
    leaf.locator('form.leaf-form input[name="points"]').fill(typed)
    leaf.get_by_role("button", name="Lưu", exact=True).click()
    leaf.locator(".conflict").wait_for()
    return leaf


def test_after_a_conflict_the_officer_chooses_and_lưu_never_overwrites(demo_live, page):
    year = clock.today().year
    assessment = Assessment.objects.get(period__year=year, unit__code="STP")
    login(page, demo_live.url, "canbo.tuphap")
    open_own_assessment(page)

    leaf = conflict_after_typing(page, assessment, "0,5")
    box = leaf.locator(".conflict").inner_text()
    assert "Sở đã có báo cáo" in box and "0,5" in box
    screenshot(page, "entry-conflict", full_page=False)
    leaf.get_by_role("button", name="Lưu", exact=True).click()  # the same form again
    leaf.locator(".save-status").filter(has_text="Chưa lưu").wait_for()
    assert leaf.locator(".conflict").count() == 1
    assert stored(assessment).self_points == 1
    leaf.get_by_role("button", name="Ghi đè bằng giá trị của tôi").click()
    leaf.locator(".save-status").filter(has_text="Đã lưu").wait_for()
    assert leaf.locator(".conflict").count() == 0
    assert stored(assessment).self_points == 0.5

    leaf = conflict_after_typing(page, assessment, "0,25")
    leaf.get_by_role("link", name="Giữ giá trị đã lưu").click()
    assert leaf.locator('form.leaf-form input[name="points"]').input_value() == "1"
    assert leaf.locator("form.leaf-form textarea").input_value() == "Sở đã có báo cáo"
    assert leaf.locator(".conflict").count() == 0
    revision = stored(assessment).revision
    assert leaf.locator('form.leaf-form input[name="revision"]').input_value() == str(revision)
    leaf.locator("form.leaf-form textarea").fill("Bổ sung: báo cáo số 12")
    leaf.get_by_role("button", name="Lưu", exact=True).click()
    leaf.locator(".save-status").filter(has_text="Đã lưu").wait_for()
    assert (stored(assessment).self_points, stored(assessment).revision) == (1, revision + 1)
    # The refused saves are answered 409 on purpose; the browser logs them, nothing else.
    assert [e for e in page.console_errors if "status of 409" not in e] == []
