"""The job pages: a progress bar while the worker runs, then the outcome; exports to download;
the administrators' list; a job whose worker died shown failed, one no worker takes said so."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone
from openpyxl import load_workbook

from parindex.core import clock
from parindex.core.models import Job, JobKind, JobStatus, ResultSet
from parindex.core.services.heartbeats import beat_key
from parindex.core.services.jobs import progress_key, start_job
from tests.builders import assess, full_scores, job_page, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    return period


@pytest.fixture
def reviewer(client):
    user = make_user("thamdinh", "reviewer")
    client.force_login(user)
    return user


def test_a_queued_job_shows_a_progress_bar_that_follows_the_worker(client, period, reviewer):
    started = client.post("/review/2023/compute/")
    job = Job.objects.get()
    assert started["Location"] == f"/jobs/{job.pk}/"
    html = client.get(started["Location"]).content.decode()
    assert "<progress" in html and "chờ máy chạy nền nhận việc" in html and "js/job.js" in html

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    caches["jobs"].set(progress_key(job), (150, 600, "Ghi dữ liệu"))
    html = client.get(started["Location"]).content.decode()
    assert 'value="25"' in html and "Ghi dữ liệu (25%)" in html
    note = client.get(f"/jobs/{job.pk}/progress/").json()
    assert note == {
        "status": "running",
        "status_label": "Đang chạy",
        "finished": False,
        "percent": 25,
        "label": "Ghi dữ liệu",
        "waiting": "",
    }


def test_recomputing_from_the_queue_runs_in_the_worker_and_says_so(client, period, reviewer):
    html = client.get("/review/2023/").content.decode()
    assert 'action="/review/2023/compute/"' in html
    page = job_page(client, client.post("/review/2023/compute/"))
    html = page.content.decode()
    assert "Đã tính lại kết quả tạm tính của 1 khối." in html and "<progress" not in html
    assert ResultSet.objects.filter(period=period, is_current=True).exists()


def test_the_period_workbook_is_made_by_the_worker_and_downloaded_from_the_job(
    client, period, reviewer
):
    page = job_page(client, client.post("/review/2023/export/"))
    html = page.content.decode()
    job = page.context["job"]
    assert f'href="/jobs/{job.pk}/file/"' in html and "so-diem-2023.xlsx" in html
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="so-diem-2023.xlsx"' in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "Điểm" in workbook.sheetnames


def test_someone_elses_job_is_not_found_but_administrators_see_every_job(client, period):
    owner = make_user("thamdinh", "reviewer")
    client.force_login(owner)
    job_url = client.post("/review/2023/compute/")["Location"]
    client.force_login(make_user("pheduyet", "approver"))
    assert client.get(job_url).status_code == 404
    client.force_login(make_user("quantri", "admin"))
    assert client.get(job_url).status_code == 200
    html = client.get("/jobs/").content.decode()
    assert "Tính lại kết quả tạm tính năm 2023" in html and "Đang chờ" in html


def test_a_refused_job_that_is_not_an_import_says_so_without_speaking_of_a_file(
    client, period, reviewer
):
    job = start_job(JobKind.COMPUTE, "Tính lại", by=reviewer, period=period)
    refused = {"message": "Dữ liệu đang bị giữ; chưa có gì được ghi.", "details": ["A"]}
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, outcome={"refused": refused})
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Không thành công; chưa ghi gì." in html
    assert "Dữ liệu đang bị giữ; chưa có gì được ghi." in html and "<li>A</li>" in html
    assert "tệp" not in html.split("<main", 1)[1].lower()  # no "Chọn tệp khác", no file
    assert 'href="/review/2023/">Hàng chờ thẩm định 2023</a>' in html


def test_a_published_period_is_not_recomputed(client, period, reviewer):
    period.status = "published"
    period.save()
    assert client.post("/review/2023/compute/").status_code == 404
    assert not Job.objects.exists()


def test_export_files_older_than_the_kept_days_are_deleted_by_the_next_export(
    client, period, reviewer, settings
):
    import os
    import time
    from pathlib import Path

    old = Path(settings.MEDIA_ROOT) / "jobs" / "old.xlsx"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x")
    eight_days = time.time() - 8 * 86400
    os.utime(old, (eight_days, eight_days))
    job_page(client, client.post("/review/2023/export/"))
    assert not old.exists()
    assert len(list(old.parent.glob("*.xlsx"))) == 1


STARTED = timezone.make_aware(datetime(2024, 3, 1, 9, 30))
STALLED = (
    "Máy chạy việc đã dừng giữa chừng (lần cuối còn chạy lúc 09:31 01/03/2024). Không có thay "
    "đổi nào của việc này được lưu; hãy chạy lại."
)


@pytest.fixture(autouse=True)
def _stale_after_two_minutes(settings):
    settings.JOB_STALE_SECONDS = 120


@pytest.fixture
def at(monkeypatch):
    """Set the clock ``seconds`` after STARTED."""

    def move(seconds):
        monkeypatch.setattr(clock, "now", lambda: STARTED + timedelta(seconds=seconds))

    return move


def running_job(user, period, *, beat_seconds):
    """A job the worker started at STARTED whose last heartbeat was ``beat_seconds`` later."""
    job = start_job(JobKind.COMPUTE, "Tính lại", by=user, period=period)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=STARTED)
    caches["jobs"].set(beat_key(job), STARTED + timedelta(seconds=beat_seconds))
    return job


def test_a_running_job_whose_heartbeat_is_old_is_marked_failed_when_its_page_is_read(
    client, period, reviewer, at
):
    at(0)
    job = running_job(reviewer, period, beat_seconds=60)
    at(60 + 121)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert STALLED in html and "Không thành công; chưa ghi gì." in html
    assert "<progress" not in html
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.outcome["error"] == STALLED
    assert job.finished_at == STARTED + timedelta(seconds=60)  # when it was last seen running


def test_a_running_job_with_a_fresh_heartbeat_stays_running(client, period, reviewer, at):
    at(0)
    job = running_job(reviewer, period, beat_seconds=60)
    at(60 + 119)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<progress" in html and "Máy chạy việc đã dừng" not in html
    assert client.get(f"/jobs/{job.pk}/progress/").json()["status"] == "running"
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_the_progress_of_a_job_whose_worker_died_says_it_finished_failed(
    client, period, reviewer, at
):
    at(0)
    job = running_job(reviewer, period, beat_seconds=60)
    at(3600)
    note = client.get(f"/jobs/{job.pk}/progress/").json()
    assert note["finished"] is True and note["status"] == "failed"  # the page reloads
    assert Job.objects.get(pk=job.pk).outcome["error"] == STALLED


def test_the_administrators_list_shows_a_job_whose_worker_died_failed_with_why(client, period, at):
    at(0)
    admin = make_user("quantri", "admin")
    client.force_login(admin)
    stalled = running_job(admin, period, beat_seconds=60)
    alive = running_job(admin, period, beat_seconds=3500)
    at(3600)
    html = client.get("/jobs/").content.decode()
    assert html.count("Đang chạy") == 1 and STALLED in html
    assert Job.objects.get(pk=stalled.pk).status == JobStatus.FAILED
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING


def test_a_job_no_worker_takes_says_so_after_the_threshold_and_stays_queued(
    client, period, reviewer, at
):
    at(0)
    job = start_job(JobKind.COMPUTE, "Tính lại", by=reviewer, period=period)
    notice = "Chưa có máy chạy việc nào nhận việc này sau 2 phút; báo quản trị viên"
    at(119)
    assert notice not in client.get(f"/jobs/{job.pk}/").content.decode()
    at(121)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert notice in html and "<progress" in html
    assert notice in client.get(f"/jobs/{job.pk}/progress/").json()["waiting"]
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_a_queued_job_behind_a_running_one_does_not_blame_the_worker(client, period, reviewer, at):
    at(0)
    running_job(reviewer, period, beat_seconds=590)
    waiting = start_job(JobKind.COMPUTE, "Tính lại", by=reviewer, period=period)
    at(600)
    html = client.get(f"/jobs/{waiting.pk}/").content.decode()
    assert "Chưa có máy chạy việc nào" not in html
