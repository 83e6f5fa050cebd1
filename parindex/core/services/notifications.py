"""Telling people: the inbox rows and the e-mails that follow them.

A service calls ``notify(kind, users, subject_object=…)`` once, inside its transaction; nothing
happens until that transaction commits (``transaction.on_commit``), so an action rolled back
tells nobody. Then one row per person is written (the inbox keeps every notification) and, when
someone is to get an e-mail, a task is queued: the worker sends the e-mails, not the request.
A row's e-mail is claimed before it is sent, so a task run twice never sends it twice.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from parindex.core import clock
from parindex.core.models import EmailOptOut, Notification, NotificationKind
from parindex.core.notifications import describe, link, texts

logger = logging.getLogger(__name__)


def notice(kind: str, subject_object, *, context=None, key: str = "") -> dict:
    """Return the notification of ``kind`` about ``subject_object``: its texts, link and key.

    ``key`` makes it unique per person (a reminder's ``deadline:<id>:<date>:<days>``); by
    default each event is new. ``context`` adds to or overrides what the texts name.
    """
    when = clock.now()
    # Stored once for every recipient, so in the province's language, not the sender's.
    with translation.override(settings.LANGUAGE_CODE):
        title, body = texts(kind, describe(subject_object) | (context or {}))
    label = subject_object._meta.label_lower
    return {
        "kind": kind,
        "title": title[:300],
        "body": body,
        "url": link(kind, subject_object),
        "key": key or f"{kind}:{label}:{subject_object.pk}:{when.timestamp():.6f}",
        "created_at": when,
    }


def notify(kind: str, users, *, subject_object, context=None, by=None, key: str = "") -> None:
    """Tell ``users`` (a user QuerySet) about ``subject_object`` once the transaction commits.

    ``by``, the person who acted, is never told about their own action.
    """
    message = notice(kind, subject_object, context=context, key=key)
    if by is not None:
        users = users.exclude(pk=by.pk)
    transaction.on_commit(partial(deliver, message, users), robust=True)


def not_told_yet(message: dict, users) -> list:
    """Return the people of ``users`` who have not had ``message`` (by its key) yet."""
    already = Notification.objects.filter(key=message["key"], user__in=users).values("user_id")
    return list(users.exclude(pk__in=already).only("pk", "email"))


def deliver(message: dict, users, *, queue: bool = True) -> int:
    """Write ``message`` into the inbox of each of ``users`` who has not had it (by its key)
    and, with ``queue``, queue the e-mails for the worker; return how many rows were written."""
    people = not_told_yet(message, users)
    if not people:
        return 0
    opted_out = set(
        EmailOptOut.objects.filter(user__in=people, kind=message["kind"]).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        Notification(user=person, email_pending=bool(person.email) and person.pk not in opted_out)
        for person in people
    ]
    for row in rows:
        for field, value in message.items():
            setattr(row, field, value)
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        if queue and any(row.email_pending for row in rows):
            transaction.on_commit(send_emails.enqueue, robust=True)
    return len(rows)


@task()
def send_emails() -> None:
    """The worker's task: send every e-mail still waiting."""
    send_pending_emails()


def send_pending_emails() -> int:
    """Send the e-mail of every notification waiting for one; return how many were sent.

    Each row is claimed (marked sent) before its e-mail goes out: a second worker, or this
    task run again, skips it. A failed send puts the row back to wait for the next run.
    """
    sent = 0
    pending = Notification.objects.filter(email_pending=True).select_related("user")
    if not pending.exists():
        return 0  # no connection to the mail server for nothing
    with get_connection() as connection:
        for notification in pending.order_by("pk").iterator():
            claimed = Notification.objects.filter(pk=notification.pk, email_pending=True).update(
                email_pending=False, emailed_at=clock.now()
            )
            if not claimed:
                continue
            try:
                email_for(notification, connection).send()
            except Exception:
                logger.exception("e-mail of notification %s not sent", notification.pk)
                Notification.objects.filter(pk=notification.pk).update(
                    email_pending=True, emailed_at=None
                )
                continue
            sent += 1
    return sent


def email_for(notification: Notification, connection=None) -> EmailMessage:
    """Return the e-mail of ``notification``: its title, its text and the link to it."""
    with translation.override(settings.LANGUAGE_CODE):  # the language of the stored texts
        return _email_for(notification, connection)


def _email_for(notification: Notification, connection) -> EmailMessage:
    address = settings.SITE_URL.rstrip("/") + notification.url
    body = "\n\n".join(
        [
            notification.body,
            _("Xem chi tiết: %(url)s") % {"url": address},
            _(
                "Thư này được gửi tự động từ hệ thống đánh giá Chỉ số cải cách hành chính. "
                "Có thể tắt thư của từng loại thông báo tại %(url)s"
            )
            % {"url": settings.SITE_URL.rstrip("/") + reverse("web:inbox-settings")},
        ]
    )
    return EmailMessage(
        subject=_("[Chỉ số CCHC] %(title)s") % {"title": notification.title},
        body=body,
        to=[notification.user.email],
        connection=connection,
    )


def mark_read(notification: Notification) -> None:
    """Mark one notification read (opening it does)."""
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; return how many."""
    return Notification.objects.for_user(user).unread().update(read_at=clock.now())


def set_email_kinds(user, wanted) -> None:
    """Keep e-mail on for the kinds ``wanted`` and off for every other (the inbox keeps all)."""
    off = [kind for kind in NotificationKind.values if kind not in set(wanted)]
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=kind) for kind in off], ignore_conflicts=True
        )


def email_kinds(user) -> list[tuple[str, str, bool]]:
    """Return each kind of notification with its label and whether ``user`` gets its e-mail."""
    off = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [(kind, label, kind not in off) for kind, label in NotificationKind.choices]
