"""Long work as the product runs it: a job queued by a screen, done by a worker process.

The worker is ``manage.py db_worker`` in a process of its own, as ``make run`` and the
deployment start it; "time to done" runs from queuing the job to its ``finished_at``, and the
worker's memory peak is the kernel's high-water mark of its resident set (``VmHWM``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings


def run_worker() -> int:
    """Run the queued jobs in a worker process until the queue is empty; return its memory
    peak in KiB (read from /proc while it runs; 0 where /proc does not exist)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parindex.benchmark.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    status = Path(f"/proc/{process.pid}/status")
    peak = 0
    while process.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    return peak


def timed_job(kind, title: str, *, by, period=None, params=None):
    """Queue a job, run the worker; return (seconds to done, the job, worker peak KiB)."""
    from parindex.core.services.jobs import start_job

    started = time.perf_counter()
    job = start_job(kind, title, by=by, period=period, params=params)
    peak = run_worker()
    elapsed = time.perf_counter() - started
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
