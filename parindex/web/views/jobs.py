"""Jobs the worker runs for a screen: their page (progress, then the outcome), their progress
as JSON for the page's script, the file an export job made, and the administrators' list.

Reading a running job (its page, its progress, the list) is also when a job whose worker died
is noticed and marked failed (``notice_stalled``)."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parindex.core.models import Job, JobKind, JobStatus
from parindex.core.services.heartbeats import notice_stalled, waiting_notice
from parindex.core.services.jobs import progress_of, start_job
from parindex.web.exports import XLSX, attachment
from parindex.web.import_steps import KINDS
from parindex.web.views.access import admin_only, staff_period


def get_job(request, job_id) -> Job:
    """Return the job ``job_id`` if the visitor may follow it; 404 otherwise (no leak)."""
    return get_object_or_404(
        Job.objects.visible_to(request.user).select_related("started_by", "period"), pk=job_id
    )


@login_required
@never_cache
def job(request, job_id):
    job = get_job(request, job_id)
    notice_stalled([job])
    context = {"job": job, "note": progress_of(job), "waiting": waiting_notice(job)}
    if job.kind in (JobKind.IMPORT_CHECK, JobKind.IMPORT_WRITE):
        kind = job.params.get("kind", "")
        context |= {"kind": kind, "import_title": KINDS.get(kind, ""), "is_import": True}
    return render(request, "jobs/job.html", context)


@login_required
@never_cache
def progress(request, job_id):
    job = get_job(request, job_id)
    notice_stalled([job])
    note = progress_of(job)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "percent": note.percent,
            "label": note.label,
            "waiting": waiting_notice(job),
        }
    )


@login_required
def job_file(request, job_id):
    job = get_job(request, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = default_storage.open(job.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment(handle, job.outcome.get("download", "ket-qua.xlsx"), XLSX)


@staff_period
@require_POST
def export_period(request, period):
    """Start writing the whole period's workbook in the worker (big periods take seconds)."""
    title = _("Xuất sổ điểm năm %(year)s") % {"year": period.year}
    return redirect(start_job(JobKind.EXPORT_PERIOD, title, by=request.user, period=period))


@staff_period
@require_POST
def compute_period(request, period):
    """Start recomputing the provisional results of the period's unpublished groups."""
    if period.is_published:
        raise Http404
    title = _("Tính lại kết quả tạm tính năm %(year)s") % {"year": period.year}
    return redirect(start_job(JobKind.COMPUTE, title, by=request.user, period=period))


@admin_only
def job_list(request):
    jobs = list(Job.objects.select_related("started_by", "period")[:200])
    notice_stalled(jobs)
    return render(request, "jobs/list.html", {"jobs": jobs})
