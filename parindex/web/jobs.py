"""What the worker does for each kind of job the screens start.

Each runner gets the job (its ``params`` are what the screen chose) and a ``progress`` callable,
does the work through the services, and returns the outcome the job page shows. The views only
check the request and start the job (``parindex.core.services.jobs.start_job``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.core.errors import WorkflowError
from parindex.core.excel import writing
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import JobKind, UnitGroup
from parindex.core.services import results as result_services
from parindex.core.services.jobs import runner
from parindex.core.services.staging import discard_staged, note_seen, peek_staged, staged_file
from parindex.core.stored_files import delete_older_than
from parindex.core.task_progress import part_of
from parindex.web import import_steps


def _reading(progress):
    return part_of(progress, 0, 30, _("Đọc và kiểm tra tệp"))


def _handling(progress):
    return part_of(progress, 30, 100, _("Xử lý dữ liệu"))


@runner(JobKind.IMPORT_CHECK)
def check_import(job, progress) -> dict:
    """Read the staged file, list every problem or what importing it would change."""
    kind, params = job.params["kind"], job.params
    with peek_staged(params["token"], kind, by=job.started_by) as file:
        if file is None:
            raise ImportProblems([import_steps.expired()])
        try:
            data, summary = import_steps.read(kind, file, params, _reading(progress))
            changes = import_steps.preview(kind, data, params, _handling(progress))
        except (ImportProblems, WorkflowError):
            discard_staged(params["token"])  # a refused file is not kept
            raise
    note_seen(params["token"], kind, by=job.started_by, seen=changes.entered if changes else ())
    existing = summary.get("existing")
    return {
        "message": _("Tệp không có lỗi."),
        "summary": import_steps.summary_rows(summary),
        "existing": {"year": existing.year, "status": existing.get_status_display()}
        if existing
        else None,
        "changes": render_to_string("includes/_import_changes.html", {"changes": changes})
        if changes
        else "",
        "entered": bool(changes and changes.entered),
    }


@runner(JobKind.IMPORT_WRITE)
def write_import(job, progress) -> dict:
    """Import the previewed file: the whole file in one transaction, or nothing."""
    kind, params = job.params["kind"], job.params
    with staged_file(params["token"], kind, by=job.started_by) as (file, ticket):
        if file is None:
            raise ImportProblems([import_steps.expired()])
        data = import_steps.read(kind, file, params, _reading(progress))[0]
        message = import_steps.write(
            kind,
            data,
            params,
            by=job.started_by,
            seen=ticket.get("seen", []),
            progress=_handling(progress),
        )
    return {"message": message, "link": reverse("web:imports")}


@runner(JobKind.COMPUTE)
def compute(job, progress) -> dict:
    progress(0, 1, _("Tính kết quả"))
    result_sets = result_services.compute_results(job.period, by=job.started_by)
    return {
        "message": _("Đã tính lại kết quả tạm tính của %(n)s khối.") % {"n": len(result_sets)},
        "link": reverse("web:review-queue", args=[job.period.year]),
    }


@runner(JobKind.PUBLISH)
def publish(job, progress) -> dict:
    """Publish one group, or every finalised group of the period under one decision."""
    params, period = job.params, job.period
    group = UnitGroup.objects.get(code=params["group"]) if params["group"] else None
    progress(0, 1, _("Công bố"))
    result_services.publish_results(
        period,
        by=job.started_by,
        group=group.pk if group else None,
        decision_number=params["decision_number"],
        decision_date=date.fromisoformat(params["decision_date"])
        if params["decision_date"]
        else None,
    )
    if group is None:
        return {
            "message": _("Đã công bố kết quả năm %(year)s (quyết định %(number)s).")
            % {"year": period.year, "number": params["decision_number"]},
            "link": reverse("web:rankings", args=[period.year]),
        }
    return {
        "message": _("Đã công bố kết quả khối “%(group)s” (quyết định %(number)s).")
        % {"group": group.name, "number": params["decision_number"]},
        "link": reverse("web:ranking-group", args=[period.year, group.code]),
    }


JOB_FILES = "jobs"  # the folder of files made by export jobs, in the default storage


def prune_job_files() -> None:
    """Delete the files of export jobs older than ``JOB_FILES_DAYS`` (their download then
    answers 404)."""
    delete_older_than(JOB_FILES, timedelta(days=settings.JOB_FILES_DAYS))


@runner(JobKind.EXPORT_PERIOD)
def export_period(job, progress) -> dict:
    progress(0, 1, _("Ghi sổ điểm"))
    content = writing.write_period(job.period)
    prune_job_files()
    job.file = default_storage.save(f"{JOB_FILES}/{job.pk}.xlsx", ContentFile(content))
    return {
        "message": _("Sổ điểm năm %(year)s đã sẵn sàng (%(kb)s KB).")
        % {"year": job.period.year, "kb": len(content) // 1024},
        "download": f"so-diem-{job.period.year}.xlsx",
    }
