"""The import pages on a live cycle: the preview lists every change and refuses what it must,
values entered in the application are overwritten only with the replace choice."""

import pytest

from parindex.core.models import PeriodStatus, ScoreEntry
from tests.builders import job_page, make_user, upload, written_state
from tests.core.test_import_safety import build_live, exported
from tests.core.test_import_survey import build_survey_world, survey_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return build_live()


@pytest.fixture
def survey_world():
    return build_survey_world()


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("quantri", "admin"))
    return client


def preview(client, buffer, **fields):
    """Upload a file and return its check job's page once the worker has run it."""
    data = {"file": upload("so-diem.xlsx", buffer.getvalue()), **fields}
    kind = "survey" if fields else "period"
    return job_page(client, client.post(f"/imports/{kind}/", data))


def token(response) -> str:
    return response.context["job"].params["token"]


def confirm(client, data):
    return job_page(client, client.post("/imports/period/confirm/", data))


def test_the_preview_lists_each_changed_unit_with_its_index_and_writes_nothing(live, admin_client):
    before = written_state()
    response = preview(admin_client, exported(live, {("D", "1.2.1"): 28}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 đơn vị thay đổi, 3 không đổi." in html
    assert "<details" in html and "D — Đơn vị D" in html and "65.00 → 73.00" in html
    assert "<td>1.2.1</td><td>20</td><td>28</td>" in html
    assert 'name="replace"' not in html  # nothing entered in the application changes
    assert written_state() == before


def test_the_apps_own_export_previews_as_no_change(live, admin_client):
    html = preview(admin_client, exported(live)).content.decode()
    assert "Không có thay đổi" in html


def test_entered_values_are_overwritten_only_with_the_replace_choice(live, admin_client):
    changed = exported(live, {("A", "1.1"): 10})
    response = preview(admin_client, changed)
    html = response.content.decode()
    assert "A (1.1)" in html and 'name="replace"' in html
    before = written_state()
    refused = confirm(admin_client, {"token": token(response)})
    assert "đã nhập trong ứng dụng" in refused.content.decode()
    assert written_state() == before
    confirm(admin_client, {"token": token(preview(admin_client, changed)), "replace": "1"})
    row = ScoreEntry.objects.get(assessment__unit__code="A", criterion__code="1.1")
    assert row.self_points == 10
    live.refresh_from_db()
    assert live.status == PeriodStatus.OPEN


def test_a_published_period_is_refused_at_the_upload_step(live, admin_client):
    workbook = exported(live)
    live.status = PeriodStatus.PUBLISHED
    live.save()
    before = written_state()
    response = preview(admin_client, workbook)
    html = response.content.decode()
    assert response.context["job"].status == "failed"
    assert "Không nhập được tệp này; chưa ghi gì." in html and "đã công bố" in html
    assert "Xác nhận nhập" not in html
    assert written_state() == before


def test_the_survey_preview_shows_the_index_before_and_after(survey_world, admin_client):
    response = preview(admin_client, survey_file([["A", 20]]), year="2023", group="SO")
    html = response.content.decode()
    assert response.status_code == 200
    assert "95.00 → 80.00" in html and "<td>2.1</td><td>35</td><td>20</td>" in html


def test_replace_covers_only_what_the_preview_showed(live, admin_client):
    from parindex.core.services.assessments import save_self_score
    from tests.builders import leaf_of

    response = preview(admin_client, exported(live, {("A", "1.1"): 10}))
    assert "A (1.1)" in response.content.decode()
    a = live.assessments.get(unit__code="A")
    officer = a.unit.members.get()
    row = ScoreEntry.objects.get(assessment=a, criterion__code="1.2.1")
    save_self_score(
        a, leaf_of(live, "1.2.1"), by=officer, points_text="26", note="", revision=row.revision
    )
    before = written_state()
    answer = confirm(admin_client, {"token": token(response), "replace": "1"})
    html = answer.content.decode()
    assert "Từ lúc xem trước, có giá trị mới được nhập trong ứng dụng" in html
    assert "A (1.1, 1.2.1)" in html
    assert written_state() == before


def test_an_import_job_reports_its_progress_from_reading_to_writing(
    live, admin_client, monkeypatch
):
    from parindex.core.services import jobs

    notes = []
    real_set = jobs.caches["jobs"].set

    def noting(key, note, *args):
        if key.startswith("job-progress:"):  # not the heartbeats the jobs cache also holds
            notes.append(note)
        return real_set(key, note, *args)

    monkeypatch.setattr(jobs.caches["jobs"], "set", noting)
    page = preview(admin_client, exported(live, {("D", "1.2.1"): 28}))
    notes_of_check, notes[:] = list(notes), []
    confirm(admin_client, {"token": token(page)})
    for run in (notes_of_check, notes):
        done = [d for d, _total, _label in run]
        assert done == sorted(done) and done[0] == 0 and done[-1] >= 90, run
        assert {total for _d, total, _l in run} == {100}
        assert len({label for _d, _t, label in run}) >= 3  # it names its phases


def test_a_merged_provinces_workbook_is_imported_under_the_prefix_typed_on_the_upload_page(
    admin_client,
):
    from django.test import Client

    from parindex.core.models import ResultSet
    from tests.core.test_excel_prefix import published_year

    period, book = published_year()
    page = admin_client.get("/imports/").content.decode()
    assert "Tiền tố mã (tỉnh sáp nhập)" in page and 'name="prefix"' in page
    data = {"file": upload("binh-duong.xlsx", book), "prefix": "BD-"}
    response = job_page(admin_client, admin_client.post("/imports/period/", data))
    html = response.content.decode()
    assert "BD-A" in html and 'name="prefix" value="BD-"' in html
    confirm(admin_client, {"token": token(response), "prefix": "BD-", "publish": "1"})
    assert ResultSet.objects.get(period=period, group__code="BD-SO", is_current=True).published
    rankings = Client().get(f"/rankings/{period.year}/").content.decode()  # the public
    assert "Khối SO (BD)" in rankings


def test_a_bad_prefix_is_refused_at_its_field_and_nothing_is_staged(admin_client):
    from tests.core.test_excel_prefix import published_year

    _period, book = published_year()
    before = written_state()
    data = {"file": upload("binh-duong.xlsx", book), "prefix": "bd-"}
    response = admin_client.post("/imports/period/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="prefix-error"' in html and "Tiền tố “bd-” không hợp lệ" in html
    assert written_state() == before
