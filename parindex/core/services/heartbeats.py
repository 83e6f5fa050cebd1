"""Heartbeats of running jobs, and what their silence means: a worker that died mid-job.

While ``execute`` runs a job, a small daemon thread (``Heartbeat``) notes the time in the shared
"jobs" cache, next to the job's progress note, every ``JOB_STALE_SECONDS / 6`` seconds. A running
job whose last beat is older than ``JOB_STALE_SECONDS`` has lost its worker (killed, out of
memory, the machine restarted): ``notice_stalled`` marks it failed in the database with a message
saying so, when the next job starts in a worker and when anyone reads its page, its progress or
the administrators' list.

Why the cache and not a ``heartbeat_at`` column of the job row: on SQLite, the embedded default,
a transaction takes the database's only write lock when it begins (``transaction_mode``
IMMEDIATE, settings.py) and keeps it until it commits, so while an import writes, no other
connection can write a beat — the job would look dead exactly while it works hardest, and
pages that tried to write it would wait. The cache takes a write from any thread at any time,
and it is already the channel every process shares for progress (a folder on one machine,
Redis on several), so a beat is visible wherever the progress bar is. A cache may lose keys
(Redis restarted, the folder emptied); a missing beat therefore proves nothing within its
lifetime (``BEAT_KEPT_SECONDS``), and the running job is judged by its start only after it: a
wiped cache does not fail live jobs, and a job whose beat is gone is still noticed, later.

What the message promises holds for every runner of ``parindex.web.jobs``: each writes the
database in one transaction (the services are ``transaction.atomic``; a check's preview is
rolled back), which dies with its connection, and an export writes its file only at its end.
An import's confirmation takes the staged file when it starts, so an import is started again
from a new upload. One gap is left: a worker killed between its work's commit and the row
saying "done" (a few milliseconds) leaves saved work under a "nothing saved" message; that
commit is the services', and closing the gap would hold the write lock through the file's
reading.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parindex.core import clock
from parindex.core.models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

BEATS_PER_THRESHOLD = 6  # a live worker beats this many times within JOB_STALE_SECONDS
BEAT_KEPT_SECONDS = 6 * 3600  # how long a beat outlives the worker that wrote it
IMPORTS = (JobKind.IMPORT_CHECK, JobKind.IMPORT_WRITE)


def beat_key(job: Job) -> str:
    return f"job-beat:{job.pk}"


class Heartbeat:
    """Note in the "jobs" cache that ``job`` is running: on entering, then from a daemon thread
    until the block ends. The beat is deleted when the block ends normally; a worker stopped by
    force (a second SIGTERM raises SystemExit mid-job) leaves its last beat, to be noticed."""

    def __init__(self, job: Job):
        self.key = beat_key(job)
        self.every = max(settings.JOB_STALE_SECONDS / BEATS_PER_THRESHOLD, 0.1)  # never a busy loop
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"beat-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.beat()
        self.thread.start()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.stopped.set()
        self.thread.join()
        if exc_type is None:
            caches["jobs"].delete(self.key)

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            self.beat()

    def beat(self) -> None:
        # No database here: the thread must not wait on the locks of the job's transaction.
        try:
            caches["jobs"].set(self.key, clock.now(), BEAT_KEPT_SECONDS)
        except Exception:  # a cache down for a moment must not end the job; the next beat retries
            logger.warning("heartbeat of %s not written", self.key, exc_info=True)


def silent_since(job: Job, beat: datetime | None, now: datetime) -> datetime | None:
    """Return when running ``job`` was last known alive if its worker has stopped since, else
    None (``beat`` is its last heartbeat, None when the cache has none)."""
    if beat is not None:
        return beat if (now - beat).total_seconds() > settings.JOB_STALE_SECONDS else None
    if job.started_at is not None and (now - job.started_at).total_seconds() > BEAT_KEPT_SECONDS:
        return job.started_at
    return None


def stalled_message(job: Job, last: datetime) -> str:
    """Return why stalled ``job`` failed, in the active language."""
    when = dateformat.format(timezone.localtime(last), "H:i d/m/Y")
    if job.kind in IMPORTS:
        text = _(
            "Máy chạy việc đã dừng giữa chừng (lần cuối còn chạy lúc %(when)s). Không có thay "
            "đổi nào của việc này được lưu; hãy tải tệp lên và chạy lại."
        )
    else:
        text = _(
            "Máy chạy việc đã dừng giữa chừng (lần cuối còn chạy lúc %(when)s). Không có thay "
            "đổi nào của việc này được lưu; hãy chạy lại."
        )
    return text % {"when": when}


def notice_stalled(jobs: Iterable[Job]) -> None:
    """Mark failed the running jobs among ``jobs`` whose worker has stopped, in the database and
    on the objects given. One cache read; a write only for a job found stalled."""
    running = [job for job in jobs if job.status == JobStatus.RUNNING]
    if not running:
        return
    beats = caches["jobs"].get_many([beat_key(job) for job in running])
    now = clock.now()
    for job in running:
        last = silent_since(job, beats.get(beat_key(job)), now)
        if last is not None:
            _mark_stalled(job, last)


def _mark_stalled(job: Job, last: datetime) -> None:
    # Stored in the site's language, as the worker stores every outcome, whoever noticed it.
    with translation.override(settings.LANGUAGE_CODE):
        outcome = {"error": stalled_message(job, last), "stalled": True}
    # Only if still running: a job that ended meanwhile keeps its own ending. The worker that
    # ran it writes its real ending over this one, should it turn out to be alive after all.
    marked = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, outcome=outcome, finished_at=last
    )
    if marked:
        logger.warning("job %s (%s): no heartbeat since %s, marked failed", job.pk, job.kind, last)
        job.status, job.outcome, job.finished_at = JobStatus.FAILED, outcome, last
    else:
        job.refresh_from_db(fields=["status", "outcome", "file", "finished_at"])


def notice_stalled_jobs() -> None:
    """Mark failed every running job whose worker has stopped."""
    notice_stalled(
        Job.objects.filter(status=JobStatus.RUNNING).only("pk", "kind", "status", "started_at")
    )


def waiting_notice(job: Job) -> str:
    """Return what to tell someone whose job has waited in the queue longer than
    ``JOB_STALE_SECONDS`` while no worker runs anything (empty otherwise: a worker busy with
    another job will come to it). Not a failure: a worker may be starting."""
    if job.status != JobStatus.QUEUED:
        return ""
    waited = (clock.now() - job.created_at).total_seconds()
    if waited <= settings.JOB_STALE_SECONDS:
        return ""
    running = list(
        Job.objects.filter(status=JobStatus.RUNNING).only("pk", "kind", "status", "started_at")
    )
    notice_stalled(running)
    if any(other.status == JobStatus.RUNNING for other in running):
        return ""
    minutes = max(1, int(waited // 60))
    return ngettext(
        "Chưa có máy chạy việc nào nhận việc này sau %(n)d phút; báo quản trị viên kiểm tra "
        "tiến trình manage.py worker.",
        "Chưa có máy chạy việc nào nhận việc này sau %(n)d phút; báo quản trị viên kiểm tra "
        "tiến trình manage.py worker.",
        minutes,
    ) % {"n": minutes}
