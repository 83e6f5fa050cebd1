"""Uploaded workbooks waiting between the preview and the administrator's confirmation.

A checked file is kept in the default storage under ``imports/`` (MEDIA_ROOT, or the S3 bucket
of STORAGE_URL, so any server can confirm what another one checked) with a ticket naming its
kind, who uploaded it and the values entered in the application its preview showed as
overwritten (only those may be replaced on confirming); the confirmation takes the ticket once
(a second confirmation of the same token finds nothing) and the file is deleted after the
import, whatever its outcome.

A file whose import never finished (a preview nobody confirmed, a worker stopped by force in the
middle of an import) is deleted with its ticket once it is ``KEPT_HOURS`` old, when the next file
is staged: confirming it then says the session expired.
"""

from __future__ import annotations

import json
import re
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from parindex.core.stored_files import delete_older_than

TOKEN = re.compile(r"^[0-9a-f]{32}$")
FOLDER = "imports"
KEPT_HOURS = 24


def _name(token: str, suffix: str) -> str:
    return f"{FOLDER}/{token}{suffix}"


def _write_ticket(token: str, ticket: dict) -> None:
    name = _name(token, ".json")
    default_storage.delete(name)  # storages never overwrite: a new save would rename
    default_storage.save(name, ContentFile(json.dumps(ticket).encode("utf-8")))


def stage_upload(kind: str, file, *, by, seen=()) -> str:
    """Keep an uploaded file for its confirmation; return the token that names it.

    ``seen`` lists the values entered in the application the preview showed as overwritten.
    """
    prune_stale()
    token = uuid.uuid4().hex
    file.seek(0)
    default_storage.save(_name(token, ".xlsx"), File(file))
    _write_ticket(token, {"kind": kind, "name": file.name, "user": by.pk, "seen": list(seen)})
    return token


def prune_stale() -> int:
    """Delete the staged files and tickets older than ``KEPT_HOURS``; return how many files."""
    return delete_older_than(FOLDER, timedelta(hours=KEPT_HOURS))


def _read_ticket(token: str) -> dict | None:
    try:
        with default_storage.open(_name(token, ".json"), "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def _ticket(token: str, kind: str, by) -> dict | None:
    if not TOKEN.match(token or ""):
        return None
    ticket = _read_ticket(token)
    if ticket is None or ticket.get("kind") != kind or ticket.get("user") != by.pk:
        return None
    return ticket


def _open(token: str):
    try:
        return default_storage.open(_name(token, ".xlsx"), "rb")
    except FileNotFoundError:
        return None


@contextmanager
def peek_staged(token: str, kind: str, *, by):
    """Yield the staged file of ``token`` opened for reading (None when there is no valid
    ticket), leaving it staged: the check before the preview reads it, the confirmation takes
    it."""
    file = _open(token) if _ticket(token, kind, by) is not None else None
    if file is None:
        yield None
        return
    with file:
        yield file


def discard_staged(token: str) -> None:
    """Delete a staged file and its ticket (its check found problems: nothing is kept)."""
    if TOKEN.match(token or ""):
        for suffix in (".json", ".xlsx"):
            default_storage.delete(_name(token, suffix))


def note_seen(token: str, kind: str, *, by, seen) -> None:
    """Record on the ticket the values entered in the application the preview showed as
    overwritten (only those may be replaced on confirming)."""
    ticket = _ticket(token, kind, by)
    if ticket is not None:
        ticket["seen"] = list(seen)
        _write_ticket(token, ticket)


@contextmanager
def staged_file(token: str, kind: str, *, by):
    """Yield (file, ticket): the staged file of ``token`` opened for reading and its ticket, or
    (None, None) when there is no valid ticket (unknown, already used, another kind, another
    person's); then delete it."""
    if not TOKEN.match(token or ""):
        yield None, None
        return
    ticket = _read_ticket(token)
    default_storage.delete(_name(token, ".json"))  # single use, whatever happens next
    if ticket is None or ticket.get("kind") != kind or ticket.get("user") != by.pk:
        default_storage.delete(_name(token, ".xlsx"))
        yield None, None
        return
    file = _open(token)
    if file is None:
        yield None, None
        return
    try:
        with file:
            yield file, ticket
    finally:
        default_storage.delete(_name(token, ".xlsx"))
