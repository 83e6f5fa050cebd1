"""Long work run by the worker: starting a job, running it, and its progress.

A view calls ``start_job``: a ``Job`` row is written and a task queued (django-tasks, database
backend) in the same transaction, so the worker never sees a task without its job. The worker
runs ``execute``: the job's runner — registered by kind with ``runner`` by the module that knows
how to do that work — does it and returns its outcome (a message, a link, a file …); a refusal
(``WorkflowError``) or a file's problems (``ImportProblems``) end the job as failed with what to
show; anything else is logged and the person sees a plain message with the job's id.

Progress (done of total, and what is being done) goes to the shared "jobs" cache, not to the
row: the work runs in one transaction, and its own writes are invisible until it commits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from parindex.core import clock
from parindex.core.errors import WorkflowError
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import Job, JobKind, JobStatus

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
    """Run one job (the worker's task): mark it running, do it, record how it ended."""
    job = Job.objects.select_related("started_by", "period").get(pk=job_id)
    if job.is_finished:
        return  # a task run twice does the work once
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=clock.now())
    job.status = JobStatus.RUNNING
    progress = JobProgress(job)
    try:
        outcome = RUNNERS[job.kind](job, progress)
        status = JobStatus.DONE
    except ImportProblems as error:
        status = JobStatus.FAILED
        outcome = {
            "problems": [
                {"sheet": p.sheet, "cell": p.cell, "message": str(p.message)}
                for p in error.problems
            ]
        }
    except WorkflowError as error:
        status = JobStatus.FAILED
        outcome = {"refused": {"message": str(error.message), "details": error.details}}
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        status = JobStatus.FAILED
        outcome = {
            "error": _("Lỗi hệ thống khi chạy việc này; đã ghi vào nhật ký máy chủ (mã %(id)s).")
            % {"id": str(job.pk)[:8]}
        }
    Job.objects.filter(pk=job.pk).update(
        status=status, outcome=outcome, file=job.file, finished_at=clock.now()
    )
    progress.clear()


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
