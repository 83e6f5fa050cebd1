"""Two people save the same leaf: the second sees both values and chooses; nothing is
overwritten without that choice."""

import json
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from parindex.core import clock
from parindex.core.models import AssessmentStatus, ScoreEntry
from parindex.core.services.appraisal import appraise_leaf, return_for_explanation
from parindex.core.services.assessments import save_self_score
from tests.builders import assess, leaf_of, make_unit, make_user, open_period

pytestmark = pytest.mark.django_db
URL = "/assessments/2023/A/"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def colleagues():
    """Two officers of unit A; the first saved leaf 1.2.1 (20, "Lần 1") over revision 0."""
    period = open_period(2023)
    unit = make_unit("A")
    a = assess(period, unit, status=AssessmentStatus.DRAFT)
    first = make_user("canbo.mot", "officer", unit)
    second = make_user("canbo.hai", "officer", unit)
    leaf = leaf_of(period, "1.2.1")
    save_self_score(a, leaf, by=first, points_text="20", note="Lần 1", revision=0)
    return first, second


def stored(code="1.2.1"):
    return ScoreEntry.objects.get(criterion__code=code)


def saved_at(entry):
    return timezone.localtime(entry.updated_at).strftime("%H:%M %d/%m/%Y")


def leaf_html(html, code):
    start = html.index(f'id="leaf-{code}"')
    return html[start : html.index("</article>", start)]


def test_the_conflict_answer_carries_the_stored_value_who_saved_it_and_when(client, colleagues):
    first, second = colleagues
    client.force_login(second)
    response = client.post(
        URL + "leaf/1.2.1/", {"points": "25", "note": "Của tôi", "revision": 0}, **FETCH
    )
    data = json.loads(response.content)
    assert response.status_code == 409
    assert (data["their_points"], data["their_note"]) == ("20", "Lần 1")
    assert (data["their_author"], data["their_at"]) == (str(first), saved_at(stored()))
    assert data["revision"] == 1
    box = unescape(data["box"])
    assert "Giữ giá trị đã lưu" in box and "Ghi đè bằng giá trị của tôi" in box
    assert f'<a class="button secondary" href="{URL}#leaf-1.2.1" data-keep>' in box
    assert '<input type="hidden" name="points" value="25">' in box
    assert '<input type="hidden" name="revision" value="1">' in box
    assert (stored().self_points, stored().revision) == (20, 1)


def test_saving_again_with_the_old_revision_is_refused_again(client, colleagues):
    _first, second = colleagues
    client.force_login(second)
    for _attempt in range(2):
        response = client.post(
            URL + "leaf/1.2.1/", {"points": "25", "note": "", "revision": 0}, **FETCH
        )
        assert response.status_code == 409
    assert (stored().self_points, stored().self_note, stored().revision) == (20, "Lần 1", 1)


def test_keeping_mine_saves_it_over_the_revision_now_seen(client, colleagues):
    _first, second = colleagues
    client.force_login(second)
    client.post(URL + "leaf/1.2.1/", {"points": "25", "note": "Của tôi", "revision": 0}, **FETCH)
    response = client.post(
        URL + "leaf/1.2.1/", {"points": "25", "note": "Của tôi", "revision": 1}, **FETCH
    )
    assert response.status_code == 200 and json.loads(response.content)["revision"] == 2
    entry = stored()
    assert (entry.self_points, entry.self_note, entry.updated_by) == (25, "Của tôi", second)


def test_without_script_the_leaf_shows_both_values_and_keeps_the_forms_revision(client, colleagues):
    first, second = colleagues
    client.force_login(second)
    response = client.post(URL + "leaf/1.2.1/", {"points": "25", "note": "Của tôi", "revision": 0})
    assert response.status_code == 409
    leaf = unescape(leaf_html(response.content.decode(), "1.2.1"))
    form, box = leaf.split('<div class="conflict"')
    # The form shows what was typed over the revision it was loaded with: "Lưu" is refused again.
    assert 'name="revision" value="0"' in form and 'value="25"' in form and "Của tôi" in form
    at = timezone.localtime(stored().updated_at).strftime("%H:%M %d/%m/%Y")
    assert f"Giá trị đã lưu — {first}, lúc {at}" in box
    assert "<strong>20</strong> — Lần 1" in box and "<strong>25</strong> — Của tôi" in box
    assert f'href="{URL}#leaf-1.2.1" data-keep>Giữ giá trị đã lưu</a>' in box
    assert '<input type="hidden" name="revision" value="1">' in box


def test_without_script_the_overwrite_button_saves_mine_and_keep_shows_the_stored_value(
    client, colleagues
):
    _first, second = colleagues
    client.force_login(second)
    leaf = leaf_html(client.get(URL).content.decode(), "1.2.1")
    assert 'name="revision" value="1"' in leaf and 'value="20"' in leaf  # "keep": the page again
    response = client.post(URL + "leaf/1.2.1/", {"points": "25", "note": "Của tôi", "revision": 1})
    assert response.status_code == 302
    assert (stored().self_points, stored().revision) == (25, 2)


def test_the_appraisal_leaf_has_the_same_choice(client):
    period = open_period(2023)
    unit = make_unit("A")
    a = assess(period, unit, status=AssessmentStatus.SUBMITTED)
    save_self_score_direct(a, period)
    first, second = make_user("thamdinh.mot", "reviewer"), make_user("thamdinh.hai", "reviewer")
    appraise_leaf(a, leaf_of(period, "1.1"), by=first, points_text="10", note="Chậm", revision=1)
    client.force_login(second)
    url = URL + "appraise/1.1/"
    typed = {"points": "0", "note": "Không có", "not_applicable": "on", "revision": 1}
    response = client.post(url, typed, **FETCH)
    data = json.loads(response.content)
    assert response.status_code == 409
    assert (data["their_points"], data["their_note"], data["their_author"]) == (
        "10",
        "Chậm",
        str(first),
    )
    assert '<input type="hidden" name="not_applicable" value="on">' in data["box"]
    html = client.post(url, typed).content.decode()
    assert 'name="not_applicable" checked' in leaf_html(html, "1.1")  # what was typed, kept
    response = client.post(url, {**typed, "revision": data["revision"]}, **FETCH)
    assert response.status_code == 200
    assert stored("1.1").not_applicable and stored("1.1").appraisal_note == "Không có"


def save_self_score_direct(assessment, period):
    """Leaf 1.1 claimed at 20 (written directly: the assessment is already submitted)."""
    ScoreEntry.objects.create(
        assessment=assessment, criterion=leaf_of(period, "1.1"), self_points=20, revision=1
    )


def test_the_explanation_keeps_what_was_typed_after_a_conflict(client):
    period = open_period(2023)
    unit = make_unit("A")
    a = assess(period, unit, status=AssessmentStatus.SUBMITTED)
    save_self_score_direct(a, period)
    reviewer = make_user("thamdinh", "reviewer")
    appraise_leaf(a, leaf_of(period, "1.1"), by=reviewer, points_text="10", note="Chậm", revision=1)
    return_for_explanation(a, by=reviewer, deadline=clock.today() + timedelta(days=3))
    first, second = make_user("canbo.mot", "officer", unit), make_user("canbo.hai", "officer", unit)
    client.force_login(first)
    client.post(URL + "explain/1.1/", {"text": "Giải trình 1", "revision": 2})
    client.force_login(second)
    response = client.post(URL + "explain/1.1/", {"text": "Giải trình 2", "revision": 2})
    leaf = unescape(leaf_html(response.content.decode(), "1.1"))
    assert response.status_code == 409
    assert '<textarea name="text" rows="2" autofocus>Giải trình 2</textarea>' in leaf
    assert "Giải trình 1" in leaf.split('<div class="conflict"')[1]
    assert stored("1.1").explanation == "Giải trình 1"
