"""Long work done by the worker (imports, publishing, recomputing, big exports): one row per job.

The row is the job's lasting record — who started it, on what, when it ran and how it ended;
its progress while it runs lives in the shared cache (``parindex.core.services.jobs``), because
the work itself runs in one transaction that no other connection can see into.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parindex.core import clock, permissions


class JobKind(models.TextChoices):
    IMPORT_CHECK = "import.check", _("Kiểm tra tệp Excel")
    IMPORT_WRITE = "import.write", _("Nhập dữ liệu từ Excel")
    COMPUTE = "results.compute", _("Tính lại kết quả tạm tính")
    PUBLISH = "results.publish", _("Công bố kết quả")
    EXPORT_PERIOD = "period.export", _("Xuất sổ điểm cả kỳ")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the jobs ``user`` may follow: their own; every job for administrators."""
        return permissions.visible_jobs(user, self)


class Job(models.Model):
    # A random id: the job's address is not guessable from another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại việc"), max_length=30, choices=JobKind.choices)
    title = models.CharField(_("việc"), max_length=300)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    params = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(_("kết quả"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.ForeignKey(
        "core.Period", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file = models.CharField(_("tệp kết quả"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), db_index=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("web:job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def seconds(self) -> float | None:
        """Return how long it ran (or has been running), in seconds."""
        if self.started_at is None:
            return None
        return ((self.finished_at or clock.now()) - self.started_at).total_seconds()
