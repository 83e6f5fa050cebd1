"""Progress reports of a long call (reading or importing a large workbook) for whoever runs it.

A caller passes ``progress``, a callable ``progress(done: int, total: int, label: str)``; a
task-queue worker turns it into a progress bar. ``done`` only grows, from 0 to ``total`` (the
same in every call of one run), and ``label`` names the current phase for people. The call
reports a modest number of times: when each phase starts and about every 5 % of a long loop.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[int, int, str], None]

STEPS = 100
EVERY = 20  # reports within one phase: about every 5 %


class Progress:
    """Share ``STEPS`` steps between the phases of one call; silent without a callback."""

    def __init__(self, callback: ProgressCallback | None):
        self.callback = callback
        self.start = self.end = self.done = 0
        self.label = ""

    def phase(self, start: int, end: int, label: str) -> None:
        """Begin the phase that takes steps ``start`` … ``end``; report its start."""
        self.start, self.end, self.label = start, end, str(label)
        self._report(start)

    def advance(self, count: int, total: int) -> None:
        """Report ``count`` of the ``total`` items of the current phase done (about every 5 %)."""
        if self.callback is None or total <= 0:
            return
        if count != total and count % max(1, total // EVERY):
            return
        self._report(_scaled(self.start, self.end, count, total))

    def finish(self, label: str) -> None:
        self.label = str(label)
        self._report(STEPS)

    def _report(self, done: int) -> None:
        if self.callback is None:
            return
        self.done = max(self.done, done)
        self.callback(self.done, STEPS, self.label)


def _scaled(start: int, end: int, done: int, total: int) -> int:
    """Return ``done`` of ``total`` as a step between ``start`` and ``end``."""
    return start + (end - start) * done // max(total, 1)


def part_of(callback: ProgressCallback, start: int, end: int, label: str) -> ProgressCallback:
    """Report ``label`` at step ``start``, and return a callback that reports a sub-call's own
    ``done`` of ``total`` as steps ``start`` … ``end`` of ``STEPS`` (a job that reads a file,
    then checks or writes it)."""
    callback(start, STEPS, str(label))

    def report(done: int, total: int, text: str = "") -> None:
        callback(_scaled(start, end, done, total), STEPS, text)

    return report
