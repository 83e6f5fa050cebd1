"""Long work run by the worker: starting a job, running it, and its progress.

A view calls ``start_job``: a ``Job`` row is written and a task queued (django-tasks, database
backend) in the same transaction, so the worker never sees a task without its job. The worker
runs ``execute``: the job's runner — registered by kind with ``runner`` by the module that knows
how to do that work — does it and returns its outcome (a message, a link, a file …); a refusal
(``WorkflowError``) or a file's problems (``ImportProblems``) end the job as failed with what to
show; anything else is logged and the person sees a plain message with the job's id.

Progress (done of total, and what is being done) goes to the shared "jobs" cache, not to the
row: the work runs in one transaction, and its own writes are invisible until it commits. So
does the heartbeat that tells a running job from one whose worker died
(``parindex.core.services.heartbeats``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils.translation import gettext as _
from django_tasks import task

from parindex.core import clock
from parindex.core.errors import WorkflowError
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import Job, JobKind, JobStatus
from parindex.core.services.heartbeats import Heartbeat, notice_stalled_jobs

logger = logging.getLogger(__name__)

RUNNERS: dict[str, Callable] = {}
PROGRESS_SECONDS = 6 * 3600  # how long a progress note outlives its last update
PROGRESS_EVERY = 0.5  # seconds between two progress notes at most once a second or so


def runner(kind: JobKind):
    """Register the function that does the work of jobs of ``kind``.

    It is called as ``function(job, progress)`` and returns the outcome (a JSON-able dict,
    "message" at least).
    """

    def register(function):
        RUNNERS[kind] = function
        return function

    return register


def start_job(kind: JobKind, title: str, *, by, period=None, params=None) -> Job:
    """Record a job and queue it for the worker; return it."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:300],
            started_by=by,
            period=period,
            params=params or {},
            created_at=clock.now(),
        )
        run_job.enqueue(str(job.pk))
    return job


@task()
def run_job(job_id: str) -> None:
    """The worker's task: run the job ``job_id``."""
    execute(job_id)


def execute(job_id: str) -> None:
    """Run one job (the worker's task): mark it running, do it, record how it ended.

    First, jobs whose worker died are marked failed: django-tasks has no hook for a worker's
    start, and the next job a worker runs is the moment a restarted worker can notice them.
    """
    notice_stalled_jobs()
    job = Job.objects.select_related("started_by", "period").get(pk=job_id)
    started = clock.now()
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=started
    )
    if not claimed:
        # Done, failed (its worker died: it is started again by a person, knowingly) or running
        # in another worker: a task delivered twice does the work once.
        return
    job.status, job.started_at = JobStatus.RUNNING, started
    progress = JobProgress(job)
    with Heartbeat(job):
        status, outcome = _run(job, progress)
        Job.objects.filter(pk=job.pk).update(
            status=status, outcome=outcome, file=job.file, finished_at=clock.now()
        )
    progress.clear()


def _run(job: Job, progress: JobProgress) -> tuple[JobStatus, dict]:
    """Do the job's work with its runner; return how it ended and what to show."""
    try:
        with lock_wait(settings.JOB_LOCK_WAIT_SECONDS):
            return JobStatus.DONE, RUNNERS[job.kind](job, progress)
    except OperationalError as error:
        if not lock_not_obtained(error):
            return _unexpected(job)
        waited = _(
            "Dữ liệu việc này cần ghi đang bị một thao tác khác giữ quá %(seconds)s giây nên việc "
            "đã dừng. Hãy chạy lại sau ít phút."
        ) % {"seconds": lock_wait_seconds()}
        return JobStatus.FAILED, {"refused": {"message": waited, "details": []}}
    except ImportProblems as error:
        problems = [
            {"sheet": p.sheet, "cell": p.cell, "message": str(p.message)} for p in error.problems
        ]
        return JobStatus.FAILED, {"problems": problems}
    except WorkflowError as error:
        refused = {"message": str(error.message), "details": error.details}
        return JobStatus.FAILED, {"refused": refused}
    except Exception:
        return _unexpected(job)


def _unexpected(job: Job) -> tuple[JobStatus, dict]:
    """Log the error being handled; return the plain message the person sees, with the job's id."""
    logger.exception("job %s (%s) failed", job.pk, job.kind)
    error = _("Lỗi hệ thống khi chạy việc này; đã ghi vào nhật ký máy chủ (mã %(id)s).") % {
        "id": str(job.pk)[:8]
    }
    return JobStatus.FAILED, {"error": error}


# PostgreSQL's code of a lock not obtained within ``lock_timeout``.
LOCK_NOT_AVAILABLE = "55P03"


@contextmanager
def lock_wait(seconds: int):
    """Let the block wait at most ``seconds`` for a lock, on the worker's own connection.

    PostgreSQL otherwise waits for ever; SQLite already gives up after its ``timeout``
    ("database is locked").
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, false)", [f"{seconds}s"])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        except DatabaseError:  # a broken connection is closed and opened anew anyway
            pass


def lock_wait_seconds() -> int:
    """How long a job waits for a lock: ``JOB_LOCK_WAIT_SECONDS`` on PostgreSQL, SQLite's own
    ``timeout`` (Python's default: 5 s) elsewhere."""
    if connection.vendor == "postgresql":
        return settings.JOB_LOCK_WAIT_SECONDS
    return connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)


def lock_not_obtained(error: OperationalError) -> bool:
    """Tell whether ``error`` is a lock waited for too long (PostgreSQL's lock_timeout,
    SQLite's "database is locked")."""
    if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(error)


@dataclass
class Note:
    done: int = 0
    total: int = 0
    label: str = ""

    @property
    def percent(self) -> int | None:
        return min(100, round(100 * self.done / self.total)) if self.total else None


class JobProgress:
    """Callable given to runners: ``progress(done, total, label)`` notes how far the job is.

    Notes are written at most every ``PROGRESS_EVERY`` seconds (and always on a new label or on
    the last step), so a runner may call it for every row.
    """

    def __init__(self, job: Job):
        self.key = progress_key(job)
        self.last = 0.0
        self.label = None

    def __call__(self, done: int, total: int, label: str = "") -> None:
        now = time.monotonic()
        if label == self.label and done < total and now - self.last < PROGRESS_EVERY:
            return
        self.last, self.label = now, label
        caches["jobs"].set(self.key, (done, total, label), PROGRESS_SECONDS)

    def clear(self) -> None:
        caches["jobs"].delete(self.key)


def progress_key(job: Job) -> str:
    return f"job-progress:{job.pk}"


def progress_of(job: Job) -> Note:
    """Return how far a running job is (an empty note when it has not said yet)."""
    if job.status != JobStatus.RUNNING:
        return Note(1, 1) if job.status == JobStatus.DONE else Note()
    found = caches["jobs"].get(progress_key(job))
    return Note(*found) if found else Note()
