"""Notifications: what the application tells a person (the inbox), and which kinds they do not
want by e-mail. Rows are written by ``parindex.core.services.notifications`` once the action
that caused them has committed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    PERIOD_OPENED = "period_opened", _("Mở kỳ tự đánh giá")
    DEADLINE_7 = "deadline_7", _("Nhắc hạn tự đánh giá (trước 7 ngày)")
    DEADLINE_3 = "deadline_3", _("Nhắc hạn tự đánh giá (trước 3 ngày)")
    DEADLINE_1 = "deadline_1", _("Nhắc hạn tự đánh giá (trước 1 ngày)")
    SUBMITTED = "submitted", _("Đơn vị nộp bản tự đánh giá")
    RETURNED = "returned", _("Trả lại để giải trình")
    EXPLANATION_DUE = "explanation_due", _("Sắp hết hạn giải trình")
    EXPLANATION_SENT = "explanation_sent", _("Đơn vị gửi giải trình")
    DEDUCTION_PROPOSED = "deduction_proposed", _("Điểm thưởng, điểm trừ chờ phê duyệt")
    DEDUCTION_DECIDED = "deduction_decided", _("Điểm thưởng, điểm trừ đã được quyết định")
    REOPENED = "reopened", _("Mở lại thẩm định")
    EXTENDED = "extended", _("Gia hạn tự đánh giá")
    GROUP_PUBLISHED = "group_published", _("Công bố kết quả khối")


# The reminder of the self-assessment deadline sent at each number of days before it.
DEADLINE_KINDS = {
    7: NotificationKind.DEADLINE_7,
    3: NotificationKind.DEADLINE_3,
    1: NotificationKind.DEADLINE_1,
}


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Return ``user``'s own notifications (an inbox is only its owner's)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=NotificationKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("lúc"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # What makes the same notice the same (``deadline:<assessment>:<date>:<days>``): one row per
    # person and key, so a reminder run twice, or a task retried, tells nobody twice.
    key = models.CharField(_("khóa"), max_length=200)
    email_pending = models.BooleanField(_("chờ gửi thư"), default=False)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(
                fields=["email_pending"],
                condition=models.Q(email_pending=True),
                name="notification_email_pending",
            ),
        ]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return self.title


class EmailOptOut(models.Model):
    """A kind of notification ``user`` does not want by e-mail (the inbox keeps it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=NotificationKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique")
        ]
        verbose_name = _("không nhận thư")
        verbose_name_plural = _("không nhận thư")

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()}"
