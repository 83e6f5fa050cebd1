"""The to-do page and the progress board over HTTP: where login lands, what each role sees,
that links lead where the work is done, and query counts that do not grow with the units."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core.models import Assessment, AssessmentStatus
from tests.builders import PASSWORD, make_user, open_period
from tests.core.test_board import KEYS, build
from tests.todo_builders import deadline_passed, unit_at

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def queue_rows(client, url) -> int:
    """How many units the queue lists at ``url`` (its table only, not the group box)."""
    table = (
        html_of(client.get(url))
        .split('<div class="table-wrap" tabindex="0">')[1]
        .split("</table>")[0]
    )
    return table.count("/appraise/")


@pytest.mark.parametrize("role", ["officer", "unit_head", "reviewer", "approver", "admin"])
def test_login_lands_on_the_todo_page(client, role):
    period = open_period(2023)
    a = unit_at(period, "A", "empty", reviewer=make_user("r", "reviewer"))
    user = make_user("nguoi", role, a.unit if role in ("officer", "unit_head") else None)

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/todo/"
    assert 'href="/todo/">Việc cần làm</a>' in html_of(client.get("/todo/"))


def test_a_leader_is_sent_to_the_dashboard(client):
    client.force_login(make_user("lanhdao", "leader"))
    response = client.get("/todo/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_the_header_links_the_todo_page_for_logged_in_people_only(client):
    assert "Việc cần làm" not in client.get("/accounts/login/").content.decode()


def test_the_officers_link_leads_to_the_first_empty_leaf_on_the_entry_page(client):
    period = open_period(2023, deadline_days=5)
    a = unit_at(period, "A", "empty", reviewer=make_user("r", "reviewer"))
    client.force_login(a.unit.members.get(role="officer"))

    html = html_of(client.get("/todo/"))

    assert "Tiêu chí chưa chấm điểm" in html and "Còn 5 ngày" in html
    assert "/assessments/2023/A/#leaf-1.1" in hrefs(html)
    assert 'id="leaf-1.1"' in html_of(client.get("/assessments/2023/A/"))


def test_the_heads_submit_button_submits_the_unit(client):
    period = open_period(2023)
    a = unit_at(period, "A", "scored", reviewer=make_user("r", "reviewer"))
    client.force_login(a.unit.members.get(role="unit_head"))
    html = html_of(client.get("/todo/"))
    assert 'action="/assessments/2023/A/submit/"' in html and "data-confirm=" in html

    client.post("/assessments/2023/A/submit/", {"confirmed": "1"})

    assert Assessment.objects.get(pk=a.pk).status == AssessmentStatus.SUBMITTED
    html = html_of(client.get("/todo/"))
    assert "Không có việc nào đang chờ bạn" in html and "Đã nộp bản tự đánh giá" in html


def test_the_reviewers_items_link_to_the_queue_filtered_on_the_same_units(client):
    period, reviewer = build()
    client.force_login(reviewer)

    html = html_of(client.get("/todo/"))

    assert "/review/2023/?status=submitted" in hrefs(html)
    assert queue_rows(client, "/review/2023/?status=submitted") == 3  # 2 in SO, 1 in QH
    assert "/assessments/2023/S230-0/appraise/" in hrefs(html)


def test_nothing_waiting_says_so(client):
    open_period(2023)
    client.force_login(make_user("thamdinh", "reviewer"))
    assert "Không có việc nào đang chờ bạn" in html_of(client.get("/todo/"))


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        html_of(client.get(url))
    return len(captured)


@pytest.mark.parametrize("role", ["reviewer", "approver"])
def test_the_todo_page_takes_the_same_queries_when_the_units_double(client, role):
    build(1, 2023)
    client.force_login(make_user("nguoi", role))
    few = page_queries(client, "/todo/")
    build(2, 2024)  # the latest period is the one Sở Nội vụ works on
    many = page_queries(client, "/todo/")
    assert few == many <= 20


def test_the_board_and_the_queue_count_the_same_and_each_count_lists_its_units(client):
    period, reviewer = build()
    client.force_login(reviewer)

    board = html_of(client.get("/review/2023/progress/"))
    links = re.findall(r'href="/review/2023/\?group=(\d+)&amp;status=(\w+)">(\d+)</a>', board)

    assert len(links) == 9  # the non-zero cells: 7 in SO, 2 in QH
    for group, status, count in links:
        assert queue_rows(client, f"/review/2023/?group={group}&status={status}") == int(count)
    queue = html_of(client.get("/review/2023/"))
    totals = re.findall(
        r'\?status=(\w+)"><span class="status-chip[^>]*>[^<]+</span> <strong>(\d+)', queue
    )
    assert dict(totals) == dict(zip(KEYS, ("1", "3", "1", "1", "1", "1", "2"), strict=True))
    assert "/review/2023/progress/" in hrefs(queue)


def test_the_board_lists_the_overdue_units_and_the_reviewers_work(client):
    period, reviewer = build()
    client.force_login(make_user("lanhdao", "leader"))

    html = html_of(client.get("/review/2023/progress/"))

    assert "/assessments/2023/LATE230/appraise/" in hrefs(html)
    assert re.search(r"thamdinh2023</th><td class=\"num\">6</td>", html)


def test_the_board_page_takes_the_same_queries_when_the_units_double(client):
    build(1, 2023)
    build(2, 2024)
    client.force_login(make_user("thamdinh", "reviewer"))
    assert page_queries(client, "/review/2023/progress/") == page_queries(
        client, "/review/2024/progress/"
    )


def test_a_late_unit_is_in_the_approvers_list_and_leaves_it_once_extended(client):
    period = open_period(2023)
    a = unit_at(period, "A", "empty", reviewer=make_user("r", "reviewer"))
    deadline_passed(period)
    client.force_login(make_user("pheduyet", "approver"))
    assert "/assessments/2023/A/appraise/" in hrefs(html_of(client.get("/todo/")))

    client.post(
        "/assessments/2023/A/extend/", {"extend-until": "31/12/2099", "extend-reason": "Mới"}
    )

    assert Assessment.objects.get(pk=a.pk).deadline_extended_to is not None
    assert "Không có việc nào đang chờ bạn" in html_of(client.get("/todo/"))


@pytest.mark.parametrize(("step", "role"), [("scored", "unit_head"), ("returned", "officer")])
def test_a_units_todo_page_takes_a_few_queries(client, django_assert_max_num_queries, step, role):
    period = open_period(2023)
    a = unit_at(period, "A", step, reviewer=make_user("r", "reviewer"))
    client.force_login(a.unit.members.get(role=role))
    with django_assert_max_num_queries(12):
        html_of(client.get("/todo/"))
