"""Jobs: queued with their task, run by the real worker (``manage.py worker``), ending done or
failed with what the person needs to see; progress notes and heartbeats in the shared cache, and
jobs whose worker died noticed and never run again."""

import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from parindex.core import clock
from parindex.core.models import (
    GroupStage,
    Job,
    JobKind,
    JobStatus,
    PeriodGroup,
    ResultSet,
)
from parindex.core.services import heartbeats, jobs
from parindex.core.services.results import finalise_period
from tests.builders import assess, full_scores, make_period, make_unit, make_user, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stale_after_two_minutes(settings):
    settings.JOB_STALE_SECONDS = 120


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


def test_the_heartbeat_is_written_while_a_slow_job_runs_in_the_worker(
    appraised, approver, monkeypatch, settings
):
    settings.JOB_STALE_SECONDS = 0.6  # a beat every 0.1 s
    beats = []

    def slow(job, progress):
        """Wait (5 s at most) until the heartbeat has changed twice while the work goes on."""
        key, deadline = heartbeats.beat_key(job), time.monotonic() + 5
        while len(beats) < 3 and time.monotonic() < deadline:
            beat = caches["jobs"].get(key)
            if not beats or beat != beats[-1]:
                beats.append(beat)
            time.sleep(0.02)
        return {"message": "xong"}

    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, slow)
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert len(beats) == 3 and None not in beats and beats == sorted(beats)
    assert caches["jobs"].get(heartbeats.beat_key(job)) is None  # ended: nothing to notice


def crashed(job, *, beat_seconds_ago):
    """Leave ``job`` as a worker killed mid-job leaves it: its task and its row running, its
    last heartbeat ``beat_seconds_ago``."""
    now = clock.now()
    DBTaskResult.objects.filter(args_kwargs__args=[str(job.pk)]).update(status="RUNNING")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now - timedelta(seconds=beat_seconds_ago + 5)
    )
    caches["jobs"].set(heartbeats.beat_key(job), now - timedelta(seconds=beat_seconds_ago))


def test_a_job_whose_worker_died_is_marked_failed_when_a_worker_runs_the_next_job(
    appraised, approver
):
    dead = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    crashed(dead, beat_seconds_ago=121)
    jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    assert run_jobs() == 1
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.finished_at
    assert dead.outcome["error"].startswith("Máy chạy việc đã dừng giữa chừng (lần cuối")
    assert "Không có thay đổi nào của việc này được lưu; hãy chạy lại." in dead.outcome["error"]


def test_a_redelivered_task_of_a_job_failed_as_stalled_does_not_run_the_work(
    appraised, approver, monkeypatch
):
    calls = []
    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, lambda job, p: calls.append(1) or {})
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    crashed(job, beat_seconds_ago=300)
    heartbeats.notice_stalled_jobs()  # someone read its page
    failed = Job.objects.get(pk=job.pk).outcome
    DBTaskResult.objects.update(status="READY")  # the queue hands the task out again
    assert run_jobs() == 1
    assert calls == []
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.outcome == failed


def test_a_task_delivered_again_while_its_job_runs_elsewhere_does_not_run_it_twice(
    appraised, approver, monkeypatch
):
    calls = []
    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, lambda job, p: calls.append(1) or {})
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    crashed(job, beat_seconds_ago=5)  # beating: another worker runs it
    jobs.execute(str(job.pk))
    assert calls == []
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_running_job_without_a_heartbeat_is_failed_only_once_a_beat_would_have_expired(
    appraised, approver
):
    """The cache lost its keys (Redis restarted): a silence that proves nothing, until a beat
    written before it would have expired."""
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    crashed(job, beat_seconds_ago=3600)
    caches["jobs"].clear()
    heartbeats.notice_stalled_jobs()
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    Job.objects.filter(pk=job.pk).update(
        started_at=clock.now() - timedelta(seconds=heartbeats.BEAT_KEPT_SECONDS + 1)
    )
    heartbeats.notice_stalled_jobs()
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_worker_stopped_by_force_mid_job_leaves_its_last_beat_to_be_noticed(
    appraised, approver, monkeypatch
):
    """A second SIGTERM makes the worker exit (SystemExit) in the middle of the work."""

    def stopped(job, progress):
        raise SystemExit(1)

    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, stopped)
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    with pytest.raises(SystemExit):
        jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    last = caches["jobs"].get(heartbeats.beat_key(job))
    assert last is not None
    later = last + timedelta(seconds=121)
    monkeypatch.setattr(clock, "now", lambda: later)
    heartbeats.notice_stalled_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at == last


def test_an_import_whose_worker_died_asks_for_the_file_again(approver):
    """Its confirmation took the staged file when it started: running it again means a new
    upload."""
    job = jobs.start_job(JobKind.IMPORT_WRITE, "Nhập", by=approver, params={"kind": "units"})
    crashed(job, beat_seconds_ago=121)
    heartbeats.notice_stalled_jobs()
    assert "hãy tải tệp lên và chạy lại." in Job.objects.get(pk=job.pk).outcome["error"]


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
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.outcome
    assert ResultSet.objects.filter(period=appraised, is_current=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_waiting_too_long_for_a_lock_stops_failed_having_written_nothing(settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL waits for a lock for ever unless told (SQLite: its timeout)")
    import psycopg2

    settings.JOB_LOCK_WAIT_SECONDS = 1
    approver = make_user("pheduyet", "approver")
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=period)
    holder = psycopg2.connect(**connection.get_connection_params())
    try:
        with holder.cursor() as cursor:  # another transaction holds the period's row
            # … for 10 s at most: without the job's own limit, the test ends, the job done.
            cursor.execute("SET idle_in_transaction_session_timeout = '10s'")
            cursor.execute("SELECT id FROM core_period WHERE id = %s FOR UPDATE", [period.pk])
        jobs.execute(str(job.pk))
    finally:
        holder.rollback()
        holder.close()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "giữ quá 1 giây nên việc đã dừng." in job.outcome["refused"]["message"]
    assert not ResultSet.objects.filter(period=period).exists()
    with connection.cursor() as cursor:  # the worker's connection waits as usual again
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"


def database_error(message: str, pgcode: str | None) -> OperationalError:
    """Django's error as it wraps a driver's error carrying PostgreSQL's ``pgcode``."""
    error = OperationalError(message)
    error.__cause__ = type("DriverError", (Exception,), {"pgcode": pgcode})()
    return error


def test_a_job_stopped_by_a_lock_names_how_long_it_waited(appraised, approver, monkeypatch):
    def locked(job, progress):
        raise database_error("database is locked", "55P03")

    monkeypatch.setitem(jobs.RUNNERS, JobKind.COMPUTE, locked)
    job = jobs.start_job(JobKind.COMPUTE, "Tính lại", by=approver, period=appraised)
    run_jobs()
    job.refresh_from_db()
    waited = jobs.lock_wait_seconds()
    assert waited == (settings.JOB_LOCK_WAIT_SECONDS if connection.vendor == "postgresql" else 20)
    assert f"giữ quá {waited} giây" in job.outcome["refused"]["message"]


@pytest.mark.parametrize(("code", "expected"), [("55P03", True), ("40P01", False), (None, False)])
def test_only_a_lock_not_obtained_in_time_is_told_as_such(code, expected):
    assert jobs.lock_not_obtained(database_error("could not obtain lock", code)) is expected
