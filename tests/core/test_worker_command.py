"""``manage.py worker``: django-tasks' db_worker, started again when its database fails.

Its jobs are run for real in test_jobs.py (``tests.builders.run_jobs`` and a worker in a
process of its own); here, what happens when the poll itself fails.
"""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from parindex.core.management.commands import worker


@pytest.fixture
def runs(monkeypatch):
    """The worker's poll loop, failing as each test says; the calls it got."""
    calls = []
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: calls.append(("pause", seconds)))
    return calls


def start(runs, monkeypatch, failures):
    def run(self):
        runs.append("poll")
        if failures:
            raise failures.pop(0)

    monkeypatch.setattr(db_worker.Worker, "run", run)
    call_command("worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def test_the_worker_polls_again_after_its_database_did_not_answer(runs, monkeypatch, caplog):
    locked = OperationalError("database is locked")
    gone = OperationalError("server closed the connection unexpectedly")
    start(runs, monkeypatch, [locked, gone])
    pause = ("pause", worker.PAUSE_SECONDS)
    assert runs == ["poll", pause, "poll", pause, "poll"]
    assert "database is locked" in caplog.text and "polling again" in caplog.text


def test_any_other_error_stops_the_worker(runs, monkeypatch):
    with pytest.raises(ValueError):
        start(runs, monkeypatch, [ValueError("a bug")])
    assert runs == ["poll"]
