"""Long work as the product runs it: a job queued by a screen, done by a worker process.

The worker is ``manage.py worker`` in a process of its own, already running and polling the
queue, as ``make run`` and the deployment start it; "time to done" runs from queuing the job to
seeing it finished, and the worker's memory peak is the kernel's high-water mark of its resident
set (``VmHWM``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings


class Worker:
    """``manage.py worker`` in a process of its own, polling the queue as in production."""

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parindex.benchmark.settings"}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)  # let it start (Django set-up) before the clock runs
        return self

    def peak_kib(self) -> int:
        """The worker's resident-set high-water mark so far (0 where /proc does not exist)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)


def timed_job(kind, title: str, *, by, period=None, params=None):
    """Queue a job for a running worker and wait for it; return (seconds from queuing to done,
    the job, the worker's memory peak in KiB)."""
    from parindex.core.models import Job
    from parindex.core.services.jobs import start_job

    with Worker() as worker:
        started = time.perf_counter()
        job = start_job(kind, title, by=by, period=period, params=params)
        while not Job.objects.get(pk=job.pk).is_finished:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        peak = worker.peak_kib()
    job.refresh_from_db()
    return elapsed, job, peak


def import_job(book: Path, by):
    """Stage ``book`` as the import screen does and import it as a job (the confirmed step)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parindex.core.models import JobKind
    from parindex.core.services.staging import stage_upload

    token = stage_upload("period", SimpleUploadedFile(book.name, book.read_bytes()), by=by)
    params = {"kind": "period", "token": token, "year": "", "group": ""}
    return timed_job(JobKind.IMPORT_WRITE, "Nhập sổ điểm (đo)", by=by, params=params)


def publish_job(period, by):
    """Publish every finalised group of ``period`` under one decision, as a job."""
    from parindex.core.models import JobKind

    params = {"group": "", "decision_number": "1/QĐ-ĐO", "decision_date": ""}
    return timed_job(JobKind.PUBLISH, "Công bố (đo)", by=by, period=period, params=params)
