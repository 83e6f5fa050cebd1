"""The audit trail: one row per change of state, never edited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=60)
    period = models.ForeignKey(
        "core.Period", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    message = models.TextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
