"""The appraisal team's pages: the 403 on a leaf not one's own, who appraised what, the team
page, the queue's "Việc của tôi", the comment thread; query counts."""

import re

import pytest

from parindex.core.models import AssessmentStatus, Assignment, LeafComment
from parindex.core.services.appraisal import appraise_leaf
from parindex.core.services.team import add_assignment, mark_part_done
from tests.builders import assess, full_scores, leaf_of, make_unit, make_user, open_period
from tests.builders import page_queries as queries

pytestmark = pytest.mark.django_db


def team_world(units=2, year=2023):
    """Submitted units U0…; thamdinh.tuphap is assigned to content 2 of every unit."""
    period = open_period(year)
    for n in range(units):
        assess(period, make_unit(f"U{n}"), full_scores(50, 30), status=AssessmentStatus.SUBMITTED)
    people = {
        "tuphap": make_user(f"tuphap{year}", "reviewer"),
        "pool": make_user(f"pool{year}", "reviewer"),
        "approver": make_user(f"approver{year}", "approver"),
        "officer": make_user(f"officer{year}", "officer", make_unit("U0")),
    }
    add_assignment(
        period, by=people["approver"], reviewer=people["tuphap"], criterion=leaf_of(period, "2")
    )
    return period, people


def url(period, tail, unit="U0"):
    return f"/assessments/{period.year}/{unit}/{tail}"


def test_a_reviewer_assigned_to_content_2_cannot_change_a_content_1_leaf(client):
    """The small set's content 2 is the survey leaf 2.1; content 1 holds self-assessed leaves."""
    period, people = team_world()
    client.force_login(people["tuphap"])
    response = client.post(
        url(period, "appraise/1.1/"), {"points": "10", "note": "Thiếu", "revision": "0"}
    )
    assert response.status_code == 403
    response = client.post(url(period, "appraise/2.1/"), {"points": "25", "revision": "0"})
    assert response.status_code == 302
    client.force_login(people["pool"])
    response = client.post(url(period, "appraise/2.1/"), {"points": "20", "revision": "1"})
    assert response.status_code == 403


def test_a_reviewer_assigned_to_content_2_cannot_propose_a_deduction_of_another_part(client):
    period, people = team_world()
    client.force_login(people["tuphap"])
    data = {"unit": "U0", "category": "3.2", "amount": "0,5", "reason": "Báo cáo chậm"}
    assert client.post(f"/review/{period.year}/adjustments/", data).status_code == 403
    client.force_login(people["pool"])
    assert client.post(f"/review/{period.year}/adjustments/", data).status_code == 302


def test_the_appraisal_page_shows_who_appraised_a_leaf_and_who_is_responsible(client):
    period, people = team_world()
    a = period.assessments.get(unit__code="U0")
    people["pool"].first_name, people["pool"].last_name = "An", "Nguyễn Văn"
    people["pool"].save()
    appraise_leaf(
        a, leaf_of(period, "1.1"), by=people["pool"], points_text="10", note="Thiếu", revision=0
    )
    client.force_login(people["tuphap"])
    page = client.get(url(period, "appraise/")).content.decode()
    assert "Thẩm định: An Nguyễn Văn," in page or "Thẩm định: Nguyễn Văn An," in page
    assert 'action="/assessments/2023/U0/appraise/2.1/#leaf-2.1"' in page
    read_only = 'action="/assessments/2023/U0/appraise/1.1/#leaf-1.1"'  # tuphap only reads 1.1
    assert read_only not in page
    assert "Phụ trách: Sở Nội vụ" in page
    assert "Hoàn thành phần thẩm định" in page
    client.force_login(people["pool"])
    page = client.get(url(period, "appraise/")).content.decode()
    assert f"Phụ trách: {people['tuphap']}" in page
    assert 'action="/assessments/2023/U0/appraise/1.1/#leaf-1.1"' in page


def test_a_reviewer_marks_their_part_done_and_closing_then_goes_ahead(client):
    period, people = team_world()
    client.force_login(people["pool"])
    client.post(url(period, "finalise/"), {"confirmed": "1"})
    a = period.assessments.get(unit__code="U0")
    assert a.status == AssessmentStatus.SUBMITTED  # refused: tuphap's part is open
    client.force_login(people["tuphap"])
    assert client.post(url(period, "part-done/")).status_code == 302
    client.force_login(people["pool"])
    client.post(url(period, "finalise/"), {"confirmed": "1"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.APPRAISED


def test_the_queue_filter_mine_keeps_the_units_with_my_parts_still_to_appraise(client):
    period, people = team_world(3)
    mark_part_done(period.assessments.get(unit__code="U1"), by=people["tuphap"])
    client.force_login(people["tuphap"])
    assert queue_units(client, f"/review/{period.year}/?mine=on") == ["U0", "U2"]
    assert queue_units(client, f"/review/{period.year}/") == ["U0", "U1", "U2"]


def queue_units(client, path):
    page = client.get(path).content.decode()
    return re.findall(r'href="/assessments/\d+/(\w+)/appraise/"', page.split("<tbody")[1])


def test_the_approver_adds_an_assignment_by_codes_and_removes_it(client):
    period, people = team_world()
    client.force_login(people["approver"])
    response = client.post(
        f"/review/{period.year}/team/",
        {"reviewer": people["pool"].username, "unit": "U1", "criterion": "1.2"},
    )
    assert response.status_code == 302
    added = Assignment.objects.get(reviewer=people["pool"])
    assert (added.unit.code, added.criterion.code) == ("U1", "1.2")
    response = client.post(f"/review/{period.year}/team/{added.pk}/remove/")
    assert response.status_code == 302
    assert not Assignment.objects.filter(reviewer=people["pool"]).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reviewer": "khongco", "unit": "U1"}, "reviewer", "Không có tài khoản"),
        ({"reviewer": "pool2023", "unit": "ZZ"}, "unit", "Không có đơn vị mã"),
        ({"reviewer": "pool2023", "criterion": "9.9"}, "criterion", "Không có tiêu chí mã"),
        ({"reviewer": "officer2023", "unit": "U1"}, "reviewer", "tài khoản thẩm định"),
    ],
)
def test_a_wrong_assignment_is_shown_at_its_field_and_nothing_is_saved(
    client, data, field, message
):
    period, people = team_world()
    client.force_login(people["approver"])
    response = client.post(f"/review/{period.year}/team/", data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Assignment.objects.count() == 1


def test_the_team_page_shows_the_coverage_gaps(client):
    period, people = team_world()
    client.force_login(people["pool"])
    page = client.get(f"/review/{period.year}/team/").content.decode()
    assert "1. Nội dung 1" in page and "3. Điểm thưởng, điểm trừ" in page
    assert "Thêm phân công" not in page  # reviewers read, approvers assign


@pytest.mark.parametrize("path", ["/review/{year}/team/", "/review/{year}/?mine=on"])
def test_team_lists_queries_do_not_grow_with_the_number_of_units(client, path):
    small_period, small = team_world(2, 2023)
    client.force_login(small["tuphap"])
    few = queries(client, path.format(year=2023))
    large_period, large = team_world(12, 2024)
    for n in range(12):
        add_assignment(
            large_period,
            by=large["approver"],
            reviewer=large["pool"],
            unit=make_unit(f"U{n}"),
            criterion=leaf_of(large_period, "1.1"),
        )
    client.force_login(large["tuphap"])
    many = queries(client, path.format(year=2024))
    assert few == many


def test_the_team_page_stays_within_its_query_budget(client, django_assert_max_num_queries):
    period, people = team_world(12)
    client.force_login(people["approver"])
    with django_assert_max_num_queries(14):
        assert client.get(f"/review/{period.year}/team/").status_code == 200


def test_the_unit_posts_in_a_leaf_thread_and_it_shows_in_the_history(client):
    period, people = team_world()
    client.force_login(people["officer"])
    response = client.post(url(period, "leaf/1.1/comment/"), {"comment": "Đã bổ sung tài liệu"})
    assert response.status_code == 302
    assert response["Location"].endswith("/assessments/2023/U0/#leaf-1.1")
    client.force_login(people["tuphap"])
    page = client.get(url(period, "appraise/")).content.decode()
    assert "Trao đổi: Đã bổ sung tài liệu" in page
    assert f"{people['officer']} (Cán bộ đầu mối)" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Nhập nội dung trao đổi."), ("x" * 2001, "dài tối đa 2000 ký tự")],
)
def test_a_refused_comment_comes_back_at_its_field(client, text, message):
    period, people = team_world()
    client.force_login(people["tuphap"])
    response = client.post(url(period, "leaf/1.1/comment/"), {"comment": text, "page": "appraise"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    at_field = re.search(r'id="comment-err-1\.1" role="alert">([^<]*)<', page)
    assert message in at_field.group(1)
    assert not LeafComment.objects.exists()
