"""The inbox: a person's own notifications (newest first, unread in bold), opening one, marking
all read, and which kinds also come by e-mail. Another person's notification answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parindex.core.models import Notification, NotificationKind
from parindex.core.services.notifications import (
    email_kinds,
    mark_all_read,
    mark_read,
    set_email_kinds,
)

PER_PAGE = 30


@login_required
@never_cache
def inbox(request):
    notifications = Notification.objects.for_user(request.user).defer("key")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "inbox/inbox.html", {"page": page})


@login_required
def open_notification(request, notification_id):
    """Mark the notification read and go where it leads."""
    notification = get_object_or_404(
        Notification.objects.for_user(request.user), pk=notification_id
    )
    mark_read(notification)
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("web:inbox")


@login_required
@require_POST
def read_all(request):
    count = mark_all_read(request.user)
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("web:inbox")


@login_required
@never_cache
def email_settings(request):
    """A checkbox per kind: which notifications also come by e-mail."""
    if request.method == "POST":
        wanted = [kind for kind in request.POST.getlist("email") if kind in NotificationKind.values]
        set_email_kinds(request.user, wanted)
        messages.success(request, _("Đã lưu cài đặt thư điện tử."))
        return redirect("web:inbox-settings")
    context = {"kinds": email_kinds(request.user), "has_email": bool(request.user.email)}
    return render(request, "inbox/settings.html", context)
