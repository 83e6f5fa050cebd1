"""The entry page and its save endpoint: HTTP concerns and what the officer sees."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.core.models import ScoreEntry
from tests.builders import draft_officer

pytestmark = pytest.mark.django_db
URL = "/assessments/2023/A/"


@pytest.fixture
def officer(client):
    return draft_officer(client)


def test_entry_page_shows_choices_as_radios_numbers_as_text_and_survey_read_only(client, officer):
    html = client.get(URL).content.decode()
    assert html.count('type="radio" name="points"') == 3  # leaf 1.1: 20 / 10 / 0
    assert html.count('inputmode="decimal"') == 2  # leaves 1.2.1 and 1.2.2
    assert "Chấm qua điều tra xã hội học" in html
    assert "<span data-scored>0</span> / 3 tiêu chí đã chấm" in html


def test_fetch_save_answers_the_new_revision_and_time_without_the_totals(client, officer):
    response = client.post(
        URL + "leaf/1.2.1/",
        {"points": "12,5", "note": "", "revision": 0},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    data = json.loads(response.content)
    assert response.status_code == 200
    assert set(data) == {"ok", "revision", "saved_at"}  # the page asks for its totals itself
    assert data["revision"] == 1


def test_the_totals_url_gives_the_running_totals_after_saves(client, officer):
    save_fetch(client, "1.2.1", "12,5")
    save_fetch(client, "1.1", "20")
    response = client.get(URL + "totals/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert json.loads(response.content)["updates"] == {
        "[data-total]": "32.50",
        "[data-scored]": "2",
        '[data-area="1"]': "32.50/60.00 · 2/3",
        '[data-area="2"]': "0.00/0.00 · 0/0",
    }


def test_the_totals_bring_back_the_history_of_the_leaves_the_script_saved(client, officer):
    save_fetch(client, "1.2.1", "12,5")
    client.post(
        URL + "leaf/1.2.1/",
        {"points": "10", "note": "n", "revision": 1},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    save_fetch(client, "1.1", "20")
    response = client.get(URL + "totals/", {"leaves": "1.2.1,9.9,"}, HTTP_X_REQUESTED_WITH="fetch")
    histories = json.loads(response.content)["histories"]
    assert set(histories) == {"1.2.1"}  # only what was asked, and only leaves of the set
    assert "Lịch sử (2)" in histories["1.2.1"]
    assert "12.5 → 10" in histories["1.2.1"]
    page = client.get(URL).content.decode()  # the same block a reload shows
    assert histories["1.2.1"] in page
    assert '<div data-history="1.2.1">' in page


def test_the_totals_without_saved_leaves_bring_no_history(client, officer):
    save_fetch(client, "1.1", "20")
    response = client.get(URL + "totals/", HTTP_X_REQUESTED_WITH="fetch")
    assert json.loads(response.content)["histories"] == {}


def test_the_entry_page_names_its_totals_url_for_the_script(client, officer):
    html = client.get(URL).content.decode()
    assert f'data-totals="{URL}totals/"' in html


def test_a_save_of_a_leaf_saved_before_takes_four_statements_on_postgresql(
    client, officer, django_assert_max_num_queries
):
    save_fetch(client, "1.2.1", "10")
    # The user (the session comes from the cache); the assessment with the leaf in one
    # statement (404 otherwise); in the transaction the row locked with its assessment in one
    # statement, its UPDATE with its history row and audit row (one statement on PostgreSQL,
    # three elsewhere).
    queries = 4 if connection.vendor == "postgresql" else 6
    with django_assert_max_num_queries(queries + 2):  # + the test transaction's savepoint
        response = client.post(
            URL + "leaf/1.2.1/",
            {"points": "12", "note": "", "revision": 1},
            HTTP_X_REQUESTED_WITH="fetch",
        )
    assert response.status_code == 200


def test_the_first_save_of_a_leaf_inserts_its_row_with_the_values(
    client, officer, django_assert_max_num_queries
):
    # No row yet: the assessment is locked on its own and the row read again under the lock,
    # then inserted with its values (one history row, not a creation and then a change).
    with django_assert_max_num_queries(8 + 2):
        save_fetch(client, "1.2.1", "10")
    entry = ScoreEntry.objects.get()
    assert (entry.self_points, entry.revision, entry.history.count()) == (10, 1, 1)


def test_a_refused_save_answers_in_as_few_queries(client, officer, django_assert_max_num_queries):
    save_fetch(client, "1.2.1", "10")
    with django_assert_max_num_queries(7 + 2):  # + who saved the stored value, for the message
        response = client.post(
            URL + "leaf/1.2.1/",
            {"points": "12", "note": "", "revision": 0},
            HTTP_X_REQUESTED_WITH="fetch",
        )
    assert response.status_code == 409


def test_fetch_save_of_a_bad_value_answers_400_with_the_message(client, officer):
    response = client.post(
        URL + "leaf/1.2.1/",
        {"points": "99", "note": "x", "revision": 0},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "Điểm tối đa của tiêu chí này là 30."
    assert not ScoreEntry.objects.exists()


def test_fetch_conflict_answers_409_with_the_stored_value(client, officer):
    client.post(URL + "leaf/1.2.1/", {"points": "20", "note": "Lần 1", "revision": 0})
    response = client.post(
        URL + "leaf/1.2.1/",
        {"points": "25", "note": "", "revision": 0},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    data = json.loads(response.content)
    assert response.status_code == 409
    assert (data["their_points"], data["their_note"], data["revision"]) == ("20", "Lần 1", 1)


def test_without_script_a_bad_value_comes_back_at_the_field_with_what_was_typed(client, officer):
    response = client.post(URL + "leaf/1.2.1/", {"points": "31", "note": "Giữ lại", "revision": 0})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Điểm tối đa của tiêu chí này là 30." in html
    assert 'value="31"' in html and "Giữ lại" in html


def test_without_script_a_good_value_redirects_to_the_leaf(client, officer):
    response = client.post(URL + "leaf/1.2.1/", {"points": "20", "note": "", "revision": 0})
    assert response.status_code == 302 and response["Location"] == URL + "#leaf-1.2.1"


def save_fetch(client, code, points):
    client.post(
        URL + f"leaf/{code}/",
        {"points": points, "note": "n", "revision": 0},
        HTTP_X_REQUESTED_WITH="fetch",
    )


def test_entry_page_queries_do_not_grow_with_scores_or_evidence(client, officer):
    save_fetch(client, "1.1", "20")
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    save_fetch(client, "1.2.1", "10")
    save_fetch(client, "1.2.2", "5")
    with CaptureQueriesContext(connection) as three:
        client.get(URL)
    assert len(one) == len(three)
    assert len(three) <= 16


def test_demo_entry_page_on_the_largest_criteria_set(demo, client):
    from parindex.core import clock
    from parindex.core.models import User

    client.force_login(User.objects.get(username="canbo.tuphap"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/assessments/{clock.today().year}/STP/")
    assert response.status_code == 200
    assert len(captured) <= 16
    html = response.content.decode()
    assert html.count('class="leaf"') == 99  # 70 self + 29 survey leaves
