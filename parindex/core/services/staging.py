"""Uploaded workbooks waiting between the preview and the administrator's confirmation.

A checked file is kept under ``MEDIA_ROOT/imports/`` with a ticket naming its kind, who
uploaded it and the values entered in the application its preview showed as overwritten (only
those may be replaced on confirming); the confirmation takes the ticket once (a second
confirmation of the same token finds nothing) and the file is deleted after the import, whatever
its outcome.
"""

from __future__ import annotations

import json
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def stage_upload(kind: str, file, *, by, seen=()) -> str:
    """Keep an uploaded file for its confirmation; return the token that names it.

    ``seen`` lists the values entered in the application the preview showed as overwritten.
    """
    token = uuid.uuid4().hex
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    file.seek(0)
    (folder / f"{token}.xlsx").write_bytes(file.read())
    ticket = {"kind": kind, "name": file.name, "user": by.pk, "seen": list(seen)}
    (folder / f"{token}.json").write_text(json.dumps(ticket), encoding="utf-8")
    return token


def _ticket(token: str, kind: str, by) -> dict | None:
    if not TOKEN.match(token or ""):
        return None
    try:
        ticket = json.loads((_folder() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if ticket.get("kind") != kind or ticket.get("user") != by.pk:
        return None
    return ticket


@contextmanager
def peek_staged(token: str, kind: str, *, by):
    """Yield the staged file of ``token`` opened for reading (None when there is no valid
    ticket), leaving it staged: the check before the preview reads it, the confirmation takes
    it."""
    if _ticket(token, kind, by) is None:
        yield None
        return
    try:
        file = (_folder() / f"{token}.xlsx").open("rb")
    except FileNotFoundError:
        yield None
        return
    with file:
        yield file


def discard_staged(token: str) -> None:
    """Delete a staged file and its ticket (its check found problems: nothing is kept)."""
    if TOKEN.match(token or ""):
        for suffix in (".json", ".xlsx"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def note_seen(token: str, kind: str, *, by, seen) -> None:
    """Record on the ticket the values entered in the application the preview showed as
    overwritten (only those may be replaced on confirming)."""
    ticket = _ticket(token, kind, by)
    if ticket is not None:
        ticket["seen"] = list(seen)
        (_folder() / f"{token}.json").write_text(json.dumps(ticket), encoding="utf-8")


@contextmanager
def staged_file(token: str, kind: str, *, by):
    """Yield (file, ticket): the staged file of ``token`` opened for reading and its ticket, or
    (None, None) when there is no valid ticket (unknown, already used, another kind, another
    person's); then delete it."""
    if not TOKEN.match(token or ""):
        yield None, None
        return
    folder = _folder()
    ticket_path, path = folder / f"{token}.json", folder / f"{token}.xlsx"
    try:
        ticket = json.loads(ticket_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ticket = None
    ticket_path.unlink(missing_ok=True)  # single use, whatever happens next
    if ticket is None or ticket.get("kind") != kind or ticket.get("user") != by.pk:
        path.unlink(missing_ok=True)
        yield None, None
        return
    try:
        file = path.open("rb")
    except FileNotFoundError:
        yield None, None
        return
    try:
        with file:
            yield file, ticket
    finally:
        path.unlink(missing_ok=True)
