"""Files the application keeps for a while in the default storage (staged imports, the files of
export jobs), deleted once they are old: the one way to do it, on disk or in S3 alike."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone


def delete_older_than(folder: str, age: timedelta) -> int:
    """Delete the files of ``folder`` last written more than ``age`` ago; return how many.

    A folder not made yet holds nothing; a file taken meanwhile by whoever uses it (an import
    deleting its staged file) is passed over.
    """
    try:
        _folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    oldest = timezone.now() - age
    deleted = 0
    for name in names:
        path = f"{folder}/{name}"
        try:
            stale = default_storage.get_modified_time(path) < oldest
        except FileNotFoundError:
            continue
        if stale:
            default_storage.delete(path)
            deleted += 1
    return deleted
