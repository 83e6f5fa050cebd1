"""One row of the benchmark's table, and timing a call."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Row:
    measurement: str
    figure: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    key: str = ""  # names a throughput the capacity section uses (league, dashboard, …)
    per_second: float = 0.0


def seconds(function, *args, **kwargs):
    """Return (seconds, result) of one call."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result
