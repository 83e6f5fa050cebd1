"""The job pages: a progress bar while the worker runs, then the outcome; exports to download;
the administrators' list."""

import io

import pytest
from django.core.cache import caches
from openpyxl import load_workbook

from parindex.core.models import Job, JobStatus, ResultSet
from parindex.core.services.jobs import progress_key
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
