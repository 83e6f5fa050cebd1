"""The one clock of the domain: services ask it the time so tests can move it."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current aware datetime."""
    return timezone.now()


def today() -> date:
    """Return today's date in the project's time zone."""
    return timezone.localdate(now())
