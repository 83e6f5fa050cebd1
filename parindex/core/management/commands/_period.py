"""Shared argument handling for the period commands."""

from django.core.management.base import CommandError

from parindex.core.models import Period


def get_period(year: int) -> Period:
    """Return the period of ``year`` or stop the command with a clear message."""
    try:
        return Period.objects.get(year=year)
    except Period.DoesNotExist:
        raise CommandError(f"Không có kỳ đánh giá năm {year}.") from None
