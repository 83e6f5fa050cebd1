"""Jobs: queued with their task, run by the real worker (``db_worker``), ending done or failed
with what the person needs to see; progress notes in the shared cache."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from parindex.core.models import (
    GroupStage,
    Job,
    JobKind,
    JobStatus,
    PeriodGroup,
    ResultSet,
)
from parindex.core.services import jobs
from parindex.core.services.results import finalise_period
from tests.builders import assess, full_scores, make_period, make_unit, make_user, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver():
    return make_user("pheduyet", "approver")


@pytest.fixture
def appraised(approver):
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("B"), full_scores(50, 30))
    return period


def test_a_started_job_waits_in_the_queue_until_the_worker_runs_it(appraised, approver):
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert not ResultSet.objects.filter(period=appraised).exists()
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.started_at and job.finished_at
    assert "Đã tính lại kết quả tạm tính của 1 khối." == job.outcome["message"]
    assert ResultSet.objects.filter(period=appraised, is_current=True).count() == 1


def test_a_refused_job_ends_failed_with_the_refusal_and_publishes_nothing(appraised, approver):
    params = {"group": "SO", "decision_number": "1/QĐ", "decision_date": ""}
    job = jobs.start_job(JobKind.PUBLISH, "Công bố", by=approver, period=appraised, params=params)
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Chỉ công bố được khối đã chốt kết quả" in job.outcome["refused"]["message"]
    assert PeriodGroup.objects.get(period=appraised).stage == GroupStage.OPEN


def test_publishing_a_finalised_group_as_a_job_publishes_it(appraised, approver):
    finalise_period(appraised, by=approver)
    params = {"group": "SO", "decision_number": "12/QĐ", "decision_date": "2024-03-01"}
    job = jobs.start_job(JobKind.PUBLISH, "Công bố", by=approver, period=appraised, params=params)
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.outcome
    pg = PeriodGroup.objects.get(period=appraised)
    assert pg.stage == GroupStage.PUBLISHED
    result_set = ResultSet.objects.get(period=appraised, is_current=True)
    assert (result_set.decision_number, str(result_set.decision_date)) == ("12/QĐ", "2024-03-01")


def test_an_unexpected_error_ends_failed_with_a_plain_message_and_is_logged(
    appraised, approver, monkeypatch, caplog
):
    def broken(job, progress):
        raise RuntimeError("secret detail")

    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, broken)
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    with caplog.at_level(logging.ERROR, logger="parindex.core.services.jobs"):
        run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Lỗi hệ thống" in job.outcome["error"] and str(job.pk)[:8] in job.outcome["error"]
    assert "secret detail" not in str(job.outcome)
    assert "secret detail" in caplog.text


def test_a_job_run_twice_does_its_work_once(appraised, approver, monkeypatch):
    calls = []
    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, lambda job, p: calls.append(1) or {})
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    jobs.execute(str(job.pk))
    jobs.execute(str(job.pk))
    assert calls == [1]


def test_progress_is_noted_while_running_throttled_and_cleared_when_done(
    appraised, approver, monkeypatch
):
    seen = []

    def counting(job, progress):
        for done in range(1, 1001):
            progress(done, 1000, "Ghi dữ liệu")
            if done in (1, 500):
                job.refresh_from_db()
                seen.append((job.status, jobs.progress_of(job)))
        return {"message": "xong"}

    writes = []
    real_set = jobs.caches["jobs"].set
    monkeypatch.setattr(
        jobs.caches["jobs"], "set", lambda *a, **k: writes.append(a) or real_set(*a, **k)
    )
    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, counting)
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    run_jobs()
    first, middle = seen
    assert first[0] == JobStatus.RUNNING and first[1].label == "Ghi dữ liệu"
    assert middle[1].percent in range(0, 51)
    assert len(writes) < 20  # not one write per row
    assert writes[-1][1] == (1000, 1000, "Ghi dữ liệu")  # the last step is always noted
    job.refresh_from_db()
    assert jobs.progress_of(job).percent == 100  # done: from the row, the note is cleared
    assert jobs.caches["jobs"].get(jobs.progress_key(job)) is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_in_its_own_process_runs_a_job_the_web_started(appraised, approver):
    """The worker as ``make run`` starts it: another process, reading the queue table."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "the SQLite test database lives in this process's memory; CI runs this on PostgreSQL"
        )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "parindex.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.outcome
    assert ResultSet.objects.filter(period=appraised, is_current=True).count() == 1
